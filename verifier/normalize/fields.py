"""The member normalizations mtime, owner and mode applied in one pass, for the usual member.

A member with a single ustar/GNU header, no extended header and no extra records is what nearly
every sdist holds; for it those three normalizations only set fixed header fields, so one pass
over the header gives the same bytes as applying `tar.mtime`, `tar.owner` and `tar.mode` in turn
(each would fix the checksum; with the "%06o\\0" layout the last fix is all that shows), and the
same list of normalizations that changed something. Anything else returns None: the general path.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from verifier.archive import tarheader as th
from verifier.archive.interface import Member, evolve
from verifier.archive.tarfields import parse_number
from verifier.normalize.tar import normalized_mode

_ZERO8 = th.octal(0, 8)
_ZERO12 = th.octal(0, 12)
_ZERO16 = _ZERO8 + _ZERO8
_NUL24 = bytes(24)
_NUL64 = bytes(64)
_OCTAL = b"01234567"
_BLANK6 = b" " * 6
_FUSED = frozenset({"mtime", "owner", "mode"})


def fields_only(member: Member, names: Sequence[str]) -> tuple[Member, list[str]] | None:
    """`member` after the named normalizations (in order), when they are among mtime, owner, mode
    and the member's one header has the usual checksum layout; else None."""
    if not _FUSED.issuperset(names):
        return None
    fused = fused_header(member.headers[0], names, member.name)
    if fused is None:
        return None
    header, changed_by = fused
    changes: dict[str, object] = {"headers": (header,)}
    for name in names:
        if name == "mtime":
            changes["mtime"] = 0
        elif name == "owner":
            changes.update(uid=0, gid=0, uname="", gname="")
        else:
            changes["mode"] = normalized_mode(member.mode)
    return evolve(member, **changes), changed_by


def fusable(names: Sequence[str]) -> bool:
    return _FUSED.issuperset(names)


def fused_header(header: bytes, names: Sequence[str], where: str, *, with_checksum: bool = True) -> tuple[bytes, list[str]] | None:
    """The one header after the named normalizations (all among mtime, owner, mode), and which of
    them changed it; None when its checksum field is not laid out as "%06o" then NUL.

    With `with_checksum=False` the checksum's six digits are left blank (spaces): the header's other
    bytes and the checksum field's last two determine them, so that form is as telling and cheaper."""
    checksum = header[148:156]
    if checksum[6] != 0 or checksum[:6].translate(None, _OCTAL):
        return None
    gnu = header[257:265] == th.GNU_MAGIC
    changed_by: list[str] = []
    mode_field = header[100:108]
    for name in names:  # the three own disjoint fields: what each changes does not depend on order
        if name == "mtime":
            if header[136:148] != _ZERO12 or (gnu and header[345:369] != _NUL24):
                changed_by.append(name)
        elif name == "owner":
            if header[108:124] != _ZERO16 or header[265:329] != _NUL64:
                changed_by.append(name)
        else:
            mode_field = th.octal(normalized_mode(parse_number(header[100:108], "mode", where)), 8)
            if len(mode_field) != 8:
                return None
            if mode_field != header[100:108]:
                changed_by.append(name)
    if not changed_by:
        if with_checksum or th.checksum_of(header) != int(checksum[:6], 8):  # kept as stored (a signed sum, say)
            return header, changed_by
        return header[:148] + _BLANK6 + header[154:], changed_by
    owner = "owner" in names
    mtime = "mtime" in names
    new = b"".join(
        (
            header[:100],
            mode_field,
            _ZERO16 if owner else header[108:124],
            header[124:136],
            _ZERO12 if mtime else header[136:148],
            header[148:265] if with_checksum else _BLANK6 + header[154:265],
            _NUL64 if owner else header[265:329],
            header[329:345],
            _NUL24 if mtime and gnu else header[345:369],
            header[369:],
        )
    )
    return (th.fix_checksum(new) if with_checksum else new), changed_by


FusedForm = Callable[[bytes, str], tuple[bytes, tuple[str, ...]] | None]

_BITS = {"mtime": 1, "owner": 2, "mode": 4}


def fused_form(names: Sequence[str]) -> FusedForm | None:
    """For the digest of stabilized forms (the comparison's fast path): a function giving, for a
    member's one header, b"f" and the header after the named normalizations with the fields they set
    to constants left out (and the checksum's digits, which the other bytes then determine), with
    which of them changed it; None for a header it does not take (checksum not laid out as "%06o"
    NUL, or not the unsigned sum; a mode field that does not re-encode in 8 bytes). None when a
    name is not among mtime, owner and mode.

    Two headers it takes give equal forms exactly when their stabilized headers are equal; the form
    is cheaper than `fused_header`'s (no header is rebuilt) and, marked "f", never equals another
    encoding of a member."""
    if not _FUSED.issuperset(names):
        return None
    mtime, owner, mode = "mtime" in names, "owner" in names, "mode" in names
    changed_names = {mask: tuple(name for name in names if _BITS[name] & mask) for mask in range(8)}
    mode_fields: dict[bytes, bytes] = {}

    def form(header: bytes, where: str) -> tuple[bytes, tuple[str, ...]] | None:
        if header[154] or header[148:154].translate(None, _OCTAL):
            return None
        gnu = header[257:265] == th.GNU_MAGIC
        mask = 0
        if mtime and (header[136:148] != _ZERO12 or (gnu and header[345:369] != _NUL24)):
            mask = 1
        if owner and (header[108:124] != _ZERO16 or header[265:329] != _NUL64):
            mask |= 2
        mode_field = header[100:108]
        if mode:
            new_mode = mode_fields.get(mode_field)
            if new_mode is None:
                new_mode = th.octal(normalized_mode(parse_number(mode_field, "mode", where)), 8)
                if len(mode_fields) < 4096:
                    mode_fields[mode_field] = new_mode
            if len(new_mode) != 8:
                return None
            if new_mode != mode_field:
                mask |= 4
            mode_field = new_mode
        if not mask and th.checksum_of(header) != int(header[148:154], 8):
            return None  # kept as stored (a signed sum, say): the other digest form keeps its checksum
        return b"".join(
            (
                b"f",
                header[:100],
                mode_field,
                b"" if owner else header[108:124],
                header[124:136],
                b"" if mtime else header[136:148],
                header[154:265],
                b"" if owner else header[265:329],
                header[329:345],
                b"" if mtime and gnu else header[345:369],
                header[369:],
            )
        ), changed_names[mask]

    return form
