"""Commit search: when a published sdist does not match its tag, the nearby commit it matches best.

A release is sometimes built from a commit near the tag rather than the tag itself (the tag was
moved, or made after a last docs fix, or the sdist was built before a last-minute change). For an
auditor, "matches commit abc123 (2 commits before the tag) exactly; differs from the tag in
docs/news.rst" says far more than a list of differing files.

Candidates are the tag commit, its ``before`` nearest first-parent ancestors and up to ``after``
commits that have the tag commit as an ancestor on any ref of the repository (``git rev-list
--ancestry-path ^TAG --all``), the nearest ones (fewest commits from the tag) first. Each
candidate's tree is listed with ``git ls-tree -r --full-tree`` (no checkout; identical trees are
listed once) and scored by how many sdist files are byte-identical (same git blob) to a tracked
file, the paths mapped as the audit maps them: the project's directory in a monorepo plus the
path, the path itself, or a tracked path ending with ``/`` plus the path (source roots). Files the
caller leaves out (generated files: PKG-INFO, ``*.egg-info/*``, setup.cfg ...) do not count.
Candidates are scored nearest to the tag first, alternating sides, until the deadline.
"""

from __future__ import annotations

import re
import time
from collections import defaultdict
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from verifier.errors import SourceError
from verifier.source.gitcmd import decode_path, run_git, source_repo_env

__all__ = ["CommitMatch", "CommitSearch", "looks_generated", "nearest_commit", "search_commits"]

GITLINK_MODE = b"160000"
_VERSION_FILE = re.compile(r"(^|/)_(scm_)?version\.py$")
_MARK = ">"  # starts the lines our --format writes, telling them from rev-list's "commit <sha>" lines
_FORMAT = f"--format={_MARK}%H %T %P"
# The smallest time a git command is given, even when the deadline is nearer: a command killed
# after a few milliseconds helps nobody.
_MIN_COMMAND_TIMEOUT = 2.0


@dataclass(frozen=True)
class CommitMatch:
    """The candidate commit that matches the sdist best (and better than the tag).

    ``distance``: commits from the tag, negative before it (first-parent ancestors), positive after
    it (the fewest commits from the tag to it). ``matched`` of ``total`` sdist files are copies of
    files tracked there (``tag_matched`` at the tag). ``files_differing_from_tag``: the sdist files
    that are not copies of the tag's files; ``files_matching_only_there``: those of them that are
    copies of this commit's files; ``files_differing_there``: the sdist files this commit does not
    explain either (an injected file stays here). ``exact``: every file matches this commit.
    """

    commit: str
    distance: int
    summary: str
    matched: int
    total: int
    files_differing_from_tag: list[str]
    files_matching_only_there: list[str]
    exact: bool
    tag_matched: int = 0
    files_differing_there: list[str] = field(default_factory=list)
    searched: int = 0  # candidates scored, the tag included
    complete: bool = True  # False when the deadline stopped the search early

    def as_dict(self) -> dict[str, Any]:
        return {
            "commit": self.commit,
            "distance": self.distance,
            "summary": self.summary,
            "matched": self.matched,
            "total": self.total,
            "tag_matched": self.tag_matched,
            "exact": self.exact,
            "files_differing_from_tag": list(self.files_differing_from_tag),
            "files_matching_only_there": list(self.files_matching_only_there),
            "files_differing_there": list(self.files_differing_there),
            "searched": self.searched,
            "complete": self.complete,
        }


@dataclass(frozen=True)
class CommitSearch:
    """What a search did: the best match (None when no candidate beats the tag) and its extent."""

    best: CommitMatch | None
    total: int  # sdist files scored
    tag_matched: int
    searched: int  # candidates scored, the tag included
    candidates: int  # candidates found within the bounds, the tag included
    complete: bool  # every candidate scored before the deadline
    problem: str | None = None  # why a side could not be listed, when it could not


@dataclass(frozen=True)
class _Candidate:
    commit: str
    tree: str
    distance: int


def looks_generated(path: str) -> bool:
    """The path rule for files a build backend writes, when the caller has no audit judgement:
    PKG-INFO, ``*.egg-info/*``, the top-level setup.cfg (setuptools appends its [egg_info] tags,
    so it is never the tracked file's copy) and ``_version.py`` / ``_scm_version.py`` (written by
    setuptools-scm, hatch-vcs, versioneer). ``version.py``, ``__about__.py`` ... are usually
    maintained by hand and tracked: they count."""
    return path in ("PKG-INFO", "setup.cfg") or ".egg-info/" in path or _VERSION_FILE.search(path) is not None


