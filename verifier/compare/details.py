"""The detail pass: a second read of both archives, only when they differ, for the differing members.

It captures their contents (to memory, or to files in the work directory when large) and their
stabilized headers, and adds to each difference what a person needs: the first differing byte of
a content difference, the header fields of an encoding difference. The captured members are also
what diffoscope is run on.
"""

from __future__ import annotations

import tempfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import BinaryIO

from verifier.archive import tarheader as th
from verifier.archive.interface import BLOCK, Limits, Member
from verifier.archive.reader import ArchiveReader
from verifier.compare import interface as k
from verifier.compare.interface import Difference
from verifier.normalize.interface import Normalization
from verifier.normalize.stabilize import member_steps, normalize_member

_IN_MEMORY = 1 << 20
_COMPARE_CHUNK = 1 << 16
MAX_CAPTURED_BYTES = 512 * 2**20


@dataclass
class Captured:
    member: Member  # stabilized: its headers are the normalized bytes
    content: BinaryIO

    def read_all(self, limit: int = _IN_MEMORY * 16) -> bytes:
        self.content.seek(0)
        return self.content.read(limit)


@dataclass
class CapturedSide:
    members: dict[int, Captured] = field(default_factory=dict)

    def close(self) -> None:
        for captured in self.members.values():
            captured.content.close()


def capture(
    path: Path,
    indices: set[int],
    normalizations: Sequence[Normalization],
    limits: Limits,
    workdir: Path,
) -> CapturedSide:
    """Read `path` again, keeping the stabilized member and the content of each wanted index."""
    side = CapturedSide()
    files: dict[int, BinaryIO] = {}
    budget = [MAX_CAPTURED_BYTES]

    def target(index: int) -> BinaryIO | None:
        if index not in indices or budget[0] <= 0:
            return None
        handle = tempfile.SpooledTemporaryFile(max_size=_IN_MEMORY, dir=str(workdir))  # noqa: SIM115 - kept in `files`, closed by the caller
        files[index] = handle  # type: ignore[assignment]
        return handle  # type: ignore[return-value]

    steps = member_steps(normalizations)
    reader = ArchiveReader(path, limits, capture=target)
    for member in reader.members():
        if member.index in files:
            stabilized, _ = normalize_member(member, steps)
            side.members[member.index] = Captured(stabilized, files[member.index])
            budget[0] -= member.size
    return side


def first_difference(left: BinaryIO, right: BinaryIO) -> int | None:
    left.seek(0)
    right.seek(0)
    offset = 0
    while True:
        a = left.read(_COMPARE_CHUNK)
        b = right.read(_COMPARE_CHUNK)
        if a != b:
            for position, (x, y) in enumerate(zip(a, b, strict=False)):
                if x != y:
                    return offset + position
            return offset + min(len(a), len(b))
        if not a:
            return None
        offset += len(a)


def header_field_differences(left: Member, right: Member) -> list[str]:
    """Which parts of two members' stabilized header bytes differ, by name."""
    found: list[str] = []
    kinds_a = [chr(block[156]) for block in left.headers]
    kinds_b = [chr(block[156]) for block in right.headers]
    if len(left.headers) != len(right.headers):
        found.append(f"header blocks: {'+'.join(kinds_a)} vs {'+'.join(kinds_b)}")
        return found
    for position, (a, b) in enumerate(zip(left.headers, right.headers, strict=False)):
        label = "main header" if position == len(left.headers) - 1 else f"extended header {kinds_a[position]!r}"
        for (start, end), name in th.FIELD_NAMES.items():
            if a[start:end] != b[start:end] and name != "checksum":
                found.append(f"{label}: {name} {a[start:end].rstrip(bytes(1))!r} vs {b[start:end].rstrip(bytes(1))!r}")
        if a[BLOCK:] != b[BLOCK:]:
            records_a = dict(th.split_pax(a[BLOCK : BLOCK + th.data_size(a[:BLOCK])])) if a[156] in th.PAX_TYPES else {}
            records_b = dict(th.split_pax(b[BLOCK : BLOCK + th.data_size(b[:BLOCK])])) if b[156] in th.PAX_TYPES else {}
            keys = sorted(key for key in records_a.keys() | records_b.keys() if records_a.get(key) != records_b.get(key))
            found.append(f"{label}: data differs" + (f" (pax records {', '.join(keys)})" if keys else ""))
    return found


