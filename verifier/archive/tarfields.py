"""Fields of tar headers and pax records, read as tarfile and GNU tar read them (for `tar.py`)."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from verifier.archive.interface import BLOCK, ArchiveError, display_name
from verifier.archive.tarheader import checksum_of

__all__ = ["checksum_matches", "exact_time", "padded", "parse_number", "parse_pax_records"]

_HIGH_BYTES = bytes(range(128, 256))


def padded(size: int) -> int:
    return -(-size // BLOCK) * BLOCK


def checksum_matches(header: bytes, stored: int) -> bool:
    """Does `stored` equal the header's unsigned checksum, or its signed one (old writers)?"""
    unsigned = checksum_of(header)
    if stored == unsigned:
        return True
    high = BLOCK - len(header.translate(None, _HIGH_BYTES))
    if high:
        high -= 8 - len(header[148:156].translate(None, _HIGH_BYTES))
    return stored == unsigned - 256 * high


def parse_number(field: bytes, what: str, where: str) -> int:
    """A numeric header field: octal text (as tarfile reads it) or GNU base-256."""
    if field and field[-1] in (0, 32):  # the usual shape: digits, then one NUL or space
        try:
            return int(field[:-1], 8)  # no NUL inside; spaces around stripped, as below
        except ValueError:
            pass
    if field and field[0] & 0x80:
        if field[0] == 0x80:
            return int.from_bytes(field[1:], "big")
        if field[0] == 0xFF:
            return int.from_bytes(field, "big", signed=True)
        raise ArchiveError(f"{where}: malformed base-256 {what} field")
    text = field.split(b"\0", 1)[0].strip()
    if not text:
        return 0
    try:
        return int(text, 8)
    except ValueError:
        raise ArchiveError(f"{where}: {what} field is not a number: {field!r}") from None


def exact_time(value: Decimal) -> int | Decimal:
    """Whole seconds as an int (small, fast); a fraction stays a Decimal, exactly as written."""
    return int(value) if value == value.to_integral_value() else value


def _text(field: bytes) -> str:
    return field.split(b"\0", 1)[0].decode("utf-8", "surrogateescape")


_owner_names: dict[bytes, tuple[str, str]] = {}


def _owner_names_of(fields: bytes) -> tuple[str, str]:
    """User and group names (the header's bytes 265 to 329) repeat on every member: decode each
    pair once, share the strings."""
    names = _owner_names.get(fields)
    if names is None:
        if len(_owner_names) > 4096:
            _owner_names.clear()
        names = _owner_names[fields] = (_text(fields[:32]), _text(fields[32:]))
    return names


def parse_pax_records(data: bytes, where: str) -> list[tuple[str, str]]:
    """The records of a pax extended header, in order, values decoded UTF-8 (surrogateescape)."""
    records: list[tuple[str, str]] = []
    pos = 0
    end = len(data)
    while pos < end:
        if data[pos] == 0:  # NUL padding inside the declared size: tolerated by tar, nothing follows
            if data[pos:].count(0) != end - pos:
                raise ArchiveError(f"{where}: malformed pax header (data after NUL padding)")
            break
        space = data.find(b" ", pos, min(end, pos + 24))
        if space < 0:
            raise ArchiveError(f"{where}: malformed pax header record at byte {pos}")
        try:
            length = int(data[pos:space])
        except ValueError:
            raise ArchiveError(f"{where}: malformed pax header record length at byte {pos}") from None
        if length <= space - pos + 2 or pos + length > end or data[pos + length - 1] != 0x0A:
            raise ArchiveError(f"{where}: malformed pax header record at byte {pos}")
        record = data[space + 1 : pos + length - 1]
        equals = record.find(b"=")
        if equals <= 0:
            raise ArchiveError(f"{where}: malformed pax header record (no key) at byte {pos}")
        key = record[:equals].decode("utf-8", "surrogateescape")
        value = record[equals + 1 :].decode("utf-8", "surrogateescape")
        records.append((key, value))
        pos += length
    return records


def _mode_owner_mtime(header: bytes, where: str) -> tuple[int, int, int, int | Decimal]:
    """Mode, uid, gid and mtime from a header: the usual octal fields read at once, else one by one."""
    if header[107] in (0, 32) and header[115] in (0, 32) and header[123] in (0, 32) and header[147] in (0, 32):
        try:
            return int(header[100:107], 8), int(header[108:115], 8), int(header[116:123], 8), int(header[136:147], 8)
        except ValueError:
            pass
    return (
        parse_number(header[100:108], "mode", where),
        parse_number(header[108:116], "uid", where),
        parse_number(header[116:124], "gid", where),
        parse_number(header[136:148], "mtime", where),
    )


def _pax_numbers(
    pax: dict[str, str], size: int, uid: int, gid: int, mtime: int | Decimal, where: str, name: str
) -> tuple[int, int, int, int | Decimal]:
    """Size, uid, gid and mtime, as pax records override the header's."""
    try:
        if "size" in pax:
            size = int(pax["size"])
        if "uid" in pax:
            uid = int(pax["uid"])
        if "gid" in pax:
            gid = int(pax["gid"])
        if "mtime" in pax:
            mtime = exact_time(Decimal(pax["mtime"]))
    except (ValueError, InvalidOperation):
        raise ArchiveError(f"{where}: malformed numeric pax record for {display_name(name)!r}") from None
    return size, uid, gid, mtime
