"""Verify reports of a release with several files (`VerifyReport.artifacts`), as plain data for the
tests of what reads them: a faithful sdist, a tampered pure wheel, an identical one, a platform wheel."""

from __future__ import annotations

from dataclasses import replace

from verifier.report.model.compare import DifferenceReport
from verifier.report.model.verdict import Verdict
from verifier.report.model.verify import (
    Artifact,
    EpochChoice,
    Explanation,
    PublishedOnIndex,
    Rebuilt,
    Recipe,
    Source,
    VerifyReport,
)

SDIST = "demo-1.0.tar.gz"
PURE = "demo-1.0-py3-none-any.whl"
PURE2 = "demo-1.0-py2.py3-none-any.whl"
PLATFORM = "demo-1.0-cp312-cp312-manylinux_2_17_x86_64.whl"
RECIPE = Recipe(
    source_date_epoch=EpochChoice(1700000000, "tag"), requirements_cutoff="2024-01-01T00:00:00Z",
    requirements_cutoff_origin="upload time", umask="022", python="3.12", env={}, frontend="build", why="first try",
)


def digest(char: str) -> str:
    return char * 64


def artifacts(wheel_verdict: Verdict = Verdict.DIFFERENT) -> tuple[Artifact, ...]:
    tampered = wheel_verdict is Verdict.DIFFERENT
    return (
        Artifact(SDIST, "sdist", digest("a"), f"https://index.example/{SDIST}", Verdict.EQUIVALENT, built_from="tag",
                 normalizations=("tar-mtime",), recipe=RECIPE, rebuilt_sha256=digest("b")),
        Artifact(PURE, "wheel", digest("c"), f"https://index.example/{PURE}", wheel_verdict, built_from="rebuilt sdist",
                 differences=(DifferenceReport("demo/__init__.py", "content", "contents differ"),) if tampered else (),
                 differences_not_listed=2 if tampered else 0,
                 explanations=(Explanation("demo/__init__.py", "wheel-module-not-in-sdist",
                                           "demo/__init__.py differs from the sdist's copy"),) if tampered else (),
                 recipe=RECIPE, rebuilt_sha256=digest("d")),
        Artifact(PURE2, "wheel", digest("e"), f"https://index.example/{PURE2}", Verdict.IDENTICAL,
                 built_from="tagged tree", recipe=RECIPE, rebuilt_sha256=digest("e")),
        Artifact(PLATFORM, "wheel", digest("f"), f"https://index.example/{PLATFORM}", None,
                 not_verified="platform wheel: compiled code needs the publisher's toolchain"),
    )


def report(wheel_verdict: Verdict = Verdict.DIFFERENT) -> VerifyReport:
    """A release whose sdist is equivalent, whose first pure wheel has `wheel_verdict` (different:
    one module tampered), whose second is identical and whose platform wheel is not verified."""
    verdict = Verdict.DIFFERENT if wheel_verdict is Verdict.DIFFERENT else Verdict.EQUIVALENT
    return VerifyReport(
        verdict=verdict, package="demo", version="1.0",
        source=Source(repo="https://git.example/demo", tag="v1.0", commit="1" * 40, commit_time=1700000000, version_from_tag="1.0"),
        published=PublishedOnIndex(url=f"https://index.example/{SDIST}", filename=SDIST, sha256=digest("a"), size=100,
                                   upload_time="2024-01-01T00:00:00Z", index="https://index.example/simple/", path=f"/cache/{SDIST}"),
        rebuilt=Rebuilt(SDIST, digest("b"), 100, None), recipe=RECIPE,
        reproduce="verifier verify demo==1.0", artifacts=artifacts(wheel_verdict),
    )


def sdist_only(wheel_verdict: Verdict = Verdict.DIFFERENT) -> VerifyReport:
    """The same verification as an older report holds it: no artifacts."""
    return replace(report(wheel_verdict), artifacts=())
