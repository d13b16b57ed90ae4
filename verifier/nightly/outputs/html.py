"""The static dashboard: index.html, one page per package, one page per version.

No JavaScript and no external resource: inline CSS only, and a Content-Security-Policy that forbids
scripts, so a name that escaped escaping still could not run. Light and dark follow the reader's
`prefers-color-scheme`. Every dynamic value goes through `_e` (visible + html.escape with quotes);
every link is made by `paths.href` from slugs.
"""

from __future__ import annotations

import html
from collections.abc import Iterable, Sequence
from urllib.parse import urlsplit

from verifier.nightly.outputs.layout import INDEX, JUNIT_XML, SUMMARY_JSON, SUMMARY_MD, Layout, PackageView, VersionView
from verifier.nightly.outputs.model import REPRODUCIBLE, UNVERIFIED, VERDICTS, Normalization, Result, count_verdicts
from verifier.nightly.outputs.paths import href
from verifier.nightly.outputs.summary import EXIT_FAILED, EXIT_UNVERIFIED, exit_code
from verifier.nightly.outputs.text import (
    format_date,
    format_duration,
    format_span,
    format_time,
    plural,
    run_duration,
    short_hash,
    visible,
)

MAX_DIFFERENCES_SHOWN = 500
PACKAGE_TREND = 60  # squares on a package page

LABELS = {
    "identical": "identical",
    "equivalent": "equivalent",
    "different": "different",
    "could-not-verify": "could not verify",
    "error": "error",
    "timeout": "timeout",
}
MEANINGS = {
    "identical": "the same bytes",
    "equivalent": "the same bytes once the selected normalizations are applied",
    "different": "not reproducible: the rebuilt sdist differs from the published one",
    "could-not-verify": "the verification could not be completed (build failed, index unreachable, ...)",
    "error": "the verifier failed",
    "timeout": "the verification took too long and was stopped",
}

