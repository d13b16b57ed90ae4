"""A streaming tar reader for untrusted input that keeps every header byte.

Reads ustar, GNU (long names, long links) and pax (local and global extended headers) archives from
a stream of decompressed chunks. Written here rather than with `tarfile` because the comparison needs
the exact header bytes of each member (tarfile re-encodes them), must refuse what tarfile tolerates
silently (a non-zero size on a directory, checksum-valid garbage), and must be fast: a member costs
a few microseconds of Python, content is hashed by hashlib straight from the decompressed buffers.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from typing import Any

from verifier.archive.interface import BLOCK, ArchiveError, Capture, Limits, Member, MemberKind, display_name, git_blob_hasher
from verifier.archive.safety import check_link, check_name
from verifier.archive.tarfields import (
    _mode_owner_mtime,
    _owner_names,
    _owner_names_of,
    _pax_numbers,
    _text,
    checksum_matches,
    padded,
    parse_number,
    parse_pax_records,
)
from verifier.archive.tarplain import PlainFields, plain_fields

ZERO_BLOCK = bytes(BLOCK)

# typeflag byte -> kind, for members that are not extended headers
_KINDS = {
    ord("0"): MemberKind.FILE,
    0: MemberKind.FILE,
    ord("7"): MemberKind.FILE,  # contiguous file: a regular file everywhere that matters
    ord("1"): MemberKind.HARDLINK,
    ord("2"): MemberKind.SYMLINK,
    ord("5"): MemberKind.DIR,
    ord("3"): MemberKind.CHARDEV,
    ord("4"): MemberKind.BLOCKDEV,
    ord("6"): MemberKind.FIFO,
    ord("S"): MemberKind.SPARSE,
}
_REFUSED = {
    ord("D"): "a GNU dump directory",
    ord("M"): "a GNU multi-volume continuation",
    ord("V"): "a GNU volume label",
    ord("N"): "an old GNU long-name entry",
}
_UNUSUAL = {
    MemberKind.CHARDEV: "a character device",
    MemberKind.BLOCKDEV: "a block device",
    MemberKind.FIFO: "a fifo",
    MemberKind.SPARSE: "a GNU sparse file",
}
MAX_WARNINGS = 20
_SMALL = 64 * 1024  # content up to this size is read whole rather than streamed to the hash
# Where a directory's declared size is kept (GNU tar reads no data after a directory header).
DIRECTORY_SIZE_KEY = "VERIFIER.directory-size"
SPARSE_NAME_KEY = "GNU.sparse.name"
_NO_PAX: dict[str, str] = {}
# pax keys folded into Member fields; every other key is kept in Member.extra
_PAX_FIELDS = frozenset({"path", "linkpath", "size", "uid", "gid", "uname", "gname", "mtime"})


_make_member = Member._make
_new_tuple = tuple.__new__


class BlockStream:
    """Exact reads over a stream of chunks, tracking the absolute offset."""

    __slots__ = ("_base", "_buf", "_chunks", "_pos")

    def __init__(self, chunks: Iterator[bytes]) -> None:
        self._chunks = chunks
        self._buf = b""
        self._pos = 0
        self._base = 0  # absolute offset of _buf[0]

    @property
    def offset(self) -> int:
        return self._base + self._pos

    def _refill(self) -> bool:
        """The next chunk as the buffer, once this one is used up (nothing is copied)."""
        chunk = next(self._chunks, None)
        if chunk is None:
            return False
        self._base += len(self._buf)
        self._buf = chunk
        self._pos = 0
        return True

    def read(self, n: int) -> bytes:
        """Exactly n bytes, or fewer only at the end of the stream."""
        end = self._pos + n
        if end <= len(self._buf):
            data = self._buf[self._pos : end]
            self._pos = end
            return data
        # Across chunks: the pieces are joined, never a whole chunk with what is left of the last.
        parts = [self._buf[self._pos :]]
        self._pos = len(self._buf)
        wanted = n - len(parts[0])
        while wanted > 0 and self._refill():
            parts.append(self._buf[:wanted])
            self._pos = len(parts[-1])
            wanted -= self._pos
        return b"".join(parts)

    def take(self, n: int) -> tuple[bytes, int] | None:
        """The buffer and the start of the next n bytes when they are in it (no copy), else None."""
        start = self._pos
        end = start + n
        if end > len(self._buf):
            return None
        self._pos = end
        return self._buf, start

    def feed(self, n: int, sinks: tuple[Any, ...]) -> int:
        """Pass the next n bytes to each sink's update(), without joining them; returns bytes fed."""
        fed = 0
        while fed < n:
            if self._pos >= len(self._buf) and not self._refill():
                return fed
            take = min(n - fed, len(self._buf) - self._pos)
            view = memoryview(self._buf)[self._pos : self._pos + take]
            for sink in sinks:
                sink.update(view)
            self._pos += take
            fed += take
        return fed


