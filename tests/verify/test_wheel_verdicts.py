"""The run's verdict from its artifacts' (stages/wheels.py `overall`), and the text report's line per
file of the release."""

import zipfile
from pathlib import Path
from types import SimpleNamespace

import pytest

from tests.support.fake_builder import FakeBuilder
from tests.support.fake_release import DEMO, FakeRelease, fake_release
from tests.support.projects import set_upload_time
from verifier.build.interface import BuildRequest, BuildResult, Progress
from verifier.errors import BuildError
from verifier.report.model.compare import DifferenceReport
from verifier.report.model.verdict import Verdict
from verifier.report.model.verify import Artifact, Explanation, VerifyReport
from verifier.report.verify_text import render_verify
from verifier.runtime.interface import ContainerRuntime
from verifier.testing.index_server import LocalIndex
from verifier.upstream.interface import PublishedFile
from verifier.verify.stages.upstream import PublishedWheel
from verifier.verify.stages.wheels import WheelInputs, overall, verify_wheels
from verifier.wheel.interface import PLATFORM_WHEEL_REASON

SAME, EQUAL, DIFF, CANNOT = Verdict.IDENTICAL, Verdict.EQUIVALENT, Verdict.DIFFERENT, Verdict.COULD_NOT_VERIFY


@pytest.mark.parametrize(
    ("sdist", "wheels", "expected"),
    [
        (SAME, [SAME], SAME),
        (SAME, [EQUAL], EQUAL),
        (EQUAL, [SAME, None], EQUAL),  # a platform wheel (None) is listed, not counted
        (SAME, [DIFF], DIFF),  # a tampered wheel beside a faithful sdist
        (DIFF, [SAME], DIFF),
        (SAME, [CANNOT], CANNOT),  # an unverifiable wheel does not let the release pass
        (DIFF, [CANNOT], DIFF),  # nor hides a different sdist
        (SAME, [], SAME),
        (SAME, [None], SAME),
        (Verdict.ERROR, [], Verdict.ERROR),
    ],
)
def test_overall_is_the_weakest_verified_verdict(sdist: Verdict, wheels: list[Verdict | None], expected: Verdict) -> None:
    assert overall(sdist, wheels) is expected


def test_text_report_has_one_line_per_file_and_the_differing_members() -> None:
    report = VerifyReport(
        verdict=DIFF,
        package="demo",
        version="1.0",
        artifacts=(
            Artifact("demo-1.0.tar.gz", "sdist", "a" * 64, None, SAME, built_from="tag"),
            Artifact("demo-1.0-py3-none-any.whl", "wheel", "b" * 64, None, DIFF, built_from="tagged tree",
                     differences=(DifferenceReport("demo/__init__.py", "content", "content differs", None, None),),
                     explanations=(Explanation("demo/__init__.py", "module-differs-from-sdist", "demo/__init__.py is not a copy"),)),
            Artifact("demo-1.0-cp311-cp311-manylinux_2_17_x86_64.whl", "wheel", None, None, None, not_verified="platform wheel"),
        ),
    )
    text = "\n".join(render_verify(report))
    assert "  identical        demo-1.0.tar.gz" in text
    assert "  different        demo-1.0-py3-none-any.whl (rebuilt from the tagged tree)" in text
    assert "differs: demo/__init__.py [content]" in text
    assert "[module-differs-from-sdist]" in text
    assert "  not verified     demo-1.0-cp311-cp311-manylinux_2_17_x86_64.whl: platform wheel" in text


def _listed(filename: str) -> PublishedFile:
    return PublishedFile("demo", "1.0", filename, f"http://127.0.0.1/files/{filename}", "0" * 64, None, None, False, None, "wheel")


