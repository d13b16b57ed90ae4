"""Byte-level tools for tar headers: fields, checksums, pax records, and canonical headers.

Normalizations use these to rewrite a header in place (only the fields they own), so that every
byte they do not own stays as the archive had it.
"""

from __future__ import annotations

import re
import zlib
from decimal import Decimal

from verifier.archive.interface import BLOCK, Member, MemberKind

# (start, end) of the ustar header fields
NAME = (0, 100)
MODE = (100, 108)
UID = (108, 116)
GID = (116, 124)
SIZE = (124, 136)
MTIME = (136, 148)
CHKSUM = (148, 156)
TYPEFLAG = (156, 157)
LINKNAME = (157, 257)
MAGIC = (257, 263)
VERSION = (263, 265)
UNAME = (265, 297)
GNAME = (297, 329)
DEVMAJOR = (329, 337)
DEVMINOR = (337, 345)
PREFIX = (345, 500)
# GNU headers ("ustar  \0") keep access and change times where ustar keeps the prefix
GNU_ATIME = (345, 357)
GNU_CTIME = (357, 369)

FIELD_NAMES = {
    NAME: "name",
    MODE: "mode",
    UID: "uid",
    GID: "gid",
    SIZE: "size",
    MTIME: "mtime",
    CHKSUM: "checksum",
    TYPEFLAG: "typeflag",
    LINKNAME: "linkname",
    MAGIC: "magic",
    VERSION: "version",
    UNAME: "uname",
    GNAME: "gname",
    DEVMAJOR: "devmajor",
    DEVMINOR: "devminor",
    PREFIX: "prefix/gnu-times",
    (500, 512): "padding",
}

GNU_MAGIC = b"ustar  \0"
PAX_TYPES = (ord("x"), ord("X"), ord("g"))
EXT_TYPES = (ord("x"), ord("X"), ord("g"), ord("L"), ord("K"))


def octal(value: int, width: int) -> bytes:
    """A numeric field as tarfile writes it: zero-padded octal in width-1 digits, then NUL."""
    return b"%0*o\0" % (width - 1, value)


def set_field(header: bytes, field: tuple[int, int], value: bytes) -> bytes:
    start, end = field
    value = value[: end - start].ljust(end - start, b"\0")
    return header[:start] + value + header[end:]


def checksum_of(header: bytes) -> int:
    """The unsigned checksum, the checksum field counted as eight spaces."""
    # Each half sums to at most 256 * 255 < 65521, so adler32's low half is 1 + the exact sum.
    total = (zlib.adler32(header[:256]) & 0xFFFF) + (zlib.adler32(header[256:BLOCK]) & 0xFFFF) - 2
    return total - sum(header[CHKSUM[0] : CHKSUM[1]]) + 256


_CHECKSUM_LAYOUT = re.compile(rb"([^0-7]*)([0-7]+)(.*)", re.S)


def fix_checksum(header: bytes) -> bytes:
    """Recompute the checksum, keeping the original field's layout (digit count, terminators)."""
    old = header[148:156]
    value = checksum_of(header)
    if old[6] == 0 and not old[:6].translate(None, b"01234567"):  # tarfile's and GNU tar's "%06o\0 "
        return header[:148] + b"%06o" % value + old[6:] + header[156:]
    layout = _CHECKSUM_LAYOUT.fullmatch(old)
    if layout is not None:
        width = len(layout.group(2))
        digits = b"%0*o" % (width, value)
        if len(digits) == width:
            return header[:148] + layout.group(1) + digits + layout.group(3) + header[156:]
    return header[:148] + b"%06o\0 " % value + header[156:]


def typeflag(header: bytes) -> int:
    return header[156]


def split_block(block: bytes) -> tuple[bytes, bytes]:
    """An extended-header block into (its 512-byte header, its padded data)."""
    return block[:BLOCK], block[BLOCK:]


def data_size(header: bytes) -> int:
    text = header[SIZE[0] : SIZE[1]].split(b"\0", 1)[0].strip()
    return int(text or b"0", 8)


def split_pax(data: bytes) -> list[tuple[str, bytes]]:
    """The raw records of pax data (already validated by the reader), each with its key."""
    records: list[tuple[str, bytes]] = []
    pos = 0
    while pos < len(data) and data[pos] != 0:
        space = data.index(b" ", pos)
        length = int(data[pos:space])
        raw = data[pos : pos + length]
        key = raw[raw.index(b" ") + 1 : raw.index(b"=")].decode("utf-8", "surrogateescape")
        records.append((key, raw))
        pos += length
    return records


def pax_record(key: str, value: str) -> bytes:
    payload = b" " + key.encode("utf-8", "surrogateescape") + b"=" + value.encode("utf-8", "surrogateescape") + b"\n"
    length = len(payload) + 1
    while len(str(length)) + len(payload) != length:
        length = len(str(length)) + len(payload)
    return str(length).encode() + payload


