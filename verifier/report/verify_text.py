"""The verify report for people: verdict, source, published and rebuilt artifacts, what was
normalized, what differs and why, and the command that runs it again."""

from __future__ import annotations

from typing import Any

from verifier.report.interface import ReportFormat
from verifier.report.text import render_comparison

_HEADLINE = {
    "identical": "REPRODUCIBLE (identical): the published sdist is byte for byte the rebuilt one",
    "equivalent": "REPRODUCIBLE (equivalent): the same bytes once the normalizations below are applied",
    "different": "NOT REPRODUCIBLE: the published sdist differs from the rebuild of the tag",
    "could-not-verify": "COULD NOT VERIFY",
    "error": "ERROR",
}


def render_verify(report: dict[str, Any]) -> list[str]:
    subject = f"{report['package']} {report.get('version') or ''}".strip() if report.get("package") else "verify"
    lines = [f"{subject}: {_HEADLINE.get(report['verdict'], report['verdict'])}"]
    if report.get("error"):
        lines.append(f"  reason: {report['error']}")
    source = report.get("source") or {}
    if source.get("tag"):
        epoch = source.get("source_date_epoch")
        lines.append(
            f"source:    {source.get('repo')} tag {source['tag']} commit {str(source.get('commit'))[:12]}"
            + (f" (subdir {source['subdir']})" if source.get("subdir") else "")
        )
        if "source_date_epoch_origin" in source:
            lines.append(f"           SOURCE_DATE_EPOCH={epoch if epoch is not None else 'unset'} ({source['source_date_epoch_origin']})")
    published = report.get("published") or {}
    if published:
        lines.append(f"published: {published.get('url') or published.get('path')}")
        lines.append(f"           sha256 {published.get('sha256')} uploaded {published.get('upload_time') or 'unknown'}")
    rebuilt = report.get("rebuilt") or {}
    if rebuilt:
        lines.append(f"rebuilt:   {rebuilt.get('filename')} sha256 {rebuilt.get('sha256')}")
    builder = report.get("builder") or {}
    if builder:
        requirements = ", ".join(f"{r['name']}=={r['version']}" for r in builder.get("build_requirements", []))
        lines.append(f"builder:   {builder.get('name')} image {str(builder.get('image'))[:19]} python {builder.get('python')} ({builder.get('runtime')})")
        if requirements:
            lines.append(f"           build requirements: {requirements}")
        for deviation in builder.get("deviations", []):
            lines.append(f"           deviation: {deviation.get('what')}: {deviation.get('original')} -> {deviation.get('replacement')}")
    comparison = report.get("comparison")
    if comparison:
        lines.extend(line for line in render_comparison(comparison)[3:])  # verdict and paths shown above
    explanations = report.get("explanations") or []
    if explanations:
        lines.append("probable causes:")
        for explanation in explanations:
            where = explanation.get("path") or ""
            prefix = "" if not where or explanation["message"].startswith(where) or where[0].isdigit() else f"{where}: "
            lines.append(f"  [{explanation['cause']}] {prefix}{explanation['message']}")
    transplant = report.get("transplant")
    if transplant:
        if transplant.get("identical"):
            lines.append("proof:     IDENTICAL after transplanting the published timestamps (member mtimes and gzip header) "
                         "onto the rebuild: nothing else differs, down to the tar encoding")
        else:
            lines.append(f"proof:     transplanting the published timestamps does not give the published bytes: {transplant.get('reason')}")
    inferred = report.get("inferred") or {}
    for setting in inferred.get("settings", []):
        lines.append(f"inferred:  {setting['name']} = {setting['value']} ({setting['origin']})")
    for note in report.get("notes") or []:
        lines.append(f"note: {note}")
    for check in report.get("checks") or []:
        lines.append(f"check {check['name']}: {'ok' if check['ok'] else 'NOT OK'}: {check['message']}")
    attempts = report.get("attempts") or []
    if len(attempts) > 1:
        lines.append(f"attempts (--search, {len(attempts)} builds):")
        for attempt in attempts:
            choice = attempt["source_date_epoch"]
            value = choice["value"] if choice["value"] is not None else "unset"
            lines.append(
                f"  {attempt['verdict']:<10} ({attempt.get('differences', 0)} difference{'' if attempt.get('differences') == 1 else 's'}): {attempt.get('why', '')}"
                f" [SOURCE_DATE_EPOCH {value}, umask {attempt.get('umask', '022')}, requirements as of "
                f"{attempt.get('requirements_cutoff_origin', '?')}, Python {attempt.get('python') or 'default'}]"
            )
    timings = report.get("timings") or {}
    if timings:
        lines.append("timings:   " + ", ".join(f"{name} {seconds:.1f}s" for name, seconds in timings.items()))
    if report.get("workdir"):
        lines.append(f"workdir:   {report['workdir']}")
    if report.get("reproduce") and (report.get("source") or {}).get("commit"):
        lines.append(f"re-run:    {report['reproduce']}")
    return lines


class VerifyTextFormat(ReportFormat):
    def render(self, report: dict[str, Any]) -> str:
        return "\n".join(render_verify(report)) + "\n"
