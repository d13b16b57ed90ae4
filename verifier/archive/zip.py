"""Zip sdists (older setuptools made them): members read through the central directory, streaming.

Each zip member becomes a `Member` whose zip-only fields (flags, versions, attributes, comment, every
extra field of the local and the central header) are kept as `extra` records named `zip.*`, and whose
`headers` are canonical tar headers synthesized from all of that, so zip and tar members are
normalized and compared the same way. Compression methods and compressed bytes belong to the frame
(the `gzip-header` normalization covers them), as a gzip header does for a tarball.

Refused: overlapping entries (a zip-bomb technique), encrypted members, names that escape.
"""

from __future__ import annotations

import calendar
import hashlib
import stat
import struct
import zipfile
import zlib
from collections.abc import Iterator
from typing import BinaryIO

from verifier.archive import tarheader as th
from verifier.archive.interface import ArchiveError, Capture, Limits, Member, MemberKind, display_name, git_blob_hasher
from verifier.archive.safety import check_link, check_name

# extra-field ids (as 4 hex digits) that hold times, and those that hold owners
ZIP_TIME_KEYS = ("zip.extra.5455", "zip.extra.000a", "zip.extra.5855")
ZIP_OWNER_KEYS = ("zip.extra.7875", "zip.extra.7855", "zip.extra.5855")
_LOCAL_HEADER = struct.Struct("<4s5H3L2H")
_READ_CHUNK = 1 << 20


def synthesize_headers(member: Member) -> tuple[bytes, ...]:
    return th.canonical_headers(member)


def _extra_records(blob: bytes, where: str) -> list[tuple[str, str]]:
    records: list[tuple[str, str]] = []
    pos = 0
    while pos + 4 <= len(blob):
        ident, length = struct.unpack("<HH", blob[pos : pos + 4])
        body = blob[pos + 4 : pos + 4 + length]
        records.append((f"zip.extra.{ident:04x}.{where}", body.hex()))
        pos += 4 + length
    if pos != len(blob):
        records.append((f"zip.extra.trailing.{where}", blob[pos:].hex()))
    return records