def wanted_indices(differences: Iterable[Difference]) -> tuple[set[int], set[int]]:
    left: set[int] = set()
    right: set[int] = set()
    for difference in differences:
        if difference.reference_index is not None:
            left.add(difference.reference_index)
        if difference.candidate_index is not None:
            right.add(difference.candidate_index)
    return left, right


def annotate(differences: Sequence[Difference], left: CapturedSide, right: CapturedSide) -> None:
    """Add first differing offsets and header field names to the differences, in place."""
    for difference in differences:
        a = left.members.get(difference.reference_index) if difference.reference_index is not None else None
        b = right.members.get(difference.candidate_index) if difference.candidate_index is not None else None
        if a is None or b is None:
            continue
        if difference.kind in (k.CONTENT, k.SIZE):
            offset = first_difference(a.content, b.content)
            if offset is not None:
                assert difference.reference is not None and difference.candidate is not None
                difference.reference["first_difference_offset"] = offset
                difference.candidate["first_difference_offset"] = offset
                difference.message += f", first at byte {offset}"
        elif difference.kind == k.TAR_HEADER:
            fields = header_field_differences(a.member, b.member)
            if fields:
                assert difference.reference is not None
                difference.reference["header_differences"] = fields
                difference.message += ": " + "; ".join(fields[:3])


def small_contents(
    differences: Sequence[Difference], left: CapturedSide, right: CapturedSide, limit: int
) -> dict[str, tuple[bytes | None, bytes | None]]:
    """The contents (up to `limit` bytes each) of the members the differences name, by path."""
    found: dict[str, tuple[bytes | None, bytes | None]] = {}
    for difference in differences:
        a = left.members.get(difference.reference_index) if difference.reference_index is not None else None
        b = right.members.get(difference.candidate_index) if difference.candidate_index is not None else None
        if a is None and b is None:
            continue
        found[difference.path] = (a.read_all(limit) if a else None, b.read_all(limit) if b else None)
    return found


# header fields each kind of difference already accounts for
_EXPLAINED_FIELDS = {
    k.MODE: {"mode"},
    k.OWNER: {"uid", "gid", "uname", "gname"},
    k.MTIME: {"mtime"},
    k.SIZE: {"size"},
    k.LINK_TARGET: {"linkname"},
    k.TYPE: {"typeflag", "size", "linkname", "mode"},
    k.METADATA: {"data differs"},
}


def hidden_header_differences(differences: Sequence[Difference], left: CapturedSide, right: CapturedSide) -> list[Difference]:
    """For members already listed for another reason, a `tar-header` difference when their header
    bytes also differ in fields that reason does not account for (it would stay hidden otherwise)."""
    by_pair: dict[tuple[int, int], list[Difference]] = {}
    for difference in differences:
        if difference.reference_index is not None and difference.candidate_index is not None:
            by_pair.setdefault((difference.reference_index, difference.candidate_index), []).append(difference)
    found = []
    for (a_index, b_index), listed in by_pair.items():
        if any(d.kind == k.TAR_HEADER for d in listed):
            continue
        a, b = left.members.get(a_index), right.members.get(b_index)
        if a is None or b is None:
            continue
        explained = set().union(*(_EXPLAINED_FIELDS.get(d.kind, set()) for d in listed))
        rest = [
            field for field in header_field_differences(a.member, b.member)
            if field.split(": ", 1)[-1].split(" ", 1)[0] not in explained
            and not (field.endswith("data differs") and "data differs" in explained)
            and not field.startswith("header blocks")
        ]
        if rest:
            path = listed[0].path
            found.append(Difference(
                kind=k.TAR_HEADER,
                path=path,
                message=f"{path}: header encoding differs too: " + "; ".join(rest[:3]),
                reference={"header_differences": rest},
                candidate={},
                reference_index=a_index,
                candidate_index=b_index,
            ))
    return found
