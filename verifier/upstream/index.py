"""A client for package indexes: PEP 691 JSON simple API, falling back to PEP 503 HTML.

Listing and parsing is done by ``pypi-simple`` (it negotiates JSON or HTML, resolves relative
URLs, parses ambiguous sdist filenames with the project name as a hint and reads PEP 700
``upload-time``/``size``); downloads are streamed here, into the :class:`ArtifactCache`, so that
the hash check, the size bound and the no-partial-files rule live in one place.
"""

from __future__ import annotations

import bisect
import os
import time
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from types import TracebackType
from typing import Self

import pydantic
import requests
from packaging.version import Version
from pypi_simple import (
    ACCEPT_JSON_PREFERRED,
    DistributionPackage,
    NoSuchProjectError,
    PyPISimple,
    UnsupportedContentTypeError,
    UnsupportedRepoVersionError,
)

from verifier.errors import BadInput, FetchError, NotOnIndex
from verifier.upstream.cache import ArtifactCache, DigestMismatch, TooLarge
from verifier.upstream.interface import FetchedArtifact, PackageType, PublishedFile
from verifier.upstream.names import (
    is_project_name,
    normalize_project,
    normalize_version,
    parse_version,
    same_version,
)
from verifier.upstream.sessions import (
    DEFAULT_TIMEOUT,
    describe_request_error,
    make_session,
)

PYPI_SIMPLE_URL = "https://pypi.org/simple/"

#: Upper bound on a download whose size the index does not state.
DEFAULT_MAX_DOWNLOAD_BYTES = 2 * 1024**3
#: Wall-clock bound on one download, on top of the per-read timeout.
DEFAULT_DOWNLOAD_DEADLINE = 600.0

_SDIST_PREFERENCE = (".tar.gz", ".zip", ".tar.bz2", ".tar.xz", ".tgz", ".tar")
_NEAREST_COUNT = 3

Progress = Callable[[str], None]


