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
    lines = [f"{report.get('package') or '?'} {report.get('version') or ''}: {_HEADLINE.get(report['verdict'], report['verdict'])}"]
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
        for finding in flagged:
            lines.append(f"  {finding['path']}: {finding['status']}: {finding['note']}")
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


class AuditTextFormat(ReportFormat):
    def render(self, report: dict[str, Any]) -> str:
        return "\n".join(render_audit(report)) + "\n"
