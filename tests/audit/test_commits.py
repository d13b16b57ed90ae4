"""Commit search on real git repositories: the commit near the tag an sdist was really built from."""

from __future__ import annotations

import hashlib
import io
import json
import subprocess
import tarfile
import time
from pathlib import Path

import pytest

from tests.support.projects import GIT_ENV, PROJECTS, git
from verifier.audit.commits import CommitMatch, looks_generated, nearest_commit, search_commits

PROJECT = PROJECTS["flit"]  # static version 2.0.0, tag "2.0.0"
TOP = "flit_demo-2.0.0"
PKG_INFO = b"Metadata-Version: 2.1\nName: flit-demo\nVersion: 2.0.0\nSummary: flit demo\n"


def commit(repo: Path, message: str, files: dict[str, str]) -> str:
    for relative, text in files.items():
        path = repo / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", message)
    return git(repo, "rev-parse", "HEAD")


@pytest.fixture
def history(tmp_path: Path) -> dict[str, str]:
    """main: initial (-3), docs (-2), README (-1), tag 2.0.0 (docs), code (+1), docs (+2);
    a branch `maint` from the tag with one commit (+1 too, on another ref)."""
    repo = tmp_path / "repo"
    repo.mkdir()
    git(repo, "init", "-q", "-b", "main")
    commits = {"repo": str(repo)}
    commits["-3"] = commit(repo, "Initial", {**PROJECT.files, "docs/news.rst": "news 1\n"})
    commits["-2"] = commit(repo, "Docs: news for 2.0.0", {"docs/news.rst": "news 2\n"})
    commits["-1"] = commit(repo, "Fix a typo in the README", {"README.md": "# flit-demo, fixed\n"})
    commits["0"] = commit(repo, "Docs: final news", {"docs/news.rst": "news 3\n"})
    git(repo, "tag", "-a", PROJECT.tag, "-m", "release 2.0.0")
    commits["+1"] = commit(repo, "Code change after the release", {"flit_demo/__init__.py": "def answer():\n    return 43\n"})
    commits["+2"] = commit(repo, "Docs after the release", {"docs/news.rst": "news 4\n"})
    git(repo, "checkout", "-q", "-b", "maint", PROJECT.tag)
    commits["maint"] = commit(repo, "Maintenance fix", {"docs/news.rst": "news maint\n"})
    git(repo, "checkout", "-q", "main")
    return commits


def make_sdist(repo: Path, commit: str, destination: Path, extra: dict[str, bytes] | None = None) -> Path:
    """An sdist as a backend would make it from `commit`: `git archive` of the tree plus PKG-INFO."""
    archived = subprocess.run(
        ["git", "-C", str(repo), "archive", "--format=tar", f"--prefix={TOP}/", commit],
        check=True, capture_output=True, env={**GIT_ENV, "PATH": "/usr/bin:/bin"},
    ).stdout
    with tarfile.open(fileobj=io.BytesIO(archived)) as source, tarfile.open(destination, "w:gz", format=tarfile.PAX_FORMAT) as out:
        for info in source.getmembers():
            out.addfile(info, source.extractfile(info) if info.isfile() else None)
        for relative, data in {"PKG-INFO": PKG_INFO, **(extra or {})}.items():
            info = tarfile.TarInfo(f"{TOP}/{relative}")
            info.size, info.mode, info.mtime = len(data), 0o644, 1_700_000_000
            out.addfile(info, io.BytesIO(data))
    return destination


def blobs_of(sdist: Path) -> dict[str, str]:
    """Path below the top-level directory → git blob sha1, for the regular files of an sdist."""
    files = {}
    with tarfile.open(sdist) as archive:
        for info in archive.getmembers():
            if info.isfile():
                data = archive.extractfile(info).read()
                files[info.name.split("/", 1)[1]] = hashlib.sha1(b"blob %d\0" % len(data) + data).hexdigest()
    return files


