"""Clean checkouts of a tag, tracked files and commit times, with real git."""

from __future__ import annotations

import hashlib
import os
import subprocess
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest

from verifier.source.git import (
    clean_checkout,
    commit_time,
    tracked_files,
)
from verifier.source.interface import Checkout, ResolvedTag, SourceError
from verifier.source.tags import resolve_tag

from .conftest import GitRepo, MakeRepo


@dataclass(frozen=True)
class Project:
    repo: GitRepo
    tag: ResolvedTag


@pytest.fixture
def project(make_repo: MakeRepo) -> Project:
    """A repository whose work tree is dirty, ignored and untracked files included."""
    repo = make_repo("my project")  # a space in the path on purpose
    repo.write(".gitignore", "*.log\nbuild/\n")
    repo.write("pyproject.toml", '[project]\nname = "demo"\ndynamic = ["version"]\n')
    repo.write("README", "released text\n")
    repo.write("src/demo/__init__.py", "")
    repo.write("run.sh", "#!/bin/sh\n", executable=True)
    os.symlink("README", repo.path / "link")
    repo.commit("release")
    repo.tag("v1.2.0", annotated=True)
    repo.tag("also-1.2.0")  # another tag on the same commit: must not win `git describe`
    repo.write("later.txt", "after the release\n")
    repo.commit("later")
    repo.write("README", "edited, not committed\n")
    repo.write("untracked.txt", "not in git\n")
    repo.write("debug.log", "ignored\n")
    repo.write("build/out.o", "ignored\n")
    repo.write(".pytest_cache/v/cache", "a dirty-checkout leftover, untracked\n")
    return Project(repo, resolve_tag(repo.path, "1.2.0"))


def test_checkout_holds_exactly_the_tracked_files(project: Project, tmp_path: Path) -> None:
    checkout = clean_checkout(project.repo.path, project.tag, tmp_path / "out dir")
    on_disk = _files_under(checkout.path)
    tracked = {entry.path for entry in tracked_files(checkout)}
    assert on_disk == tracked == {".gitignore", "pyproject.toml", "README", "src/demo/__init__.py",
                                  "run.sh", "link"}
    assert (checkout.path / "README").read_text() == "released text\n"
    assert os.readlink(checkout.path / "link") == "README"
    assert os.access(checkout.path / "run.sh", os.X_OK)
    assert (checkout.path / ".git").is_dir()
    assert checkout.commit == project.tag.commit
    assert checkout.tag == project.tag
    assert checkout.submodules == ()


def test_git_describe_gives_the_tag(project: Project, tmp_path: Path) -> None:
    checkout = clean_checkout(project.repo.path, project.tag, tmp_path / "out")
    git = _runner(project.repo, checkout.path)
    assert git("describe", "--tags") == "v1.2.0"
    assert git("describe", "--tags", "--exact-match") == "v1.2.0"
    # What setuptools-scm runs: distance 0 and not dirty means the version is exactly the tag's.
    short = git("rev-parse", "--short", "HEAD")
    described = git("describe", "--dirty", "--tags", "--long", "--match", "*[0-9]*")
    assert described == f"v1.2.0-0-g{short}"
    assert git("status", "--porcelain", "--ignored", "--untracked-files=all") == ""
    assert git("rev-parse", "HEAD") == project.tag.commit
    assert git("rev-parse", "--abbrev-ref", "HEAD") == "HEAD"  # detached
    assert git("tag", "--list") == "v1.2.0"


def test_lightweight_tag_wins_describe_over_annotated_on_same_commit(
    project: Project, tmp_path: Path
) -> None:
    lightweight = resolve_tag(project.repo.path, "also-1.2.0")
    checkout = clean_checkout(project.repo.path, lightweight, tmp_path / "out")
    assert _runner(project.repo, checkout.path)("describe", "--tags") == "also-1.2.0"


def test_tags_behind_the_commit_come_along(make_repo: MakeRepo, tmp_path: Path) -> None:
    repo = make_repo("history")
    repo.commit_and_tag("v0.9")
    repo.commit("unreleased work")
    repo.commit_and_tag("v1.0")
    repo.commit_and_tag("v2.0")
    checkout = clean_checkout(repo.path, resolve_tag(repo.path, "1.0"), tmp_path / "out")
    git = _runner(repo, checkout.path)
    assert git("tag", "--list").split() == ["v0.9", "v1.0"]
    assert git("rev-list", "--count", "HEAD") == "3"


def test_bare_source(project: Project, tmp_path: Path) -> None:
    bare = tmp_path / "bare repo.git"
    project.repo.git("clone", "-q", "--bare", str(project.repo.path), str(bare))
    checkout = clean_checkout(bare, project.tag, tmp_path / "out")
    assert (checkout.path / "README").read_text() == "released text\n"


def test_shallow_source(project: Project, tmp_path: Path) -> None:
    shallow = tmp_path / "shallow"
    project.repo.git("clone", "-q", "--depth", "1", "--branch", "v1.2.0",
                     f"file://{project.repo.path}", str(shallow))
    assert (shallow / ".git" / "shallow").exists()
    tag = resolve_tag(shallow, "1.2.0")
    checkout = clean_checkout(shallow, tag, tmp_path / "out")
    assert _runner(project.repo, checkout.path)("describe", "--tags", "--exact-match") == "v1.2.0"