CSS = """
:root {
  color-scheme: light dark;
  --bg: #f5f6f8; --fg: #1c2128; --muted: #5b6472; --card: #ffffff; --border: #d8dde4; --head: #eef1f5;
  --link: #0b5cad; --code: #eef1f5; --hl: #fff1f0; --hl-border: #cf222e;
  --identical: #1a7f37; --equivalent: #0e7c6b; --different: #cf222e;
  --could-not-verify: #9a6700; --error: #8250df; --timeout: #bc4c00; --none: #c9d0d9;
  --ok: #1a7f37; --bad: #cf222e;
}
@media (prefers-color-scheme: dark) {
  :root {
    --bg: #0e1116; --fg: #e2e6eb; --muted: #98a2b0; --card: #161b22; --border: #2d333b; --head: #1c222b;
    --link: #6cb6ff; --code: #1f2630; --hl: #2b1618; --hl-border: #f85149;
    --identical: #238636; --equivalent: #1b7f70; --different: #da3633;
    --could-not-verify: #9e6a03; --error: #8957e5; --timeout: #bd561d; --none: #3b434f;
    --ok: #3fb950; --bad: #ff7b72;
  }
}
* { box-sizing: border-box; }
html { background: var(--bg); }
body { margin: 0; color: var(--fg); background: var(--bg);
  font: 14px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, "Noto Sans", "DejaVu Sans", sans-serif; }
a { color: var(--link); text-decoration: none; }
a:hover { text-decoration: underline; }
code, pre, .mono { font-family: ui-monospace, "SFMono-Regular", Menlo, Consolas, "DejaVu Sans Mono", monospace; font-size: 12.5px; }
code { background: var(--code); padding: 1px 5px; border-radius: 4px; }
pre { background: var(--code); padding: 12px 14px; border-radius: 6px; overflow-x: auto; white-space: pre-wrap;
  overflow-wrap: anywhere; margin: 0; border: 1px solid var(--border); }
.wrap { max-width: 1240px; margin: 0 auto; padding: 0 28px; }
header.top { background: var(--card); border-bottom: 1px solid var(--border); }
header.top .wrap { display: flex; align-items: center; gap: 18px; min-height: 52px; flex-wrap: wrap; }
.brand { font-weight: 700; color: var(--fg); letter-spacing: .01em; }
.brand .dot { display: inline-block; width: 10px; height: 10px; border-radius: 3px; background: var(--identical);
  margin-right: 8px; vertical-align: 0; }
nav.crumbs { color: var(--muted); overflow-wrap: anywhere; }
nav.crumbs a { color: var(--muted); }
nav.crumbs .sep { margin: 0 6px; opacity: .6; }
header.top .run { margin-left: auto; color: var(--muted); font-size: 13px; }
main { padding-top: 32px; padding-bottom: 32px; }
h1 { font-size: 24px; line-height: 1.25; margin: 0 0 6px; font-weight: 650; overflow-wrap: anywhere; }
h1 .badge { vertical-align: 4px; margin-left: 8px; }
h2 { font-size: 16px; margin: 30px 0 10px; font-weight: 650; }
h2 .count { color: var(--muted); font-weight: 500; margin-left: 6px; }
p.sub { color: var(--muted); margin: 0 0 18px; }
.badge { display: inline-block; padding: 1px 9px; border-radius: 999px; font-size: 12px; font-weight: 600;
  line-height: 19px; color: #fff; background: var(--c); white-space: nowrap; }
.tag { display: inline-block; padding: 0 7px; border-radius: 4px; font-size: 11px; font-weight: 700;
  line-height: 18px; text-transform: uppercase; letter-spacing: .04em; color: var(--different);
  border: 1px solid var(--different); white-space: nowrap; margin-left: 6px; }
.v-identical { --c: var(--identical); } .v-equivalent { --c: var(--equivalent); }
.v-different { --c: var(--different); } .v-could-not-verify { --c: var(--could-not-verify); }
.v-error { --c: var(--error); } .v-timeout { --c: var(--timeout); } .v-none { --c: var(--none); }
.trend { display: inline-flex; gap: 3px; align-items: center; vertical-align: middle; flex-wrap: nowrap; }
.trend.long { flex-wrap: wrap; max-width: 100%; }
.trendbox { display: flex; align-items: center; gap: 12px; margin: 4px 0 6px; flex-wrap: wrap; }
.trendbox .caption { color: var(--muted); font-size: 12px; }
.sq { display: inline-block; width: 12px; height: 12px; border-radius: 2px; background: var(--c); }
.trend.short { gap: 2px; }
.trend.short .sq { width: 10px; height: 10px; }
a.sq:hover { transform: scale(1.25); }
.sq.regressed { box-shadow: 0 0 0 2px var(--card), 0 0 0 3px var(--different); }
.sq.pad { background: var(--none); opacity: .35; }
.banner { border-radius: 8px; padding: 12px 16px; margin: 4px 0 18px; border: 1px solid var(--c);
  background: var(--card); border-left-width: 5px; }
.banner strong { color: var(--c); }
.banner.v-different strong { color: var(--bad); }
.tiles { display: grid; grid-template-columns: repeat(auto-fill, minmax(150px, 1fr)); gap: 12px; margin: 0 0 8px; }
.tile { background: var(--card); border: 1px solid var(--border); border-radius: 8px; padding: 10px 14px;
  border-top: 4px solid var(--c); }
.tile .n { font-size: 26px; font-weight: 700; line-height: 1.2; }
.tile .l { color: var(--muted); font-size: 12px; }
.tile.zero .n { color: var(--muted); font-weight: 500; }
.tablebox { background: var(--card); border: 1px solid var(--border); border-radius: 8px; overflow-x: auto; }
table { width: 100%; border-collapse: collapse; }
th { text-align: left; font-size: 11.5px; font-weight: 650; text-transform: uppercase; letter-spacing: .05em;
  color: var(--muted); background: var(--head); white-space: nowrap; }
th, td { padding: 8px 11px; border-bottom: 1px solid var(--border); vertical-align: middle; }
tr:last-child td { border-bottom: 0; }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; }
td.wrap-any { overflow-wrap: anywhere; word-break: break-word; }
td.pkg { font-weight: 600; overflow-wrap: anywhere; min-width: 140px; }
td.nowrap, td.verdict { white-space: nowrap; }
td.muted, span.muted { color: var(--muted); }
tr.regressed td { background: var(--hl); }
tr.regressed td:first-child { box-shadow: inset 4px 0 0 var(--hl-border); }
.chips { display: flex; flex-wrap: nowrap; gap: 4px; }
.chip { display: inline-block; font-size: 11.5px; padding: 0 7px; border-radius: 4px; background: var(--code);
  border: 1px solid var(--border); white-space: nowrap; line-height: 18px; }
.chip b { font-weight: 650; }
.chip.idle { opacity: .55; }
td.norm { min-width: 200px; }
td.norm .chips { flex-wrap: wrap; max-width: 260px; }
td.verdict.stack { white-space: normal; }
td.verdict.stack .tag { margin: 4px 0 0; }
td.verdict.stack .badge { margin-right: 6px; }
.links { white-space: nowrap; }
.links a + a::before { content: "·"; color: var(--muted); margin: 0 6px; display: inline-block; }
.links .na { color: var(--muted); }
dl.facts { display: grid; grid-template-columns: max-content 1fr; gap: 6px 18px; margin: 0; padding: 14px 18px;
  background: var(--card); border: 1px solid var(--border); border-radius: 8px; }
dl.facts dt { color: var(--muted); }
dl.facts dd { margin: 0; overflow-wrap: anywhere; }
.ok { color: var(--ok); font-weight: 600; }
.bad { color: var(--bad); font-weight: 600; }
.kind { display: inline-block; font-size: 11.5px; padding: 0 6px; border-radius: 4px; white-space: nowrap;
  border: 1px solid var(--border); background: var(--code); }
.empty { color: var(--muted); padding: 14px 16px; background: var(--card); border: 1px dashed var(--border);
  border-radius: 8px; }
details.skipped { margin-top: 14px; }
details.skipped summary { cursor: pointer; color: var(--muted); }
details.skipped .tablebox { margin-top: 8px; }
ul.problems { margin: 6px 0 0; padding-left: 20px; }
ul.problems li { overflow-wrap: anywhere; }
footer { color: var(--muted); font-size: 12.5px; padding-bottom: 36px; }
footer .rule { border-top: 1px solid var(--border); padding-top: 14px; }
footer .legend { display: flex; flex-wrap: wrap; gap: 6px 16px; margin: 8px 0; }
footer .legend span.item { display: inline-flex; gap: 6px; align-items: center; }
"""

CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'none'"


def _e(value: object) -> str:
    return html.escape(visible(value), quote=True)


def badge(verdict: str) -> str:
    return f'<span class="badge v-{verdict}" data-verdict="{verdict}" title="{_e(MEANINGS[verdict])}">{LABELS[verdict]}</span>'


def _page(title: str, path: str, crumbs: Sequence[tuple[str, str | None]], body: str, layout: Layout) -> str:
    run = layout.history.run
    trail = ['<a href="{}">Dashboard</a>'.format(href(path, INDEX))]
    for text, target in crumbs:
        trail.append('<span class="sep">›</span>')
        trail.append(f'<a href="{href(path, target)}">{_e(text)}</a>' if target else f"<span>{_e(text)}</span>")
    legend = "".join(
        f'<span class="item"><span class="sq v-{v}"></span>{LABELS[v]}</span>' for v in VERDICTS
    ) + '<span class="item"><span class="sq v-none regressed"></span>regression</span>'
    return f"""<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="{CSP}">
<meta name="referrer" content="no-referrer">
<meta name="color-scheme" content="light dark">
<title>{_e(title)}</title>
<style>{CSS}</style>
</head>
<body>
<header class="top"><div class="wrap">
<a class="brand" href="{href(path, INDEX)}"><span class="dot"></span>verifier nightly</a>
<nav class="crumbs">{''.join(trail)}</nav>
<span class="run">Run #{run.id} · {_e(format_time(run.finished_at or run.started_at))}</span>
</div></header>
<main class="wrap">
{body}
</main>
<footer class="wrap"><div class="rule">
<div class="legend">{legend}</div>
<div>Reproducible = identical or equivalent. Generated by <code>verifier nightly</code> ·
<a href="{href(path, SUMMARY_JSON)}">summary.json</a> · <a href="{href(path, JUNIT_XML)}">junit.xml</a> ·
<a href="{href(path, SUMMARY_MD)}">summary.md</a></div>
</div></footer>
</body>
</html>
"""


