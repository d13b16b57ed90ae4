"""junit.xml: one test case per file of each release verified in this run.

    classname = package, name = "version filename" (the sdist, each wheel); a result stored
    without its files (before wheels were verified, or `--sdist-only`) is one case named "version"
    different, or regressed (whatever the verdict now)  -> <failure type="different|regressed">
    could-not-verify / error / timeout                  -> <error type="<verdict>">
    not verified (a platform wheel)                     -> <skipped message="why">
    identical / equivalent                              -> passes; normalizations in <system-out>

The build all files of a release come from is timed once: its duration is the time of the first
case (the sdist), the others take 0.

Every string goes through `visible` first: XML 1.0 cannot hold most control characters at all,
and a member path from a hostile archive may hold them.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET

from verifier.nightly.outputs.layout import Layout
from verifier.nightly.outputs.model import DIFFERENT, UNVERIFIED, Result
from verifier.nightly.outputs.text import one_line, parse_time, plural, visible
from verifier.report.model.nightly import ArtifactLine

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


def _artifact_regressed(result: Result, artifact: ArtifactLine) -> bool:
    """This file regressed; a regressed release none of whose files says so (a result whose rule
    looked at the release before it) counts it against the files with the release's verdict."""
    if artifact.regressed:
        return True
    return result.regressed and artifact.verdict == result.verdict and not any(a.regressed for a in result.artifacts)


def _artifact_facts(result: Result, artifact: ArtifactLine, layout: Layout) -> str:
    lines = [
        f"file: {artifact.filename} ({artifact.kind})",
        f"verdict: {artifact.verdict or 'not verified'}" + (" (REGRESSED: reproducible before)" if _artifact_regressed(result, artifact) else ""),
        f"published sha256: {artifact.sha256 or '-'}",
        f"rebuilt sha256: {artifact.rebuilt_sha256 or '-'}" + (f" (from the {artifact.built_from})" if artifact.built_from else ""),
    ]
    return "\n".join(lines) + "\n\n" + _facts(result, layout)


def _artifact_testcase(result: Result, artifact: ArtifactLine, first: bool, layout: Layout) -> ET.Element:
    case = ET.Element(
        "testcase",
        classname=visible(result.package),
        name=visible(f"{result.version} {artifact.filename}"),
        time=f"{max(result.duration_s or 0.0, 0.0) if first else 0.0:.3f}",
    )
    differences = artifact.differences
    if artifact.verdict is None:
        ET.SubElement(case, "skipped", message=one_line(f"not verified: {artifact.not_verified or 'no reason given'}", 500))
    elif artifact.verdict == DIFFERENT or _artifact_regressed(result, artifact):
        regressed = _artifact_regressed(result, artifact)
        members = ", ".join(d.path or "(archive)" for d in differences[:5]) + (", …" if len(differences) > 5 else "")
        message = (f"regressed: {artifact.verdict} (was reproducible before)" if regressed else "different") + (
            f": {members}" if members else "")
        failure = ET.SubElement(case, "failure", message=one_line(message, 500), type="regressed" if regressed else "different")
        body = [plural(len(differences), "difference") + ":", *(f"  {d.path}  [{d.kind}]  {d.message}" for d in differences[:MAX_LISTED])]
        failure.text = visible("\n".join(body) + "\n\n" + _artifact_facts(result, artifact, layout))
    elif artifact.verdict in UNVERIFIED:
        why = artifact.not_verified or result.error or "no detail"
        error = ET.SubElement(case, "error", message=one_line(f"{artifact.verdict}: {why}", 500), type=artifact.verdict)
        error.text = visible(f"{why}\n\n{_artifact_facts(result, artifact, layout)}")
    out = ET.SubElement(case, "system-out")
    normalizations = f"{_normalizations(result)}\n\n" if artifact.kind == "sdist" else ""
    out.text = visible(normalizations + _artifact_facts(result, artifact, layout))
    return case


def _testcases(result: Result, layout: Layout) -> list[ET.Element]:
    """One case per file of the release; one for the whole release when no file was verified."""
    if not any(a.verdict is not None for a in result.artifacts):
        return [_testcase(result, layout)]
    return [_artifact_testcase(result, a, i == 0, layout) for i, a in enumerate(result.artifacts)]


def render_junit(layout: Layout) -> str:
    history = layout.history
    results = history.results
    cases = [case for result in sorted(results, key=lambda r: (r.package.lower(), r.version)) for case in _testcases(result, layout)]
    total_time = sum(max(r.duration_s or 0.0, 0.0) for r in results)
    name = f"verifier nightly run {history.run.id}"
    counts = {
        "tests": str(len(cases)),
        "failures": str(sum(case.find("failure") is not None for case in cases)),
        "errors": str(sum(case.find("error") is not None and case.find("failure") is None for case in cases)),
        "skipped": str(sum(case.find("skipped") is not None for case in cases)),
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
    suite.extend(cases)
    ET.indent(suites)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(suites, encoding="unicode") + "\n"
