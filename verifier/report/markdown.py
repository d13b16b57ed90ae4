"""Reports as Markdown, for a pull-request comment or a CI step summary (`--format markdown`).

Every string that comes from an archive, an index or a repository is escaped for Markdown and
inline HTML (names and messages are untrusted input); commands go in fenced code blocks.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from verifier.report import artifacts as files
from verifier.report.model.audit import AuditReport, FileStatus
from verifier.report.model.compare import CompareReport
from verifier.report.model.verify import Artifact, VerifyReport

MAX_ROWS = 50
_SPECIAL = re.compile(r"([\\`*_\[\]#|<>~])")
_VERDICT_LINE = {
    "identical": "reproducible (identical): the published file is byte for byte the rebuilt one",
    "equivalent": "reproducible (equivalent): the same bytes once the normalizations below are applied",
    "different": "NOT reproducible: a published file differs from its rebuild",
    "from-source": "from source: every file is a copy of a tracked file or a checked generated file",
    "not-from-source": "NOT from source: files that are not in the tagged tree",
    "could-not-verify": "could not verify",
    "error": "error",
}


def escape(text: object) -> str:
    """One line of untrusted text, inert in Markdown and in inline HTML."""
    flat = " ".join(str(text).split())
    return _SPECIAL.sub(r"\\\1", flat)


def _code(text: str) -> list[str]:
    fence = "```"
    while fence in text:
        fence += "`"
    return [fence + "sh", text, fence]


def _table(header: tuple[str, ...], rows: Iterable[tuple[object, ...]], total: int | None = None) -> list[str]:
    rows = list(rows)
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(escape(cell) for cell in row) + " |" for row in rows[:MAX_ROWS]]
    hidden = (total if total is not None else len(rows)) - min(len(rows), MAX_ROWS)
    if hidden > 0:
        lines.append(f"\n… and {hidden} more (see the JSON report)")
    return lines


def _comparison_lines(comparison: CompareReport, of: str = "") -> list[str]:
    lines: list[str] = []
    if comparison.normalizations:
        lines += ["", f"**Normalized{of}**", ""]
        lines += _table(("normalization", "published", "rebuilt", "pairs differing"),
                        ((name, n.reference, n.candidate, n.pairs) for name, n in comparison.normalizations.items()))
    if comparison.differences:
        lines += ["", f"**Differences{of}** ({len(comparison.differences) + comparison.differences_not_listed})", ""]
        lines += _table(("member", "kind", "what"), ((d.path or "(archive)", d.kind, d.message) for d in comparison.differences),
                        len(comparison.differences) + comparison.differences_not_listed)
    return lines


def _artifact_details(artifact: Artifact) -> list[str]:
    """What one verified file's comparison found: normalizations, differences, probable causes."""
    if not (artifact.normalizations or artifact.differences or artifact.explanations or artifact.error):
        return []
    lines = ["", f"**{escape(artifact.filename)}**: {escape(files.label(artifact))}"]
    if artifact.normalizations:
        lines += ["", "Normalized: " + ", ".join(f"`{escape(name)}`" for name in artifact.normalizations)]
    if artifact.differences:
        total = len(artifact.differences) + artifact.differences_not_listed
        lines += ["", f"Differences ({total})", ""]
        lines += _table(("member", "kind", "what"), ((d.path or "(archive)", d.kind, d.message) for d in artifact.differences), total)
    if artifact.explanations:
        lines += ["", *[f"- `{escape(e.cause)}` {escape(e.message)}" for e in artifact.explanations[:MAX_ROWS]]]
    if artifact.error:
        lines += ["", f"Error: {escape(artifact.error)}"]
    return lines


def _artifacts_lines(report: VerifyReport) -> list[str]:
    """Every file of the release: its verdict (or why it was not verified), then what each one's comparison found."""
    if not report.artifacts:
        return []
    lines = ["", f"**Files of the release** ({escape(files.count_line(report))})", ""]
    lines += _table(("file", "kind", "verdict", "rebuilt from", "sha256"), (
        (a.filename, a.kind, files.label(a), a.built_from or files.why_not(a) or "-", files.short(a.sha256))
        for a in report.artifacts))
    for artifact in report.artifacts[:MAX_ROWS]:
        if artifact.kind != "sdist" or report.comparison is None:  # the sdist's comparison follows in full
            lines += _artifact_details(artifact)
    return lines


def render_verify(report: VerifyReport) -> str:
    title = f"{report.package or '?'} {report.version or ''}".strip()
    lines = [f"### verifier: {escape(title)}: {_VERDICT_LINE.get(report.verdict.value, report.verdict.value)}", ""]
    facts: list[tuple[str, object]] = []
    if report.source is not None:
        facts.append(("source", f"{report.source.url or report.source.repo} tag {report.source.tag} ({report.source.commit[:12]})"))
    if report.published is not None:
        facts.append(("published", f"{getattr(report.published, 'filename', None) or report.published.path} sha256 {report.published.sha256}"))
    if report.rebuilt is not None:
        facts.append(("rebuilt", f"sha256 {report.rebuilt.sha256}"))
    if report.builder is not None:
        facts.append(("builder", f"{report.builder.name}, Python {report.builder.python}"))
    if report.error:
        facts.append(("reason", report.error))
    if facts:
        lines += _table(("", ""), facts)
    lines += _artifacts_lines(report)
    of = " (sdist)" if report.artifacts else ""
    if report.comparison is not None:
        lines += _comparison_lines(report.comparison, of)
    if report.explanations:
        lines += ["", f"**Probable causes{of}**", ""]
        lines += [f"- `{escape(e.cause)}` {escape(e.message)}" for e in report.explanations[:MAX_ROWS]]
    if report.transplant is not None and report.transplant.identical:
        lines += ["", "Identical after transplanting the published timestamps: nothing else differs."]
    lines += ["", "Run it again:", "", *_code(report.reproduce), ""]
    return "\n".join(lines)


def render_audit(report: AuditReport) -> str:
    title = f"{report.package or '?'} {report.version or ''}".strip()
    lines = [f"### verifier audit: {escape(title)}: {_VERDICT_LINE.get(report.verdict.value, report.verdict.value)}", ""]
    if report.error:
        lines += [f"Reason: {escape(report.error)}", ""]
    if report.counts:
        lines += _table(("status", "files"), sorted(report.counts.items()))
    flagged = report.files_with(FileStatus.NOT_FROM_SOURCE, FileStatus.INCONSISTENT)
    if flagged:
        lines += ["", f"**Not from source** ({len(flagged)})", ""]
        lines += _table(("file", "status", "why"), ((f.path, f.status.value, f.note) for f in flagged))
    if report.wheels:
        lines += ["", "**Wheels**", ""]
        lines += _table(("wheel", "verdict", "what"), (
            (w.filename, w.verdict.value if w.verdict else "not verified",
             w.reason or "; ".join(f"{f.path}: {f.message}" for f in w.findings[:5]) or f"{w.copies} files copied from the sdist")
            for w in report.wheels))
    lines += ["", "Run it again:", "", *_code(report.reproduce), ""]
    return "\n".join(lines)


def render_compare(report: CompareReport) -> str:
    lines = [f"### verifier compare: {_VERDICT_LINE.get(report.verdict.value, report.verdict.value)}", ""]
    lines += _table(("", "file", "sha256"), (("published (reference)", report.reference.path, report.reference.sha256),
                                            ("rebuilt (candidate)", report.candidate.path, report.candidate.sha256)))
    lines += _comparison_lines(report)
    lines.append("")
    return "\n".join(lines)
