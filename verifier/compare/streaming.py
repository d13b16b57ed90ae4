"""The comparison's fast path: each archive summarized as it streams, nothing kept per member.

Used when no sequence normalization is selected (the member order is then the archive's own).
Each side yields a digest of its stabilized form (every member's stabilized header bytes, padding
and content size, length-prefixed, then the frame tokens and the digest of all members' contents in
order, which the tar reader feeds straight from its buffers: one SHA-256 over the contents, none per
member), its touch counts, and per member one small number per member normalization: a hash of the
fields that normalization covers. When the two digests are equal, the stabilized sequences are equal member by
member, so the i-th members of the two sides are exactly the pairs the full pairing would make, and
the effects are counted from those arrays. When the digests differ, the engine reads both archives
again the full way, to name every difference.

Duplicate names are noted on the reference side only: equal digests mean equal names in the same
order, so the candidate has the same duplicates.
"""

from __future__ import annotations

import dataclasses
import hashlib
from array import array
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

from verifier.archive.interface import ArchiveInfo, Limits, Member, display_name
from verifier.archive.reader import ArchiveReader, payload_sha256
from verifier.compare.forked import Forked
from verifier.compare.interface import Comparison, NormalizationEffect, Verdict
from verifier.normalize.fields import fusable, fused_form, fused_header
from verifier.normalize.frame import original_frame
from verifier.normalize.interface import Frame, Normalization
from verifier.normalize.registry import BY_NAME, select
from verifier.normalize.stabilize import TIME_EXTRA_KEYS, ZIP_TIME_PREFIX, member_steps, normalize_member

# Below this many bytes on disk for the pair, a second process costs more than it saves.
PARALLEL_MIN_BYTES = 4 * 2**20

# Duplicate names are looked for with a bitmap of this many bits (2 MiB).
_BITMAP_MASK = (1 << 24) - 1
_BITMAP_BYTES = 1 << 21

# The summary digest's input is hashed in batches of about this many bytes.
_BATCH = 1 << 16

# Normalizations whose effect is counted per pair, from one number per member.
COUNTED = ("mtime", "owner", "mode", "tar-format")


@dataclass
class Summary:
    """One archive, stabilized and reduced to what the verdict and the effects need."""

    info: ArchiveInfo
    frame: Frame
    original_frame: Frame
    touched: dict[str, int]
    digest: bytes
    effect_keys: dict[str, array]  # type: ignore[type-arg]  # normalization -> one number per member
    duplicates: dict[str, int] | None  # name -> count, for names seen more than once (when noted)


def applies(normalizations: Sequence[Normalization]) -> bool:
    """Can the fast path decide for this selection? Not when a normalization reorders members."""
    return not any(n.sequence is not None for n in normalizations)


def _mtime_key(member: Member) -> object:
    mtime = member.mtime
    times = tuple(item for item in member.extra if item[0] in TIME_EXTRA_KEYS or item[0].startswith(ZIP_TIME_PREFIX)) if member.extra else ()
    return (mtime if isinstance(mtime, int) else str(Decimal(mtime).normalize()), times)