def test_sdist_from_two_commits_before_the_tag(history: dict[str, str], tmp_path: Path) -> None:
    repo = Path(history["repo"])
    sdist = make_sdist(repo, history["-2"], tmp_path / "early.tar.gz")
    match = nearest_commit(repo, history["0"], blobs_of(sdist), "")
    assert isinstance(match, CommitMatch)
    assert (match.commit, match.distance, match.exact) == (history["-2"], -2, True)
    assert match.summary == "Docs: news for 2.0.0"
    assert match.files_differing_from_tag == ["README.md", "docs/news.rst"]
    assert match.files_matching_only_there == ["README.md", "docs/news.rst"]
    assert match.files_differing_there == []
    assert match.matched == match.total == len(blobs_of(sdist)) - 1  # PKG-INFO does not count
    assert match.tag_matched == match.total - 2
    assert match.complete


def test_sdist_from_a_commit_after_the_tag(history: dict[str, str], tmp_path: Path) -> None:
    repo = Path(history["repo"])
    match = nearest_commit(repo, history["0"], blobs_of(make_sdist(repo, history["+2"], tmp_path / "late.tar.gz")), "")
    assert match is not None
    assert (match.commit, match.distance, match.exact) == (history["+2"], 2, True)
    assert match.files_differing_from_tag == ["docs/news.rst", "flit_demo/__init__.py"]


def test_commits_after_the_tag_on_another_branch_are_candidates(history: dict[str, str], tmp_path: Path) -> None:
    repo = Path(history["repo"])
    match = nearest_commit(repo, history["0"], blobs_of(make_sdist(repo, history["maint"], tmp_path / "maint.tar.gz")), "")
    assert match is not None and (match.commit, match.distance, match.exact) == (history["maint"], 1, True)
    assert match.files_differing_from_tag == ["docs/news.rst"]


def test_sdist_that_matches_the_tag_gives_none(history: dict[str, str], tmp_path: Path) -> None:
    repo = Path(history["repo"])
    found = search_commits(repo, history["0"], blobs_of(make_sdist(repo, history["0"], tmp_path / "tag.tar.gz")), "")
    assert found.best is None
    assert found.tag_matched == found.total and found.complete
    assert found.searched == found.candidates == 1 + 3 + 3  # the tag, 3 before, 3 after (main and maint)


def test_injected_file_keeps_the_best_commit_but_not_exact(history: dict[str, str], tmp_path: Path) -> None:
    repo = Path(history["repo"])
    sdist = make_sdist(repo, history["-2"], tmp_path / "evil.tar.gz", {"flit_demo/_backdoor.py": b"import os\nos.system('id')\n"})
    match = nearest_commit(repo, history["0"], blobs_of(sdist), "")
    assert match is not None and (match.commit, match.distance, match.exact) == (history["-2"], -2, False)
    assert match.matched == match.total - 1
    assert match.files_differing_from_tag == ["README.md", "docs/news.rst", "flit_demo/_backdoor.py"]
    assert match.files_matching_only_there == ["README.md", "docs/news.rst"]
    assert match.files_differing_there == ["flit_demo/_backdoor.py"]


def test_ties_go_to_the_nearest_then_before(tmp_path: Path) -> None:
    repo = tmp_path / "repo"
    repo.mkdir()
    git(repo, "init", "-q", "-b", "main")
    commit(repo, "x=1", {"x.txt": "1\n", "y.txt": "y\n"})
    before = commit(repo, "x=2", {"x.txt": "2\n"})
    tag = commit(repo, "x=3", {"x.txt": "3\n"})
    commit(repo, "x=2 again", {"x.txt": "2\n"})  # the same tree as `before`, one commit after the tag
    commit(repo, "x=2 and z", {"z.txt": "z\n"})
    files = {"x.txt": git_blob(b"2\n"), "y.txt": git_blob(b"y\n")}
    match = nearest_commit(repo, tag, files, "")
    assert match is not None and (match.commit, match.distance, match.exact) == (before, -1, True)


