"""The report for people: the verdict first, then what was normalized, then each difference."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from verifier.report.interface import ReportFormat, as_model
from verifier.report.model.compare import CompareReport, DifferenceReport, GzipReport

_VERDICT_LINES = {
    "identical": "IDENTICAL: the two files are the same bytes",
    "equivalent": "EQUIVALENT: the same bytes once the normalizations below are applied",
    "different": "DIFFERENT",
}


def _plural(count: int, word: str) -> str:
    return f"{count} {word}{'' if count == 1 else 's'}"


def render_comparison(report: CompareReport | Mapping[str, Any]) -> list[str]:
    """The comparison for people, line by line (a stored report's data is parsed first)."""
    report = as_model(CompareReport, report)
    lines: list[str] = []
    verdict = report.verdict
    extra = report.differences_not_listed
    head = _VERDICT_LINES.get(verdict, verdict.upper())
    if verdict == "different":
        head += f": {_plural(len(report.differences) + extra, 'difference')}"
    lines.append(f"verdict: {head}")
    for side, artifact in (("reference", report.reference), ("candidate", report.candidate)):
        lines.append(f"  {side + ':':<10} {artifact.path}  sha256 {artifact.sha256}  {artifact.size} bytes")
    lines.extend(_normalization_lines(report))
    if report.differences:
        lines.append("differences:")
        lines.extend(_difference_lines(report.differences))
        if extra:
            lines.append(f"  ... and {extra} more (see the JSON report)")
    if report.gzip:
        lines.extend(_gzip_lines(report.gzip))
    for side, artifact in (("reference", report.reference), ("candidate", report.candidate)):
        for warning in artifact.warnings:
            lines.append(f"warning: {side}: {warning}")
    for warning in report.warnings:
        lines.append(f"warning: {warning}")
    for fmt, path in report.diffoscope.items():
        lines.append(f"diffoscope {fmt}: {path}")
    return lines


def _normalization_lines(report: CompareReport) -> list[str]:
    if not report.normalizations:
        return [] if report.verdict == "identical" else ["normalizations: none (strict: bit-for-bit)"]
    lines = ["normalizations:"]
    for name, effect in report.normalizations.items():
        if effect.scope == "frame":
            state = "differed" if effect.pairs else "were the same"
            lines.append(f"  {name:<11} applied to the compression layer, whose headers/bytes {state}")
            continue
        lines.append(
            f"  {name:<11} changed {effect.reference} reference / {effect.candidate} candidate "
            f"member(s); {effect.pairs} paired member(s) differed in what it covers"
        )
    return lines


def _difference_lines(differences: Sequence[DifferenceReport]) -> list[str]:
    lines: list[str] = []
    for group in _groups(differences):
        if len(group) > GROUP_FROM:
            first = group[0]
            what = _without_path(first)
            examples = ", ".join(d.path for d in group[:3])
            lines.append(f"  [{first.kind}] {len(group)} members: {what} (e.g. {examples})")
            continue
        for difference in group:
            lines.append(f"  [{difference.kind}] {difference.message}")
            detail = _detail(difference)
            if detail:
                lines.append(f"      {detail}")
    return lines


GROUP_FROM = 3  # more differences than this with the same kind and message are shown as one line


_GROUPED_WITHOUT_PATH = ("mode", "tar-header", "owner", "mtime", "metadata")


def _without_path(difference: DifferenceReport) -> str:
    message = difference.message
    prefix = f"{difference.path}: "
    return message[len(prefix):] if difference.path and message.startswith(prefix) else message


def _groups(differences: Sequence[DifferenceReport]) -> list[list[DifferenceReport]]:
    """Differences grouped by kind and message (the path aside), in order of first appearance."""
    groups: dict[tuple[str, str], list[DifferenceReport]] = {}
    for difference in differences:
        key = (difference.kind, _without_path(difference) if difference.kind in _GROUPED_WITHOUT_PATH else difference.message)
        groups.setdefault(key, []).append(difference)
    return list(groups.values())


def _detail(difference: DifferenceReport) -> str:
    kind = difference.kind
    left, right = difference.reference or {}, difference.candidate or {}
    if kind in ("content", "size"):
        return (f"reference {left.get('size')} bytes sha256 {str(left.get('sha256'))[:16]}…; "
                f"candidate {right.get('size')} bytes sha256 {str(right.get('sha256'))[:16]}…")
    return ""


def _gzip_lines(gzip: GzipReport) -> list[str]:
    lines = ["gzip evidence:"]
    if gzip.reference_headers:
        lines.append(f"  reference header: {_gzip_header(gzip.reference_headers[0])}")
    if gzip.candidate_headers:
        lines.append(f"  candidate header: {_gzip_header(gzip.candidate_headers[0])}")
    if gzip.header_fields_differing:
        lines.append(f"  header fields differing: {', '.join(gzip.header_fields_differing)}")
    if gzip.decompressed_streams_equal:
        lines.append("  decompressed tar streams equal: yes")
    else:
        lines.append("  decompressed tar streams equal: no (they differ at least in normalized fields), so re-compression was not tried")
    reproduced = gzip.recompression_reproduces_reference
    if reproduced:
        lines.append(
            f"  re-compressing the candidate's stream with the reference's header gives the reference "
            f"byte for byte: {gzip.compressor} level {gzip.level}"
        )
    elif reproduced is False:
        lines.append(f"  no compressor tried reproduces the reference's bytes ({', '.join(gzip.tried)})")
    if gzip.note and gzip.decompressed_streams_equal:
        lines.append(f"  {gzip.note}")
    return lines


def _gzip_header(header: dict[str, Any]) -> str:
    name = header.get("filename")
    return f"mtime {header['mtime']}, name {name!r}, OS {header['os']}, XFL {header['xfl']}"


class TextFormat(ReportFormat[CompareReport]):
    def render(self, report: CompareReport | Mapping[str, Any]) -> str:
        return "\n".join(render_comparison(report)) + "\n"
