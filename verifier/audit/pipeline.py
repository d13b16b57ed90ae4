"""`verifier audit`: the published sdist against the tree at the tag, without building anything.

Every file in the sdist must be a byte-identical copy of a file tracked at the tag (paths mapped
the way builds map them: the sdist's top-level directory, the project's directory in a monorepo,
source roots), or a known generated file that passes its consistency check; anything else is
flagged "not from source". Files tracked at the tag that the sdist leaves out are listed, not failed.

With ``search_commits=N``, a release that is not from source is also compared with the N commits
on each side of the tag (:mod:`verifier.audit.commits`): the report's ``commit_match`` names the
commit whose tracked files match the sdist best, when one matches more files than the tag.
"""

from __future__ import annotations

import shutil
import tempfile
import time
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from verifier import __version__
from verifier.archive.interface import Limits, Member, MemberKind
from verifier.archive.reader import ArchiveReader
from verifier.audit import commits as commit_search
from verifier.audit.generated import Context, judge
from verifier.audit.wheels import audit_release_wheels
from verifier.errors import BadInput, CouldNotVerify, SourceError, VerifierError
from verifier.fsutil import file_sha256
from verifier.report.model.audit import (
    AuditedWheel,
    AuditReport,
    AuditSource,
    CommitMatch,
    Empty,
    FileFinding,
    FileStatus,
    IndexSdist,
    LocalSdist,
    count_statuses,
)
from verifier.report.model.verdict import Verdict
from verifier.source.git import clean_checkout, tracked_files
from verifier.source.interface import TrackedFile
from verifier.source.metadata import detect_project
from verifier.source.tags import resolve_tag
from verifier.upstream.cache import ArtifactCache
from verifier.upstream.index import IndexClient

Progress = Callable[[str], None]
FROM_SOURCE = FileStatus.FROM_SOURCE
RELOCATED = FileStatus.RELOCATED
GENERATED = FileStatus.GENERATED
GENERATED_UNCHECKED = FileStatus.GENERATED_UNCHECKED
INCONSISTENT = FileStatus.INCONSISTENT
NOT_FROM_SOURCE = FileStatus.NOT_FROM_SOURCE
FAILING = (NOT_FROM_SOURCE, INCONSISTENT)
MAX_JUDGED_BYTES = 4 * 2**20
# Files a backend wrote that passed their check (or cannot be checked): no commit tracks them, so
# the commit search does not count them. A generated file that fails its check does count.
_NOT_SEARCHED = (GENERATED, GENERATED_UNCHECKED)
COMMIT_SEARCH_DEADLINE_S = 60.0


@dataclass
class _Audit:
    """What the audit found so far; `report()` freezes it into the report."""

    command: str
    verdict: Verdict = Verdict.COULD_NOT_VERIFY
    package: str | None = None
    version: str | None = None
    source: AuditSource | Empty = field(default_factory=Empty)
    published: IndexSdist | LocalSdist | Empty = field(default_factory=Empty)
    files: list[FileFinding] = field(default_factory=list)
    omitted: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    timings: dict[str, float] = field(default_factory=dict)
    error: str | None = None
    commit_match: CommitMatch | None = None
    wheels: tuple[AuditedWheel, ...] = ()

    def report(self) -> AuditReport:
        return AuditReport(
            verdict=self.verdict,
            package=self.package,
            version=self.version,
            source=self.source,
            published=self.published,
            counts=count_statuses(self.files),
            files=tuple(self.files),
            omitted=tuple(self.omitted),
            notes=tuple(self.notes),
            timings=dict(self.timings),
            reproduce=self.command,
            error=self.error,
            commit_match=self.commit_match,
            tool_version=__version__,
            wheels=self.wheels,
        )


def _key(name: str) -> str:
    parts = [part for part in name.split("/") if part not in ("", ".")]
    return "/".join(parts[1:])


def _fetch(index_url: str, artifact: Path | None, package: str, version: str, cache_dir: Path, report: _Audit) -> Path:
    if artifact is not None:
        if not artifact.is_file():
            raise BadInput(f"no such file: {artifact}")
        report.published = LocalSdist(path=str(artifact), sha256=file_sha256(artifact))
        return artifact
    with IndexClient(index_url) as index:
        published = index.find_sdist(package, version)
        fetched = index.download(published, ArtifactCache(cache_dir / "artifacts"))
    assert published.sha256 is not None  # download() refuses a file the index gives no sha256 for
    report.published = IndexSdist(
        url=published.url,
        filename=published.filename,
        sha256=published.sha256,
        upload_time=published.upload_time.isoformat() if published.upload_time else None,
        path=str(fetched.path),
    )
    return fetched.path


