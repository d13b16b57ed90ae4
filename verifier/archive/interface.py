"""What an archive reader yields: members with their exact header bytes, and facts about the whole file.

Archives are untrusted input. Readers stream them (nothing is extracted to disk), enforce the
`Limits`, and raise `ArchiveError` with a one-line message for anything they refuse.

A `Member` carries two views of one archive member:
- its semantic fields (name, kind, mode, owner, mtime, size, link target, extra pax records), and
- `headers`: the exact bytes that encode it in the tar stream (extended headers with their data,
  then the main header). For zip input these are synthesized canonical tar headers.
Normalizations rewrite both views consistently; equivalence is equality of the rewritten streams.
"""

from __future__ import annotations

import enum
import hashlib
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import BinaryIO, NamedTuple

from verifier.errors import ArchiveError

__all__ = [
    "ArchiveError",
    "ArchiveInfo",
    "Capture",
    "ContainerInfo",
    "GzipMemberHeader",
    "Limits",
    "Member",
    "MemberKind",
    "display_name",
    "evolve",
    "git_blob_hasher",
    "git_blob_sha1",
]

BLOCK = 512

# Asked with a member's index; a binary file returned receives that member's content.
Capture = Callable[[int], BinaryIO | None]


class MemberKind(enum.StrEnum):
    FILE = "file"
    DIR = "dir"
    SYMLINK = "symlink"
    HARDLINK = "hardlink"
    # A pax global header ('g'): not a file, but part of the stream and compared like one.
    PAX_GLOBAL = "pax-global-header"
    # Read (GNU tar reads them) and compared by their header bytes; no sdist should hold them.
    CHARDEV = "char-device"
    BLOCKDEV = "block-device"
    FIFO = "fifo"
    # An old GNU sparse file ('S'): its content is the stored form (map extension blocks, then the
    # data chunks), compared as bytes, not expanded.
    SPARSE = "sparse"


@dataclass(frozen=True, slots=True)
class Limits:
    """Bounds that keep time and memory finite whatever the input."""

    # Comparing an equivalent pair keeps ~24 bytes per member (the fast path); a pair that differs,
    # or a reordering selection, keeps ~1.4 KB per member to name every difference.
    max_members: int = 500_000
    max_unpacked_bytes: int = 8 * 2**30  # decompressed size of the whole archive
    max_extended_header_bytes: int = 1 * 2**20  # one pax header or GNU long name
    max_name_bytes: int = 16 * 2**10


class Member(NamedTuple):
    """One archive member, as read and (after normalization) as rewritten.

    A named tuple: immutable, and cheap to copy with changes (normalizations do, per member)."""

    index: int  # type: ignore[assignment]  # position in the archive, 0-based, counting pax global headers
    name: str  # the effective name as stored, decoded UTF-8 with surrogateescape (lossless)
    kind: MemberKind
    mode: int  # permission bits, including setuid/setgid/sticky
    uid: int
    gid: int
    uname: str
    gname: str
    mtime: int | Decimal  # whole seconds as int, fractions as Decimal
    size: int  # content size (0 for anything but files)
    linkname: str
    extra: tuple[tuple[str, str], ...]  # pax records not represented above, in stream order
    headers: tuple[bytes, ...]  # exact header bytes, extended headers first (data padded to 512)
    content_sha256: bytes
    padding: bytes = b""  # the bytes padding the content to 512, when they are not all zero
    data_offset: int = 0  # where the content starts in the uncompressed stream
    git_blob_sha1: bytes | None = None  # sha1 of "blob <size>\\0<content>", when asked for
    origin: str = "tar"  # "tar" or "zip": which header encoding `headers` holds
    device: tuple[int, int] | None = None  # (major, minor) of a device member


@dataclass(frozen=True, slots=True)
class GzipMemberHeader:
    """The header fields of one gzip member (RFC 1952)."""

    offset: int
    flags: int
    mtime: int
    xfl: int
    os: int
    filename: bytes | None
    comment: bytes | None
    extra: bytes | None
    raw: bytes  # the header bytes exactly

    def as_dict(self) -> dict[str, object]:
        return {
            "mtime": self.mtime,
            "filename": None if self.filename is None else self.filename.decode("latin-1"),
            "os": self.os,
            "xfl": self.xfl,
            "flags": self.flags,
            "comment": None if self.comment is None else self.comment.decode("latin-1"),
            "extra": None if self.extra is None else self.extra.hex(),
        }


@dataclass(frozen=True, slots=True)
class ContainerInfo:
    """The compression layer around the tar stream (or the zip structure)."""

    compression: str  # "gzip", "bzip2", "xz", "none", "zip"
    payload_sha256: str  # sha256 of the decompressed stream ("" for zip, and when not computed)
    payload_size: int
    gzip_members: tuple[GzipMemberHeader, ...] = ()
    trailing_size: int = 0  # bytes after the last compressed stream
    trailing_sha256: str = ""
    trailing_zero: bool = True
    # For zip: a digest over what the members do not hold (compression methods, compressed bytes).
    compressed_sha256: str = ""


@dataclass(slots=True)
class ArchiveInfo:
    """Facts about one archive file; complete once its members have been read."""

    path: str
    size: int
    sha256: str
    format: str  # "tar.gz", "tar", "tar.bz2", "tar.xz", "zip"
    container: ContainerInfo | None = None
    member_count: int = 0
    top_level: str | None = None  # the single top-level directory, if there is one
    top_levels: tuple[str, ...] = ()  # all first components, when there are several
    trailer_offset: int = 0  # tar: where the end-of-archive marker starts in the uncompressed stream
    trailer_size: int = 0  # tar: bytes from the end-of-archive marker to the end of the stream
    trailer_sha256: str = ""
    trailer_zero: bool = True
    warnings: list[str] = field(default_factory=list)


_FIELD_INDEX = {name: position for position, name in enumerate(Member._fields)}


def evolve(member: Member, **changes: object) -> Member:
    """A copy of `member` with some fields changed (per member on the hot path: kept cheap)."""
    values: list[object] = list(member)
    for key, value in changes.items():
        values[_FIELD_INDEX[key]] = value
    return tuple.__new__(Member, values)


def git_blob_hasher(size: int) -> hashlib._Hash:
    """A sha1 primed as git hashes a blob of `size` bytes (feed it the content): its object id."""
    return hashlib.sha1(b"blob %d\0" % size, usedforsecurity=False)


def git_blob_sha1(data: bytes) -> str:
    """The git object id of `data` as a blob."""
    digest = git_blob_hasher(len(data))
    digest.update(data)
    return digest.hexdigest()


def display_name(name: str) -> str:
    """A member name for people and JSON: bytes that are not UTF-8 shown as \\xNN escapes."""
    return name.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")
