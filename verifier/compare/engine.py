"""The comparison: both archives stabilized concurrently, then paired and explained.

The verdict follows from the stabilized forms alone (identical bytes; else equal stabilized
sequences and frames: equivalent; else different). An equivalent pair is decided on the fast path
(`streaming`: nothing kept per member). A pair that differs, or a selection that reorders members,
is read the full way: pairing by path below the top-level directory then explains the verdict,
each difference named with its kind and its evidence.
"""

from __future__ import annotations

import itertools
import time
from collections import defaultdict
from collections.abc import Iterator, Sequence
from pathlib import Path

from verifier.archive.compression import detect_format
from verifier.archive.interface import ArchiveInfo, Limits, MemberKind, display_name
from verifier.archive.reader import ArchiveReader
from verifier.compare import interface as k
from verifier.compare import streaming
from verifier.compare.forked import Forked
from verifier.compare.interface import (
    ArtifactSummary,
    Comparison,
    Difference,
    NormalizationEffect,
    Verdict,
)
from verifier.compare.streaming import PARALLEL_MIN_BYTES
from verifier.fsutil import file_sha256
from verifier.normalize.interface import Normalization, Outline, OutlineMember, Record, Stabilized
from verifier.normalize.registry import BY_NAME, select
from verifier.normalize.stabilize import outline, outline_member, stabilize, stabilized_digest

DEFAULT_MAX_LISTED = 1000


def member_key(name: str, top: str | None) -> str:
    """The path a member is paired by: its name below the top-level directory."""
    parts = [part for part in name.split("/") if part not in ("", ".")]
    if top is not None and parts and parts[0] == top:
        parts = parts[1:]
    return "/".join(parts)


def summarize(info: ArchiveInfo | None, path: Path, sha256: str = "", size: int = 0) -> ArtifactSummary:
    if info is None:  # identical files: not read beyond their hash; members left uncounted (None)
        with open(path, "rb") as handle:
            fmt = detect_format(handle.read(512))
        return ArtifactSummary(path=str(path), sha256=sha256, size=size, format=fmt, members=None, top_level=None, payload_sha256=None)
    container = info.container
    return ArtifactSummary(
        path=str(path),
        sha256=info.sha256,
        size=info.size,
        format=info.format,
        members=info.member_count,
        top_level=info.top_level,
        payload_sha256=(container.payload_sha256 or None) if container else None,
        gzip_headers=[header.as_dict() for header in container.gzip_members] if container else [],
        warnings=list(info.warnings),
    )



def _outline_in_child(path: Path, names: tuple[str, ...], limits: Limits) -> Outline:
    return outline(stabilize(ArchiveReader(path, limits), select(names)))


def read_both(
    reference: Path,
    candidate: Path,
    normalizations: Sequence[Normalization],
    limits: Limits,
) -> tuple[Stabilized, Stabilized | None, Outline]:
    """Stabilize both archives, each read once; a large pair concurrently, the candidate in a child.

    Inflating and hashing release the GIL, but parsing headers does not: a second process is what
    lets two cores work. The child sends back only an outline (the stabilized digest and the fields
    normalization effects are counted from); the candidate's records are read again here only when
    the digests differ and the differences must be explained.
    """
    def here(path: Path) -> Stabilized:
        return stabilize(ArchiveReader(path, limits), normalizations)

    if reference.stat().st_size + candidate.stat().st_size < PARALLEL_MIN_BYTES:
        left, right = here(reference), here(candidate)
        return left, right, outline(right)
    child = Forked(_outline_in_child, candidate, tuple(n.name for n in normalizations), limits)
    try:
        left = here(reference)
    except BaseException:
        child.cancel()  # never left reading
        raise
    return left, None, child.result()