def test_wheels_out_of_reach_are_listed_with_why(tmp_path: Path) -> None:
    """A platform wheel, a wheel under the Pants builder and a wheel that could not be fetched: no build."""
    source = SimpleNamespace(builder=SimpleNamespace(name="pants"), package="demo", version="1.0")
    inputs = WheelInputs(source, None, tmp_path / "published.tar.gz", tmp_path / "rebuilt.tar.gz", None)  # type: ignore[arg-type]
    wheels = [
        PublishedWheel(_listed("demo-1.0-cp311-cp311-manylinux_2_17_x86_64.whl"), not_verified=PLATFORM_WHEEL_REASON),
        PublishedWheel(_listed("demo-1.0-py3-none-any.whl"), path=tmp_path / "demo-1.0-py3-none-any.whl"),
        PublishedWheel(_listed("demo-1.0-py2-none-any.whl"), error="could not fetch demo-1.0-py2-none-any.whl: HTTP 404"),
    ]
    platform, pants, unfetched = verify_wheels(None, inputs, wheels)  # type: ignore[arg-type]
    assert platform.verdict is None and platform.not_verified == PLATFORM_WHEEL_REASON
    assert pants.verdict is None and pants.not_verified == "the pants builder rebuilds sdists only"
    assert unfetched.verdict is CANNOT and "HTTP 404" in (unfetched.error or "")
    assert overall(SAME, [outcome.verdict for outcome in (platform, pants, unfetched)]) is CANNOT


def _put_wheel(release: FakeRelease, filename: str) -> None:
    """A wheel beside the sdist on the index (its bytes matter to no test here: no wheel build runs)."""
    with zipfile.ZipFile(release.index_dir / DEMO.name / filename, "w") as wheel:
        wheel.writestr("fake_demo/__init__.py", DEMO.files["src/fake_demo/__init__.py"])
    set_upload_time(release.index_dir, filename)


def test_wheels_of_a_release_whose_sdist_could_not_be_rebuilt(tmp_path: Path, index_dir: Path, local_index: LocalIndex) -> None:
    release = fake_release(tmp_path, index_dir, local_index)
    sdist = release.publish()
    _put_wheel(release, "fake_demo-1.0.0-py3-none-any.whl")
    release.builder = FakeBuilder(fail="no backend")
    report = release.verify()
    assert report.verdict is CANNOT
    built, wheel = report.artifacts
    assert (built.filename, built.kind, built.verdict) == (sdist.name, "sdist", CANNOT) and "build failed" in (built.error or "")
    assert (wheel.kind, wheel.verdict, wheel.error) == ("wheel", CANNOT, "the sdist was not rebuilt, so its wheels were not either")


def test_sdist_only_lists_no_wheel(tmp_path: Path, index_dir: Path, local_index: LocalIndex) -> None:
    release = fake_release(tmp_path, index_dir, local_index)
    release.publish()
    _put_wheel(release, "fake_demo-1.0.0-py3-none-any.whl")
    assert release.verify(sdist_only=True).artifacts == ()
    listed = release.verify(workdir=tmp_path / "again")
    assert [(artifact.kind, artifact.verdict) for artifact in listed.artifacts] == [
        ("sdist", SAME), ("wheel", None)]  # the fake builder is not pypa-build: its wheels are listed, not verified
    assert listed.artifacts[1].not_verified == "the fake builder rebuilds sdists only"


class NoWheelBuilder(FakeBuilder):
    """Builds the sdist (as the fake backend does); every wheel build fails."""

    def build(self, request: BuildRequest, runtime: ContainerRuntime, progress: Progress) -> BuildResult:
        if request.target != "sdist":
            raise BuildError(f"build failed: no {request.target}", details="error: the backend cannot build wheels")
        return super().build(request, runtime, progress)


def test_a_wheel_that_cannot_be_rebuilt_keeps_an_identical_sdist_from_passing(tmp_path: Path, index_dir: Path, local_index: LocalIndex) -> None:
    release = fake_release(tmp_path, index_dir, local_index)
    release.publish()
    filename = "fake_demo-1.0.0-py3-none-any.whl"
    with zipfile.ZipFile(index_dir / DEMO.name / filename, "w") as wheel:
        wheel.writestr("fake_demo/__init__.py", DEMO.files["src/fake_demo/__init__.py"])
        wheel.writestr("fake_demo-1.0.0.dist-info/WHEEL", "Wheel-Version: 1.0\nGenerator: hatchling 1.25.0\n")
        wheel.writestr("fake_demo-1.0.0.dist-info/RECORD", "")
    set_upload_time(index_dir, filename)
    release.builder = NoWheelBuilder(name="pypa-build")
    report = release.verify()
    assert report.verdict is CANNOT
    sdist, wheel = report.artifacts
    assert sdist.verdict is SAME and wheel.verdict is CANNOT
    assert "rebuilt sdist: build failed: no wheel-from-sdist" in (wheel.error or "") and "tagged tree: build failed: no wheel" in (wheel.error or "")
    assert (report.error or "").startswith(f"{filename} could not be verified: ")
    assert report.error_details == "error: the backend cannot build wheels"