def audit(
    *,
    tag: str,
    repo: Path,
    package: str | None,
    subdir: str | None,
    index_url: str,
    artifact: Path | None,
    cache_dir: Path,
    command: str,
    progress: Progress | None = None,
    search_commits: int = 0,
    wheels: bool = True,
) -> AuditReport:
    """Audit the published sdist of the release ``tag`` against the tree at the tag.

    ``search_commits``: when the verdict is not-from-source, also look for the commit within that
    many commits before and after the tag whose tracked files match the sdist best (0: no search).
    ``wheels``: also check every pure wheel of the release on the index against the sdist (not with
    a local ``artifact``).
    """
    say = progress or (lambda message: None)
    report = _Audit(command=command)
    started = time.perf_counter()
    scratch = Path(tempfile.mkdtemp(prefix="verifier-audit-"))
    try:
        say(f"resolving tag {tag!r} in {repo}")
        if not (repo / ".git").exists() and not (repo / "HEAD").is_file():
            raise SourceError(f"{repo} is not a git repository")
        resolved = resolve_tag(repo, tag, package)
        checkout = clean_checkout(repo, resolved, scratch / "src", shallow=True)
        project = detect_project(checkout.path, package, subdir)
        name = package or project.name
        version = resolved.version or project.version
        if not name or not version:
            raise SourceError("cannot tell the package name or version from the tag; give --package")
        report.package, report.version = name, version
        report.source = AuditSource(repo=str(repo), tag=resolved.name, commit=resolved.commit, subdir=project.subdir)
        tree = {entry.path: entry for entry in tracked_files(checkout)}
        report.timings["source"] = round(time.perf_counter() - started, 3)

        fetched_at = time.perf_counter()
        say(f"fetching the published sdist of {name} {version}")
        sdist = _fetch(index_url, artifact, name, version, cache_dir, report)
        report.timings["fetch"] = round(time.perf_counter() - fetched_at, 3)

        checked_at = time.perf_counter()
        say("comparing every file of the sdist with the tree at the tag")
        blobs = _classify(report, sdist, checkout.path, project.subdir, tree, name, version)
        report.timings["check"] = round(time.perf_counter() - checked_at, 3)
        failing = any(f.status.flagged for f in report.files)
        if artifact is None and wheels:
            report.wheels = audit_release_wheels(index_url, name, version, sdist, cache_dir, say)
            report.timings["wheels"] = round(time.perf_counter() - checked_at - report.timings["check"], 3)
        bad_wheel = any(w.verdict is Verdict.NOT_FROM_SOURCE for w in report.wheels)
        report.verdict = Verdict.NOT_FROM_SOURCE if failing or bad_wheel else Verdict.FROM_SOURCE
        if search_commits > 0 and failing:
            searched_at = time.perf_counter()
            say(f"searching {search_commits} commits on each side of the tag for the one the sdist matches best")
            _search_commits(report, repo, resolved.commit, project.subdir, tree, blobs, search_commits)
            report.timings["commit_search"] = round(time.perf_counter() - searched_at, 3)
    except CouldNotVerify as exc:
        report.verdict, report.error = Verdict.COULD_NOT_VERIFY, str(exc)
    except VerifierError as exc:
        report.verdict, report.error = Verdict.ERROR, str(exc)
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
        report.timings["total"] = round(time.perf_counter() - started, 3)
    return report.report()


def _search_commits(report: _Audit, repo: Path, tag_commit: str, subdir: str, tree: dict[str, TrackedFile], blobs: dict[str, str], bound: int) -> None:
    """Fill ``report.commit_match`` (and a note) from a commit search; never changes the verdict."""
    submodules = [path for path, entry in tree.items() if entry.mode == 0o160000]
    skipped: set[str] = set()
    for finding in report.files:
        inside = finding.source_path is not None and any(finding.source_path.startswith(f"{sub}/") for sub in submodules)
        if finding.status in _NOT_SEARCHED or inside:
            skipped.add(_key(finding.path))
    files = {key: blob for key, blob in blobs.items() if key not in skipped}
    try:
        found = commit_search.search_commits(
            repo, tag_commit, files, subdir, before=bound, after=bound, deadline_s=COMMIT_SEARCH_DEADLINE_S, ignore=None
        )
    except VerifierError as exc:
        report.notes.append(f"commit search failed: {exc}")
        return
    extent = f"{found.searched} of {found.candidates} commit(s) within {bound} of the tag searched"
    if not found.complete:
        extent += f", stopped after {COMMIT_SEARCH_DEADLINE_S:g}s" if found.problem is None else f" ({found.problem})"
    if found.best is None:
        report.notes.append(f"commit search: no commit matches more of the sdist's {found.total} files than the tag ({found.tag_matched}); {extent}")
        return
    report.commit_match = CommitMatch(**found.best.as_dict())
    report.notes.append(f"commit search: {extent}; generated files that pass their check and files of submodules not counted")


