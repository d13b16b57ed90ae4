"""What a published sdist says about the publisher's Python: its bytecode and its tar headers.

- Bytecode left in the sdist (a `__pycache__/*.cpython-3XX.pyc` an in-tree backend left, or any
  .pyc) names its interpreter: the file name's tag, and the magic number its first bytes hold.
- CPython 3.8 and older wrote the ustar device fields of every member as "0000000\\0" (3.9 and later
  write NULs unless the member is a device); 3.8 wrote PAX headers (magic "ustar\\000"), 3.7 and
  older GNU ones ("ustar  \\0"). Extended headers CPython names "././@PaxHeader" / "././@LongLink".
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from verifier.archive.interface import Member, MemberKind

_TAG = re.compile(r"(?:^|/)__pycache__/[^/]+\.cpython-3(\d+)(?:\.opt-\d+)?\.pyc$")
# Magic number ranges of CPython 3.x bytecode (Lib/importlib/_bootstrap_external.py), by minor version.
_MAGIC = {6: (3360, 3379), 7: (3390, 3399), 8: (3400, 3419), 9: (3420, 3429), 10: (3430, 3449),
          11: (3450, 3499), 12: (3500, 3549), 13: (3550, 3599), 14: (3600, 3649)}  # fmt: skip
OLD_DEVICE_FIELD = b"0000000\0"
MAGICS = {b"ustar\x0000": "cpython-3.8", b"ustar  \0": "cpython-3.7"}
CPYTHON_EXTENDED_NAMES = (b"././@PaxHeader", b"././@LongLink")


@dataclass(frozen=True)
class Finding:
    value: str
    why: str


def is_bytecode(member: Member) -> bool:
    return member.kind is MemberKind.FILE and member.name.endswith(".pyc")


def python_of_bytecode(name: str, head: bytes) -> Finding | None:
    """The Python X.Y a .pyc member was written by: its magic number, else its file name's tag."""
    if len(head) >= 4 and head[2:4] == b"\r\n":
        magic = int.from_bytes(head[:2], "little")
        for minor, (low, high) in _MAGIC.items():
            if low <= magic <= high:
                return Finding(f"3.{minor}", f"{name} is bytecode with magic number {magic}: CPython 3.{minor} wrote it")
    tagged = _TAG.search(name)
    if tagged:
        return Finding(f"3.{tagged.group(1)}", f"{name} is bytecode named for CPython 3.{tagged.group(1)}")
    return None


def old_tar_writer(members: Iterable[Member]) -> Finding | None:
    """The old CPython tar writer whose encoding every member's header has, if any."""
    magics: set[bytes] = set()
    count = 0
    names: list[str] = []
    for member in members:
        names.append(member.name)
        if member.origin != "tar" or not member.headers:
            return None
        if member.kind in (MemberKind.CHARDEV, MemberKind.BLOCKDEV):
            continue
        main = member.headers[-1]
        if main[329:337] != OLD_DEVICE_FIELD or main[337:345] != OLD_DEVICE_FIELD:
            return None
        if any(block[:100].rstrip(b"\0") not in CPYTHON_EXTENDED_NAMES for block in member.headers[:-1]):
            return None
        magics.add(main[257:265])
        count += 1
    if count == 0 or len(magics) != 1 or next(iter(magics)) not in MAGICS:
        return None
    magic = next(iter(magics))
    name = MAGICS[magic]
    return Finding(
        name,
        f"all {count} members carry device numbers \"0000000\" in their tar headers, as CPython's tarfile wrote them "
        f"up to 3.8 (3.9 and later write NULs); {'ustar (PAX) headers, 3.8' if name == 'cpython-3.8' else 'GNU headers, 3.7'}'s default; "
        "any extended headers named as CPython names them: the sdist was written by that tarfile"
        + ("" if _listed_sorted(names) else UNSORTED),
    )


UNSORTED = (
    " (or an older one: the members of a directory are not in sorted order, as CPython 3.6 and older, whose tarfile "
    "did not sort directory listings, wrote them in the filesystem's order; no recipe reproduces that order)"
)


def _listed_sorted(names: list[str]) -> bool:
    """Whether the members of each directory appear in sorted order (tarfile sorts since 3.7)."""
    last: dict[str, str] = {}
    for name in names:
        parent, _, leaf = name.rstrip("/").rpartition("/")
        if parent in last and leaf < last[parent]:
            return False
        last[parent] = leaf
    return True