def compare_archives(
    reference: Path,
    candidate: Path,
    normalizations: Sequence[Normalization],
    limits: Limits | None = None,
    *,
    max_listed: int = DEFAULT_MAX_LISTED,
) -> tuple[Comparison, ArchiveInfo | None, ArchiveInfo | None]:
    """Compare two archive files. Returns the comparison and both archives' facts (None if identical)."""
    limits = limits or Limits()
    started = time.perf_counter()
    for path in (reference, candidate):
        ArchiveReader(path, limits)  # refuses missing and non-regular files, before any work
    if reference.stat().st_size == candidate.stat().st_size:
        digest = file_sha256(reference)
        if digest == file_sha256(candidate):
            size = reference.stat().st_size
            comparison = Comparison(
                verdict=Verdict.IDENTICAL,
                reference=summarize(None, reference, digest, size),
                candidate=summarize(None, candidate, digest, size),
                normalizations=tuple(n.name for n in normalizations),
                effects=[],
                differences=[],
            )
            comparison.timings["read"] = round(time.perf_counter() - started, 3)
            return comparison, None, None
    if streaming.applies(normalizations):
        left_summary, right_summary = streaming.summarize_both(reference, candidate, normalizations, limits)
        if left_summary.digest == right_summary.digest:
            read_done = time.perf_counter()
            comparison = streaming.equivalent(left_summary, right_summary, normalizations)
            streaming.settle_payloads(left_summary, right_summary, comparison, limits)
            comparison.reference = summarize(left_summary.info, reference)
            comparison.candidate = summarize(right_summary.info, candidate)
            comparison.timings["read"] = round(read_done - started, 3)
            comparison.timings["pair"] = round(time.perf_counter() - read_done, 3)
            return comparison, left_summary.info, right_summary.info
        # They differ: read both again, keeping every member, to name each difference.
    left, right, right_outline = read_both(reference, candidate, normalizations, limits)
    read_done = time.perf_counter()
    if stabilized_digest(left) != right_outline.digest and right is None:
        right = stabilize(ArchiveReader(candidate, limits), normalizations)
    comparison = explain(left, right, right_outline, normalizations, max_listed=max_listed)
    comparison.reference = summarize(left.info, reference)
    comparison.candidate = summarize(right_outline.info, candidate)
    comparison.timings["read"] = round(read_done - started, 3)
    comparison.timings["pair"] = round(time.perf_counter() - read_done, 3)
    return comparison, left.info, right_outline.info


def explain(
    left: Stabilized,
    right: Stabilized | None,
    right_outline: Outline,
    normalizations: Sequence[Normalization],
    *,
    max_listed: int = DEFAULT_MAX_LISTED,
) -> Comparison:
    """The verdict for two archives that are not byte-identical, with every difference named.

    The verdict is the comparison of the stabilized digests; `right` (the candidate's records) is
    needed only when they differ.
    """
    equivalent = stabilized_digest(left) == right_outline.digest
    effects = _effects(left, right_outline, normalizations)
    warnings = _duplicate_warnings(left, right_outline)
    if equivalent:
        return Comparison.before_summaries(Verdict.EQUIVALENT, tuple(n.name for n in normalizations), effects, warnings)
    assert right is not None
    listed: list[Difference] = []
    unlisted = 0
    for difference in _differences(left, right):
        if len(listed) < max_listed:
            listed.append(difference)
        else:
            unlisted += 1
    if not listed:
        listed.append(Difference(kind=k.TAR_HEADER, path="", message="the stabilized tar streams differ (unattributed)"))
    return Comparison.before_summaries(
        Verdict.DIFFERENT, tuple(n.name for n in normalizations), effects, warnings, listed, unlisted
    )