def _square(result: Result, from_page: str, layout: Layout) -> str:
    title = f"{result.version} — {LABELS[result.verdict]} — {format_time(result.when)} (run #{result.run_id})"
    if result.regressed:
        title += " — REGRESSION"
    classes = f"sq v-{result.verdict}" + (" regressed" if result.regressed else "")
    target = href(from_page, layout.version_of(result).page)
    return f'<a class="{classes}" data-verdict="{result.verdict}" href="{target}" title="{_e(title)}" aria-label="{_e(title)}"></a>'


def trend(results: Sequence[Result], from_page: str, layout: Layout, length: int, *, long: bool = False) -> str:
    """The last `length` verdicts of a package, oldest to newest; a short strip is padded on the left
    so that strips line up in a table."""
    recent = list(reversed(results[:length]))
    pads = "" if long else '<span class="sq pad"></span>' * max(length - len(recent), 0)
    squares = "".join(_square(r, from_page, layout) for r in recent)
    return f'<span class="trend {"long" if long else "short"}">{pads}{squares}</span>'


def _chips(normalizations: Iterable[Normalization]) -> str:
    chips = []
    for n in normalizations:
        tip = (
            f"{n.name} ({n.scope}): changed {n.reference} published and {n.candidate} rebuilt members;"
            f" {n.pairs} paired members differed in what it covers. {n.summary}"
        )
        idle = " idle" if not (n.pairs or n.reference or n.candidate) else ""
        chips.append(f'<span class="chip{idle}" title="{_e(tip)}">{_e(n.name)} <b>{n.pairs}</b></span>')
    return f'<span class="chips">{"".join(chips)}</span>' if chips else '<span class="muted">none</span>'


def _artifact_links(result: Result, from_page: str, layout: Layout, *, details: bool = True) -> str:
    parts = []
    if details:
        parts.append(f'<a href="{href(from_page, layout.version_of(result).page)}">details</a>')
    report = layout.report(result)
    parts.append(f'<a href="{href(from_page, report)}" title="the full JSON report">JSON</a>' if report else "")
    diffoscope = layout.diffoscope(result)
    parts.append(f'<a href="{href(from_page, diffoscope)}" title="diffoscope on the differing members">diffoscope</a>' if diffoscope else "")
    return '<span class="links">' + "".join(parts) + "</span>"


def _table(headers: Sequence[str | tuple[str, str]], rows: Iterable[str]) -> str:
    head = "".join(
        f'<th class="{h[1]}">{h[0]}</th>' if isinstance(h, tuple) else f"<th>{h}</th>" for h in headers
    )
    return f'<div class="tablebox"><table><thead><tr>{head}</tr></thead><tbody>\n{"".join(rows)}</tbody></table></div>'


def _row(result: Result, cells: str) -> str:
    classes = ' class="regressed"' if result.regressed else ""
    return f'<tr{classes} data-verdict="{result.verdict}">{cells}</tr>\n'


def _regressed_tag(result: Result) -> str:
    return '<span class="tag">regressed</span>' if result.regressed else ""


# ---------------------------------------------------------------------------------------- index


def _tiles(results: Sequence[Result]) -> str:
    counts = count_verdicts(results)
    tiles = []
    for verdict in VERDICTS:
        n = counts[verdict]
        zero = " zero" if not n else ""
        tiles.append(
            f'<div class="tile v-{verdict}{zero}" data-verdict="{verdict}"><div class="n">{n}</div>'
            f'<div class="l">{LABELS[verdict]}</div></div>'
        )
    regressed = sum(r.regressed for r in results)
    zero = " zero" if not regressed else ""
    tiles.append(
        f'<div class="tile v-different{zero}"><div class="n">{regressed}</div><div class="l">regressions</div></div>'
    )
    return f'<div class="tiles">{"".join(tiles)}</div>'


