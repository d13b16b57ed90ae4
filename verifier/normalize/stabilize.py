"""Stabilization: read an archive once, applying the selected normalizations as it streams."""

from __future__ import annotations

import hashlib
from collections import Counter
from collections.abc import Callable, Sequence
from decimal import Decimal

from verifier.archive.interface import Member
from verifier.archive.reader import ArchiveReader
from verifier.normalize.fields import fields_only
from verifier.normalize.frame import original_frame
from verifier.normalize.interface import Fields, Normalization, Outline, OutlineMember, Record, Stabilized

TIME_EXTRA_KEYS = ("atime", "ctime")
ZIP_TIME_PREFIX = "zip.extra.5455"

HeaderSink = Callable[[tuple[bytes, ...]], tuple[int, int]]


MemberStep = tuple[str, Callable[[Member], Member]]


def member_steps(normalizations: Sequence[Normalization]) -> list[MemberStep]:
    return [(n.name, n.member) for n in normalizations if n.member is not None]


def normalize_member(member: Member, steps: Sequence[MemberStep]) -> tuple[Member, list[str]]:
    """The member after each step in turn, and the names of the steps that changed its bytes."""
    if len(member.headers) == 1 and member.origin == "tar" and not member.extra:
        fused = fields_only(member, [name for name, _ in steps])
        if fused is not None:
            return fused
    changed_by: list[str] = []
    for name, step in steps:
        new = step(member)
        if new.headers != member.headers:
            changed_by.append(name)
        member = new
    return member, changed_by


def stabilize(
    reader: ArchiveReader,
    normalizations: Sequence[Normalization],
    *,
    header_sink: HeaderSink | None = None,
) -> Stabilized:
    """Every member normalized and reduced to a `Record`; then the sequence and frame normalizations.

    `header_sink`, when given, receives each member's stabilized header bytes and returns where it
    kept them (the canonical writer needs them; the comparison needs only their digest).
    """
    steps = member_steps(normalizations)
    touched: Counter[str] = Counter()
    touched_sets: dict[tuple[str, ...], frozenset[str]] = {}
    records: list[Record] = []
    shared_fields: dict[Fields, Fields] = {}  # normalized fields repeat: keep one copy of each
    sha256 = hashlib.sha256
    for member in reader.members():
        original = member
        member, changed_by = normalize_member(member, steps)  # noqa: PLW2901 - the member, normalized; the original is kept above
        key = tuple(changed_by)
        names = touched_sets.get(key)
        if names is None:
            names = touched_sets[key] = frozenset(key)
        for name in changed_by:
            touched[name] += 1
        fields = Fields.of(original)
        records.append(
            Record(
                index=original.index,
                name=original.name,
                size=original.size,
                content_sha256=original.content_sha256,
                padding=original.padding,
                header_sha256=sha256(b"".join(member.headers)).digest(),
                original=fields,
                normalized=fields if member is original else _shared(shared_fields, Fields.of(member)),
                touched_by=names,
                data_offset=original.data_offset,
                git_blob_sha1=original.git_blob_sha1,
                header_ref=header_sink(member.headers) if header_sink is not None else None,
            )
        )
    for normalization in normalizations:
        if normalization.sequence is not None:
            reordered = normalization.sequence(records)
            moved = sum(1 for before, after in zip(records, reordered, strict=False) if before is not after)
            if moved:
                touched[normalization.name] += moved
            records = reordered
    first_frame = frame = original_frame(reader.info)
    for normalization in normalizations:
        if normalization.frame is not None:
            new_frame = normalization.frame(frame, reader.info)
            if new_frame != frame and normalization.member is None and normalization.sequence is None:
                touched[normalization.name] += 1
            frame = new_frame
    return Stabilized(
        info=reader.info,
        normalizations=tuple(n.name for n in normalizations),
        records=records,
        frame=frame,
        original_frame=first_frame,
        touched=dict(touched),
    )


# -- the outline: what another process sends back instead of every record ---------------------


def stabilized_digest(stabilized: Stabilized) -> bytes:
    """One digest of the whole stabilized form: equal exactly when the stabilized forms are equal."""
    digest = hashlib.sha256()
    for record in stabilized.records:
        digest.update(record.header_sha256 + record.content_sha256 + b"%d:" % len(record.padding) + record.padding)
    digest.update(f"|{stabilized.frame.container}|{stabilized.frame.trailer}".encode())
    return digest.digest()


def _shared(pool: dict[Fields, Fields], fields: Fields) -> Fields:
    if len(pool) > 100_000:
        return fields
    return pool.setdefault(fields, fields)


def _mtime_key(mtime: int | Decimal) -> int | str:
    return mtime if isinstance(mtime, int) else str(mtime.normalize())


def outline(stabilized: Stabilized) -> Outline:
    """The stabilized digest and, per member, just what normalization effects are counted from."""
    return Outline(
        info=stabilized.info,
        frame=stabilized.frame,
        original_frame=stabilized.original_frame,
        touched=stabilized.touched,
        digest=stabilized_digest(stabilized),
        members=[outline_member(r) for r in stabilized.records],
    )


def outline_member(r: Record) -> OutlineMember:
    return (
        r.name,
        r.index,
        r.original.kind.value,
        r.original.mode,
        (r.original.uid, r.original.gid, r.original.uname, r.original.gname),
        _mtime_key(r.original.mtime),
        tuple(item for item in r.original.extra if item[0] in TIME_EXTRA_KEYS or item[0].startswith(ZIP_TIME_PREFIX))
        if r.original.extra
        else (),
        tuple(sorted(r.touched_by)),
    )
