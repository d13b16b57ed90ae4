"""Submodules: from the source's own .git/modules, from the recorded URL, or a SubmoduleError."""

from __future__ import annotations

import shutil
from dataclasses import dataclass
from pathlib import Path

import pytest

from verifier.errors import EXIT_COULD_NOT_VERIFY
from verifier.source.git import clean_checkout, tracked_files
from verifier.source.interface import GITLINK_MODE, ResolvedTag, SubmoduleError
from verifier.source.submodules import resolve_submodule_url
from verifier.source.tags import resolve_tag

from .conftest import GitRepo, MakeRepo

UNREACHABLE = "https://github.invalid/lib.git"


@dataclass(frozen=True)
class App:
    repo: GitRepo
    tag: ResolvedTag
    lib_commit: str
    deep_commit: str


@pytest.fixture
def app(make_repo: MakeRepo) -> App:
    """app → vendor/lib → third_party/deep, whose recorded URLs cannot be reached.

    Only the app's own ``.git/modules`` still holds the submodules: the repositories they were
    cloned from are deleted.
    """
    deep = make_repo("deep.git")  # a work tree named like a bare repository, for "../deep.git"
    deep.write("deep.txt", "deep\n")
    deep_commit = deep.commit("deep")

    lib = make_repo("lib")
    lib.write("lib.txt", "lib\n")
    lib.git("-c", "protocol.file.allow=always", "submodule", "add", "-q", str(deep.path),
            "third_party/deep")
    lib.git("config", "-f", ".gitmodules", "submodule.third_party/deep.url", "../deep.git")
    lib_commit = lib.commit("lib with deep")

    app_repo = make_repo("app")
    app_repo.write("app.txt", "app\n")
    app_repo.git("-c", "protocol.file.allow=always", "submodule", "add", "-q", str(lib.path),
                 "vendor/lib")
    app_repo.git("-c", "protocol.file.allow=always", "submodule", "update", "-q", "--init",
                 "--recursive")
    app_repo.git("config", "-f", ".gitmodules", "submodule.vendor/lib.url", UNREACHABLE)
    app_repo.commit("app with lib")
    app_repo.tag("v1.0", annotated=True)
    shutil.rmtree(lib.path)
    shutil.rmtree(deep.path)
    return App(app_repo, resolve_tag(app_repo.path, "1.0"), lib_commit, deep_commit)


def test_submodules_come_from_the_local_modules(app: App, tmp_path: Path) -> None:
    checkout = clean_checkout(app.repo.path, app.tag, tmp_path / "out")
    assert (checkout.path / "vendor/lib/lib.txt").read_text() == "lib\n"
    assert (checkout.path / "vendor/lib/third_party/deep/deep.txt").read_text() == "deep\n"
    lib, deep = checkout.submodules
    assert (lib.name, lib.path, lib.url, lib.commit) == (
        "vendor/lib", "vendor/lib", UNREACHABLE, app.lib_commit
    )
    assert lib.fetched_from == str(app.repo.path / ".git/modules/vendor/lib")
    assert (deep.path, deep.url, deep.commit) == (
        "vendor/lib/third_party/deep", "../deep.git", app.deep_commit
    )
    assert deep.fetched_from.endswith(".git/modules/vendor/lib/modules/third_party/deep")
    # Submodules are laid out as git lays them out, and the tree is clean.
    assert (checkout.path / "vendor/lib/.git").is_file()
    assert (checkout.path / ".git/modules/vendor/lib").is_dir()
    status = app.repo.git("status", "--porcelain", "--ignored", cwd=checkout.path)
    assert status == ""
    assert app.repo.git("describe", "--tags", cwd=checkout.path) == "v1.0"