def _banner(results: Sequence[Result]) -> str:
    counts = count_verdicts(results)
    code = exit_code(results)
    reproducible = sum(counts[v] for v in REPRODUCIBLE)
    if not results:
        return '<div class="banner v-identical"><strong>No new release</strong> was found in this run.</div>'
    if code == EXIT_FAILED:
        regressed = sum(r.regressed for r in results)
        parts = []
        if regressed:
            parts.append(plural(regressed, "regression"))
        if counts["different"]:
            parts.append(f"{counts['different']} not reproducible")
        return (
            f'<div class="banner v-different"><strong>{", ".join(parts)}.</strong> '
            f"{reproducible} of {plural(len(results), 'release')} verified in this run are reproducible.</div>"
        )
    if code == EXIT_UNVERIFIED:
        unverified = sum(counts[v] for v in UNVERIFIED)
        return (
            f'<div class="banner v-could-not-verify"><strong>{unverified} could not be verified.</strong> '
            f"{reproducible} of {plural(len(results), 'release')} verified in this run are reproducible; none differs.</div>"
        )
    return (
        f'<div class="banner v-identical"><strong>All {plural(len(results), "release")} reproducible.</strong> '
        "Every release verified in this run rebuilt to the published sdist.</div>"
    )


def render_index(layout: Layout, *, trend_length: int = 20) -> str:
    path = INDEX
    history = layout.history
    run = history.run
    results = history.results
    took = run_duration(run.started_at, run.finished_at)
    parts = [
        f"<h1>Reproducibility of {plural(len(layout.packages), 'package')}</h1>",
        f'<p class="sub">Run #{run.id} · started {_e(format_time(run.started_at))}'
        + (f" · finished {_e(format_time(run.finished_at))} ({_e(format_duration(took))})" if run.finished_at else " · not finished")
        + (f" · config <code>{_e(run.config)}</code>" if run.config else "")
        + (f" · status <b>{_e(run.status)}</b>" if run.status and run.status != "finished" else "")
        + "</p>",
        _banner(results),
        _problems(layout),
        _tiles(results),
    ]

    regressions = [r for r in results if r.regressed]
    if regressions:
        rows = []
        for result in regressions:
            previous = history.previous(result)
            was = (
                f'{badge(previous.verdict)} <span class="muted">at</span> {_e(previous.version)}'
                f' <span class="muted">(run #{previous.run_id})</span>'
                if previous is not None
                else '<span class="muted">reproducible</span>'
            )
            rows.append(
                _row(
                    result,
                    f'<td class="pkg"><a href="{href(path, layout.package_of(result).page)}">{_e(result.package)}</a></td>'
                    f'<td class="wrap-any"><a href="{href(path, layout.version_of(result).page)}">{_e(result.version)}</a></td>'
                    f"<td>{badge(result.verdict)}</td><td>{was}</td>"
                    f'<td class="num">{len(result.differences)}</td>'
                    f"<td>{_artifact_links(result, path, layout)}</td>",
                )
            )
        parts.append(f'<h2 id="regressions">Regressions<span class="count">{len(regressions)}</span></h2>')
        parts.append(_table(["Package", "Version", "Now", "Before", ("Differences", "num"), "Links"], rows))

    parts.append(f'<h2 id="this-run">Verified in this run<span class="count">{len(results)}</span></h2>')
    if results:
        rows = []
        ordered = sorted(results, key=lambda r: (not r.regressed, r.verdict in REPRODUCIBLE, r.package.lower(), r.version))
        for result in ordered:
            differences = len(result.differences)
            rows.append(
                _row(
                    result,
                    f'<td class="pkg"><a href="{href(path, layout.package_of(result).page)}">{_e(result.package)}</a></td>'
                    f'<td class="wrap-any"><a href="{href(path, layout.version_of(result).page)}">{_e(result.version)}</a></td>'
                    f'<td class="verdict">{badge(result.verdict)}{_regressed_tag(result)}</td>'
                    f'<td class="num">{differences if differences else "—"}</td>'
                    f"<td>{_chips(result.normalizations)}</td>"
                    f'<td class="num nowrap">{_e(format_duration(result.duration_s))}</td>'
                    f"<td>{_artifact_links(result, path, layout)}</td>",
                )
            )
        parts.append(
            _table(["Package", "Version", "Verdict", ("Differences", "num"), "Normalized", ("Took", "num"), "Links"], rows)
        )
    else:
        parts.append('<div class="empty">No new release was found in this run.</div>')

    if run.skipped:
        rows = [
            f'<tr><td class="pkg">{_e(s.package)}</td><td class="wrap-any">{_e(s.version)}</td>'
            f'<td class="wrap-any">{_e(s.why)}</td></tr>\n'
            for s in run.skipped
        ]
        parts.append(
            f'<details class="skipped"><summary>{plural(len(run.skipped), "release")} not verified again in this run</summary>'
            + _table(["Package", "Version", "Why"], rows)
            + "</details>"
        )

    parts.append(f'<h2 id="packages">All packages<span class="count">{len(layout.packages)}</span></h2>')
    if layout.packages:
        rows = []
        for package in layout.packages:
            latest = package.latest.latest
            verdicts = [v.latest.verdict for v in package.versions]
            reproducible = sum(v in REPRODUCIBLE for v in verdicts)
            different = verdicts.count("different")
            unverified = sum(v in UNVERIFIED for v in verdicts)
            rows.append(
                _row(
                    latest,
                    f'<td class="pkg"><a href="{href(path, package.page)}">{_e(package.name)}</a></td>'
                    f'<td class="wrap-any"><a href="{href(path, package.latest.page)}">{_e(package.latest.version)}</a></td>'
                    f'<td class="verdict">{badge(latest.verdict)}{_regressed_tag(latest)}</td>'
                    f"<td>{trend(package.results, path, layout, trend_length)}</td>"
                    f'<td class="num">{len(package.versions)}</td>'
                    f'<td class="num"><span class="ok" title="reproducible">{reproducible}</span></td>'
                    f'<td class="num">{_count(different, "bad", "different")}</td>'
                    f'<td class="num">{_count(unverified, "", "could not verify, error or timeout")}</td>'
                    f'<td class="nowrap" title="{_e(format_time(package.last_verified))}">{_e(format_time(package.last_verified, zone=False))}</td>',
                )
            )
        parts.append(
            _table(
                [
                    "Package",
                    "Latest",
                    "Verdict",
                    f"Last {trend_length} (oldest → newest)",
                    ("Versions", "num"),
                    ("Repro.", "num"),
                    ("Diff.", "num"),
                    ("Unver.", "num"),
                    "Last verified (UTC)",
                ],
                rows,
            )
        )
    else:
        parts.append('<div class="empty">No package has been verified yet.</div>')
    return _page(f"verifier nightly — run #{run.id}", path, [], "\n".join(parts), layout)


