"""Which releases to verify tonight: per package, the releases in the window that have no verdict yet.

A target is plain data (JSON-serialisable), so the same targets can be handed to another machine.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from packaging.version import InvalidVersion, Version

from verifier.errors import FetchError, SourceError
from verifier.nightly.config import NightlyConfig, PackageConfig
from verifier.source.mirror import is_remote, mirror
from verifier.store.db import FINAL, Store
from verifier.upstream.index import IndexClient

MAX_COULD_NOT_VERIFY = 3  # retries of a release that could not be verified, before giving up on it


@dataclass(frozen=True)
class Target:
    package: str
    version: str
    repo: str  # a local path (a mirror for URLs)
    tag: str | None  # from tag-pattern, else None: `verify` matches the version
    settings: dict[str, Any] = field(default_factory=dict)
    upload_time: str | None = None

    @property
    def id(self) -> str:
        return f"{self.package}=={self.version}"

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Target:
        return cls(**data)


@dataclass
class Plan:
    targets: list[Target] = field(default_factory=list)
    skipped: list[dict[str, str]] = field(default_factory=list)  # package, version, why
    problems: list[dict[str, str]] = field(default_factory=list)  # package, error


def local_repo(repo: str, cache_dir: Path, config_dir: Path) -> Path:
    """A local git repository for `repo`: the path itself, or a mirror of a URL kept in the cache."""
    if not is_remote(repo):
        path = (config_dir / repo).expanduser().resolve()
        if not path.exists():
            raise SourceError(f"no repository at {path}")
        return path
    return mirror(repo, cache_dir)


def _version_key(version: str) -> Any:
    try:
        return (1, Version(version))
    except InvalidVersion:
        return (0, version)


def plan(
    config: NightlyConfig,
    store: Store,
    *,
    cache_dir: Path,
    since: datetime | None = None,
    last: int | None = None,
    progress: Callable[[str], None] | None = None,
) -> Plan:
    say = progress or (lambda message: None)
    result = Plan()
    explicit_window = since is not None or last is not None
    for package in config.packages:
        try:
            result.targets.extend(_package_targets(package, config, store, cache_dir, since, last, explicit_window, result, say))
        except (FetchError, SourceError) as exc:
            result.problems.append({"package": package.name, "error": str(exc)})
            say(f"{package.name}: {exc}")
    return result


def _package_targets(
    package: PackageConfig,
    config: NightlyConfig,
    store: Store,
    cache_dir: Path,
    since: datetime | None,
    last: int | None,
    explicit_window: bool,
    result: Plan,
    say: Callable[[str], None],
) -> list[Target]:
    say(f"{package.name}: listing releases on {package.get('index-url')}")
    with IndexClient(package.get("index-url")) as index:
        files = [f for f in index.list_files(package.name) if f.packagetype == "sdist" and not f.yanked]
    uploads: dict[str, datetime | None] = {}
    for file in files:
        uploads.setdefault(file.version, file.upload_time)
    versions = sorted(uploads, key=_version_key, reverse=True)
    if package.versions is not None:
        wanted = [v for v in versions if any(_same(v, asked) for asked in package.versions)]
        for asked in package.versions:
            if not any(_same(v, asked) for v in versions):
                result.problems.append({"package": package.name, "error": f"{package.name} {asked} has no sdist on {package.get('index-url')}"})
    elif since is not None:
        wanted = [v for v in versions if (uploaded := uploads[v]) is not None and uploaded >= since]
    else:
        wanted = versions[: last or package.get("window")]
    repo = local_repo(package.repo, cache_dir, config.path.parent)
    verdicts = store.verdicts(package.name)
    targets = []
    for version in wanted:
        previous = verdicts.get(version, [])
        if not explicit_window and any(verdict in FINAL for verdict in previous):
            result.skipped.append({"package": package.name, "version": version, "why": f"already verified: {previous[-1]}"})
            continue
        if not explicit_window and len(previous) >= MAX_COULD_NOT_VERIFY:
            result.skipped.append({"package": package.name, "version": version, "why": f"could not be verified {len(previous)} times; gave up"})
            continue
        pattern = package.get("tag-pattern")
        upload = uploads[version]
        targets.append(
            Target(
                package=package.name,
                version=version,
                repo=str(repo),
                tag=pattern.format(version=version) if pattern else None,
                settings=dict(package.settings),
                upload_time=upload.isoformat() if upload else None,
            )
        )
    return targets


def _same(a: str, b: str) -> bool:
    try:
        return Version(a) == Version(b)
    except InvalidVersion:
        return a == b
