"""summary.md: a GitHub-flavoured Markdown summary for a CI job summary or a pull-request comment.

Untrusted names and versions are written as code spans (no Markdown, HTML or autolinks inside),
with `|` escaped for tables; free text (messages) is escaped character by character. The whole
file stays under `MAX_CHARS` (GitHub refuses comments over 65,536 characters): problems are
listed first, and reproducible rows are summarised once the budget is spent.
"""

from __future__ import annotations

import re

from verifier.nightly.outputs.layout import INDEX, JUNIT_XML, SUMMARY_JSON, SUMMARY_MD, Layout
from verifier.nightly.outputs.model import REPRODUCIBLE, UNVERIFIED, Result, count_verdicts
from verifier.nightly.outputs.paths import href
from verifier.nightly.outputs.summary import EXIT_FAILED, EXIT_UNVERIFIED, exit_code
from verifier.nightly.outputs.text import format_duration, format_time, one_line, plural, run_duration
from verifier.report.artifacts import wheel_tags

MAX_CHARS = 60_000

EMOJI = {
    "identical": "✅",
    "equivalent": "☑️",
    "different": "❌",
    "could-not-verify": "⚠️",
    "error": "💥",
    "timeout": "⏱️",
}
REGRESSED = "🔻"
NOT_VERIFIED = "⚪"

_MARKDOWN_SPECIAL = re.compile(r"([\\`*_\[\]{}()#+!|~>-])")


def code(value: object, limit: int = 120) -> str:
    """An inline code span holding `value` literally, safe inside a table cell."""
    text = one_line(value, limit)
    if not text:
        return "∅"
    longest = max((len(run) for run in re.findall(r"`+", text)), default=0)
    fence = "`" * (longest + 1)
    padded = f" {text} " if text.startswith(("`", " ")) or text.endswith("`") else text
    return f"{fence}{padded}{fence}".replace("|", "\\|")


def escape(value: object, limit: int = 200) -> str:
    """Free text as literal Markdown: specials backslash-escaped, HTML characters as entities."""
    text = one_line(value, limit)
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    text = _MARKDOWN_SPECIAL.sub(r"\\\1", text)
    # "http://x" and "www.x" must not become links: break the pattern with an entity.
    return re.sub(r"(?i)(https?|ftp)(:)//|(www)(\.)", lambda m: (m.group(1) or m.group(3)) + ("&#58;//" if m.group(2) else "&#46;"), text)


def _link(target: str, site_url: str | None) -> str:
    """A link from summary.md (at the site root) to a site file; absolute when the site URL is known."""
    relative = href(SUMMARY_MD, target)
    return f"{site_url.rstrip('/')}/{relative}" if site_url else relative


def verdict_cell(result: Result) -> str:
    cell = f"{EMOJI[result.verdict]} {result.verdict}"
    if result.regressed:
        cell = f"{REGRESSED} **regressed** · {cell}"
    return cell


def files_cell(result: Result) -> str:
    """Each file of the release with its own verdict, e.g. `✅ sdist · ❌ py3-none-any · ⚪ cp312-…`."""
    if not result.artifacts:
        return "—"
    parts = []
    for artifact in result.artifacts:
        mark = EMOJI[artifact.verdict] if artifact.verdict is not None else NOT_VERIFIED
        name = "sdist" if artifact.kind != "wheel" else wheel_tags(artifact.filename)
        parts.append(f"{REGRESSED if artifact.regressed else ''}{mark} {code(name, 60)}")
    return " · ".join(parts)


def _regressed_files(result: Result) -> str:
    names = [code(a.filename) for a in result.artifacts if a.regressed]
    return f" ({', '.join(names)})" if names else ""


def _severity(result: Result) -> int:
    if result.regressed:
        return 0
    if result.verdict == "different":
        return 1
    if result.verdict in UNVERIFIED:
        return 2
    return 3


def headline(results: list[Result] | tuple[Result, ...]) -> str:
    counts = count_verdicts(results)
    total = len(results)
    code_ = exit_code(results)
    regressed = sum(r.regressed for r in results)
    reproducible = sum(counts[v] for v in REPRODUCIBLE)
    if total == 0:
        return "✅ Nightly verification: no new release to verify"
    if code_ == EXIT_FAILED:
        parts = []
        if regressed:
            parts.append(plural(regressed, "regression"))
        if counts["different"]:
            parts.append(f"{counts['different']} different")
        return f"❌ Nightly verification: {', '.join(parts)} — {reproducible} of {total} reproducible"
    if code_ == EXIT_UNVERIFIED:
        unverified = sum(counts[v] for v in UNVERIFIED)
        return f"⚠️ Nightly verification: {unverified} of {total} could not be verified — {reproducible} reproducible"
    return f"✅ Nightly verification: all {plural(total, 'release')} reproducible"