def _problems(layout: Layout) -> str:
    problems = layout.history.run.problems
    if not problems:
        return ""
    items = "".join(f"<li><b>{_e(x.package)}</b>: {_e(x.error)}</li>" for x in problems)
    return (
        f'<div class="banner v-could-not-verify" id="problems"><strong>{plural(len(problems), "configured package")}'
        f" could not be checked.</strong><ul class=\"problems\">{items}</ul></div>"
    )


def _count(n: int, cls: str, title: str) -> str:
    if not n:
        return '<span class="muted">0</span>'
    return f'<span class="{cls}" title="{_e(title)}">{n}</span>'


# -------------------------------------------------------------------------------------- package


def render_package(package: PackageView, layout: Layout) -> str:
    path = package.page
    latest = package.latest.latest
    verdicts = [v.latest.verdict for v in package.versions]
    counts = {v: verdicts.count(v) for v in VERDICTS}
    summary = " · ".join(f"{n} {LABELS[v]}" for v, n in counts.items() if n)
    parts = [
        f"<h1>{_e(package.name)}{badge(latest.verdict)}{_regressed_tag(latest)}</h1>",
        f'<p class="sub">{plural(len(package.versions), "version")} verified ({summary}) · last verified '
        f"{_e(format_time(package.last_verified))}</p>",
        f'<div class="trendbox">{trend(package.results, path, layout, PACKAGE_TREND, long=True)}'
        f'<span class="caption">last {min(len(package.results), PACKAGE_TREND)} verifications, oldest → newest</span></div>',
        f'<h2>Versions<span class="count">{len(package.versions)}</span></h2>',
    ]
    rows = []
    for version in package.versions:
        result = version.latest
        attempts = len(version.attempts)
        attempts_note = f' <span class="muted" title="verified {attempts} times">×{attempts}</span>' if attempts > 1 else ""
        rows.append(
            _row(
                result,
                f'<td class="pkg wrap-any"><a href="{href(path, version.page)}">{_e(version.version)}</a>{attempts_note}</td>'
                f'<td class="verdict stack">{badge(result.verdict)}{_regressed_tag(result)}</td>'
                f'<td class="nowrap" title="uploaded {_e(format_time(result.upload_time))}">{_e(format_date(result.upload_time))}</td>'
                f'<td class="nowrap" title="{_e(format_time(result.when))}">{_e(format_date(result.when))}</td>'
                f'<td class="mono" title="{_e(result.commit or "")}">{_e(short_hash(result.commit, 8))}</td>'
                f'<td class="mono" title="{_e(result.published_sha256 or "")}">{_e(short_hash(result.published_sha256))}</td>'
                f'<td class="norm">{_chips(result.normalizations)}</td>'
                f'<td class="num">{len(result.differences) if result.differences else "—"}</td>'
                f"<td>{_artifact_links(result, path, layout)}</td>",
            )
        )
    parts.append(
        _table(
            ["Version", "Verdict", "Released", "Verified", "Commit", "Published sha256", "Normalized", ("Diffs", "num"), "Links"],
            rows,
        )
    )
    return _page(f"{visible(package.name)} — verifier nightly", path, [(package.name, None)], "\n".join(parts), layout)


