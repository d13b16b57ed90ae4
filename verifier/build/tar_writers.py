"""Tar writers of older CPythons: a `tarfile` module that writes an sdist the way CPython 3.8 or 3.7
did, for a build to import instead of its own interpreter's.

CPython up to 3.8 wrote the ustar device fields of every member as "0000000\\0"; 3.9 writes NULs
unless the member is a device, and every Python in Debian's current suites does too. Releases built
with 3.7/3.8 (httpx 0.28.1, pluggy 1.0.0, …) differ from any rebuild here in those bytes alone.

No Debian suite ships such a Python, so the module is made: CPython 3.9.2's own Lib/tarfile.py,
taken from Debian's orig tarball of python3.9 (downloaded once into the artifact cache and checked
against its pinned sha256; only that one member is read, never extracted to disk), with the edits
below, and checked against the pinned sha256 of the result. The 3.9 module writes archives as 3.8
did except for the device fields (the float-mtime pax records of bpo-45863 are still the old ones):
- cpython-3.8: the device fields written with `itn()` for every member, as 3.8's `_create_header`;
- cpython-3.7: the same, and `DEFAULT_FORMAT = GNU_FORMAT` (3.8 switched the default to PAX).
The result is cached under <cache>/tar-writers/<name>/tarfile.py and re-checked on every use.
"""

from __future__ import annotations

import hashlib
import tarfile
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

import requests

from verifier.errors import BadInput, BuildError
from verifier.fsutil import atomic_write, file_sha256
from verifier.upstream.cache import ArtifactCache, DigestMismatch, TooLarge
from verifier.upstream.sessions import DEFAULT_TIMEOUT, describe_request_error, make_session

ORIGIN_URL = "https://deb.debian.org/debian/pool/main/p/python3.9/python3.9_3.9.2.orig.tar.xz"
ORIGIN_SHA256 = "3c2034c54f811448f516668dce09d24008a0716c3a794dd8639b5388cbde247d"
ORIGIN_MAX_BYTES = 64 * 1024 * 1024
MEMBER = "Python-3.9.2/Lib/tarfile.py"
MEMBER_SHA256 = "519c9c9c18864430956eb296a923c3c5f2fdfd1894b0860834404d7008010218"
MEMBER_MAX_BYTES = 1024 * 1024

_DEVICE_FIELDS_39 = """\
        has_device_fields = info.get("type") in (CHRTYPE, BLKTYPE)
        if has_device_fields:
            devmajor = itn(info.get("devmajor", 0), 8, format)
            devminor = itn(info.get("devminor", 0), 8, format)
        else:
            devmajor = stn("", 8, encoding, errors)
            devminor = stn("", 8, encoding, errors)
"""
_DEVICE_FIELDS_38 = """\
        devmajor = itn(info.get("devmajor", 0), 8, format)
        devminor = itn(info.get("devminor", 0), 8, format)
"""
_FORMAT_38 = "DEFAULT_FORMAT = PAX_FORMAT\n"
_FORMAT_37 = "DEFAULT_FORMAT = GNU_FORMAT\n"

Fetch = Callable[[str], Iterable[bytes]]  # url -> its bytes, in chunks


@dataclass(frozen=True)
class TarWriter:
    """A tar writer: the edits that make it from CPython 3.9.2's tarfile.py, and its pinned digest."""

    name: str
    python: str  # the CPython whose writer it is ("3.8")
    edits: tuple[tuple[str, str], ...]
    sha256: str
    description: str


WRITERS = {
    "cpython-3.8": TarWriter(
        "cpython-3.8", "3.8", ((_DEVICE_FIELDS_39, _DEVICE_FIELDS_38),),
        "c00a3cb6b28ceb56dde2295e69e7e223194bfa7cfd0883919a306d2827cc3ada",
        "CPython 3.8's tarfile: PAX format, device fields \"0000000\" on every member",
    ),
    "cpython-3.7": TarWriter(
        "cpython-3.7", "3.7", ((_DEVICE_FIELDS_39, _DEVICE_FIELDS_38), (_FORMAT_38, _FORMAT_37)),
        "13861b1c2ebb66121abc105113a3c10595abab88fc0294cce4bde66e49202bc4",
        "CPython 3.7's tarfile: GNU format, device fields \"0000000\" on every member",
    ),
}