class _Writer:
    """A binary file seen as a hash-like sink."""

    __slots__ = ("update",)

    def __init__(self, target: object) -> None:
        self.update = target.write  # type: ignore[attr-defined]


class _Ext:
    """Extended-header state collected for the next main header."""

    __slots__ = ("blocks", "longlink", "longname", "pax")

    def __init__(self) -> None:
        self.blocks: list[bytes] = []
        self.pax: list[tuple[str, str]] = []
        self.longname: str | None = None
        self.longlink: str | None = None


def _global_member(index: int, records: list[tuple[str, str]], block: bytes, offset: int) -> Member:
    return Member(
        index=index,
        name=f"<pax global header {index}>",
        kind=MemberKind.PAX_GLOBAL,
        mode=0,
        uid=0,
        gid=0,
        uname="",
        gname="",
        mtime=0,
        size=0,
        linkname="",
        extra=tuple(records),
        headers=(block,),
        content_sha256=b"",
        data_offset=offset,
    )


class TarReader:
    """Yields the members of a tar stream; `trailer_*` describe what follows the last member."""

    def __init__(
        self,
        chunks: Iterator[bytes],
        limits: Limits,
        *,
        want_blob_sha1: bool = False,
        capture: Capture | None = None,
        content_sink: Any = None,
    ) -> None:
        self._stream = BlockStream(chunks)
        # When given, every member's content goes to content_sink.update() in stream order, and
        # members carry no content digest of their own (b""): one running hash instead of one each.
        self._content_sink = content_sink
        self._capture = capture
        self._limits = limits
        self._want_blob_sha1 = want_blob_sha1
        self._global_pax: dict[str, str] = {}
        self.trailer_offset = 0
        self.trailer_size = 0
        self.trailer_sha256 = ""
        self.trailer_zero = True
        self.warnings: list[str] = []

    def _where(self, offset: int) -> str:
        return f"tar header at byte {offset}"

    def _read_ext_data(self, size: int, where: str) -> bytes:
        if size > self._limits.max_extended_header_bytes:
            raise ArchiveError(
                f"{where}: extended header of {size} bytes is over the limit of "
                f"{self._limits.max_extended_header_bytes}"
            )
        data = self._stream.read(padded(size))
        if len(data) < padded(size):
            raise ArchiveError(f"truncated tar stream: {where} ends early")
        return data

    def members(self) -> Iterator[Member]:
        stream = self._stream
        ext = _Ext()
        index = 0
        limits = self._limits
        while True:
            buffer, position = stream._buf, stream._pos
            if position + BLOCK <= len(buffer):
                offset = stream._base + position
                header = buffer[position : position + BLOCK]
                stream._pos = position + BLOCK
            else:
                offset = stream.offset
                header = stream.read(BLOCK)
            if not ext.blocks and not self._global_pax and header != ZERO_BLOCK and len(header) == BLOCK:
                fields = plain_fields(header, limits)
                if fields is not None:  # the usual member: read without the general path's detours
                    member = self._plain_member(header, fields, index, offset)
                    index = self._count(index)
                    yield member
                    continue
            if not header:
                if ext.blocks:
                    raise ArchiveError("truncated tar stream: extended header without a member")
                self.trailer_offset = offset
                return  # no end-of-archive marker: accepted, and the trailer is empty
            if len(header) < BLOCK:
                raise ArchiveError(f"truncated tar stream: partial header at byte {offset}")
            if header == ZERO_BLOCK:
                if ext.blocks:
                    raise ArchiveError(f"{self._where(offset)}: extended header without a member")
                self.trailer_offset = offset
                self._read_trailer(header)
                return
            where = f"tar header at byte {offset}"  # as _where() says it
            stored = -1
            if header[154] == 0:  # the usual "%06o\0 ": read as parse_number would, without its detour
                try:  # noqa: SIM105 - per header: a try costs nothing, suppress() a call
                    stored = int(header[148:154], 8)
                except ValueError:
                    pass
            if stored < 0:
                stored = parse_number(header[148:156], "checksum", where)
            if not checksum_matches(header, stored):
                raise ArchiveError(f"{where}: bad header checksum (not a tar archive, or corrupt)")
            typeflag = header[156]
            size = parse_number(header[124:136], "size", where)
            if size < 0:
                raise ArchiveError(f"{where}: negative size")

            if typeflag in (0x78, 0x58, 0x67):  # 'x' local pax header ('X': Solaris' name), 'g' global
                data = self._read_ext_data(size, where)
                records = parse_pax_records(data[:size], where)
                if typeflag != 0x67:
                    ext.blocks.append(header + data)
                    ext.pax.extend(records)
                    continue
                if ext.blocks:
                    raise ArchiveError(f"{where}: global pax header after a local extended header")
                self._global_pax.update(records)
                index = self._count(index)
                yield _global_member(index - 1, records, header + data, offset)
                continue
            if typeflag in (0x4C, 0x4B):  # 'L' GNU long name, 'K' GNU long link
                data = self._read_ext_data(size, where)
                value = data[:size].split(b"\0", 1)[0].decode("utf-8", "surrogateescape")
                if typeflag == 0x4C:
                    ext.longname = value
                else:
                    ext.longlink = value
                ext.blocks.append(header + data)
                continue

            member = self._main_member(header, ext, index, offset, where, size)
            index = self._count(index)
            if ext.blocks:  # every extended header adds its blocks: an unused one is kept
                ext = _Ext()
            yield member

    def _plain_member(self, header: bytes, fields: PlainFields, index: int, offset: int) -> Member:
        name, kind, mode, uid, gid, mtime, size = fields
        data_offset = offset + BLOCK
        running = self._content_sink
        taken = None
        if running is not None and size <= _SMALL and self._capture is None and not self._want_blob_sha1:
            whole = (size + 511) & ~511  # padded(size), inline
            taken = self._stream.take(whole)
        if taken is not None:  # content and padding in the buffer: hashed from it, no copy
            buffer, start = taken
            running.update(memoryview(buffer)[start : start + size])
            padding = buffer[start + size : start + whole]
            padding = b"" if padding.count(0) == len(padding) else padding
            content_sha256, blob_sha1 = b"", None
        else:
            size, content_sha256, blob_sha1, padding = self._content(header, index, name, size, f"tar header at byte {offset}")
        uname, gname = _owner_names.get(header[265:329]) or _owner_names_of(header[265:329])
        return _new_tuple(  # Member's fields in order
            Member,
            (index, name, kind, mode, uid, gid, uname, gname, mtime, size, "", (), (header,), content_sha256, padding, data_offset, blob_sha1, "tar", None),
        )

    def _count(self, index: int) -> int:
        if index >= self._limits.max_members:
            raise ArchiveError(f"more than {self._limits.max_members} members (the limit)")
        return index + 1

    def _main_member(self, header: bytes, ext: _Ext, index: int, offset: int, where: str, size: int) -> Member:
        if self._global_pax or ext.pax:
            pax = dict(self._global_pax)
            pax.update(ext.pax)
        else:
            pax = _NO_PAX
        name, kind = self._name_and_kind(header, ext, pax)
        linkname = _text(header[157:257]) if header[157] else ""
        if ext.longlink is not None:
            linkname = ext.longlink
        mode, uid, gid, mtime = _mode_owner_mtime(header, where)
        if pax:
            linkname = pax.get("linkpath", linkname)
            size, uid, gid, mtime = _pax_numbers(pax, size, uid, gid, mtime, where, name)
        if size < 0:
            raise ArchiveError(f"{where}: negative size for {display_name(name)!r}")
        extra = tuple((key, value) for key, value in ext.pax if key not in _PAX_FIELDS) if ext.pax else ()
        device = None
        if kind is MemberKind.DIR and size:
            # GNU tar and tarfile read no data after a directory header, whatever its size says:
            # the declared size is compared (header bytes, and a record that re-encoding keeps).
            extra = (*extra, (DIRECTORY_SIZE_KEY, str(size)))
            size = 0
        elif kind in (MemberKind.CHARDEV, MemberKind.BLOCKDEV):
            device = (parse_number(header[329:337], "devmajor", where), parse_number(header[337:345], "devminor", where))
        if kind not in (MemberKind.FILE, MemberKind.SPARSE) and size:
            raise ArchiveError(f"{kind.value} {display_name(name)!r} declares {size} bytes of content")
        if kind is MemberKind.SYMLINK:
            check_link(name, linkname, hard=False)
        elif kind is MemberKind.HARDLINK:
            check_link(name, linkname, hard=True)
        elif linkname:
            linkname = ""  # a link name on a file or directory means nothing; the header keeps it
        unusual = _UNUSUAL.get(kind) or ("a GNU sparse file" if pax and (SPARSE_NAME_KEY in pax or "GNU.sparse.size" in pax) else None)
        if unusual is not None:
            self._warn(f"member {display_name(name)!r} is {unusual}, which an sdist should not hold")

        data_offset = self._stream.offset
        size, content_sha256, blob_sha1, padding = self._content(header, index, name, size, where)
        uname, gname = _owner_names_of(header[265:329])
        # Member's fields in order (_make: a third of the keyword call's cost, per member)
        return _make_member(
            (
                index,
                name,
                kind,
                mode & 0o7777,
                uid,
                gid,
                pax.get("uname", uname) if pax else uname,
                pax.get("gname", gname) if pax else gname,
                mtime,
                size,
                linkname,
                extra,
                (*ext.blocks, header) if ext.blocks else (header,),
                content_sha256,
                padding,
                data_offset,
                blob_sha1,
                "tar",
                device,
            )
        )

    def _name_and_kind(self, header: bytes, ext: _Ext, pax: dict[str, str]) -> tuple[str, MemberKind]:
        typeflag = header[156]
        posix = header[257:263] == b"ustar\0"
        name = _text(header[0:100])
        if posix and header[345] != 0:
            name = _text(header[345:500]) + "/" + name
        if ext.longname is not None:
            name = ext.longname
        if pax:
            name = pax.get("path", name)
            name = pax.get(SPARSE_NAME_KEY, name)  # GNU sparse 0.1 and 1.0 keep the real name here
        refused = _REFUSED.get(typeflag)
        if refused is not None:
            raise ArchiveError(f"member {display_name(name)!r} is {refused}; an sdist holds only files, directories and links")
        kind = _KINDS.get(typeflag)
        if kind is None:
            if 0x41 <= typeflag <= 0x5A:  # 'A'..'Z': vendor extensions, to be ignored per POSIX
                raise ArchiveError(f"member {display_name(name)!r} has an unsupported tar type {chr(typeflag)!r}")
            kind = MemberKind.FILE  # POSIX: unknown types are read as regular files
        if typeflag == 0 and name.endswith("/"):
            kind = MemberKind.DIR  # v7 convention, as tarfile reads it
        check_name(name, self._limits)
        return name, kind

    def _warn(self, message: str) -> None:
        if len(self.warnings) < MAX_WARNINGS:
            self.warnings.append(message)
        elif len(self.warnings) == MAX_WARNINGS:
            self.warnings.append("more warnings about unusual members not shown")

    def _content(self, header: bytes, index: int, name: str, size: int, where: str) -> tuple[int, bytes, bytes | None, bytes]:
        """Hash (and capture) the member's content; returns (size, sha256, git blob sha1, padding).

        An old GNU sparse member's content starts with its map extension blocks, if any."""
        extension = self._sparse_extension(header, where) if header[156] == 0x53 else b""
        running = self._content_sink
        if running is not None and not extension and self._capture is None and not self._want_blob_sha1:
            whole = padded(size)
            taken = self._stream.take(whole) if size <= _SMALL else None
            if taken is not None:  # content and padding in the buffer: hashed from it, no copy
                buffer, start = taken
                running.update(memoryview(buffer)[start : start + size])
                padding = buffer[start + size : start + whole]
                return size, b"", None, b"" if padding.count(0) == len(padding) else padding
        if size <= _SMALL and not extension and running is None and self._capture is None and not self._want_blob_sha1:
            # The usual small member: content and padding in one read, hashed in one call.
            whole = padded(size)
            data = self._stream.read(whole)
            if len(data) < whole:
                what = "content" if len(data) < size else "padding"
                raise ArchiveError(f"truncated tar stream: {what} of {display_name(name)!r} ends early")
            padding = data[size:]
            if padding and padding.count(0) == len(padding):
                padding = b""
            return size, hashlib.sha256(data[:size]).digest(), None, padding
        total = len(extension) + size
        content = hashlib.sha256() if running is None else running
        sinks: tuple[Any, ...] = (content,)
        blob = None
        if self._want_blob_sha1:
            blob = git_blob_hasher(total)
            sinks = (content, blob)
        target = self._capture(index) if self._capture is not None else None
        if target is not None:
            sinks = (*sinks, _Writer(target))
        if extension:
            for sink in sinks:
                sink.update(extension)
        if self._stream.feed(size, sinks) < size:
            raise ArchiveError(f"truncated tar stream: content of {display_name(name)!r} ends early")
        padding = b""
        pad_len = padded(size) - size
        if pad_len:
            padding = self._stream.read(pad_len)
            if len(padding) < pad_len:
                raise ArchiveError(f"truncated tar stream: padding of {display_name(name)!r} ends early")
            if padding.count(0) == pad_len:
                padding = b""
        digest = content.digest() if running is None else b""
        return total, digest, blob.digest() if blob is not None else None, padding

    def _sparse_extension(self, header: bytes, where: str) -> bytes:
        """The extension blocks of an old GNU sparse header's map ('isextended' set), as stored."""
        blocks: list[bytes] = []
        extended = header[482]
        while extended:
            if len(blocks) * BLOCK >= self._limits.max_extended_header_bytes:
                raise ArchiveError(f"{where}: sparse map over the limit of {self._limits.max_extended_header_bytes} bytes")
            block = self._stream.read(BLOCK)
            if len(block) < BLOCK:
                raise ArchiveError(f"truncated tar stream: {where}: sparse map ends early")
            blocks.append(block)
            extended = block[504]
        return b"".join(blocks)

    def _read_trailer(self, first: bytes) -> None:
        """Everything from the first zero block to the end of the stream: kept as a digest."""
        digest = hashlib.sha256(first)
        size = len(first)
        zero = True
        while True:
            chunk = self._stream.read(1 << 20)
            if not chunk:
                break
            digest.update(chunk)
            size += len(chunk)
            if zero and chunk.count(0) != len(chunk):
                zero = False
        self.trailer_size = size
        self.trailer_sha256 = digest.hexdigest()
        self.trailer_zero = zero