def test_monorepo_subdir_and_source_roots(tmp_path: Path) -> None:
    repo = tmp_path / "repo"
    repo.mkdir()
    git(repo, "init", "-q", "-b", "main")
    files = {"pkg/pyproject.toml": "[project]\n", "pkg/src/mod/__init__.py": "A = 1\n", "other/x.txt": "x\n", "README": "r\n"}
    first = commit(repo, "first", files)
    tag = commit(repo, "second", {"pkg/src/mod/__init__.py": "A = 2\n", "README": "r2\n"})
    sdist = {
        "pyproject.toml": git_blob(b"[project]\n"),  # pkg/pyproject.toml
        "mod/__init__.py": git_blob(b"A = 1\n"),  # pkg/src/mod/__init__.py (a source root)
        "README": git_blob(b"r\n"),  # the repository's README (the path itself)
        "PKG-INFO": git_blob(b"Name: x\n"),
        "x.egg-info/SOURCES.txt": git_blob(b"x\n"),
    }
    match = nearest_commit(repo, tag, sdist, "pkg")
    assert match is not None and (match.commit, match.distance, match.exact) == (first, -1, True)
    assert (match.matched, match.tag_matched, match.total) == (3, 1, 3)
    assert match.files_differing_from_tag == ["README", "mod/__init__.py"]
    counted = nearest_commit(repo, tag, sdist, "pkg", ignore=None)  # PKG-INFO and egg-info count now
    assert counted is not None and not counted.exact and counted.files_differing_there == ["PKG-INFO", "x.egg-info/SOURCES.txt"]
    assert looks_generated("PKG-INFO") and looks_generated("setup.cfg") and looks_generated("src/a.egg-info/PKG-INFO")
    assert not looks_generated("src/a/setup.cfg.py") and not looks_generated("docs/PKG-INFO.md")
    assert looks_generated("src/a/_version.py") and not looks_generated("src/a/version.py") and not looks_generated("a/b/setup.cfg")


def git_blob(data: bytes) -> str:
    return hashlib.sha1(b"blob %d\0" % len(data) + data).hexdigest()


@pytest.fixture(scope="module")
def long_history(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, list[str]]:
    """300 commits on main (made with fast-import), each changing counter.txt; tag `t` at #250."""
    repo = tmp_path_factory.mktemp("long") / "repo"
    subprocess.run(["git", "init", "-q", "-b", "main", str(repo)], check=True, env={**GIT_ENV, "PATH": "/usr/bin:/bin"})
    stream = io.BytesIO()
    for number in range(300):
        message = f"commit {number}\n".encode()
        stream.write(b"commit refs/heads/main\nmark :%d\ncommitter M <m@example.org> %d +0000\n" % (number + 1, 1_700_000_000 + number))
        stream.write(b"data %d\n%s" % (len(message), message))
        if number:
            stream.write(b"from :%d\n" % number)
        else:
            for index in range(50):
                text = f"stable {index}\n".encode()
                stream.write(b"M 100644 inline pkg/stable%d.py\ndata %d\n%s\n" % (index, len(text), text))
        counter = f"{number}\n".encode()
        stream.write(b"M 100644 inline pkg/counter.txt\ndata %d\n%s\n" % (len(counter), counter))
    stream.write(b"reset refs/tags/t\nfrom :251\n\n")
    subprocess.run(["git", "-C", str(repo), "fast-import", "--quiet"], input=stream.getvalue(), check=True, env={**GIT_ENV, "PATH": "/usr/bin:/bin"})
    commits = git(repo, "rev-list", "--reverse", "main").split()
    assert len(commits) == 300 and git(repo, "rev-parse", "t") == commits[250]
    return repo, commits


def counter_sdist(number: int) -> dict[str, str]:
    files = {f"stable{index}.py": git_blob(f"stable {index}\n".encode()) for index in range(50)}
    return {**files, "counter.txt": git_blob(f"{number}\n".encode())}


def test_bounds_are_respected_on_a_long_history(long_history: tuple[Path, list[str]]) -> None:
    repo, commits = long_history
    tag = commits[250]
    started = time.monotonic()
    found = search_commits(repo, tag, counter_sdist(210), "pkg", before=50, after=50)
    assert time.monotonic() - started < 15
    assert found.best is not None and (found.best.commit, found.best.distance, found.best.exact) == (commits[210], -40, True)
    assert found.candidates == 1 + 50 + 49 and found.complete
    assert found.best.files_differing_from_tag == ["counter.txt"]
    assert nearest_commit(repo, tag, counter_sdist(210), "pkg", before=30) is None  # 40 before: out of bounds
    assert nearest_commit(repo, tag, counter_sdist(100), "pkg") is None  # 150 before
    late = nearest_commit(repo, tag, counter_sdist(270), "pkg", after=50)
    assert late is not None and late.distance == 20
    assert nearest_commit(repo, tag, counter_sdist(270), "pkg", after=10) is None
    small = search_commits(repo, tag, counter_sdist(250), "pkg", before=5, after=5)
    assert small.best is None and small.candidates == 11