def _differences(left: Stabilized, right: Stabilized) -> Iterator[Difference]:
    """Every difference between two stabilized archives, archive-level ones first."""
    top_left, top_right = left.info.top_level, right.info.top_level
    if top_left != top_right:
        yield Difference(
            kind=k.TOP_LEVEL,
            path="",
            message=f"top-level directory differs: {_top(left)} vs {_top(right)}",
            reference={"top_level": top_left, "top_levels": list(left.info.top_levels)},
            candidate={"top_level": top_right, "top_levels": list(right.info.top_levels)},
        )
    yield from _frame_differences(left, right)
    by_key_left = _index(left.records, top_left)
    by_key_right = _index(right.records, top_right)
    pairs: list[tuple[Record, Record]] = []
    for key in list(by_key_left) + [key for key in by_key_right if key not in by_key_left]:
        lefts = by_key_left.get(key, [])
        rights = by_key_right.get(key, [])
        pairs.extend(zip(lefts, rights, strict=False))
        if not rights:
            yield _only(k.ONLY_IN_REFERENCE, lefts, "reference")
        elif not lefts:
            yield _only(k.ONLY_IN_CANDIDATE, rights, "candidate")
        elif len(lefts) != len(rights):
            shown = display_name(lefts[0].name)
            yield Difference(
                kind=k.DUPLICATE,
                path=shown,
                message=f"{shown}: {len(lefts)} members of this name in the reference, {len(rights)} in the candidate",
                reference={"count": len(lefts)},
                candidate={"count": len(rights)},
                reference_index=lefts[0].index,
                candidate_index=rights[0].index,
            )
    order_difference = _order_difference(left.records, right.records, pairs)
    if order_difference is not None:
        yield order_difference
    same_top = top_left == top_right
    for a, b in pairs:
        yield from _pair_differences(a, b, same_top)


def _top(stabilized: Stabilized) -> str:
    if stabilized.info.top_level is not None:
        return repr(display_name(stabilized.info.top_level) + "/")
    tops = stabilized.info.top_levels
    return f"{len(tops)} top-level entries" if tops else "none"


def _index(records: Sequence[Record], top: str | None) -> dict[str, list[Record]]:
    index: dict[str, list[Record]] = defaultdict(list)
    for record in records:
        if record.original.kind is MemberKind.PAX_GLOBAL:
            index["\0" + record.name].append(record)
        else:
            index[member_key(record.name, top)].append(record)
    return index


def _describe(record: Record) -> dict[str, object]:
    fields = record.normalized
    out: dict[str, object] = {"kind": fields.kind.value, "name": display_name(record.name)}
    if fields.kind is MemberKind.FILE:
        out["size"] = record.size
        out["sha256"] = record.content_sha256.hex()
    if fields.linkname:
        out["link_target"] = display_name(fields.linkname)
    out["mode"] = oct(fields.mode)
    return out


def _only(kind: str, records: list[Record], side: str) -> Difference:
    record = records[0]
    shown = display_name(record.name)
    count = f" ({len(records)} members of this name)" if len(records) > 1 else ""
    where = "reference (published)" if side == "reference" else "candidate (rebuilt)"
    detail = _describe(record)
    if len(records) > 1:
        detail["count"] = len(records)
    return Difference(
        kind=kind,
        path=shown,
        message=f"{shown}: only in the {where}{count}",
        reference=detail if side == "reference" else None,
        candidate=detail if side == "candidate" else None,
        reference_index=record.index if side == "reference" else None,
        candidate_index=record.index if side == "candidate" else None,
    )