# -------------------------------------------------------------------------------------- version


def _safe_url(url: str | None) -> str:
    if not url:
        return "—"
    try:
        scheme = urlsplit(url).scheme.lower()
    except ValueError:
        scheme = ""
    if scheme in ("http", "https"):
        return f'<a href="{_e(url)}" rel="noopener noreferrer">{_e(url)}</a>'
    return _e(url)


def _facts(result: Result, layout: Layout) -> str:
    match = ""
    if result.published_sha256 and result.rebuilt_sha256:
        same = result.published_sha256.lower() == result.rebuilt_sha256.lower()
        match = ' <span class="ok">= published</span>' if same else ' <span class="bad">≠ published</span>'
    facts = [
        ("Tag", f"<code>{_e(result.tag)}</code>" if result.tag else "—"),
        ("Commit", f'<span class="mono">{_e(result.commit)}</span>' if result.commit else "—"),
        ("Published sdist", _safe_url(result.published_url)),
        ("Published sha256", f'<span class="mono">{_e(result.published_sha256)}</span>' if result.published_sha256 else "—"),
        (
            "Rebuilt sha256",
            f'<span class="mono">{_e(result.rebuilt_sha256)}</span>{match}' if result.rebuilt_sha256 else "—",
        ),
        ("Uploaded", _e(format_time(result.upload_time))),
        ("Builder", _e(result.builder or "—")),
        ("Builder image", f'<span class="mono">{_e(result.builder_image)}</span>' if result.builder_image else "—"),
        (
            "Verified",
            f"{_e(format_span(result.started_at, result.finished_at))}"
            f' <span class="muted">({_e(format_duration(result.duration_s))})</span>',
        ),
        ("Run", f"#{result.run_id}" if result.run_id is not None else "—"),
        ("Log", f'<span class="mono">{_e(result.log_path)}</span>' if result.log_path else "—"),
        ("Files", _artifact_links(result, layout.version_of(result).page, layout, details=False)
         if (layout.report(result) or layout.diffoscope(result)) else '<span class="muted">no report kept</span>'),
    ]
    return '<dl class="facts">' + "".join(f"<dt>{k}</dt><dd>{v}</dd>" for k, v in facts) + "</dl>"