def summarize(path: Path, normalizations: Sequence[Normalization], limits: Limits, *, note_duplicates: bool) -> Summary:
    """Read `path` once, stabilizing each member and keeping only running totals."""
    contents = hashlib.sha256()  # every tar member's content, in order (the reader feeds it)
    reader = ArchiveReader(path, limits, content_sink=contents, payload_digest=False)
    steps = member_steps(normalizations)
    counted = [name for name in COUNTED if any(n.name == name for n in normalizations)]
    keys = {name: array("q") for name in counted}
    mtime_keys, owner_keys, mode_keys, format_keys = (keys.get(name) for name in COUNTED)
    touched: Counter[str] = Counter()
    name_hashes = array("q")
    digest = hashlib.sha256()
    pending = bytearray()
    names = [name for name, _ in steps]
    one_pass = fusable(names)
    form = fused_form(names)
    changed_counts: Counter[tuple[str, ...]] = Counter()
    for member in reader.members():
        headers = member.headers
        if form is not None and len(headers) == 1 and not member.extra and not member.padding and not member.content_sha256:
            # The usual member (tar: its content is in the contents' stream): its header's fused
            # form, self-delimiting (the size is in it), marked "f" apart from the records below.
            fast = form(headers[0], member.name)
            if fast is not None:
                record, changed = fast
                changed_counts[changed] += 1
                pending += record
                if len(pending) > _BATCH:
                    digest.update(pending)
                    del pending[:]
                _keys(member, mtime_keys, owner_keys, mode_keys, format_keys, changed)
                if note_duplicates:
                    name_hashes.append(hash(member.name))
                continue
        fused = None
        if one_pass and len(member.headers) == 1 and member.origin == "tar" and not member.extra:
            # The checksum left blank: equal blanked headers are equal headers (see fused_header);
            # "F" and "S" keep the two forms apart. Equal digests must mean equal stabilized
            # forms; a form that differs only in encoding costs a second read, never a verdict.
            fused = fused_header(member.headers[0], names, member.name, with_checksum=False)
        if fused is not None:
            header, changed_by = fused
            kind = b"F"
        else:
            stabilized, changed_by = normalize_member(member, steps)
            header = b"".join(stabilized.headers)
            kind = b"S"
        changed_counts[tuple(changed_by)] += 1
        padding = member.padding
        # Length-prefixed, so that the sequence of members is read back from the digest's input
        # and the contents' stream is cut back into members by their sizes. A member with its own
        # content digest (zip) has it here instead, its content not in the contents' stream.
        pending += b"%s%d:%d:%d:" % (kind, len(header), len(padding), member.size)
        pending += header
        pending += padding
        pending += member.content_sha256 or b"-"
        if len(pending) > _BATCH:  # hashed in batches: one call per ~100 members, not one each
            digest.update(pending)
            del pending[:]
        _keys(member, mtime_keys, owner_keys, mode_keys, format_keys, changed_by)
        if note_duplicates:
            name_hashes.append(hash(member.name))
    digest.update(pending)
    for changed, count in changed_counts.items():
        for name in changed:
            touched[name] += count
    info = reader.info
    first_frame = frame = original_frame(info)
    for normalization in normalizations:
        if normalization.frame is not None:
            new_frame = normalization.frame(frame, info)
            if new_frame != frame and normalization.member is None:
                touched[normalization.name] += 1
            frame = new_frame
    digest.update(f"|{frame.container}|{frame.trailer}|".encode() + contents.digest())
    duplicates = _duplicates(path, limits, name_hashes) if note_duplicates else None
    return Summary(info, frame, first_frame, dict(touched), digest.digest(), keys, duplicates)


def _keys(
    member: Member,
    mtime_keys: array | None,  # type: ignore[type-arg]
    owner_keys: array | None,  # type: ignore[type-arg]
    mode_keys: array | None,  # type: ignore[type-arg]
    format_keys: array | None,  # type: ignore[type-arg]
    changed_by: Sequence[str],
) -> None:
    """The member's one number per counted normalization (what it covers, hashed when not a number)."""
    if mtime_keys is not None:
        mtime = member.mtime
        small = not member.extra and type(mtime) is int and -(2**62) < mtime < 2**62
        mtime_keys.append(int(mtime) if small else hash(_mtime_key(member)))
    if owner_keys is not None:
        owner_keys.append(hash((member.uid, member.gid, member.uname, member.gname)))
    if mode_keys is not None:
        mode_keys.append(member.mode)
    if format_keys is not None:
        format_keys.append(1 if "tar-format" in changed_by else 0)


def _duplicates(path: Path, limits: Limits, name_hashes: array) -> dict[str, int]:  # type: ignore[type-arg]
    """Names that appear more than once, with their counts, in order of first appearance.

    The first pass kept one 8-byte hash per name (Python's keyed string hash); only when two are
    equal is the archive read again, for the names themselves (duplicates are rare, and exact).
    Equal hashes are found with a bitmap of 2 MiB rather than a set of every hash (which would
    take ~60 bytes per member): hashes whose bit is taken twice are the few suspects, counted exactly."""
    bits = bytearray(_BITMAP_BYTES)
    shared = set()  # bit positions taken more than once
    for value in name_hashes:
        position = value & _BITMAP_MASK
        byte, bit = position >> 3, 1 << (position & 7)
        if bits[byte] & bit:
            shared.add(position)
        else:
            bits[byte] |= bit
    del bits
    if not shared:  # the usual case for a few thousand members; else a second look at the suspects
        return {}
    suspects = Counter(value for value in name_hashes if value & _BITMAP_MASK in shared)
    repeated = {value for value, count in suspects.items() if count > 1}
    if not repeated:
        return {}
    counts: dict[str, int] = {}
    for member in ArchiveReader(path, limits).members():
        if hash(member.name) in repeated:
            counts[member.name] = counts.get(member.name, 0) + 1
    return {name: count for name, count in counts.items() if count > 1}


