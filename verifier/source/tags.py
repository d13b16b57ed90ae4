"""Finding the git tag of a release: by exact name, else by PEP 440 version.

``resolve_tag(repo, "23.3.3")`` finds a tag ``23.03.3``, ``v23.3.3``, ``NAME-23.3.3`` ... (see
:mod:`verifier.source.tagnames` for the spellings). Several tags naming the same commit are one
answer; tags naming different commits are an "ambiguous" error; no tag is an error listing the
nearest candidates.
"""

from __future__ import annotations

import bisect
import difflib
from dataclasses import dataclass
from pathlib import Path

from packaging.version import Version

from verifier.source.gitcmd import decode_path, run_git, source_repo_env
from verifier.source.interface import ResolvedTag, SourceError
from verifier.source.objects import commit_time
from verifier.source.tagnames import (
    names_package,
    parse_version,
    read_tag_name,
    reading_fits_package,
)

__all__ = ["TagRef", "list_tags", "resolve_tag"]

TAG_REF_PREFIX = "refs/tags/"

# How many candidates an error message lists on each side of the wanted version, and by name.
_NEAREST_VERSIONS_EACH_SIDE = 2
_SIMILAR_NAMES = 3


@dataclass(frozen=True)
class TagRef:
    """A tag in the repository: its name and the commit it finally points at."""

    name: str
    commit: str
    annotated: bool


def list_tags(repo: Path) -> list[TagRef]:
    """Every tag of ``repo`` that names a commit (annotated tags peeled, however deep)."""
    _require_directory(repo)
    env = source_repo_env(repo)
    fields = "%(refname)%00%(objecttype)%00%(objectname)%00%(*objecttype)%00%(*objectname)"
    output = run_git(
        ["for-each-ref", f"--format={fields}", TAG_REF_PREFIX],
        cwd=repo,
        env=env,
        what=f"listing the tags of {repo}",
    )
    tags: list[TagRef] = []
    needs_peeling: list[str] = []
    for line in output.splitlines():
        refname, objtype, objname, peeled_type, peeled_name = (
            decode_path(part) for part in line.split(b"\0")
        )
        name = refname.removeprefix(TAG_REF_PREFIX)
        if objtype == "commit":
            tags.append(TagRef(name, objname, annotated=False))
        elif objtype == "tag" and peeled_type == "commit":
            tags.append(TagRef(name, peeled_name, annotated=True))
        elif objtype == "tag" and peeled_type == "tag":
            needs_peeling.append(name)
        # Tags of trees and blobs name no commit: they cannot be a release.
    for name in needs_peeling:
        commit = _peel_to_commit(repo, name)
        if commit is not None:
            tags.append(TagRef(name, commit, annotated=True))
    return tags


def resolve_tag(repo: Path, wanted: str, package: str | None = None) -> ResolvedTag:
    """The tag of ``repo`` that ``wanted`` names: a tag name, or a version.

    An exact tag name (``refs/tags/`` may be written out) wins. Otherwise ``wanted`` is read as a
    PEP 440 version and compared with the version read from every tag name; with ``package``
    given, tags whose prefix names another package are left out, and tags whose prefix names
    ``package`` are preferred over unprefixed ones. Raises SourceError when no tag matches (listing
    the nearest ones) or when matching tags name different commits ("ambiguous").
    """
    repo = Path(repo)
    tags = list_tags(repo)
    exact_name = wanted.removeprefix(TAG_REF_PREFIX)
    for tag in tags:
        if tag.name == exact_name:
            return _resolved(repo, tag, _tag_version(tag.name, package))

    wanted_version = parse_version(wanted.strip())
    if wanted_version is None:
        raise SourceError(_not_found_message(repo, wanted, package, tags, None))
    matches = _matching_tags(tags, wanted_version, package)
    if not matches:
        raise SourceError(_not_found_message(repo, wanted, package, tags, wanted_version))
    commits = sorted({tag.commit for tag in matches})
    if len(commits) > 1:
        listing = ", ".join(f"{tag.name} -> {tag.commit[:12]}" for tag in matches)
        raise SourceError(
            f"tag for {wanted!r}{_for_package(package)} is ambiguous: {len(commits)} commits match "
            f"({listing}); pass the exact tag name"
        )
    return _resolved(repo, matches[0], _tag_version(matches[0].name, package) or str(wanted_version))