def render_version(version: VersionView, package: PackageView, layout: Layout) -> str:
    path = version.page
    result = version.latest
    history = layout.history
    parts = [
        f'<h1>{_e(package.name)} {_e(version.version)}{badge(result.verdict)}{_regressed_tag(result)}</h1>',
        f'<p class="sub">{_e(MEANINGS[result.verdict][0].upper() + MEANINGS[result.verdict][1:])}.'
        f" Verified {_e(format_time(result.when))} in run #{result.run_id}.</p>",
    ]
    if result.regressed:
        previous = history.previous(result)
        before = (
            f"The previous result of this package ({_e(previous.version)}, run #{previous.run_id}) was "
            f"{badge(previous.verdict)}; this one is {badge(result.verdict)}."
            if previous is not None
            else f"It was reproducible before; now it is {badge(result.verdict)}."
        )
        parts.append(f'<div class="banner v-different"><strong>Regression.</strong> {before}</div>')
    if result.error:
        parts.append(f"<h2>Error</h2><pre>{_e(result.error)}</pre>")
    parts.append("<h2>Verification</h2>")
    parts.append(_facts(result, layout))

    parts.append(f'<h2>Normalizations<span class="count">{len(result.normalizations)}</span></h2>')
    if result.normalizations:
        rows = [
            "<tr>"
            f"<td><b>{_e(n.name)}</b></td><td>{_e(n.scope)}</td>"
            f'<td class="num">{n.reference}</td><td class="num">{n.candidate}</td><td class="num">{n.pairs}</td>'
            f'<td class="wrap-any">{_e(n.summary)}</td>'
            "</tr>\n"
            for n in result.normalizations
        ]
        parts.append(
            _table(
                ["Name", "Scope", ("Changed (published)", "num"), ("Changed (rebuilt)", "num"),
                 ("Pairs it evened", "num"), "What it erases"],
                rows,
            )
        )
    else:
        parts.append('<div class="empty">None: compared bit for bit.</div>')

    parts.append(f'<h2 id="differences">Differences<span class="count">{len(result.differences)}</span></h2>')
    if result.differences:
        shown = result.differences[:MAX_DIFFERENCES_SHOWN]
        rows = [
            "<tr>"
            f'<td class="mono wrap-any">{_e(d.path)}</td><td><span class="kind">{_e(d.kind)}</span></td>'
            f'<td class="wrap-any">{_e(d.message)}</td>'
            "</tr>\n"
            for d in shown
        ]
        parts.append(_table(["Path", "Kind", "Message"], rows))
        if len(result.differences) > len(shown):
            parts.append(
                f'<p class="sub">{len(result.differences) - len(shown)} more differences are listed in the JSON report.</p>'
            )
    else:
        parts.append('<div class="empty">None.</div>')

    if result.explanations:
        parts.append(f'<h2>Probable causes<span class="count">{len(result.explanations)}</span></h2>')
        rows = [
            "<tr>"
            f'<td class="mono wrap-any">{_e(x.path)}</td><td><span class="kind">{_e(x.cause)}</span></td>'
            f'<td class="wrap-any">{_e(x.message)}</td>'
            "</tr>\n"
            for x in result.explanations
        ]
        parts.append(_table(["Path", "Cause", "Explanation"], rows))

    parts.append("<h2>Run it again</h2>")
    parts.append(f"<pre>{_e(result.command)}</pre>" if result.command else '<div class="empty">No command recorded.</div>')

    if len(version.attempts) > 1:
        parts.append(f'<h2>All verifications of this version<span class="count">{len(version.attempts)}</span></h2>')
        rows = [
            _row(
                attempt,
                f'<td class="nowrap">#{attempt.run_id}</td><td class="verdict">{badge(attempt.verdict)}{_regressed_tag(attempt)}</td>'
                f'<td class="nowrap">{_e(format_time(attempt.when))}</td>'
                f'<td class="num">{len(attempt.differences) if attempt.differences else "—"}</td>'
                f"<td>{_artifact_links(attempt, path, layout, details=False)}</td>",
            )
            for attempt in version.attempts
        ]
        parts.append(_table(["Run", "Verdict", "Verified", ("Diffs", "num"), "Files"], rows))

    crumbs = [(package.name, package.page), (version.version, None)]
    return _page(f"{visible(package.name)} {visible(version.version)} — verifier nightly", path, crumbs, "\n".join(parts), layout)