def _pair_differences(a: Record, b: Record, same_top: bool) -> list[Difference]:
    if a.header_sha256 == b.header_sha256 and a.content_sha256 == b.content_sha256 and a.padding == b.padding:
        return []
    fa, fb = a.normalized, b.normalized
    shown = display_name(a.name)
    found: list[Difference] = []

    def add(kind: str, message: str, left: dict[str, object], right: dict[str, object]) -> None:
        found.append(
            Difference(
                kind=kind,
                path=shown,
                message=f"{shown}: {message}",
                reference=left,
                candidate=right,
                reference_index=a.index,
                candidate_index=b.index,
            )
        )

    if fa.kind != fb.kind:
        add(k.TYPE, f"type {fa.kind.value} vs {fb.kind.value}", {"type": fa.kind.value}, {"type": fb.kind.value})
    elif a.size != b.size:
        add(
            k.SIZE,
            f"size {a.size} vs {b.size} bytes",
            {"size": a.size, "sha256": a.content_sha256.hex()},
            {"size": b.size, "sha256": b.content_sha256.hex()},
        )
    elif a.content_sha256 != b.content_sha256:
        add(
            k.CONTENT,
            f"content differs ({a.size} bytes each)",
            {"size": a.size, "sha256": a.content_sha256.hex()},
            {"size": b.size, "sha256": b.content_sha256.hex()},
        )
    if fa.linkname != fb.linkname:
        add(
            k.LINK_TARGET,
            f"link target {display_name(fa.linkname)!r} vs {display_name(fb.linkname)!r}",
            {"link_target": display_name(fa.linkname)},
            {"link_target": display_name(fb.linkname)},
        )
    if fa.mode != fb.mode:
        add(k.MODE, f"mode {oct(fa.mode)} vs {oct(fb.mode)}", {"mode": oct(fa.mode)}, {"mode": oct(fb.mode)})
    owner_a = (fa.uid, fa.gid, fa.uname, fa.gname)
    owner_b = (fb.uid, fb.gid, fb.uname, fb.gname)
    if owner_a != owner_b:
        add(k.OWNER, f"owner {_owner(owner_a)} vs {_owner(owner_b)}", _owner_dict(owner_a), _owner_dict(owner_b))
    if fa.mtime != fb.mtime:
        add(k.MTIME, f"mtime {fa.mtime} vs {fb.mtime}", {"mtime": str(fa.mtime)}, {"mtime": str(fb.mtime)})
    if fa.extra != fb.extra:
        keys = sorted({key for key, _ in fa.extra} ^ {key for key, _ in fb.extra} | _changed_keys(fa.extra, fb.extra))
        add(
            k.METADATA,
            f"extended metadata differs ({', '.join(keys[:5])})",
            {"records": dict(fa.extra)},
            {"records": dict(fb.extra)},
        )
    if a.padding != b.padding:
        add(
            k.HIDDEN_DATA,
            "non-zero bytes in the tar padding after the content",
            {"padding": a.padding.hex()},
            {"padding": b.padding.hex()},
        )
    if not found and a.header_sha256 != b.header_sha256 and same_top:
        names = (display_name(a.name), display_name(b.name))
        message = "header encoding differs" + (f" (stored as {names[0]!r} vs {names[1]!r})" if names[0] != names[1] else "")
        add(k.TAR_HEADER, message, {"name": names[0]}, {"name": names[1]})
    return found


def _changed_keys(left: tuple[tuple[str, str], ...], right: tuple[tuple[str, str], ...]) -> set[str]:
    a, b = dict(left), dict(right)
    return {key for key in a.keys() & b.keys() if a[key] != b[key]}


def _owner(owner: tuple[int, int, str, str]) -> str:
    uid, gid, uname, gname = owner
    return f"{uname or uid}({uid})/{gname or gid}({gid})"


def _owner_dict(owner: tuple[int, int, str, str]) -> dict[str, object]:
    uid, gid, uname, gname = owner
    return {"uid": uid, "gid": gid, "uname": uname, "gname": gname}


def _order_difference(
    lefts: Sequence[Record],
    rights: Sequence[Record],
    pairs: list[tuple[Record, Record]],
) -> Difference | None:
    paired_left = {id(a) for a, _ in pairs}
    paired_right = {id(b) for _, b in pairs}
    partner = {id(b): a for a, b in pairs}
    sequence_left = [a for a in lefts if id(a) in paired_left]
    sequence_right = [partner[id(b)] for b in rights if id(b) in paired_right]
    for position, (a, b) in enumerate(zip(sequence_left, sequence_right, strict=False)):
        if a is not b:
            shown = display_name(b.name)
            return Difference(
                kind=k.ORDER,
                path=shown,
                message=f"member order differs from position {position}: the reference has "
                f"{display_name(a.name)!r} where the candidate has {shown!r}",
                reference={"position": position, "member": display_name(a.name)},
                candidate={"position": position, "member": shown},
            )
    return None


