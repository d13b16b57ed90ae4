"""Member normalizations: mtime, owner, mode, tar-format.

Each rewrites the header bytes it owns and the matching semantic fields, and nothing else.
Zip members carry synthesized canonical headers; for them a normalization changes the fields and
the headers are synthesized again.
"""

from __future__ import annotations

from collections.abc import Collection

from verifier.archive import tarheader as th
from verifier.archive.interface import BLOCK, Member, display_name, evolve
from verifier.archive.tarfields import parse_number
from verifier.archive.zip import ZIP_OWNER_KEYS, ZIP_TIME_KEYS, synthesize_headers

ZERO = 0
_TIME_RECORDS = frozenset({"mtime", "atime", "ctime"})
_OWNER_RECORDS = frozenset({"uid", "gid", "uname", "gname"})
_NUL12 = bytes(12)
_NUL32 = bytes(32)
_MTIME_FIELDS = {th.MTIME: th.octal(0, 12)}
_MTIME_GNU_FIELDS = {th.GNU_ATIME: _NUL12, th.GNU_CTIME: _NUL12}
_OWNER_FIELDS = {th.UID: th.octal(0, 8), th.GID: th.octal(0, 8), th.UNAME: _NUL32, th.GNAME: _NUL32}


def rewrite_headers(
    headers: tuple[bytes, ...],
    fields: dict[tuple[int, int], bytes],
    gnu_fields: dict[tuple[int, int], bytes],
    drop_records: Collection[str],
) -> tuple[bytes, ...]:
    """Set `fields` in every header block (and `gnu_fields` in GNU-format ones), drop pax records.

    Each value must have exactly its field's width."""
    out: list[bytes] = []
    for block in headers:
        header, data = block[: BLOCK], block[BLOCK :]
        if drop_records and header[156] in th.PAX_TYPES:
            records = th.split_pax(data[: th.data_size(header)])
            kept = [raw for key, raw in records if key not in drop_records]
            if len(kept) != len(records):
                rebuilt = th.with_pax_records(block, kept)
                if rebuilt is None:
                    continue  # nothing left in this extended header: it goes
                header, data = rebuilt[: BLOCK], rebuilt[BLOCK :]
        edited = bytearray(header)
        for (start, end), value in fields.items():
            edited[start:end] = value
        if gnu_fields and header[257:265] == th.GNU_MAGIC:
            for (start, end), value in gnu_fields.items():
                edited[start:end] = value
        new = bytes(edited)
        if new != header:
            new = th.fix_checksum(new)
        out.append(new + data if data else new)
    return tuple(out)


def _drop(extra: tuple[tuple[str, str], ...], keys: Collection[str], prefixes: Collection[str] = ()) -> tuple[tuple[str, str], ...]:
    if not extra:
        return extra
    return tuple(
        (key, value) for key, value in extra if key not in keys and not any(key.startswith(p) for p in prefixes)
    )


def _resynthesized(member: Member) -> Member:
    return evolve(member, headers=synthesize_headers(member))


def mtime(member: Member) -> Member:
    """Modification times become 0: the header field, GNU atime/ctime, pax mtime/atime/ctime records."""
    if member.origin == "zip":
        return _resynthesized(evolve(member, mtime=ZERO, extra=_drop(member.extra, (), ZIP_TIME_KEYS)))
    headers = rewrite_headers(member.headers, _MTIME_FIELDS, _MTIME_GNU_FIELDS, _TIME_RECORDS)
    return evolve(member, mtime=ZERO, extra=_drop(member.extra, _TIME_RECORDS), headers=headers)


def owner(member: Member) -> Member:
    """Owners become uid 0, gid 0, no user or group name: header fields and pax records."""
    if member.origin == "zip":
        return _resynthesized(
            evolve(member, uid=0, gid=0, uname="", gname="", extra=_drop(member.extra, (), ZIP_OWNER_KEYS))
        )
    headers = rewrite_headers(member.headers, _OWNER_FIELDS, {}, _OWNER_RECORDS)
    return evolve(member, uid=0, gid=0, uname="", gname="", headers=headers)


def normalized_mode(mode: int) -> int:
    """Read and write bits become rw-r--r--; executable, setuid, setgid and sticky bits are kept."""
    return (mode & ~0o666) | 0o644


def mode(member: Member) -> Member:
    """Permission bits other than the executable bits are made equal (rw-r--r--)."""
    new_mode = normalized_mode(member.mode)
    if member.origin == "zip":
        return _resynthesized(evolve(member, mode=new_mode))
    out: list[bytes] = []
    for index, block in enumerate(member.headers):
        if index == len(member.headers) - 1:  # the main header; extended headers keep their modes
            header = block[: BLOCK]
            full = parse_number(header[th.MODE[0] : th.MODE[1]], "mode", display_name(member.name))
            new = th.set_field(header, th.MODE, th.octal(normalized_mode(full), 8))
            block = (th.fix_checksum(new) if new != header else header) + block[BLOCK :]  # noqa: PLW2901 - the block, rewritten
        out.append(block)
    return evolve(member, mode=new_mode, headers=tuple(out))


def tar_format(member: Member) -> Member:
    """Headers are re-encoded in one fixed pax layout from the member's fields (ustar/GNU/pax alike).

    GNU sparse members keep their encoding (their map lives in it)."""
    if not th.re_encodable(member):
        return member
    return evolve(member, headers=th.canonical_headers(member))
