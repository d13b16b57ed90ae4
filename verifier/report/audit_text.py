"""The audit report for people: readable in a minute, the flagged files first."""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from typing import Any

from verifier.report.interface import ReportFormat, as_model
from verifier.report.model.audit import (
    STATUS_ORDER,
    AuditReport,
    AuditSource,
    CommitMatch,
    Empty,
    FileStatus,
)

_HEADLINE = {
    "from-source": "FROM SOURCE: every file is a tracked file at the tag or a consistent generated file",
    "not-from-source": "NOT FROM SOURCE: files below are neither tracked at the tag nor a consistent generated file",
    "could-not-verify": "COULD NOT VERIFY",
    "error": "ERROR",
}
_SHOWN = 15


def render_audit(report: AuditReport | Mapping[str, Any]) -> list[str]:
    """The audit for people, line by line (a stored report's data is parsed first)."""
    report = as_model(AuditReport, report)
    subject = f"{report.package} {report.version or ''}".strip() if report.package else "audit"
    lines = [f"{subject}: {_HEADLINE.get(report.verdict, report.verdict)}"]
    if report.error:
        lines.append(f"  reason: {report.error}")
    if isinstance(report.source, AuditSource):
        source = report.source
        lines.append(f"source:    {source.repo} tag {source.tag} commit {source.commit[:12]}")
    if not isinstance(report.published, Empty):
        published = report.published
        lines.append(f"published: {published.url or published.path} sha256 {published.sha256}")
    lines.extend(_file_lines(report))
    lines.extend(_wheel_lines(report))
    if report.commit_match:
        lines.append(f"commit:    {describe_commit_match(report.commit_match)}")
    for note in report.notes:
        lines.append(f"note:      {note}")
    omitted = report.omitted
    if omitted:
        shown = ", ".join(omitted[:8]) + (", ..." if len(omitted) > 8 else "")
        lines.append(f"left out:  {len(omitted)} tracked file(s) at the tag are not in the sdist (not a failure): {shown}")
    if report.timings:
        lines.append("timings:   " + ", ".join(f"{name} {seconds:.1f}s" for name, seconds in report.timings.items()))
    if report.reproduce:
        lines.append(f"re-run:    {report.reproduce}")
    return lines


def _wheel_lines(report: AuditReport) -> list[str]:
    lines: list[str] = []
    for wheel in report.wheels:
        if wheel.verdict is None:
            lines.append(f"wheel:     {wheel.filename}: not verified ({wheel.reason})")
            continue
        lines.append(f"wheel:     {wheel.filename}: {wheel.verdict} ({wheel.copies} file(s) copies of the sdist's, "
                     f"{wheel.metadata_files} metadata file(s) checked through RECORD)")
        lines.extend(f"  FLAGGED  {finding.path}: {finding.message} [{finding.kind}]" for finding in wheel.findings[:50])
    return lines


def _file_lines(report: AuditReport) -> list[str]:
    lines: list[str] = []
    counts = Counter(f.status for f in report.files)
    if report.files:
        lines.append("files:     " + ", ".join(f"{counts[status]} {status}" for status in STATUS_ORDER if counts[status]))
    flagged = [f for f in report.files if f.status.flagged]
    if flagged:
        lines.append("FLAGGED:")
        for finding in flagged[:_SHOWN]:
            lines.append(f"  {finding.path}: {finding.status}: {finding.note}")
        if len(flagged) > _SHOWN:
            by_directory = Counter("/".join(f.path.split("/")[1:3][:-1] or ["."]) + "/" for f in flagged[_SHOWN:])
            summary = ", ".join(f"{count} in {directory}" for directory, count in by_directory.most_common(5))
            lines.append(f"  ... and {len(flagged) - _SHOWN} more ({summary}; all in the JSON report)")
    generated = [f for f in report.files if f.status.generated]
    if generated:
        lines.append("generated files:")
        for finding in generated:
            check = "checked" if finding.status == FileStatus.GENERATED else "NOT CHECKED"
            lines.append(f"  {finding.path} ({finding.generator}, {check}): {finding.note}")
    for finding in report.files_with(FileStatus.RELOCATED)[:_SHOWN]:
        lines.append(f"relocated: {finding.path}: {finding.note}")
    noted = [f for f in report.files_with(FileStatus.FROM_SOURCE) if f.note.startswith("mode")]
    for finding in noted[:_SHOWN]:
        lines.append(f"mode:      {finding.path}: {finding.note}")
    return lines


def describe_commit_match(match: CommitMatch, shown: int = 8) -> str:
    """The commit search's best match in one line: "matches commit abc123 (2 commits before the
    tag) exactly; differs from the tag in docs/news.rst"."""
    steps = abs(match.distance)
    where = f"{steps} commit{'s' if steps != 1 else ''} {'before' if match.distance < 0 else 'after'} the tag"
    line = f"matches commit {match.commit[:12]} ({where})"
    if match.exact:
        line += " exactly"
    else:
        line += f" best: {match.matched} of {match.total} files ({match.tag_matched} at the tag)"

    def listing(paths: Sequence[str]) -> str:
        return ", ".join(paths[:shown]) + (f", ... ({len(paths)} in all)" if len(paths) > shown else "")

    differing_from_tag = match.files_differing_from_tag
    if match.files_matching_only_there:
        line += f"; differs from the tag in {listing(match.files_matching_only_there)}"
    neither = [path for path in match.files_differing_there if path in differing_from_tag]
    if neither:
        line += f"; matches neither in {listing(neither)}"
    tag_only = [path for path in match.files_differing_there if path not in differing_from_tag]
    if tag_only:
        line += f"; matches only the tag in {listing(tag_only)}"
    if match.summary:
        line += f"; commit subject: {match.summary}"
    if match.complete is False:
        line += " (search stopped at its deadline)"
    return line


class AuditTextFormat(ReportFormat[AuditReport]):
    def render(self, report: AuditReport | Mapping[str, Any]) -> str:
        return "\n".join(render_audit(report)) + "\n"