class IndexClient:
    """Reads one package index (``index_url``, the simple API root) and downloads its files.

    Every request has a (connect, read) ``timeout``; TLS is verified against ``ca_bundle``
    (default: the host's, see verifier.hostenv). Every failure is a
    one-line :class:`FetchError`. Use as a context manager, or call :meth:`close`.
    """

    def __init__(
        self,
        index_url: str = PYPI_SIMPLE_URL,
        *,
        ca_bundle: str | os.PathLike[str] | None = None,
        timeout: float | tuple[float, float] = DEFAULT_TIMEOUT,
        max_download_bytes: int = DEFAULT_MAX_DOWNLOAD_BYTES,
        download_deadline: float = DEFAULT_DOWNLOAD_DEADLINE,
    ) -> None:
        self.index_url = index_url.rstrip("/") + "/"
        self.timeout = timeout
        self.max_download_bytes = max_download_bytes
        self.download_deadline = download_deadline
        self._session = make_session(ca_bundle)
        self._simple = PyPISimple(
            self.index_url, session=self._session, accept=ACCEPT_JSON_PREFERRED
        )

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.close()

    def close(self) -> None:
        """Close the HTTP session."""
        self._session.close()

    def project_url(self, project: str) -> str:
        """The URL of ``project``'s page on this index."""
        return self._simple.get_project_url(project)

    # -- listing -----------------------------------------------------------------------------

    def list_files(self, project: str) -> list[PublishedFile]:
        """Every sdist and wheel the index lists for ``project``, in index order.

        Raises :class:`FetchError` when the index is unreachable, answers an HTTP error or
        something that is not a simple-API page, or has no such project.
        """
        return [
            published
            for package in self._packages(project)
            if (published := _published_file(project, package)) is not None
        ]

    def files_for_version(self, project: str, version: str) -> list[PublishedFile]:
        """The sdists and wheels of ``project`` whose PEP 440-normalized version equals
        ``version``'s. Raises :class:`FetchError` naming the nearest versions present when there
        are none."""
        for fresh in (False, True):
            packages = self._packages(project, fresh=fresh)
            files = [
                published
                for package in packages
                if (published := _published_file(project, package)) is not None
                and same_version(published.version, version)
            ]
            if files:
                return files
        raise FetchError(self._no_version_message(project, version, packages))

    def find_sdist(self, project: str, version: str) -> PublishedFile:
        """The sdist of ``project`` at ``version`` (both compared normalized: ``backend.ai-common``
        ``23.03.3`` finds ``backend_ai_common-23.3.3.tar.gz``). When a release has several sdists,
        ``.tar.gz`` is preferred over ``.zip`` over the rest.

        Raises :class:`BadInput` for a malformed name, :class:`FetchError` when the project or
        version does not exist (listing the nearest versions) or the release has no sdist
        (listing the files it has).
        """
        if parse_version(version) is None:
            raise BadInput(f"not a PEP 440 version: {version!r}")
        wanted = normalize_version(version)
        for fresh in (False, True):
            packages = self._packages(project, fresh=fresh)
            of_version = [
                package
                for package in packages
                if package.version is not None and same_version(package.version, version)
            ]
            if of_version:
                break
        if not of_version:
            raise NotOnIndex(self._no_version_message(project, version, packages))
        sdists = [
            published
            for package in of_version
            if (published := _published_file(project, package)) is not None
            and published.packagetype == "sdist"
        ]
        if not sdists:
            present = ", ".join(sorted(package.filename for package in of_version))
            raise NotOnIndex(
                f"{normalize_project(project)} {wanted} has no sdist on {self.index_url}; "
                f"it has: {present}"
            )
        return min(sdists, key=_sdist_rank)

    def _packages(self, project: str, *, fresh: bool = False) -> list[DistributionPackage]:
        """The project page's files. `fresh` asks caches on the way to revalidate: a release made
        minutes ago can be missing from a CDN copy while a resolver already saw it."""
        if not is_project_name(project):
            raise BadInput(f"not a valid project name: {project!r}")
        url = self.project_url(project)
        headers = {"Cache-Control": "no-cache", "Pragma": "no-cache"} if fresh else None
        try:
            page = self._simple.get_project_page(project, timeout=self.timeout, headers=headers)
        except NoSuchProjectError:
            raise NotOnIndex(
                f"no project {normalize_project(project)} on {self.index_url}"
            ) from None
        except requests.HTTPError as exc:
            raise FetchError(_http_error_message(exc, url)) from None
        except requests.RequestException as exc:
            raise FetchError(f"index unreachable: {url}: {describe_request_error(exc)}") from None
        except UnsupportedContentTypeError as exc:
            raise FetchError(f"{url} is not a simple-API page ({exc.content_type})") from None
        except UnsupportedRepoVersionError as exc:
            raise FetchError(
                f"{url} speaks simple-API version {exc.declared_version}, newer than supported"
            ) from None
        except (pydantic.ValidationError, ValueError) as exc:
            raise FetchError(f"malformed simple-API page at {url}: {type(exc).__name__}") from None
        return page.packages

    def _no_version_message(
        self, project: str, version: str, packages: list[DistributionPackage]
    ) -> str:
        name = normalize_project(project)
        present = sorted(
            {
                parsed
                for package in packages
                if package.version is not None
                and (parsed := parse_version(package.version)) is not None
            }
        )
        if not present:
            return f"{name} has no released files on {self.index_url}"
        return (
            f"{name} has no version {normalize_version(version)} on {self.index_url}; "
            f"nearest present: {', '.join(map(str, nearest_versions(version, present)))}"
        )

    # -- downloading -------------------------------------------------------------------------

    def download(
        self, file: PublishedFile, cache: ArtifactCache, progress: Progress | None = None
    ) -> FetchedArtifact:
        """The bytes of ``file`` in ``cache``, checked against the index's sha256.

        A cache hit touches no network. A miss streams the file into a temporary file in the
        cache directory and renames it into place only once its sha256 (and size, when the index
        states one) matches; otherwise nothing is kept and :class:`FetchError` is raised.
        """
        if file.sha256 is None:
            raise FetchError(
                f"{file.url}: the index gives no sha256 for {file.filename}; "
                "refusing an unverifiable download"
            )
        cached = cache.lookup(file.sha256)
        if cached is not None:
            return FetchedArtifact(file=file, path=cached)
        if progress is not None:
            progress(f"downloading {file.filename}")
        record = {
            "filename": file.filename,
            "url": file.url,
            "upload-time": file.upload_time.isoformat() if file.upload_time else None,
            "size": file.size,
        }
        limit = file.size if file.size is not None else self.max_download_bytes
        try:
            with self._session.get(file.url, stream=True, timeout=self.timeout) as response:
                if not response.ok:
                    raise FetchError(
                        _status_message(response.status_code, response.reason, file.url)
                    )
                path = cache.store(
                    self._chunks(response, file.url),
                    expected_sha256=file.sha256,
                    record=record,
                    max_bytes=limit,
                )
        except DigestMismatch as exc:
            raise FetchError(
                f"hash mismatch for {file.filename} from {file.url}: "
                f"index says sha256 {exc.expected}, got {exc.actual}"
            ) from None
        except TooLarge:
            raise FetchError(
                f"{file.url} served more than {limit} bytes"
                + (" (the size the index states)" if file.size is not None else "")
            ) from None
        except requests.RequestException as exc:
            raise FetchError(
                f"download failed: {file.url}: {describe_request_error(exc)}"
            ) from None
        except OSError as exc:
            raise FetchError(f"cannot write to cache {cache.root}: {exc.strerror or exc}") from None
        return FetchedArtifact(file=file, path=path)

    def _chunks(self, response: requests.Response, url: str) -> Iterator[bytes]:
        deadline = time.monotonic() + self.download_deadline
        for chunk in response.iter_content(chunk_size=1 << 16):
            if time.monotonic() > deadline:
                raise FetchError(f"download of {url} took longer than {self.download_deadline:g} s")
            yield chunk


