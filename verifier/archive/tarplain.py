"""The usual tar member read in one go: a plain ustar or GNU header for a regular file or a directory.

Nearly every member of an sdist is one header ('0' or '5', no extended header, no link name) whose
fields are laid out as tarfile and GNU tar write them: octal digits then NUL or space, the checksum
as "%06o" NUL space. `plain_fields` reads such a header with a few slices and `int` calls, checking
exactly what the general path (`TarReader._main_member`) checks, and gives the same values; anything
else (another layout, a checksum that only matches as a signed sum, a directory with a size, a bad
number) returns None, and the general path reads the header, raising its usual errors.
"""

from __future__ import annotations

from zlib import adler32

from verifier.archive.interface import Limits, MemberKind
from verifier.archive.safety import check_name

_FILE, _DIR = MemberKind.FILE, MemberKind.DIR
_POSIX_MAGIC = b"ustar\x0000"
_GNU_MAGIC = b"ustar  \0"
_ENDS = (0, 32)  # a numeric field ends with NUL or space

_MODE_OWNER: dict[bytes, tuple[int, int, int]] = {}  # the header's bytes 100 to 124 -> mode, uid, gid

PlainFields = tuple[str, MemberKind, int, int, int, int, int]  # name, kind, mode, uid, gid, mtime, size


def plain_fields(header: bytes, limits: Limits) -> PlainFields | None:
    """Name, kind, mode (permission bits), uid, gid, mtime and size of a plain header; None when the
    header is anything else. Raises `ArchiveError` for a name the general path refuses too."""
    typeflag = header[156]
    if (typeflag != 0x30 and typeflag != 0x35) or header[157] or header[154] or header[155] != 32:  # noqa: PLR1714 - two compares are cheaper than a tuple
        return None
    magic = header[257:265]
    posix = magic == _POSIX_MAGIC
    if not posix and magic != _GNU_MAGIC:
        return None
    ends = _ENDS
    if header[107] not in ends or header[115] not in ends or header[123] not in ends or header[135] not in ends or header[147] not in ends:
        return None
    key = header[100:124]  # mode, uid and gid repeat from member to member: read once each
    try:
        stored = int(header[148:154], 8)
        size, mtime = int(header[124:135], 8), int(header[136:147], 8)
        mode_owner = _MODE_OWNER.get(key)
        if mode_owner is None:
            if len(_MODE_OWNER) > 4096:
                _MODE_OWNER.clear()
            mode_owner = _MODE_OWNER[key] = (int(key[:7], 8) & 0o7777, int(key[8:15], 8), int(key[16:23], 8))
    except ValueError:
        return None
    # The unsigned sum, the checksum field counted as eight spaces. adler32's low half is 1 + the sum
    # while the sum stays under 65521: always for 148 bytes, and for 356 bytes of ASCII (else in halves).
    if header.isascii():
        unsigned = (adler32(header[:148]) & 0xFFFF) + (adler32(header[156:]) & 0xFFFF) + 254
    else:
        unsigned = (adler32(header[:256]) & 0xFFFF) + (adler32(header[256:]) & 0xFFFF) - 2 - sum(header[148:156]) + 256
    if unsigned != stored or size < 0 or (size and typeflag == 0x35):
        return None
    name = header[:100].split(b"\0", 1)[0].decode("utf-8", "surrogateescape")
    if posix and header[345]:
        name = header[345:500].split(b"\0", 1)[0].decode("utf-8", "surrogateescape") + "/" + name
    check_name(name, limits)
    mode, uid, gid = mode_owner
    return name, _FILE if typeflag == 0x30 else _DIR, mode, uid, gid, mtime, size
