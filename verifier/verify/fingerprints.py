"""What the published file itself says about how it was built, read once before any rebuild.

Each fingerprint names its evidence. They rank the few recipes `--search` tries:
- `build_time`: the newest member mtime that is no fixed backend stamp (or the gzip mtime): when the
  sdist was made; build requirements as of then, rather than as of the upload;
- `umask`: group-writable files (664/775) say the publisher's umask was 002;
- `metadata_version`: PKG-INFO's Metadata-Version, which follows the backend's version;
- `windows`: CRLF line ends in PKG-INFO, or every file mode 666/777;
- `source_date_epoch`: see verify/epoch.py.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from email.parser import HeaderParser
from pathlib import Path
from typing import Any

from verifier.archive.interface import Limits, MemberKind
from verifier.archive.reader import ArchiveReader
from verifier.verify.epoch import FIXED_BACKEND_STAMPS

_PKG_INFO_LIMIT = 1 << 20


@dataclass
class Fingerprints:
    build_time: int | None = None
    umask: str | None = None
    metadata_version: str | None = None
    windows: bool = False
    single_stamp: bool = False  # every file shares one mtime (or a backend's fixed stamp): SOURCE_DATE_EPOCH shows
    file_mtimes: list[int] = field(default_factory=list)  # of every file member, in order
    evidence: list[dict[str, Any]] = field(default_factory=list)

    def add(self, name: str, value: object, why: str) -> None:
        self.evidence.append({"name": name, "value": value, "why": why})


class _Buffer:
    def __init__(self) -> None:
        self.data = bytearray()

    def write(self, chunk: bytes) -> int:
        if len(self.data) < _PKG_INFO_LIMIT:
            self.data += bytes(chunk[: _PKG_INFO_LIMIT - len(self.data)])
        return len(chunk)


def _top_pkg_info(name: str) -> bool:
    parts = [part for part in name.split("/") if part not in ("", ".")]
    return len(parts) == 2 and parts[1] == "PKG-INFO"


def fingerprint(published: Path, limits: Limits | None = None) -> Fingerprints:
    found = Fingerprints()
    reader = ArchiveReader(published, limits)
    files: list[tuple[int, int]] = []  # (mtime, mode)
    pkg_info_index = None
    for member in reader.members():
        if member.kind is MemberKind.FILE:
            files.append((int(member.mtime), member.mode))
            if pkg_info_index is None and _top_pkg_info(member.name):
                pkg_info_index = member.index
    pkg_info = _Buffer()
    if pkg_info_index is not None:
        wanted = pkg_info_index
        for _ in ArchiveReader(published, limits, capture=lambda index: pkg_info if index == wanted else None).members():  # type: ignore[arg-type,return-value]
            pass
    found.file_mtimes = [mtime for mtime, _ in files]
    times = [mtime for mtime, _ in files if mtime not in FIXED_BACKEND_STAMPS]
    found.single_stamp = bool(files) and len(set(times)) <= 1
    if found.single_stamp:
        found.add("single_stamp", times[0] if times else "a fixed backend stamp", "every file has the same mtime: the backend stamped them (SOURCE_DATE_EPOCH or its fixed date)")
    container = reader.info.container
    gzip_mtime = container.gzip_members[0].mtime if container and container.gzip_members else 0
    if times:
        found.build_time = max(times)
        found.add("build_time", found.build_time, "the newest member mtime: when the sdist was made")
    elif gzip_mtime and gzip_mtime not in FIXED_BACKEND_STAMPS:
        found.build_time = gzip_mtime
        found.add("build_time", gzip_mtime, "the gzip header's mtime: when the sdist was compressed")
    modes = [mode for _, mode in files]
    if modes and any(mode & 0o020 for mode in modes) and all(mode & 0o002 == 0 for mode in modes):
        found.umask = "002"
        found.add("umask", "002", f"{sum(1 for m in modes if m & 0o020)} of {len(modes)} files are group-writable (664/775)")
    if modes and all(mode & 0o666 == 0o666 for mode in modes):
        found.windows = True
        found.add("windows", True, "every file is world-writable (666/777): typical of an archive made on Windows")
    if pkg_info.data:
        text = bytes(pkg_info.data)
        if b"\r\n" in text:
            found.windows = True
            found.add("windows", True, "PKG-INFO has CRLF line ends: typical of a build on Windows")
        version = HeaderParser().parsestr(text.decode("utf-8", "replace")).get("Metadata-Version")
        if version:
            found.metadata_version = version.strip()
            found.add("metadata_version", found.metadata_version, "PKG-INFO's Metadata-Version follows the backend's version")
    return found
