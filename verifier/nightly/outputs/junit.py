"""junit.xml: one test case per release verified in this run.

    classname = package, name = version
    different, or regressed (whatever the verdict now)  -> <failure type="different|regressed">
    could-not-verify / error / timeout                  -> <error type="<verdict>">
    identical / equivalent                              -> passes; normalizations in <system-out>

Every string goes through `visible` first: XML 1.0 cannot hold most control characters at all,
and a member path from a hostile archive may hold them.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET

from verifier.nightly.outputs.layout import Layout
from verifier.nightly.outputs.model import Result
from verifier.nightly.outputs.text import one_line, parse_time, plural, visible

MAX_LISTED = 200  # differences written into one failure body


def _normalizations(result: Result) -> str:
    if not result.normalizations:
        return "normalizations: none (bit-for-bit)"
    lines = ["normalizations:"]
    for n in result.normalizations:
        lines.append(
            f"  {n.name} ({n.scope}): changed {n.reference} published / {n.candidate} rebuilt,"
            f" {n.pairs} pairs differed only in this — {n.summary}"
        )
    return "\n".join(lines)


def _facts(result: Result, layout: Layout) -> str:
    lines = [
        f"verdict: {result.verdict}" + (" (REGRESSED: reproducible before)" if result.regressed else ""),
        f"tag: {result.tag or '-'}  commit: {result.commit or '-'}",
        f"published: {result.published_url or '-'}  sha256 {result.published_sha256 or '-'}",
        f"rebuilt sha256: {result.rebuilt_sha256 or '-'}",
        f"builder: {result.builder or '-'}  image: {result.builder_image or '-'}",
        f"page: {layout.version_of(result).page}",
    ]
    if layout.report(result):
        lines.append(f"report: {layout.report(result)}")
    if layout.diffoscope(result):
        lines.append(f"diffoscope: {layout.diffoscope(result)}")
    if result.command:
        lines.append(f"re-run: {result.command}")
    return "\n".join(lines)


def _differences(result: Result) -> str:
    lines = [f"{plural(len(result.differences), 'difference')}:"]
    for d in result.differences[:MAX_LISTED]:
        lines.append(f"  {d.path}  [{d.kind}]  {d.message}")
    if len(result.differences) > MAX_LISTED:
        lines.append(f"  … {len(result.differences) - MAX_LISTED} more in the JSON report")
    for x in result.explanations:
        lines.append(f"  probable cause ({x.cause}): {x.path}: {x.message}")
    return "\n".join(lines)


def _testcase(result: Result, layout: Layout) -> ET.Element:
    case = ET.Element(
        "testcase",
        classname=visible(result.package),
        name=visible(result.version),
        time=f"{max(result.duration_s or 0.0, 0.0):.3f}",
    )
    if result.failed:
        kind = "regressed" if result.regressed else "different"
        message = (
            f"regressed: {result.verdict} (was reproducible before)" if result.regressed else "different"
        ) + f", {plural(len(result.differences), 'difference')}"
        failure = ET.SubElement(case, "failure", message=message, type=kind)
        body = [_differences(result)] if result.differences else []
        if result.error:
            body.append(f"error: {result.error}")
        body.append(_facts(result, layout))
        failure.text = visible("\n\n".join(body))
    elif result.unverified:
        error = ET.SubElement(
            case, "error", message=one_line(f"{result.verdict}: {result.error or 'no detail'}", 500), type=result.verdict
        )
        error.text = visible(f"{result.error or 'no detail'}\n\n{_facts(result, layout)}")
    out = ET.SubElement(case, "system-out")
    out.text = visible(f"{_normalizations(result)}\n\n{_facts(result, layout)}")
    return case


def render_junit(layout: Layout) -> str:
    history = layout.history
    results = history.results
    failures = sum(r.failed for r in results)
    errors = sum(r.unverified and not r.failed for r in results)
    total_time = sum(max(r.duration_s or 0.0, 0.0) for r in results)
    name = f"verifier nightly run {history.run.id}"
    counts = {
        "tests": str(len(results)),
        "failures": str(failures),
        "errors": str(errors),
        "skipped": "0",
        "time": f"{total_time:.3f}",
    }
    suites = ET.Element("testsuites", {"name": "verifier nightly", **counts})
    suite_attributes = dict(counts, name=name)
    started = parse_time(history.run.started_at)
    if started is not None:
        suite_attributes["timestamp"] = started.strftime("%Y-%m-%dT%H:%M:%S")
    suite = ET.SubElement(suites, "testsuite", suite_attributes)
    properties = ET.SubElement(suite, "properties")
    run = history.run
    for key, value in (("id", run.id), ("started_at", run.started_at), ("finished_at", run.finished_at),
                       ("config", run.config), ("status", run.status)):
        if value is not None:
            ET.SubElement(properties, "property", name=f"run.{key}", value=visible(value))
    ET.SubElement(properties, "property", name="run.skipped", value=str(len(run.skipped)))
    ET.SubElement(properties, "property", name="run.problems", value=str(len(run.problems)))
    for problem in run.problems:
        ET.SubElement(properties, "property", name="problem", value=one_line(f"{problem.package}: {problem.error}", 500))
    for result in sorted(results, key=lambda r: (r.package.lower(), r.version)):
        suite.append(_testcase(result, layout))
    ET.indent(suites)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(suites, encoding="unicode") + "\n"
