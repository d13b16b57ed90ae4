"""The member normalizations mtime, owner and mode applied in one pass, for the usual member.

A member with a single ustar/GNU header, no extended header and no extra records is what nearly
every sdist holds; for it those three normalizations only set fixed header fields, so one pass
over the header gives the same bytes as applying `tar.mtime`, `tar.owner` and `tar.mode` in turn
(each would fix the checksum; with the "%06o\\0" layout the last fix is all that shows), and the
same list of normalizations that changed something. Anything else returns None: the general path.
"""

from __future__ import annotations

from collections.abc import Sequence

from verifier.archive import tarheader as th
from verifier.archive.interface import Member, evolve
from verifier.archive.tar import parse_number
from verifier.normalize.tar import normalized_mode

_ZERO8 = th.octal(0, 8)
_ZERO12 = th.octal(0, 12)
_NUL12 = bytes(12)
_NUL32 = bytes(32)
_OCTAL = b"01234567"
_FUSED = frozenset({"mtime", "owner", "mode"})


def fields_only(member: Member, names: Sequence[str]) -> tuple[Member, list[str]] | None:
    """`member` after the named normalizations (in order), when they are among mtime, owner, mode
    and the member's one header has the usual checksum layout; else None."""
    if not _FUSED.issuperset(names):
        return None
    header = member.headers[0]
    checksum = header[148:156]
    if checksum[6] != 0 or checksum[:6].translate(None, _OCTAL):
        return None
    edited = bytearray(header)
    changed_by: list[str] = []
    changes: dict[str, object] = {}
    for name in names:
        before = bytes(edited)
        if name == "mtime":
            edited[136:148] = _ZERO12
            if header[257:265] == th.GNU_MAGIC:
                edited[345:369] = _NUL12 + _NUL12
            changes["mtime"] = 0
        elif name == "owner":
            edited[108:116] = _ZERO8
            edited[116:124] = _ZERO8
            edited[265:329] = _NUL32 + _NUL32
            changes.update(uid=0, gid=0, uname="", gname="")
        else:
            field = th.octal(normalized_mode(parse_number(header[100:108], "mode", member.name)), 8)
            if len(field) != 8:
                return None
            edited[100:108] = field
            changes["mode"] = normalized_mode(member.mode)
        if edited != before:
            changed_by.append(name)
    new = bytes(edited)
    if changed_by:
        new = th.fix_checksum(new)
    changes["headers"] = (new,)
    return evolve(member, **changes), changed_by
