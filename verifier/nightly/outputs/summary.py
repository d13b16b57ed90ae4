"""summary.json: the run, counts per verdict, every result, the regressions and the exit code to use.

Exit code (the same numbers as `verifier verify`):
  0  every release verified in this run is reproducible (identical or equivalent), or there was none
  1  at least one is `different`, or is a regression (reproducible before, not now; whatever its
     verdict now)
  3  none of those, but at least one could not be verified (`could-not-verify`, `error`, `timeout`),
     or a configured package could not be checked at all (a problem of the run)
This is the exit code of `verifier nightly` itself.
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from dataclasses import fields
from typing import Any

from verifier.errors import EXIT_COULD_NOT_VERIFY, EXIT_DIFFERENT, EXIT_REPRODUCIBLE
from verifier.nightly.outputs.layout import DIFFOSCOPE_NAME, INDEX, JUNIT_XML, REPORT_NAME, SUMMARY_MD, Layout
from verifier.nightly.outputs.model import REPRODUCIBLE, UNVERIFIED, VERDICTS, Result, count_verdicts
from verifier.nightly.outputs.text import visible
from verifier.report.model.nightly import (
    SUMMARY_SCHEMA,
    NightlySummary,
    PackageEntry,
    PreviousResult,
    Regression,
    ResultLinks,
    SiteFiles,
    SummaryResult,
)
from verifier.report.model.serialize import to_data

SCHEMA = SUMMARY_SCHEMA
_SURROGATE = re.compile("[\ud800-\udfff]")

EXIT_OK = EXIT_REPRODUCIBLE  # 0
EXIT_FAILED = EXIT_DIFFERENT  # 1
EXIT_UNVERIFIED = EXIT_COULD_NOT_VERIFY  # 3


def exit_code(results: Sequence[Result], problems: int = 0) -> int:
    """0 all reproducible (or nothing verified), 1 any different or regressed, 3 any unverified
    (or a package that could not be checked) otherwise."""
    if any(r.failed for r in results):
        return EXIT_FAILED
    if problems or any(r.unverified for r in results):
        return EXIT_UNVERIFIED
    return EXIT_OK


def exit_reason(results: Sequence[Result], problems: int = 0) -> str:
    counts = count_verdicts(results)
    regressions = sum(r.regressed for r in results)
    code = exit_code(results, problems)
    if code == EXIT_FAILED:
        parts = []
        if regressions:
            parts.append(f"{regressions} regressed")
        if counts["different"]:
            parts.append(f"{counts['different']} different")
        return ", ".join(parts)
    if code == EXIT_UNVERIFIED:
        unverified = sum(counts[v] for v in UNVERIFIED)
        parts = [f"{unverified} could not be verified"] if unverified else []
        if problems:
            parts.append(f"{problems} configured package(s) could not be checked")
        return ", ".join(parts)
    if not results:
        return "no new release to verify"
    return f"all {len(results)} reproducible"


def _clean(value: Any) -> Any:
    """JSON-safe strings: lone surrogates cannot be written as UTF-8; they become \\xNN text."""
    if isinstance(value, str):
        return visible(value) if _SURROGATE.search(value) else value
    if isinstance(value, dict):
        return {_clean(k): _clean(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_clean(v) for v in value]
    return value


def record(result: Result, layout: Layout) -> SummaryResult:
    """A result as given, plus its links in the site (site-relative paths, None when absent)."""
    base = result.record()
    return SummaryResult(
        **{f.name: getattr(base, f.name) for f in fields(base)},
        reproducible=result.verdict in REPRODUCIBLE,
        links=ResultLinks(
            package_page=layout.package_of(result).page,
            version_page=layout.version_of(result).page,
            report=layout.report(result),
            diffoscope=layout.diffoscope(result),
        ),
    )


def _regression(result: Result, layout: Layout) -> Regression:
    previous = layout.history.previous(result)
    return Regression(
        package=result.package,
        version=result.version,
        verdict=result.verdict,
        previous=None if previous is None else PreviousResult(previous.version, previous.verdict, previous.run_id),
        version_page=layout.version_of(result).page,
    )


def build_summary(layout: Layout) -> NightlySummary:
    history = layout.history
    results = history.results
    counts = count_verdicts(results)
    regressions = tuple(_regression(result, layout) for result in results if result.regressed)
    problems = len(history.run.problems)
    return NightlySummary(
        run=history.run.record(),
        total=len(results),
        counts=counts,
        reproducible=sum(counts[v] for v in REPRODUCIBLE),
        unverified=sum(counts[v] for v in UNVERIFIED),
        regressed=len(regressions),
        exit_code=exit_code(results, problems),
        exit_reason=exit_reason(results, problems),
        verdicts=VERDICTS,
        regressions=regressions,
        results=tuple(record(r, layout) for r in results),
        packages=tuple(
            PackageEntry(
                package=p.name,
                page=p.page,
                latest_version=p.latest.version,
                latest_verdict=p.latest.latest.verdict,
                last_verified=p.last_verified,
            )
            for p in layout.packages
        ),
        files=SiteFiles(
            dashboard=INDEX,
            junit=JUNIT_XML,
            markdown=SUMMARY_MD,
            report_name=REPORT_NAME,
            diffoscope_name=DIFFOSCOPE_NAME,
        ),
    )


def summary(layout: Layout) -> dict[str, Any]:
    """summary.json as JSON-ready data (strings made JSON-safe)."""
    data: dict[str, Any] = _clean(to_data(build_summary(layout)))
    return data


def render_summary_json(layout: Layout) -> str:
    return json.dumps(summary(layout), indent=2, ensure_ascii=False) + "\n"