@dataclass(frozen=True)
class PreparedWriter:
    """A tar writer ready to mount: `directory` holds only its `tarfile.py`."""

    name: str
    directory: Path
    sha256: str
    description: str

    @property
    def module(self) -> Path:
        return self.directory / "tarfile.py"

    def as_dict(self) -> dict[str, str]:
        return {"name": self.name, "sha256": self.sha256, "made_from": f"{MEMBER} of {ORIGIN_URL} (sha256 {ORIGIN_SHA256})"}


def writer(name: str) -> TarWriter:
    if name not in WRITERS:
        raise BadInput(f"unknown tar writer {name!r}: known {', '.join(sorted(WRITERS))}")
    return WRITERS[name]


def prepare(name: str, cache_dir: Path, fetch: Fetch | None = None) -> PreparedWriter:
    """The writer `name`, from the cache when its file still has the pinned digest, else made anew
    (the orig tarball downloaded with `fetch` when the artifact cache does not hold it)."""
    wanted = writer(name)
    directory = cache_dir / "tar-writers" / name
    module = directory / "tarfile.py"
    if not (module.is_file() and file_sha256(module) == wanted.sha256):
        text = apply_edits(wanted, original_module(cache_dir, fetch or _download))
        directory.mkdir(parents=True, exist_ok=True)
        with atomic_write(module, mode=0o644) as out:
            out.write(text)
    return PreparedWriter(name, directory, wanted.sha256, wanted.description)


def apply_edits(wanted: TarWriter, original: bytes) -> bytes:
    """The writer's module: `original` (CPython 3.9.2's tarfile.py) with its edits, each of which
    must apply exactly once, checked against the pinned digest."""
    text = original.decode("utf-8")
    for old, new in wanted.edits:
        if text.count(old) != 1:
            raise BuildError(f"tar writer {wanted.name}: the edit of {old.splitlines()[0].strip()!r} does not apply once to {MEMBER}")
        text = text.replace(old, new)
    made = text.encode("utf-8")
    digest = hashlib.sha256(made).hexdigest()
    if digest != wanted.sha256:
        raise BuildError(f"tar writer {wanted.name}: made a tarfile.py with sha256 {digest}, expected {wanted.sha256}")
    return made


def original_module(cache_dir: Path, fetch: Fetch) -> bytes:
    """CPython 3.9.2's Lib/tarfile.py, read from the orig tarball (one member, checked)."""
    origin = _orig_tarball(ArtifactCache(cache_dir / "artifacts"), fetch)
    try:
        with tarfile.open(origin, "r:xz") as archive:
            member = archive.getmember(MEMBER)
            if not member.isfile() or member.size > MEMBER_MAX_BYTES:
                raise BuildError(f"{MEMBER} in {ORIGIN_URL} is not a regular file of at most {MEMBER_MAX_BYTES} bytes")
            handle = archive.extractfile(member)
            assert handle is not None  # a regular file
            data = handle.read(MEMBER_MAX_BYTES + 1)
    except (tarfile.TarError, KeyError, OSError, EOFError) as exc:
        raise BuildError(f"cannot read {MEMBER} from {origin}: {exc}") from exc
    digest = hashlib.sha256(data).hexdigest()
    if digest != MEMBER_SHA256:
        raise BuildError(f"{MEMBER} in {ORIGIN_URL} has sha256 {digest}, expected {MEMBER_SHA256}")
    return data


def _orig_tarball(cache: ArtifactCache, fetch: Fetch) -> Path:
    cached = cache.lookup(ORIGIN_SHA256)
    if cached is not None:
        return cached
    record = {"filename": ORIGIN_URL.rsplit("/", 1)[-1], "url": ORIGIN_URL, "purpose": "CPython 3.9.2 sources for the old tar writers"}
    try:
        return cache.store(fetch(ORIGIN_URL), expected_sha256=ORIGIN_SHA256, record=record, max_bytes=ORIGIN_MAX_BYTES)
    except DigestMismatch as exc:
        raise BuildError(f"{ORIGIN_URL} has sha256 {exc.actual}, expected {ORIGIN_SHA256}: not the pinned CPython sources") from exc
    except TooLarge as exc:
        raise BuildError(f"{ORIGIN_URL} is larger than {exc.limit} bytes: not the pinned CPython sources") from exc


def _download(url: str) -> Iterator[bytes]:
    try:
        with make_session().get(url, stream=True, timeout=DEFAULT_TIMEOUT) as response:
            if not response.ok:
                raise BuildError(f"cannot download {url} for the old tar writers: HTTP {response.status_code}")
            yield from response.iter_content(chunk_size=1 << 16)
    except requests.RequestException as exc:
        raise BuildError(f"cannot download {url} for the old tar writers: {describe_request_error(exc)}") from exc