def pad_data(data: bytes) -> bytes:
    return data + bytes(-len(data) % BLOCK)


def with_pax_records(block: bytes, records: list[bytes]) -> bytes | None:
    """The block rewritten to hold just `records` (None when none are left)."""
    if not records:
        return None
    header, _ = split_block(block)
    data = b"".join(records)
    header = set_field(header, SIZE, octal(len(data), 12))
    return fix_checksum(header) + pad_data(data)


_KIND_FLAGS = {
    MemberKind.FILE: b"0",
    MemberKind.DIR: b"5",
    MemberKind.SYMLINK: b"2",
    MemberKind.HARDLINK: b"1",
    MemberKind.PAX_GLOBAL: b"g",
    MemberKind.CHARDEV: b"3",
    MemberKind.BLOCKDEV: b"4",
    MemberKind.FIFO: b"6",
}


def _ustar(name: bytes, mode: int, size: int, flag: bytes, linkname: bytes = b"", device: tuple[int, int] = (0, 0)) -> bytes:
    header = bytearray(BLOCK)
    header[NAME[0] : NAME[0] + min(len(name), 100)] = name[:100]
    header[MODE[0] : MODE[1]] = octal(mode & 0o7777, 8)
    header[UID[0] : UID[1]] = octal(0, 8)
    header[GID[0] : GID[1]] = octal(0, 8)
    header[SIZE[0] : SIZE[1]] = octal(size, 12)
    header[MTIME[0] : MTIME[1]] = octal(0, 12)
    header[CHKSUM[0] : CHKSUM[1]] = b" " * 8
    header[156] = flag[0]
    header[LINKNAME[0] : LINKNAME[0] + min(len(linkname), 100)] = linkname[:100]
    header[MAGIC[0] : VERSION[1]] = b"ustar\x0000"
    header[DEVMAJOR[0] : DEVMAJOR[1]] = octal(device[0], 8)
    header[DEVMINOR[0] : DEVMINOR[1]] = octal(device[1], 8)
    result = bytes(header)
    return set_field(result, CHKSUM, b"%06o\0 " % checksum_of(result))


def _fits(value: int, width: int) -> bool:
    return 0 <= value < 8 ** (width - 1)  # type: ignore[no-any-return]


def _decimal_text(value: int | Decimal) -> str:
    if isinstance(value, int) or value == value.to_integral_value():
        return str(int(value))
    return format(value.normalize(), "f")


def re_encodable(member: Member) -> bool:
    """Can `canonical_headers` encode this member? Not a GNU sparse one (its map is in its header
    or in ordered pax records): those keep their own encoding."""
    if member.kind is MemberKind.SPARSE:
        return False
    return not any(key.startswith("GNU.sparse.") for key, _ in member.extra)


def canonical_headers(member: Member, extra_records: tuple[tuple[str, str], ...] = ()) -> tuple[bytes, ...]:
    """One fixed encoding of a member's semantic fields: a pax header holding all of them, then ustar.

    Used by the `tar-format` normalization and to represent zip members: two members get the same
    bytes exactly when their fields are equal (device numbers too large for ustar are not kept).
    """
    if member.kind is MemberKind.PAX_GLOBAL:
        records = [pax_record(key, value) for key, value in sorted(member.extra)]
        data = b"".join(records)
        return (_ustar(b"pax_global_header", 0o644, len(data), b"g") + pad_data(data),)
    fields: list[tuple[str, str]] = [("path", member.name)]
    if member.kind in (MemberKind.SYMLINK, MemberKind.HARDLINK):
        fields.append(("linkpath", member.linkname))
    fields += [
        ("size", str(member.size)),
        ("mtime", _decimal_text(member.mtime)),
        ("uid", str(member.uid)),
        ("gid", str(member.gid)),
        ("uname", member.uname),
        ("gname", member.gname),
    ]
    fields += sorted(member.extra) + sorted(extra_records)
    data = b"".join(pax_record(key, value) for key, value in fields)
    pax = _ustar(b"././@PaxHeader", 0o644, len(data), b"x") + pad_data(data)
    name = member.name.encode("utf-8", "surrogateescape")
    link = member.linkname.encode("utf-8", "surrogateescape")
    size = member.size if _fits(member.size, 12) else 0
    main = _ustar(
        name if len(name) <= 100 else b"",
        member.mode,
        size,
        _KIND_FLAGS[member.kind],
        link if len(link) <= 100 else b"",
        member.device if member.device is not None and all(_fits(n, 8) for n in member.device) else (0, 0),
    )
    return (pax, main)


def global_header(records: list[tuple[str, str]]) -> bytes:
    data = b"".join(pax_record(key, value) for key, value in records)
    return _ustar(b"pax_global_header", 0o644, len(data), b"g") + pad_data(data)