class ZipReader:
    """Yields the members of a zip file; `frame_token` describes its structure once read."""

    def __init__(
        self, stream: BinaryIO, limits: Limits, *, want_blob_sha1: bool = False, capture: Capture | None = None
    ) -> None:
        self._stream = stream
        self._capture = capture
        self._limits = limits
        self._want_blob_sha1 = want_blob_sha1
        self.comment = b""
        self.gaps_sha256 = ""
        self.compressed_sha256 = ""

    def members(self) -> Iterator[Member]:
        try:
            archive = zipfile.ZipFile(self._stream)
        except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, OSError, EOFError) as exc:
            raise ArchiveError(f"not a readable zip archive: {exc}") from exc
        infos = archive.infolist()
        if len(infos) > self._limits.max_members:
            raise ArchiveError(f"more than {self._limits.max_members} members (the limit)")
        self.comment = archive.comment
        spans = self._check_layout(infos)
        compressed = hashlib.sha256()
        total = 0
        for index, info in enumerate(infos):
            local_extra = spans[index]
            if info.flag_bits & 0x1:
                raise ArchiveError(f"member {info.filename!r} is encrypted")
            total += info.file_size
            if total > self._limits.max_unpacked_bytes:
                raise ArchiveError(
                    f"decompresses to more than {self._limits.max_unpacked_bytes} bytes "
                    "(the limit; a decompression bomb?)"
                )
            yield self._member(archive, info, index, local_extra, compressed)
        self.compressed_sha256 = compressed.hexdigest()

    def _check_layout(self, infos: list[zipfile.ZipInfo]) -> list[bytes]:
        """Read each local header; refuse overlaps; digest the bytes no entry accounts for."""
        stream = self._stream
        spans: list[tuple[int, int, int]] = []
        local_extras: list[bytes] = []
        for position, info in enumerate(infos):
            stream.seek(info.header_offset)
            raw = stream.read(_LOCAL_HEADER.size)
            if len(raw) < _LOCAL_HEADER.size or raw[:4] != b"PK\x03\x04":
                raise ArchiveError(f"member {info.filename!r}: bad local header")
            fields = _LOCAL_HEADER.unpack(raw)
            name_len, extra_len = fields[9], fields[10]
            name_and_extra = stream.read(name_len + extra_len)
            local_extras.append(name_and_extra[name_len:])
            end = info.header_offset + _LOCAL_HEADER.size + name_len + extra_len + info.compress_size
            if info.flag_bits & 0x8:  # data descriptor: 12 or 16 bytes (with signature)
                stream.seek(end)
                end += 16 if stream.read(4) == b"PK\x07\x08" else 12
            spans.append((info.header_offset, end, position))
        spans.sort()
        gaps = hashlib.sha256()
        cursor = 0
        for start, end, position in spans:
            if start < cursor:
                raise ArchiveError(f"member {infos[position].filename!r} overlaps another entry (a zip bomb?)")
            if start > cursor:
                stream.seek(cursor)
                gaps.update(b"%d:" % cursor + stream.read(start - cursor))
            cursor = end
        self.gaps_sha256 = gaps.hexdigest()
        return local_extras

    def _member(
        self, archive: zipfile.ZipFile, info: zipfile.ZipInfo, index: int, local_extra: bytes, compressed: hashlib._Hash
    ) -> Member:
        name = info.filename
        check_name(name, self._limits, backslash_is_separator=True)
        unix_mode = info.external_attr >> 16 if info.create_system == 3 else 0
        if name.endswith("/") or stat.S_ISDIR(unix_mode):
            kind = MemberKind.DIR
        elif stat.S_ISLNK(unix_mode):
            kind = MemberKind.SYMLINK
        else:
            if stat.S_IFMT(unix_mode) and not stat.S_ISREG(unix_mode):
                raise ArchiveError(f"member {display_name(name)!r} is not a file, directory or link")
            kind = MemberKind.FILE
        content = hashlib.sha256()
        blob = git_blob_hasher(info.file_size) if self._want_blob_sha1 else None
        target = b""
        size = 0
        sink = self._capture(index) if self._capture is not None else None
        try:
            with archive.open(info) as handle:
                while chunk := handle.read(_READ_CHUNK):
                    size += len(chunk)
                    if size > info.file_size:
                        raise ArchiveError(f"member {display_name(name)!r} holds more than its declared size")
                    content.update(chunk)
                    if blob is not None:
                        blob.update(chunk)
                    if sink is not None:
                        sink.write(chunk)
                    if kind is MemberKind.SYMLINK and len(target) < 4096:
                        target += chunk
        except (zipfile.BadZipFile, zlib.error, NotImplementedError, EOFError, OSError) as exc:
            raise ArchiveError(f"member {display_name(name)!r}: {exc}") from exc
        compressed.update(b"%d:%d:%d:%d;" % (index, info.compress_type, info.compress_size, info.CRC))
        linkname = ""
        if kind is MemberKind.SYMLINK:
            linkname = target.decode("utf-8", "surrogateescape")
            check_link(name, linkname, hard=False)
        try:
            mtime = calendar.timegm((*info.date_time, 0, 0, 0))
        except (ValueError, OverflowError):
            mtime = 0
        extra: list[tuple[str, str]] = [
            ("zip.flags", "%04x" % (info.flag_bits & ~0x8)),
            ("zip.create_system", str(info.create_system)),
            ("zip.create_version", str(info.create_version)),
            ("zip.extract_version", str(info.extract_version)),
            ("zip.internal_attr", f"{info.internal_attr:04x}"),
            ("zip.external_attr", f"{info.external_attr & ~(0o7777 << 16):08x}"),
        ]
        if info.comment:
            extra.append(("zip.comment", info.comment.hex()))
        extra += _extra_records(local_extra, "local")
        extra += _extra_records(info.extra, "central")
        member = Member(
            index=index,
            name=name,
            kind=kind,
            mode=unix_mode & 0o7777,
            uid=0,
            gid=0,
            uname="",
            gname="",
            mtime=mtime,
            size=size if kind is MemberKind.FILE else 0,
            linkname=linkname,
            extra=tuple(extra),
            headers=(),
            content_sha256=content.digest() if kind is MemberKind.FILE else hashlib.sha256().digest(),
            data_offset=info.header_offset,
            git_blob_sha1=blob.digest() if blob is not None else None,
            origin="zip",
        )
        return member._replace(headers=synthesize_headers(member))
