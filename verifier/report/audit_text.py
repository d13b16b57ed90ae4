"""The audit report for people: readable in a minute, the flagged files first."""

from __future__ import annotations

from collections import Counter
from typing import Any

from verifier.report.interface import ReportFormat

_HEADLINE = {
    "from-source": "FROM SOURCE: every file is a tracked file at the tag or a consistent generated file",
    "not-from-source": "NOT FROM SOURCE: files below are neither tracked at the tag nor a consistent generated file",
    "could-not-verify": "COULD NOT VERIFY",
    "error": "ERROR",
}
_SHOWN = 15


def render_audit(report: dict[str, Any]) -> list[str]:
    subject = f"{report['package']} {report.get('version') or ''}".strip() if report.get("package") else "audit"
    lines = [f"{subject}: {_HEADLINE.get(report['verdict'], report['verdict'])}"]
    if report.get("error"):
        lines.append(f"  reason: {report['error']}")
    source = report.get("source") or {}
    if source:
        lines.append(f"source:    {source.get('repo')} tag {source.get('tag')} commit {str(source.get('commit'))[:12]}")
    published = report.get("published") or {}
    if published:
        lines.append(f"published: {published.get('url') or published.get('path')} sha256 {published.get('sha256')}")
    files = report.get("files") or []
    counts = Counter(f["status"] for f in files)
    if files:
        order = ["from-source", "generated", "generated-unchecked", "relocated", "not-from-source", "generated-inconsistent"]
        lines.append("files:     " + ", ".join(f"{counts[status]} {status}" for status in order if counts[status]))
    flagged = [f for f in files if f["status"] in ("not-from-source", "generated-inconsistent")]
    if flagged:
        lines.append("FLAGGED:")
        for finding in flagged[:_SHOWN]:
            lines.append(f"  {finding['path']}: {finding['status']}: {finding['note']}")
        if len(flagged) > _SHOWN:
            by_directory = Counter("/".join(f["path"].split("/")[1:3][:-1] or ["."]) + "/" for f in flagged[_SHOWN:])
            summary = ", ".join(f"{count} in {directory}" for directory, count in by_directory.most_common(5))
            lines.append(f"  ... and {len(flagged) - _SHOWN} more ({summary}; all in the JSON report)")
    generated = [f for f in files if f["status"] in ("generated", "generated-unchecked")]
    if generated:
        lines.append("generated files:")
        for finding in generated:
            check = "checked" if finding["status"] == "generated" else "NOT CHECKED"
            lines.append(f"  {finding['path']} ({finding.get('generator')}, {check}): {finding['note']}")
    relocated = [f for f in files if f["status"] == "relocated"]
    for finding in relocated[:_SHOWN]:
        lines.append(f"relocated: {finding['path']}: {finding['note']}")
    noted = [f for f in files if f["status"] == "from-source" and f.get("note", "").startswith("mode")]
    for finding in noted[:_SHOWN]:
        lines.append(f"mode:      {finding['path']}: {finding['note']}")
    match = report.get("commit_match")
    if match:
        lines.append(f"commit:    {describe_commit_match(match)}")
    for note in report.get("notes") or []:
        lines.append(f"note:      {note}")
    omitted = report.get("omitted") or []
    if omitted:
        shown = ", ".join(omitted[:8]) + (", ..." if len(omitted) > 8 else "")
        lines.append(f"left out:  {len(omitted)} tracked file(s) at the tag are not in the sdist (not a failure): {shown}")
    timings = report.get("timings") or {}
    if timings:
        lines.append("timings:   " + ", ".join(f"{name} {seconds:.1f}s" for name, seconds in timings.items()))
    if report.get("reproduce"):
        lines.append(f"re-run:    {report['reproduce']}")
    return lines


def describe_commit_match(match: dict[str, Any], shown: int = 8) -> str:
    """The commit search's best match in one line: "matches commit abc123 (2 commits before the
    tag) exactly; differs from the tag in docs/news.rst"."""
    distance = int(match["distance"])
    steps = abs(distance)
    where = f"{steps} commit{'s' if steps != 1 else ''} {'before' if distance < 0 else 'after'} the tag"
    line = f"matches commit {str(match['commit'])[:12]} ({where})"
    if match.get("exact"):
        line += " exactly"
    else:
        line += f" best: {match['matched']} of {match['total']} files ({match.get('tag_matched', '?')} at the tag)"

    def listing(paths: list[str]) -> str:
        return ", ".join(paths[:shown]) + (f", ... ({len(paths)} in all)" if len(paths) > shown else "")

    differing_from_tag = list(match.get("files_differing_from_tag") or [])
    differing_there = list(match.get("files_differing_there") or [])
    explained = list(match.get("files_matching_only_there") or [])
    if explained:
        line += f"; differs from the tag in {listing(explained)}"
    neither = [path for path in differing_there if path in differing_from_tag]
    if neither:
        line += f"; matches neither in {listing(neither)}"
    tag_only = [path for path in differing_there if path not in differing_from_tag]
    if tag_only:
        line += f"; matches only the tag in {listing(tag_only)}"
    if match.get("summary"):
        line += f"; commit subject: {match['summary']}"
    if match.get("complete") is False:
        line += " (search stopped at its deadline)"
    return line


class AuditTextFormat(ReportFormat):
    def render(self, report: dict[str, Any]) -> str:
        return "\n".join(render_audit(report)) + "\n"