def _frame_differences(left: Stabilized, right: Stabilized) -> list[Difference]:
    found: list[Difference] = []
    if left.frame.container != right.frame.container:
        ca, cb = left.info.container, right.info.container
        detail_a: dict[str, object] = {"compression": ca.compression if ca else "none", "token": left.frame.container}
        detail_b: dict[str, object] = {"compression": cb.compression if cb else "none", "token": right.frame.container}
        if ca and cb and ca.gzip_members and cb.gzip_members:
            ha, hb = ca.gzip_members[0].as_dict(), cb.gzip_members[0].as_dict()
            fields = [key for key in ha if ha[key] != hb[key]]
            detail_a["gzip_header"], detail_b["gzip_header"] = ha, hb
            what = f"gzip header fields differ ({', '.join(fields)})" if fields else "compressed bytes differ"
        else:
            what = "compressed bytes differ"
        found.append(Difference(kind=k.COMPRESSION, path="", message=f"compression layer: {what}", reference=detail_a, candidate=detail_b))
    if left.frame.trailer != right.frame.trailer:
        found.append(
            Difference(
                kind=k.TRAILER,
                path="",
                message=f"end of the tar stream differs ({left.info.trailer_size} vs {right.info.trailer_size} bytes"
                f"{'' if left.info.trailer_zero and right.info.trailer_zero else ', non-zero data'})",
                reference={"size": left.info.trailer_size, "sha256": left.info.trailer_sha256, "zero": left.info.trailer_zero},
                candidate={"size": right.info.trailer_size, "sha256": right.info.trailer_sha256, "zero": right.info.trailer_zero},
            )
        )
    return found


def _duplicate_warnings(left: Stabilized, right: Outline) -> list[str]:
    warnings = []
    for side, names in (("reference", (r.name for r in left.records)), ("candidate", (m[0] for m in right.members))):
        counts: dict[str, int] = defaultdict(int)
        for name in names:
            counts[name] += 1
        for name, count in counts.items():
            if count > 1:
                warnings.append(f"{side}: member {display_name(name)!r} appears {count} times")
    return warnings


def _effects(left: Stabilized, right: Outline, normalizations: Sequence[Normalization]) -> list[NormalizationEffect]:
    """What each normalization changed, and how many pairs differed, before it, in what it covers.

    One pass over the reference's records, pairing each with the candidate's outline by path."""
    names = [n.name for n in normalizations]
    pairs_differing = dict.fromkeys(names, 0)
    if any(n.member is not None or n.sequence is not None for n in normalizations):
        partners: dict[str, list[OutlineMember]] = defaultdict(list)
        for member in right.members:
            partners[member_key(member[0], right.info.top_level)].append(member)
        taken: dict[str, int] = defaultdict(int)
        partner_positions: list[int] = []
        for record in left.records:
            key = member_key(record.name, left.info.top_level)
            occurrence = taken[key]
            candidates = partners.get(key)
            if candidates is None or occurrence >= len(candidates):
                continue
            taken[key] += 1
            a, b = outline_member(record), candidates[occurrence]
            partner_positions.append(b[1])
            if "mtime" in pairs_differing and (a[5] != b[5] or a[6] != b[6]):
                pairs_differing["mtime"] += 1
            if "owner" in pairs_differing and a[4] != b[4]:
                pairs_differing["owner"] += 1
            if "mode" in pairs_differing and a[3] != b[3]:
                pairs_differing["mode"] += 1
            if "tar-format" in pairs_differing and ("tar-format" in a[7] or "tar-format" in b[7]):
                pairs_differing["tar-format"] += 1
        if "order" in pairs_differing:
            original_order = sorted(zip((r.index for r in left.records), partner_positions, strict=False))
            ranks = [position for _, position in original_order]
            pairs_differing["order"] = sum(1 for earlier, later in itertools.pairwise(ranks) if later < earlier)
    if "gzip-header" in pairs_differing:
        pairs_differing["gzip-header"] = int(left.original_frame.container != right.original_frame.container)
    return [
        NormalizationEffect(
            name=n.name,
            summary=BY_NAME[n.name].summary,
            reference_members=left.touched.get(n.name, 0),
            candidate_members=right.touched.get(n.name, 0),
            pairs=pairs_differing[n.name],
            scope="frame" if n.member is None and n.sequence is None else "members",
        )
        for n in normalizations
    ]