def pairs_differing(left: Summary, right: Summary) -> dict[str, int]:
    """For each counted normalization, how many pairs differed in what it covers (equal digests)."""
    counts: dict[str, int] = {}
    for name, ours in left.effect_keys.items():
        theirs = right.effect_keys[name]
        if name == "tar-format":
            counts[name] = sum(1 for a, b in zip(ours, theirs, strict=False) if a or b)
        else:
            counts[name] = sum(1 for a, b in zip(ours, theirs, strict=False) if a != b)
    return counts


# Normalizations whose fields, when they differ in a pair, are bytes that differ in the tar stream.
_IN_HEADERS = ("mtime", "owner", "mode")


def settle_payloads(left: Summary, right: Summary, comparison: Comparison, limits: Limits) -> None:
    """Make the payload digests say whether the two decompressed streams are equal (gzip evidence).

    The fast path does not hash the streams whole. When a pair differs in a field its headers hold
    (an mtime, an owner, a mode) or the stream sizes differ, the streams differ (a stream parses one
    way only) and both digests stay "", which the gzip evidence reads as differing. Otherwise (the
    tar streams may be byte for byte equal, the gzip layers not) both files are decompressed again
    and hashed. `comparison` is `equivalent(left, right, …)`: its effects count the differing pairs."""
    lc, rc = left.info.container, right.info.container
    if lc is None or rc is None or lc.compression == "zip" or (lc.payload_sha256 and rc.payload_sha256):
        return
    if lc.payload_size != rc.payload_size or any(effect.pairs for effect in comparison.effects if effect.name in _IN_HEADERS):
        return
    for info, container in ((left.info, lc), (right.info, rc)):
        info.container = dataclasses.replace(container, payload_sha256=payload_sha256(Path(info.path), limits))


def _summary_in_child(path: Path, names: tuple[str, ...], limits: Limits) -> Summary:
    return summarize(path, select(names), limits, note_duplicates=False)


def summarize_both(
    reference: Path, candidate: Path, normalizations: Sequence[Normalization], limits: Limits
) -> tuple[Summary, Summary]:
    """Both archives summarized on the fast path; a large pair concurrently, the candidate in a child."""
    if reference.stat().st_size + candidate.stat().st_size < PARALLEL_MIN_BYTES:
        return (
            summarize(reference, normalizations, limits, note_duplicates=True),
            summarize(candidate, normalizations, limits, note_duplicates=False),
        )
    child = Forked(_summary_in_child, candidate, tuple(n.name for n in normalizations), limits)
    try:
        left = summarize(reference, normalizations, limits, note_duplicates=True)
    except BaseException:
        child.cancel()  # never left reading
        raise
    return left, child.result()


def equivalent(left: Summary, right: Summary, normalizations: Sequence[Normalization]) -> Comparison:
    """The comparison of two archives whose stabilized forms are equal (equal fast-path digests)."""
    counts = pairs_differing(left, right)
    if any(n.name == "gzip-header" for n in normalizations):
        counts["gzip-header"] = int(left.original_frame.container != right.original_frame.container)
    warnings = [
        f"{side}: member {display_name(name)!r} appears {count} times"
        for side in ("reference", "candidate")
        for name, count in (left.duplicates or {}).items()
    ]
    effects = [
        NormalizationEffect(
            name=n.name,
            summary=BY_NAME[n.name].summary,
            reference_members=left.touched.get(n.name, 0),
            candidate_members=right.touched.get(n.name, 0),
            pairs=counts.get(n.name, 0),
            scope="frame" if n.member is None and n.sequence is None else "members",
        )
        for n in normalizations
    ]
    return Comparison.before_summaries(Verdict.EQUIVALENT, tuple(n.name for n in normalizations), effects, warnings)