def nearest_versions(
    version: str, present: list[Version], count: int = _NEAREST_COUNT
) -> list[Version]:
    """Up to ``count`` versions just below and ``count`` just above ``version`` in the sorted
    list ``present`` (all of ``present``'s ends when ``version`` does not parse)."""
    wanted = parse_version(version)
    if wanted is None:
        return present[-count:]
    position = bisect.bisect_left(present, wanted)
    return present[max(0, position - count) : position + count]


def _published_file(project: str, package: DistributionPackage) -> PublishedFile | None:
    if package.package_type not in ("sdist", "wheel") or package.version is None:
        return None
    packagetype: PackageType = "sdist" if package.package_type == "sdist" else "wheel"
    sha256 = package.digests.get("sha256")
    return PublishedFile(
        project=normalize_project(project),
        version=normalize_version(package.version),
        filename=package.filename,
        url=package.url,
        sha256=sha256.lower() if sha256 else None,
        upload_time=_utc(package.upload_time),
        size=package.size,
        yanked=package.is_yanked,
        requires_python=package.requires_python,
        packagetype=packagetype,
    )


def _utc(moment: datetime | None) -> datetime | None:
    if moment is None:
        return None
    if moment.tzinfo is None:
        return moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC)


def _sdist_rank(file: PublishedFile) -> tuple[int, str]:
    name = file.filename.lower()
    for rank, suffix in enumerate(_SDIST_PREFERENCE):
        if name.endswith(suffix):
            return rank, name
    return len(_SDIST_PREFERENCE), name


def _status_message(status: int, reason: str | None, url: str) -> str:
    return f"HTTP {status} {reason or ''} from {url}".replace("  ", " ")


def _http_error_message(exc: requests.HTTPError, url: str) -> str:
    response = exc.response
    if response is None:
        return f"HTTP error from {url}"
    return _status_message(response.status_code, response.reason, response.url or url)