def _classify(report: _Audit, sdist: Path, tree_root: Path, subdir: str, tree: dict[str, TrackedFile], package: str, version: str) -> dict[str, str]:
    """Classify every member into ``report.files``; returns the sdist's regular files (path below
    the top-level directory → git blob sha1), for the commit search."""
    prefix = f"{subdir}/" if subdir else ""
    by_blob: dict[str, list[str]] = defaultdict(list)
    for path, listed in tree.items():
        by_blob[listed.blob_sha1].append(path)

    reader = ArchiveReader(sdist, Limits(), want_blob_sha1=True)
    members: list[Member] = [m for m in reader.members() if m.kind is not MemberKind.PAX_GLOBAL]
    keys = frozenset(_key(m.name) for m in members)

    def tracked_text(relative: str) -> bytes | None:
        for candidate in (prefix + relative, relative):
            entry = tree.get(candidate)
            if entry is not None and entry.mode != 0o160000 and entry.size <= MAX_JUDGED_BYTES:
                path = tree_root / candidate
                if path.is_file() and not path.is_symlink():
                    return path.read_bytes()
        return None

    context = Context(package=package, version=version, tracked_text=tracked_text, sdist_paths=keys)
    undecided: dict[int, Member] = {}
    covered: set[str] = set()
    blobs: dict[str, str] = {}
    for member in members:
        key = _key(member.name)
        if member.kind is MemberKind.DIR:
            continue
        if member.kind is MemberKind.FILE and member.git_blob_sha1 and key:
            blobs[key] = member.git_blob_sha1.hex()
        mapped = prefix + key
        if member.kind in (MemberKind.SYMLINK, MemberKind.HARDLINK):
            entry = tree.get(mapped) or tree.get(key)
            target = (tree_root / entry.path).readlink().as_posix() if entry is not None and entry.mode == 0o120000 else None
            if entry is not None and target == member.linkname:
                report.files.append(FileFinding(member.name, FROM_SOURCE, "symlink as tracked", entry.path))
                covered.add(entry.path)
            else:
                report.files.append(FileFinding(member.name, NOT_FROM_SOURCE, f"link to {member.linkname!r}, which the tree does not hold"))
            continue
        blob = member.git_blob_sha1.hex() if member.git_blob_sha1 else ""
        exact = [path for path in (mapped, key) if path in tree and tree[path].blob_sha1 == blob]
        rooted = [path for path in by_blob.get(blob, []) if path.endswith("/" + key)]
        found = exact or rooted
        source = found[0] if found else None
        if source is not None:
            note = "" if exact else f"source root {source[: len(source) - len(key)]}"
            git_executable = tree[source].mode == 0o100755
            if bool(member.mode & 0o111) != git_executable:
                note = (note + "; " if note else "") + f"mode {oct(member.mode)} while git records {oct(tree[source].mode)}"
            report.files.append(FileFinding(member.name, FROM_SOURCE, note, source))
            covered.add(source)
            continue
        undecided[member.index] = member

    if undecided:
        contents = _read_contents(sdist, set(undecided))
        for index, member in undecided.items():
            key = _key(member.name)
            blob = member.git_blob_sha1.hex() if member.git_blob_sha1 else ""
            judgement = judge(key, contents.get(index, b""), context) if index in contents else None
            if judgement is not None:
                status = GENERATED if judgement.consistent else INCONSISTENT if judgement.consistent is False else GENERATED_UNCHECKED
                report.files.append(FileFinding(member.name, status, judgement.note, generator=judgement.generator))
                continue
            elsewhere = by_blob.get(blob)
            if elsewhere:
                report.files.append(FileFinding(member.name, RELOCATED, f"same bytes as {elsewhere[0]} at the tag", elsewhere[0]))
                covered.add(elsewhere[0])
                continue
            tracked = tree.get(prefix + key) or tree.get(key)
            note = f"differs from {tracked.path} at the tag" if tracked is not None else "not tracked at the tag"
            report.files.append(FileFinding(member.name, NOT_FROM_SOURCE, note, tracked.path if tracked else None))
    report.files.sort(key=lambda finding: finding.path)
    report.omitted = sorted(
        path for path, entry in tree.items()
        if path.startswith(prefix) and path not in covered and entry.mode != 0o160000
    )
    return blobs


def _read_contents(sdist: Path, indices: set[int]) -> dict[int, bytes]:
    """The contents of the wanted members (each up to MAX_JUDGED_BYTES), in a second read."""
    buffers: dict[int, _Bounded] = {}

    def capture(index: int) -> _Bounded | None:
        if index in indices:
            buffers[index] = _Bounded(MAX_JUDGED_BYTES)
            return buffers[index]
        return None

    for _ in ArchiveReader(sdist, Limits(), capture=capture).members():  # type: ignore[arg-type]
        pass
    return {index: bytes(buffer.data) for index, buffer in buffers.items()}


class _Bounded:
    def __init__(self, limit: int) -> None:
        self.data = bytearray()
        self.limit = limit

    def write(self, chunk: bytes) -> int:
        room = self.limit - len(self.data)
        if room > 0:
            self.data += bytes(chunk[:room])
        return len(chunk)
