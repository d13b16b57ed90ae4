"""Tag resolution against a real repository holding many tag spellings."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pytest

from verifier.errors import EXIT_BAD_INPUT
from verifier.source.interface import SourceError
from verifier.source.tags import list_tags, resolve_tag

from .conftest import MakeRepo


@dataclass(frozen=True)
class TaggedRepo:
    path: Path
    commits: dict[str, str]  # tag name -> commit id
    times: dict[str, int]  # tag name -> commit time


@pytest.fixture(scope="module")
def tagged(make_module_repo: MakeRepo) -> TaggedRepo:
    repo = make_module_repo("tagged")
    repo.write("README", "hello\n")
    commits: dict[str, str] = {}
    times: dict[str, int] = {}

    def release(*names: str, annotated: bool = False) -> None:
        repo.write("README", f"{names}\n")
        commit = repo.commit_and_tag(*names, annotated=annotated)
        for name in names:
            commits[name] = commit
            times[name] = int(repo.git("show", "-s", "--format=%ct", commit))

    release("23.03.3")
    release("v2.0.0", annotated=True)
    release("mypkg-3.1")
    release("V3.2")
    release("alpha/v1.5")
    release("beta/v1.5", annotated=True)
    release("beta_2.1")
    release("alpha-7.0")
    release("7.0")
    release("release-4.0")
    release("release/4.1")
    release("5.0")
    release("v5.0")
    release("6.0")
    repo.tag("v6.0", annotated=True)
    commits["v6.0"] = commits["6.0"]
    release("nightly-build")
    release("2025.01.31", annotated=True)
    repo.git("tag", "-a", "-m", "a tag of a tag", "nested", "2025.01.31")
    commits["nested"] = commits["2025.01.31"]
    repo.git("tag", "tree-tag", "HEAD^{tree}")
    return TaggedRepo(repo.path, commits, times)


@pytest.mark.parametrize(
    ("wanted", "package", "expected"),
    [
        ("23.3.3", None, "23.03.3"),
        ("23.03.3", None, "23.03.3"),
        ("v23.3.3", None, "23.03.3"),
        ("2.0.0", None, "v2.0.0"),
        ("2.0", None, "v2.0.0"),
        ("v2.0.0", None, "v2.0.0"),
        ("3.1", "mypkg", "mypkg-3.1"),
        ("3.1", "MyPkg", "mypkg-3.1"),
        ("3.1", None, "mypkg-3.1"),
        ("3.2", None, "V3.2"),
        ("3.2", "mypkg", "V3.2"),
        ("1.5", "alpha", "alpha/v1.5"),
        ("1.5", "beta", "beta/v1.5"),
        ("2.1", "beta", "beta_2.1"),
        ("7", "alpha", "alpha-7.0"),
        ("7", "beta", "7.0"),
        ("4.0", None, "release-4.0"),
        ("4.1", "anything", "release/4.1"),
        ("6", None, "v6.0"),
        ("2025.1.31", None, "2025.01.31"),
        ("nightly-build", None, "nightly-build"),
        ("refs/tags/nightly-build", None, "nightly-build"),
        ("nested", None, "nested"),
    ],
)
def test_resolves(tagged: TaggedRepo, wanted: str, package: str | None, expected: str) -> None:
    resolved = resolve_tag(tagged.path, wanted, package)
    assert resolved.name == expected
    assert resolved.commit == tagged.commits[expected]


def test_resolved_fields(tagged: TaggedRepo) -> None:
    resolved = resolve_tag(tagged.path, "23.3.3")
    assert resolved.version == "23.3.3"
    assert resolved.commit_time == tagged.times["23.03.3"]
    assert resolve_tag(tagged.path, "nightly-build").version is None
    assert resolve_tag(tagged.path, "1.5", "beta").version == "1.5"


def test_annotated_tags_are_peeled_to_the_commit(tagged: TaggedRepo) -> None:
    annotated = resolve_tag(tagged.path, "2.0.0")
    tag_object = _git_rev_parse(tagged.path, "refs/tags/v2.0.0")
    assert annotated.commit != tag_object
    assert annotated.commit == _git_rev_parse(tagged.path, "v2.0.0^{commit}")
    lightweight = resolve_tag(tagged.path, "3.1")
    assert lightweight.commit == _git_rev_parse(tagged.path, "refs/tags/mypkg-3.1")


def test_tags_of_trees_are_not_listed(tagged: TaggedRepo) -> None:
    names = {tag.name for tag in list_tags(tagged.path)}
    assert "tree-tag" not in names
    assert {"nested", "v2.0.0", "23.03.3"} <= names


@pytest.mark.parametrize(
    ("wanted", "package", "named"),
    [
        ("5", None, ["5.0", "v5.0"]),
        ("5", "anything", ["5.0", "v5.0"]),
        ("1.5", None, ["alpha/v1.5", "beta/v1.5"]),
        ("7", None, ["alpha-7.0", "7.0"]),
    ],
)
def test_ambiguous(tagged: TaggedRepo, wanted: str, package: str | None, named: list[str]) -> None:
    with pytest.raises(SourceError, match="ambiguous") as caught:
        resolve_tag(tagged.path, wanted, package)
    for name in named:
        assert name in caught.value.message
    assert caught.value.exit_code == EXIT_BAD_INPUT


def test_exact_name_wins_over_ambiguity(tagged: TaggedRepo) -> None:
    assert resolve_tag(tagged.path, "5.0").name == "5.0"
    assert resolve_tag(tagged.path, "v5.0").name == "v5.0"


def test_not_found_lists_nearest_versions(tagged: TaggedRepo) -> None:
    with pytest.raises(SourceError) as caught:
        resolve_tag(tagged.path, "2.5")
    message = caught.value.message
    assert "no tag matches '2.5'" in message
    assert "nearest versions: " in message
    assert "v2.0.0 (2.0.0)" in message
    assert "V3.2 (3.2)" in message
    assert "\n" not in message


def test_other_packages_tags_are_not_candidates(tagged: TaggedRepo) -> None:
    with pytest.raises(SourceError) as caught:
        resolve_tag(tagged.path, "1.5", "gamma")
    assert "(package gamma)" in caught.value.message
    assert "alpha/v1.5" not in caught.value.message


def test_not_found_lists_similar_names(tagged: TaggedRepo) -> None:
    with pytest.raises(SourceError, match="similar names: nightly-build"):
        resolve_tag(tagged.path, "nightly-bild")


def test_repository_without_tags(make_repo: MakeRepo) -> None:
    repo = make_repo("untagged")
    repo.commit("first")
    with pytest.raises(SourceError, match="has no tags"):
        resolve_tag(repo.path, "1.0")


def test_not_a_repository(tmp_path: Path) -> None:
    (tmp_path / "plain").mkdir()
    with pytest.raises(SourceError, match="listing the tags"):
        resolve_tag(tmp_path / "plain", "1.0")
    with pytest.raises(SourceError, match="not a directory"):
        resolve_tag(tmp_path / "missing", "1.0")


def test_bare_repository(make_repo: MakeRepo, tmp_path: Path) -> None:
    repo = make_repo("work")
    commit = repo.commit_and_tag("v1.0")
    bare = tmp_path / "bare.git"
    repo.git("clone", "-q", "--bare", str(repo.path), str(bare))
    assert resolve_tag(bare, "1.0").commit == commit


def _git_rev_parse(repo: Path, rev: str) -> str:
    import subprocess

    return subprocess.run(
        ["git", "rev-parse", rev], cwd=repo, capture_output=True, text=True, check=True
    ).stdout.strip()