def nearest_commit(
    repo: Path,
    tag_commit: str,
    sdist_files: Mapping[str, str],
    subdir: str,
    *,
    before: int = 50,
    after: int = 50,
    deadline_s: float = 60,
    ignore: Callable[[str], bool] | None = looks_generated,
) -> CommitMatch | None:
    """The commit near ``tag_commit`` whose tracked files match ``sdist_files`` best, when it
    matches strictly more of them than the tag commit; else None.

    ``sdist_files``: path below the sdist's top-level directory → git blob sha1, regular files
    only. ``subdir``: the project's directory in the repository ("" at the root). ``ignore``: paths
    that do not count (by default :func:`looks_generated`; None counts every file). Ties go to the
    candidate nearest the tag, then to the one before it.
    """
    return search_commits(
        repo, tag_commit, sdist_files, subdir, before=before, after=after, deadline_s=deadline_s, ignore=ignore
    ).best


def search_commits(
    repo: Path,
    tag_commit: str,
    sdist_files: Mapping[str, str],
    subdir: str,
    *,
    before: int = 50,
    after: int = 50,
    deadline_s: float = 60,
    ignore: Callable[[str], bool] | None = looks_generated,
) -> CommitSearch:
    """:func:`nearest_commit`, with how far the search went. Raises SourceError when the tag
    commit itself cannot be read."""
    repo = Path(repo)
    end = time.monotonic() + max(deadline_s, 0.0)
    env = source_repo_env(repo)
    files = {path: blob for path, blob in sdist_files.items() if ignore is None or not ignore(path)}
    prefix = f"{subdir.strip('/')}/" if subdir.strip("/") else ""

    def timeout() -> float:
        return max(end - time.monotonic(), _MIN_COMMAND_TIMEOUT)

    if not tag_commit or tag_commit.startswith("-"):
        raise SourceError(f"commit search: not a commit: {tag_commit!r}")
    listed = _rev_list(repo, env, ["--first-parent", f"--max-count={max(before, 0) + 1}", tag_commit], timeout())
    if not listed:
        raise SourceError(f"commit search: cannot read commit {tag_commit} in {repo}")
    tag = _Candidate(listed[0][0], listed[0][1], 0)
    earlier = [_Candidate(commit, tree, -index) for index, (commit, tree, _) in enumerate(listed[1:], start=1)]

    later, complete, problem = _later(repo, env, tag, after, end, timeout)
    wanted_blobs = frozenset(files.values())

    trees: dict[str, frozenset[str]] = {}

    def score(candidate: _Candidate) -> frozenset[str]:
        if candidate.tree not in trees:
            listing = _list_tree(repo, env, candidate.tree, wanted_blobs, timeout())
            trees[candidate.tree] = _matching(listing, files, prefix)
        return trees[candidate.tree]

    at_tag = score(tag)
    order = _alternate(earlier, later)
    scored: list[tuple[_Candidate, frozenset[str]]] = []
    for candidate in order:
        if time.monotonic() >= end:
            complete = False
            break
        try:
            scored.append((candidate, score(candidate)))
        except SourceError as exc:  # a listing cut short by the deadline, or an unreadable tree
            complete = False
            problem = problem or f"commit search stopped: {exc}"
            break

    total = len(files)
    best = _closest(scored)
    search = CommitSearch(None, total, len(at_tag), 1 + len(scored), 1 + len(order), complete, problem)
    if best is None or len(best[1]) <= len(at_tag):
        return search
    candidate, matched = best
    differing_from_tag = sorted(set(files) - at_tag)
    match = CommitMatch(
        commit=candidate.commit,
        distance=candidate.distance,
        summary=_subject(repo, env, candidate.commit, timeout()),
        matched=len(matched),
        total=total,
        files_differing_from_tag=differing_from_tag,
        files_matching_only_there=sorted(matched - at_tag),
        exact=len(matched) == total,
        tag_matched=len(at_tag),
        files_differing_there=sorted(set(files) - matched),
        searched=search.searched,
        complete=complete,
    )
    return CommitSearch(match, total, len(at_tag), search.searched, search.candidates, complete, problem)


def _later(
    repo: Path, env: dict[str, str], tag: _Candidate, after: int, end: float, timeout: Callable[[], float]
) -> tuple[list[_Candidate], bool, str | None]:
    """The first-parent descendants of the tag to search (up to ``after``), whether they all are,
    and why not."""
    if after <= 0:
        return [], True, None
    if time.monotonic() >= end:
        return [], False, None
    try:
        return _descendants(repo, env, tag.commit, after, timeout()), True, None
    except SourceError as exc:  # cut short by the deadline: search before the tag only
        return [], False, f"commits after the tag not searched: {exc}"