def test_source_whose_default_branch_cannot_be_checked_out(
    project: Project, tmp_path: Path
) -> None:
    project.repo.git("symbolic-ref", "HEAD", "refs/heads/gone")
    checkout = clean_checkout(project.repo.path, project.tag, tmp_path / "out")
    assert (checkout.path / "README").read_text() == "released text\n"


def test_source_given_as_url_or_string(project: Project, tmp_path: Path) -> None:
    by_url = clean_checkout(f"file://{project.repo.path}", project.tag, tmp_path / "url")
    by_string = clean_checkout(str(project.repo.path), project.tag, tmp_path / "string")
    assert _files_under(by_url.path) == _files_under(by_string.path)


def test_existing_empty_destination_is_used(project: Project, tmp_path: Path) -> None:
    dest = tmp_path / "empty"
    dest.mkdir()
    assert clean_checkout(project.repo.path, project.tag, dest).path == dest


def test_non_empty_destination_is_refused(project: Project, tmp_path: Path) -> None:
    dest = tmp_path / "full"
    dest.mkdir()
    (dest / "x").write_text("mine")
    with pytest.raises(SourceError, match="not empty"):
        clean_checkout(project.repo.path, project.tag, dest)
    assert (dest / "x").read_text() == "mine"


def test_missing_tag_fails_and_leaves_nothing(project: Project, tmp_path: Path) -> None:
    ghost = ResolvedTag("v9.9", project.tag.commit, 0, "9.9")
    with pytest.raises(SourceError, match=r"fetching tag v9.9"):
        clean_checkout(project.repo.path, ghost, tmp_path / "out")
    assert not (tmp_path / "out").exists()


def test_moved_tag_is_refused(project: Project, tmp_path: Path) -> None:
    moved = ResolvedTag("v1.2.0", "0" * 40, 0, "1.2.0")
    with pytest.raises(SourceError, match="not 0000"):
        clean_checkout(project.repo.path, moved, tmp_path / "out")


def test_not_a_repository(tmp_path: Path) -> None:
    (tmp_path / "plain").mkdir()
    tag = ResolvedTag("v1", "0" * 40, 0, "1")
    with pytest.raises(SourceError, match="not a git repository"):
        clean_checkout(tmp_path / "plain", tag, tmp_path / "out")
    with pytest.raises(SourceError, match="not a git repository"):
        clean_checkout(tmp_path / "missing", tag, tmp_path / "out")


def test_timeout(project: Project, tmp_path: Path) -> None:
    with pytest.raises(SourceError, match="timed out"):
        clean_checkout(project.repo.path, project.tag, tmp_path / "out", timeout=1e-9)
    assert not (tmp_path / "out").exists()


def test_tracked_files_entries(project: Project, tmp_path: Path) -> None:
    entries = {entry.path: entry for entry in tracked_files(project.repo.path, project.tag.commit)}
    readme = entries["README"]
    assert readme.mode == 0o100644
    assert readme.size == len(b"released text\n")
    assert readme.blob_sha1 == _git_blob_id(b"released text\n")
    assert entries["run.sh"].mode == 0o100755
    assert entries["link"].mode == 0o120000
    assert entries["link"].size == len("README")
    assert not any(entry.is_gitlink for entry in entries.values())
    assert "later.txt" not in entries
    assert list(entries) == sorted(entries)


def test_tracked_files_needs_a_commit_for_a_path(project: Project) -> None:
    with pytest.raises(SourceError, match="commit is required"):
        tracked_files(project.repo.path)


def test_commit_time(project: Project) -> None:
    expected = int(project.repo.git("show", "-s", "--format=%ct", "v1.2.0^{commit}"))
    assert commit_time(project.repo.path, project.tag.commit) == expected
    assert commit_time(project.repo.path, "v1.2.0") == expected  # a tag is peeled
    assert project.tag.commit_time == expected
    with pytest.raises(SourceError):
        commit_time(project.repo.path, "f" * 40)


def test_checkout_is_frozen(project: Project, tmp_path: Path) -> None:
    checkout = clean_checkout(project.repo.path, project.tag, tmp_path / "out")
    assert isinstance(checkout, Checkout)
    with pytest.raises(AttributeError):
        checkout.commit = "x"  # type: ignore[misc]


def _files_under(root: Path) -> set[str]:
    """Files and symlinks under ``root``, outside ``.git``, as POSIX relative paths."""
    found: set[str] = set()
    for directory, dirnames, filenames in os.walk(root):
        dirnames[:] = [name for name in dirnames if name != ".git"]
        for name in filenames + [d for d in dirnames if os.path.islink(os.path.join(directory, d))]:
            found.add(Path(directory, name).relative_to(root).as_posix())
    return found


def _runner(repo: GitRepo, cwd: Path) -> Callable[..., str]:
    def git(*args: str) -> str:
        return repo.git(*args, cwd=cwd)

    return git


def _git_blob_id(content: bytes) -> str:
    return hashlib.sha1(b"blob %d\0" % len(content) + content).hexdigest()


def test_runner_sanity(project: Project) -> None:
    # The fixture's dirty work tree really has the files the checkout must not have.
    status = subprocess.run(
        ["git", "status", "--porcelain", "--ignored"], cwd=project.repo.path,
        env=project.repo.env, capture_output=True, text=True, check=True,
    ).stdout
    assert "untracked.txt" in status and "debug.log" in status and "build/" in status
