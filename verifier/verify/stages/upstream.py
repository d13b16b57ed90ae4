"""Stage 3, upstream: the published sdist, from the index or a local file (`--artifact`), with the
index's upload time that dates the release and its build requirements; and every wheel the index
lists for the release (unless --sdist-only): the pure ones downloaded into the artifact cache
(sha256-checked), the platform ones listed with why they are not verified."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from verifier.errors import BadInput, VerifierError
from verifier.fsutil import file_sha256
from verifier.report.model.verify import LocalArtifact, Published, PublishedOnIndex
from verifier.upstream.cache import ArtifactCache
from verifier.upstream.index import IndexClient
from verifier.upstream.interface import PublishedFile
from verifier.verify.stages.context import Run
from verifier.wheel.interface import PLATFORM_WHEEL_REASON, parse_wheel_name


@dataclass(frozen=True)
class PublishedWheel:
    """One wheel the index lists for the release: downloaded (`path`) when it is pure, else why not."""

    file: PublishedFile
    path: Path | None = None
    not_verified: str | None = None  # a platform wheel: why it is not verified
    error: str | None = None  # a pure wheel that could not be fetched


@dataclass(frozen=True)
class UpstreamStage:
    path: Path  # the published sdist on this machine
    record: Published  # what the report says of it
    upload_time: datetime | None  # None: a local file the index does not list, or an index without times
    wheels: tuple[PublishedWheel, ...] = ()  # empty with --sdist-only


def _iso(moment: datetime | None) -> str | None:
    return moment.isoformat() if moment else None


def _local(run: Run, package: str, version: str) -> UpstreamStage:
    path = run.request.artifact
    assert path is not None
    if not path.is_file():
        raise BadInput(f"no such file: {path}")
    digest = file_sha256(path)
    local = LocalArtifact(path=str(path), sha256=digest, size=path.stat().st_size)
    # The index's upload time of this version still dates the release (and the requirements).
    try:
        with IndexClient(run.request.index_url) as index:
            listed = index.find_sdist(package, version)
    except VerifierError as exc:
        run.note(f"the index has no upload time for {package} {version} ({exc})")
        return UpstreamStage(path, local, None)
    same = listed.sha256 == digest
    run.note(
        f"the local artifact is {'the very file' if same else 'not the file'} the index publishes for {package} {version}"
        f" ({listed.filename}, sha256 {str(listed.sha256)[:16]}…); its upload time dates the release"
    )
    dated = LocalArtifact(path=local.path, sha256=digest, size=local.size, upload_time=_iso(listed.upload_time), index_sha256=listed.sha256)
    return UpstreamStage(path, dated, listed.upload_time)


def _wheel(index: IndexClient, cache: ArtifactCache, file: PublishedFile) -> PublishedWheel:
    """A listed wheel: a pure one downloaded (sha256-checked), a platform one (or an unparsable name,
    which the wheel stage reports as different) listed as is."""
    try:
        pure = parse_wheel_name(file.filename).pure
    except BadInput:
        return PublishedWheel(file)
    if not pure:
        return PublishedWheel(file, not_verified=PLATFORM_WHEEL_REASON)
    try:
        return PublishedWheel(file, path=index.download(file, cache).path)
    except VerifierError as exc:
        return PublishedWheel(file, error=f"could not fetch {file.filename}: {exc}")


def list_wheels(run: Run, package: str, version: str) -> tuple[PublishedWheel, ...]:
    """Every wheel of the release on the index (none with --sdist-only)."""
    if run.request.sdist_only:
        return ()
    cache = ArtifactCache(run.settings.cache_dir / "artifacts")
    try:
        with IndexClient(run.request.index_url) as index:
            files = index.files_for_version(package, version)
            wheels = tuple(_wheel(index, cache, file) for file in files if file.packagetype == "wheel")
    except VerifierError as exc:
        run.note(f"the wheels of {package} {version} could not be listed ({exc})")
        return ()
    if not wheels:
        run.note(f"the index lists no wheel for {package} {version}: only the sdist is verified")
    return wheels


def _from_index(run: Run, package: str, version: str) -> UpstreamStage:
    cache = ArtifactCache(run.settings.cache_dir / "artifacts")
    with IndexClient(run.request.index_url) as index:
        published = index.find_sdist(package, version)
        fetched = index.download(published, cache)
    record = PublishedOnIndex(
        url=published.url,
        filename=published.filename,
        sha256=published.sha256,
        size=fetched.path.stat().st_size,
        upload_time=_iso(published.upload_time),
        index=run.request.index_url,
        path=str(fetched.path),
    )
    return UpstreamStage(fetched.path, record, published.upload_time)


def fetch_published(run: Run, package: str, version: str) -> UpstreamStage:
    request = run.request
    where = f"the local file {request.artifact}" if request.artifact else request.index_url
    with run.phase("fetch", f"fetching the published sdist of {package} {version} from {where}"):
        found = _local(run, package, version) if request.artifact is not None else _from_index(run, package, version)
        found = dataclasses.replace(found, wheels=list_wheels(run, package, version))
    if found.upload_time is None:
        run.note(
            "the upload time is unknown (a local artifact, or an index without upload-time): "
            f"build requirements are pinned as of now ({datetime.now(UTC):%Y-%m-%d %H:%M} UTC)"
        )
    return found