def _closest(scored: list[tuple[_Candidate, frozenset[str]]]) -> tuple[_Candidate, frozenset[str]] | None:
    """The candidate matching the most files; ties go to the one nearest the tag, then to the one before it."""
    best: tuple[_Candidate, frozenset[str]] | None = None
    for candidate, matched in scored:
        rank = (len(matched), -abs(candidate.distance), candidate.distance < 0)
        if best is None or rank > (len(best[1]), -abs(best[0].distance), best[0].distance < 0):
            best = (candidate, matched)
    return best


def _matching(tree: tuple[dict[str, str], dict[str, list[str]]], files: Mapping[str, str], prefix: str) -> frozenset[str]:
    """The sdist paths whose blob is the tracked file's at the mapped path (the audit's mapping)."""
    by_path, by_blob = tree
    matched = []
    for key, blob in files.items():
        if by_path.get(prefix + key) == blob or by_path.get(key) == blob or any(path.endswith("/" + key) for path in by_blob.get(blob, ())):
            matched.append(key)
    return frozenset(matched)


def _alternate(earlier: list[_Candidate], later: list[_Candidate]) -> list[_Candidate]:
    """-1, +1, -2, +2 ...: by distance from the tag, before first."""
    return sorted([*earlier, *later], key=lambda c: (abs(c.distance), c.distance > 0))


def _rev_list(repo: Path, env: dict[str, str], args: list[str], timeout: float) -> list[tuple[str, str, list[str]]]:
    """(commit, tree, parents) for each commit ``git rev-list ARGS`` lists, in its order."""
    output = run_git(["rev-list", _FORMAT, *args, "--"], cwd=repo, env=env, timeout=timeout, what="commit search: listing commits")
    listed = []
    for line in output.decode("ascii", "replace").splitlines():
        if line.startswith(_MARK):
            commit, tree, *parents = line[len(_MARK):].split()
            listed.append((commit, tree, parents))
    return listed


def _descendants(repo: Path, env: dict[str, str], tag: str, limit: int, timeout: float) -> list[_Candidate]:
    """Up to ``limit`` commits of any ref that have ``tag`` as an ancestor, nearest first."""
    listed = _rev_list(repo, env, ["--ancestry-path", "--topo-order", f"^{tag}", "--all"], timeout)
    distance: dict[str, int] = {tag: 0}
    found: list[_Candidate] = []
    for commit, tree, parents in reversed(listed):  # parents before children
        steps = [distance[parent] for parent in parents if parent in distance]
        if not steps:
            continue
        distance[commit] = min(steps) + 1
        found.append(_Candidate(commit, tree, distance[commit]))
    found.sort(key=lambda candidate: candidate.distance)  # stable: older first among equals
    return found[:limit]


def _list_tree(
    repo: Path, env: dict[str, str], tree: str, wanted: frozenset[str], timeout: float
) -> tuple[dict[str, str], dict[str, list[str]]]:
    """``git ls-tree -r -z --full-tree TREE``: path → blob, and the paths of each ``wanted`` blob
    (gitlinks left out)."""
    output = run_git(
        ["ls-tree", "-r", "-z", "--full-tree", tree, "--"],
        cwd=repo, env=env, timeout=timeout, what=f"commit search: listing tree {tree[:12]}",
    )
    by_path: dict[str, str] = {}
    by_blob: dict[str, list[str]] = defaultdict(list)
    for record in output.split(b"\0"):
        if not record:
            continue
        header, _, raw_path = record.partition(b"\t")
        mode, _type, object_id = header.split()
        if mode == GITLINK_MODE:
            continue
        path, blob = decode_path(raw_path), object_id.decode("ascii")
        by_path[path] = blob
        if blob in wanted:
            by_blob[blob].append(path)
    return by_path, by_blob


def _subject(repo: Path, env: dict[str, str], commit: str, timeout: float) -> str:
    try:
        output = run_git(
            ["rev-list", "--max-count=1", f"--format={_MARK}%s", commit, "--"],
            cwd=repo, env=env, timeout=timeout, what=f"commit search: reading the subject of {commit}",
        )
    except SourceError:
        return ""
    for line in output.decode("utf-8", "replace").splitlines():
        if line.startswith(_MARK):
            return line[len(_MARK):]
    return ""