def test_tracked_files_include_submodules(app: App, tmp_path: Path) -> None:
    checkout = clean_checkout(app.repo.path, app.tag, tmp_path / "out")
    entries = {entry.path: entry for entry in tracked_files(checkout)}
    assert entries["vendor/lib"].mode == GITLINK_MODE
    assert entries["vendor/lib"].blob_sha1 == app.lib_commit
    assert entries["vendor/lib"].size == 0
    assert entries["vendor/lib/third_party/deep"].is_gitlink
    assert {"app.txt", ".gitmodules", "vendor/lib/lib.txt", "vendor/lib/.gitmodules",
            "vendor/lib/third_party/deep/deep.txt"} <= entries.keys()
    top_only = {entry.path for entry in tracked_files(checkout.path, checkout.commit)}
    assert top_only == {"app.txt", ".gitmodules", "vendor/lib"}


def test_missing_submodule_is_a_submodule_error(app: App, tmp_path: Path) -> None:
    shutil.rmtree(app.repo.path / ".git/modules/vendor/lib")
    shutil.rmtree(app.repo.path / "vendor/lib")
    with pytest.raises(SubmoduleError) as caught:
        clean_checkout(app.repo.path, app.tag, tmp_path / "out")
    message = caught.value.message
    assert "'vendor/lib'" in message
    assert UNREACHABLE in message
    assert caught.value.exit_code == EXIT_COULD_NOT_VERIFY
    assert not (tmp_path / "out").exists()


def test_missing_nested_submodule_is_a_submodule_error(app: App, tmp_path: Path) -> None:
    shutil.rmtree(app.repo.path / ".git/modules/vendor/lib/modules")
    with pytest.raises(SubmoduleError, match="third_party/deep") as caught:
        clean_checkout(app.repo.path, app.tag, tmp_path / "out")
    # The relative URL was resolved against the parent's recorded URL.
    assert "https://github.invalid/deep.git" in caught.value.message


def test_submodule_from_its_recorded_url(make_repo: MakeRepo, tmp_path: Path) -> None:
    lib = make_repo("lib")
    lib.write("lib.txt", "lib\n")
    lib_commit = lib.commit("lib")
    lib.write("lib.txt", "newer, after the app's release\n")
    lib.commit("lib moves on")
    app_repo = make_repo("app")
    app_repo.git("-c", "protocol.file.allow=always", "submodule", "add", "-q", str(lib.path), "lib")
    app_repo.git("-C", "lib", "checkout", "-q", lib_commit)
    app_repo.commit_and_tag("v1.0")
    tag = resolve_tag(app_repo.path, "1.0")
    # Given as a URL, the source has no local copy to offer: the recorded URL is used.
    checkout = clean_checkout(f"file://{app_repo.path}", tag, tmp_path / "out")
    (submodule,) = checkout.submodules
    assert submodule.fetched_from == str(lib.path)
    assert submodule.commit == lib_commit
    assert (checkout.path / "lib/lib.txt").read_text() == "lib\n"


def test_stale_gitmodules_entry_is_ignored(make_repo: MakeRepo, tmp_path: Path) -> None:
    repo = make_repo("stale")
    repo.write(".gitmodules", '[submodule "gone"]\n\tpath = gone\n\turl = https://github.invalid/g\n')
    repo.commit_and_tag("v1.0")
    checkout = clean_checkout(repo.path, resolve_tag(repo.path, "1.0"), tmp_path / "out")
    assert checkout.submodules == ()


@pytest.mark.parametrize(
    ("url", "base", "expected"),
    [
        ("https://host/x.git", "https://host/org/app.git", "https://host/x.git"),
        ("/abs/path", "https://host/org/app.git", "/abs/path"),
        ("../lib.git", "https://host/org/app.git", "https://host/org/lib.git"),
        ("../lib.git", "https://host/org/app.git/", "https://host/org/lib.git"),
        ("./lib.git", "https://host/org/app.git", "https://host/org/app.git/lib.git"),
        ("../../other/lib", "https://host/org/app", "https://host/other/lib"),
        ("../lib.git", "git@host:org/app.git", "git@host:org/lib.git"),
        ("../lib.git", "git@host:app.git", "git@host:lib.git"),
        ("../lib", "/srv/git/app", "/srv/git/lib"),
    ],
)
def test_resolve_submodule_url(url: str, base: str, expected: str) -> None:
    assert resolve_submodule_url(url, base) == expected
