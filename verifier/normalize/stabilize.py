"""Stabilization: read an archive once, applying the selected normalizations as it streams."""

from __future__ import annotations

import hashlib
from collections import Counter
from collections.abc import Callable, Sequence

from verifier.archive.reader import ArchiveReader
from verifier.normalize.frame import original_frame
from verifier.normalize.interface import Fields, Normalization, Record, Stabilized

HeaderSink = Callable[[tuple[bytes, ...]], tuple[int, int]]


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
    member_steps = [(n.name, n.member) for n in normalizations if n.member is not None]
    touched: Counter[str] = Counter()
    touched_sets: dict[tuple[str, ...], frozenset[str]] = {}
    records: list[Record] = []
    sha256 = hashlib.sha256
    for member in reader.members():
        original = member
        changed_by: list[str] = []
        for name, step in member_steps:
            new = step(member)  # type: ignore[misc]
            if new.headers != member.headers:
                changed_by.append(name)
            member = new
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
                normalized=fields if member is original else Fields.of(member),
                touched_by=names,
                data_offset=original.data_offset,
                git_blob_sha1=original.git_blob_sha1,
                header_ref=header_sink(member.headers) if header_sink is not None else None,
            )
        )
    for normalization in normalizations:
        if normalization.sequence is not None:
            reordered = normalization.sequence(records)
            moved = sum(1 for before, after in zip(records, reordered) if before is not after)
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