def _regressions(layout: Layout, results: list[Result], site_url: str | None) -> list[str]:
    """The regressions of this run, each with what it was before (and which of its files regressed)."""
    history = layout.history
    lines: list[str] = []
    regressions = [r for r in results if r.regressed]
    if regressions:
        lines += [f"### {REGRESSED} Regressions", ""]
        for result in regressions:
            previous = history.previous(result)
            was = (
                f"was {EMOJI[previous.verdict]} {previous.verdict} at {code(previous.version)}"
                if previous is not None
                else "was reproducible before"
            )
            page = _link(layout.version_of(result).page, site_url)
            lines.append(
                f"- [{code(result.package)} {code(result.version)}]({page}){_regressed_files(result)}: now {EMOJI[result.verdict]} "
                f"{result.verdict}, {was}"
            )
        lines.append("")
    return lines


def render_markdown(layout: Layout, *, site_url: str | None = None) -> str:
    history = layout.history
    results = list(history.results)
    run = history.run
    counts = count_verdicts(results)
    lines = [f"## {headline(results)}", ""]
    took = run_duration(run.started_at, run.finished_at)
    lines.append(
        f"Run #{run.id} · started {format_time(run.started_at)}"
        + (f" · took {format_duration(took)}" if took is not None else "")
        + f" · {plural(len(layout.packages), 'package')} tracked"
    )
    lines.append("")
    tally = " · ".join(f"{EMOJI[v]} {v}: **{n}**" for v, n in counts.items() if n)
    if tally:
        lines += [tally, ""]

    if run.problems:
        lines += [f"### ⚠️ {plural(len(run.problems), 'configured package')} could not be checked", ""]
        lines += [f"- {code(x.package)}: {escape(x.error)}" for x in run.problems[:50]]
        if len(run.problems) > 50:
            lines.append(f"- … and {len(run.problems) - 50} more (see summary.json)")
        lines.append("")

    lines += _regressions(layout, results, site_url)

    if results:
        lines += ["### Releases verified in this run", ""]
        with_files = any(r.artifacts for r in results)  # a column for the files only once wheels are verified
        lines += ["| Package | Version | Verdict | Differences |" + (" Files |" if with_files else ""),
                  "|---|---|---|---:|" + ("---|" if with_files else "")]
        rows = sorted(results, key=lambda r: (_severity(r), r.package.lower(), r.version))
        budget = MAX_CHARS - 2_000  # room for the footer
        used = sum(len(line) + 1 for line in lines)
        for shown, result in enumerate(rows):
            package_page = _link(layout.package_of(result).page, site_url)
            version_page = _link(layout.version_of(result).page, site_url)
            differences = str(result.difference_count) if result.difference_count else "—"
            if result.unverified and result.error:
                differences = escape(result.error, 80)
            row = (
                f"| [{code(result.package)}]({package_page}) | [{code(result.version)}]({version_page}) "
                f"| {verdict_cell(result)} | {differences} |" + (f" {files_cell(result)} |" if with_files else "")
            )
            if used + len(row) + 1 > budget:
                rest = rows[shown:]
                rest_counts = count_verdicts(rest)
                what = ", ".join(f"{n} {v}" for v, n in rest_counts.items() if n)
                lines.append(f"| … | … | {len(rest)} more ({what}) | see the dashboard |" + (" |" if with_files else ""))
                break
            lines.append(row)
            used += len(row) + 1
        lines.append("")
    else:
        lines += ["No new release was found in this run.", ""]

    if run.skipped:
        lines += [f"{plural(len(run.skipped), 'release')} not verified again (already verified, or given up on).", ""]

    dashboard = _link(INDEX, site_url)
    lines.append(
        f"📊 [Dashboard]({dashboard}) · [summary.json]({_link(SUMMARY_JSON, site_url)})"
        f" · [junit.xml]({_link(JUNIT_XML, site_url)})"
    )
    lines.append("")
    return "\n".join(lines)
