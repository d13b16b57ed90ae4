"""Normalizations: named, documented, pure functions that erase one honest variation each.

A normalization acts at one or more of three places, like OSS Rebuild's stabilizers:
- `member`: one archive member to one member (its fields and its exact header bytes, rewritten
  together);
- `sequence`: the order of the members;
- `frame`: what surrounds the members (the compression layer, the end-of-archive blocks).

Stabilizing an archive applies the selected normalizations in `stage` order. Two archives are
equivalent exactly when their stabilized forms are equal; `verifier normalize` writes that form.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import NamedTuple

from verifier.archive.interface import ArchiveInfo, Member, MemberKind

STAGE_DEFAULT = 0
STAGE_FINALIZE = 100


class Fields(NamedTuple):
    """The semantic fields of a member that normalizations may change."""

    kind: MemberKind
    mode: int
    uid: int
    gid: int
    uname: str
    gname: str
    mtime: int | Decimal
    linkname: str
    extra: tuple[tuple[str, str], ...]

    @classmethod
    def of(cls, member: Member) -> Fields:
        return cls(
            member.kind,
            member.mode,
            member.uid,
            member.gid,
            member.uname,
            member.gname,
            member.mtime,
            member.linkname,
            member.extra,
        )


@dataclass(frozen=True, slots=True)
class Record:
    """One member after stabilization, kept small: fields, digests, and where to find it again."""

    index: int
    name: str
    size: int
    content_sha256: bytes
    padding: bytes
    header_sha256: bytes  # digest of the stabilized header bytes
    original: Fields
    normalized: Fields
    touched_by: frozenset[str]  # names of the normalizations that changed this member
    data_offset: int
    git_blob_sha1: bytes | None = None
    header_ref: tuple[int, int] | None = None  # (offset, length) in a header spool, when kept


@dataclass(frozen=True, slots=True)
class Frame:
    """What surrounds the members, as tokens that compare equal exactly when the bytes agree."""

    container: str  # the compression layer
    trailer: str  # the end-of-archive blocks and anything after them


@dataclass(frozen=True)
class Normalization:
    name: str
    summary: str
    default: bool
    stage: int = STAGE_DEFAULT
    member: Callable[[Member], Member] | None = None
    sequence: Callable[[Sequence[Record]], list[Record]] | None = None
    frame: Callable[[Frame, ArchiveInfo], Frame] | None = None


@dataclass
class Stabilized:
    """An archive after stabilization: what the comparison and the canonical writer work on."""

    info: ArchiveInfo
    normalizations: tuple[str, ...]
    records: list[Record]
    frame: Frame
    original_frame: Frame
    touched: dict[str, int] = field(default_factory=dict)  # normalization -> members (or 1 for frames) changed


# (name, index, kind, mode, (uid, gid, uname, gname), mtime, time records, touched_by) per member
OutlineMember = tuple[str, int, str, int, tuple[int, int, str, str], "int | str", tuple[tuple[str, str], ...], tuple[str, ...]]


@dataclass
class Outline:
    """A stabilized archive in brief: its digest, and per member what normalization effects need."""

    info: ArchiveInfo
    frame: Frame
    original_frame: Frame
    touched: dict[str, int]
    digest: bytes
    members: list[OutlineMember]