def _matching_tags(tags: list[TagRef], wanted: Version, package: str | None) -> list[TagRef]:
    """Tags whose name reads as ``wanted`` for ``package``, best spelling first.

    When some match names the package in its prefix, only those are kept: ``foo-1.0`` is a
    stronger claim to be foo 1.0 than ``1.0`` in a repository holding several packages.
    """
    named: list[TagRef] = []
    unnamed: list[TagRef] = []
    for tag in tags:
        readings = [r for r in read_tag_name(tag.name) if r.version == wanted]
        fitting = [r for r in readings if reading_fits_package(r, package)]
        if any(names_package(r, package) for r in fitting):
            named.append(tag)
        elif fitting:
            unnamed.append(tag)
    chosen = named or unnamed
    # Annotated tags first (what `git describe` prefers), then by name: a stable choice.
    return sorted(chosen, key=lambda tag: (not tag.annotated, tag.name))


def _tag_version(name: str, package: str | None) -> str | None:
    """The version a tag name holds for ``package``: the first reading that fits, normalized."""
    for reading in read_tag_name(name):
        if reading_fits_package(reading, package):
            return str(reading.version)
    return None


def _resolved(repo: Path, tag: TagRef, version: str | None) -> ResolvedTag:
    return ResolvedTag(
        name=tag.name, commit=tag.commit, commit_time=commit_time(repo, tag.commit), version=version
    )


def _peel_to_commit(repo: Path, name: str) -> str | None:
    try:
        output = run_git(
            ["rev-parse", "--verify", "--quiet", f"{TAG_REF_PREFIX}{name}^{{commit}}"],
            cwd=repo,
            env=source_repo_env(repo),
        )
    except SourceError:
        return None
    return output.decode("ascii").strip() or None


def _not_found_message(
    repo: Path, wanted: str, package: str | None, tags: list[TagRef], version: Version | None
) -> str:
    head = f"no tag matches {wanted!r}{_for_package(package)} in {repo}"
    if not tags:
        return f"{head}: the repository has no tags"
    hints: list[str] = []
    if version is not None:
        nearest = _nearest_versions(tags, version, package)
        if nearest:
            hints.append("nearest versions: " + ", ".join(nearest))
    names = [tag.name for tag in tags]
    similar = difflib.get_close_matches(wanted, names, n=_SIMILAR_NAMES, cutoff=0.5)
    if similar:
        hints.append("similar names: " + ", ".join(similar))
    hints.append(f"{len(tags)} tags in all")
    return f"{head}; " + "; ".join(hints)


def _nearest_versions(tags: list[TagRef], wanted: Version, package: str | None) -> list[str]:
    """A few tags just below and just above ``wanted``, as ``name (version)``."""
    by_version: dict[Version, str] = {}
    for tag in sorted(tags, key=lambda tag: tag.name):
        for reading in read_tag_name(tag.name):
            if reading_fits_package(reading, package):
                by_version.setdefault(reading.version, tag.name)
                break
    versions = sorted(by_version)
    cut = bisect.bisect_left(versions, wanted)
    nearby = versions[max(0, cut - _NEAREST_VERSIONS_EACH_SIDE) : cut + _NEAREST_VERSIONS_EACH_SIDE]
    return [_describe(by_version[v], v) for v in nearby]


def _describe(name: str, version: Version) -> str:
    return name if name == str(version) else f"{name} ({version})"


def _for_package(package: str | None) -> str:
    return f" (package {package})" if package else ""


def _require_directory(repo: Path) -> None:
    if not repo.is_dir():
        raise SourceError(f"not a git repository: {repo} is not a directory")

