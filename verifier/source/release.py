"""`verify NAME==VERSION` / `audit NAME==VERSION`: from a release on the index to a local repository.

The published sdist is fetched (checked against the index's sha256, cached by hash), its PKG-INFO
names the repository (:mod:`verifier.source.locate`), and the repository is mirrored in the cache
with the user's git (:mod:`verifier.source.mirror`). ``--repo PATH_OR_URL`` overrides the metadata.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from email.message import Message
from pathlib import Path

from packaging.utils import canonicalize_name

from verifier.errors import UsageError
from verifier.source.gitconfig import Rewrite, rewrite
from verifier.source.locate import RepositoryURL, repository_url
from verifier.source.mirror import is_remote, mirror
from verifier.upstream.cache import ArtifactCache
from verifier.upstream.index import IndexClient
from verifier.upstream.published_metadata import read_pkg_info

_SPEC = re.compile(r"^\s*([A-Za-z0-9][A-Za-z0-9._-]*)\s*==\s*([A-Za-z0-9][A-Za-z0-9.+!_-]*)\s*$")


@dataclass(frozen=True)
class ReleaseSpec:
    name: str
    version: str


@dataclass(frozen=True)
class ResolvedRepository:
    path: Path  # a local repository (the user's path, or the cache's mirror)
    url: str | None  # what was cloned, when a URL
    found_in: str | None  # "Project-URL: Source", "Home-page", "--repo"
    rewrite: Rewrite | None  # the insteadOf rule that applied to the URL, if any


def parse_release(text: str) -> ReleaseSpec:
    """``NAME==VERSION`` (UsageError, exit 2, for anything else)."""
    match = _SPEC.match(text)
    if match is None:
        raise UsageError(f"expected NAME==VERSION (e.g. itsdangerous==2.2.0), got {text!r}")
    return ReleaseSpec(str(canonicalize_name(match.group(1))), match.group(2))


def resolve_repository(
    spec: ReleaseSpec, *, index_url: str, cache_dir: Path, repo: str | None = None
) -> ResolvedRepository:
    """The repository of the release: ``repo`` when given (a path, or a URL to mirror), else the one
    its published sdist's metadata names, mirrored in ``cache_dir``."""
    if repo is not None and not is_remote(repo):
        path = Path(repo).expanduser()
        if not path.exists():
            raise UsageError(f"--repo {repo}: no such directory")
        return ResolvedRepository(path=path.resolve(), url=None, found_in="--repo", rewrite=None)
    if repo is not None:
        named = RepositoryURL(url=repo, field="--repo", given=repo)
    else:
        named = repository_url(_published_metadata(spec, index_url, cache_dir), spec.name)
    local = mirror(named.url, cache_dir)
    return ResolvedRepository(path=local, url=named.url, found_in=named.field, rewrite=rewrite(named.url))


def _published_metadata(spec: ReleaseSpec, index_url: str, cache_dir: Path) -> Message:
    with IndexClient(index_url) as index:
        published = index.find_sdist(spec.name, spec.version)
        fetched = index.download(published, ArtifactCache(cache_dir / "artifacts"))
    return read_pkg_info(fetched.path)


@dataclass(frozen=True)
class LocatedRelease:
    tag: str
    package: str | None
    path: Path  # the local repository
    origin: ResolvedRepository | None  # where a cloned repository came from (None: a local one)


def locate_release(
    release: str | None, tag: str, package: str | None, repo: str | None, *, index_url: str, cache_dir: Path,
    progress: Callable[[str], None] | None = None,
) -> LocatedRelease:
    """The tag, package and local repository that NAME==VERSION or --tag with --repo name.

    ``repo`` is a URL (mirrored in the cache), a local path, or None: with ``release`` the repository
    the published sdist's metadata names, else the current directory."""
    spec = parse_release(release) if release else ReleaseSpec(package or "", tag)
    if release:
        tag, package = spec.version, package or spec.name
    if release is None and (repo is None or not is_remote(repo)):
        return LocatedRelease(tag, package, Path(repo or ".").expanduser().resolve(), None)
    if progress is not None and (repo is None or is_remote(repo)):
        progress(f"fetching {repo}" if repo else f"finding the repository of {spec.name} {spec.version}")
    found = resolve_repository(spec, index_url=index_url, cache_dir=cache_dir, repo=repo)
    return LocatedRelease(tag, package, found.path, found if found.url else None)