def test_deadline_stops_the_search(long_history: tuple[Path, list[str]]) -> None:
    repo, commits = long_history
    started = time.monotonic()
    found = search_commits(repo, commits[250], counter_sdist(248), "pkg", deadline_s=0)
    assert time.monotonic() - started < 10
    assert found.best is None and not found.complete and found.searched == 1  # the tag alone


# The audit command end to end, on a local artifact (no index needed).


def run_audit(cli, repo: Path, sdist: Path, *args: str) -> tuple[int, dict]:
    result = cli("audit", "--tag", PROJECT.version, "--repo", repo, "--artifact", sdist, "--json", "-", "-q", *args)
    assert result.stderr == "" or result.code in (0, 1), result.stderr
    return result.code, json.loads(result.stdout)


def test_cli_reports_the_commit_match(cli, history: dict[str, str], tmp_path: Path) -> None:
    repo = Path(history["repo"])
    sdist = make_sdist(repo, history["-2"], tmp_path / "early.tar.gz")
    code, report = run_audit(cli, repo, sdist, "--search-commits", "10")
    assert code == 1 and report["verdict"] == "not-from-source"  # the verdict stays the tag's
    match = report["commit_match"]
    assert (match["commit"], match["distance"], match["exact"]) == (history["-2"], -2, True)
    assert match["files_differing_from_tag"] == ["README.md", "docs/news.rst"]
    assert match["tag_matched"] == report["counts"]["from-source"]  # the audit's mapping, the tag scored alike
    assert "commit_search" in report["timings"]
    assert "--search-commits 10" in report["reproduce"]

    code, report = run_audit(cli, repo, sdist)  # off by default
    assert code == 1 and report["commit_match"] is None and "commit_search" not in report["timings"]

    statement_path = tmp_path / "audit.intoto.json"
    result = cli("audit", "--tag", PROJECT.version, "--repo", repo, "--artifact", sdist, "--search-commits", "10", "-q", "--attestation", statement_path)
    assert result.code == 1
    assert f"commit:    matches commit {history['-2'][:12]} (2 commits before the tag) exactly; differs from the tag in README.md, docs/news.rst" in result.stdout
    predicate = json.loads(statement_path.read_text())["predicate"]
    assert predicate["commitMatch"]["commit"] == history["-2"] and predicate["commitMatch"]["distance"] == -2


def test_cli_injected_file_is_flagged_and_gets_the_best_commit(cli, history: dict[str, str], tmp_path: Path) -> None:
    repo = Path(history["repo"])
    sdist = make_sdist(repo, history["-2"], tmp_path / "evil.tar.gz", {"flit_demo/_backdoor.py": b"import os\nos.system('id')\n"})
    code, report = run_audit(cli, repo, sdist, "--search-commits", "10")
    assert code == 1
    flagged = {f["path"] for f in report["files"] if f["status"] == "not-from-source"}
    assert flagged == {f"{TOP}/README.md", f"{TOP}/docs/news.rst", f"{TOP}/flit_demo/_backdoor.py"}
    match = report["commit_match"]
    assert (match["commit"], match["exact"], match["files_differing_there"]) == (history["-2"], False, ["flit_demo/_backdoor.py"])


def test_cli_from_source_release_runs_no_search(cli, history: dict[str, str], tmp_path: Path) -> None:
    repo = Path(history["repo"])
    sdist = make_sdist(repo, history["0"], tmp_path / "tag.tar.gz")
    code, report = run_audit(cli, repo, sdist, "--search-commits", "10")
    assert code == 0 and report["verdict"] == "from-source"
    assert report["commit_match"] is None and "commit_search" not in report["timings"]


def test_cli_no_better_commit_is_a_note(cli, history: dict[str, str], tmp_path: Path) -> None:
    repo = Path(history["repo"])
    sdist = make_sdist(repo, history["0"], tmp_path / "tag-evil.tar.gz", {"flit_demo/_backdoor.py": b"evil = 1\n"})
    code, report = run_audit(cli, repo, sdist, "--search-commits", "5")
    assert code == 1 and report["commit_match"] is None
    assert any(note.startswith("commit search: no commit matches more") for note in report["notes"])
