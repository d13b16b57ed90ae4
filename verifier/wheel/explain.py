"""Wheel-aware explanations of a published wheel against its rebuild and the sdist: RECORD that
disagrees with the files, modules that are not the sdist's, files in neither the sdist nor the
tree, and which backend version wrote each wheel."""

from __future__ import annotations

from verifier.wheel.interface import WheelContents, WheelFinding
from verifier.wheel.record import record_findings
from verifier.wheel.sdist_relation import relate, relation_findings


def generator_findings(published: WheelContents, rebuilt: WheelContents) -> list[WheelFinding]:
    if published.generator == rebuilt.generator:
        return []
    return [WheelFinding(
        "generator", f"{published.dist_info}/WHEEL",
        f"the published wheel was written by {published.generator or 'an unnamed generator'}, "
        f"the rebuild by {rebuilt.generator or 'an unnamed generator'}: another backend version",
    )]


def explain_wheel(
    published: WheelContents,
    rebuilt: WheelContents | None,
    sdist: dict[str, str],
    tracked: frozenset[str] = frozenset(),
) -> list[WheelFinding]:
    """What the published wheel says against its RECORD, the sdist (path -> sha256) and, when there
    is one, the rebuilt wheel. ``tracked`` (paths tracked at the tag) separates files that are in
    the tree from files that are in neither the sdist nor the tree."""
    findings = record_findings(published)
    for finding in relation_findings(relate(published, sdist)):
        if finding.kind == "not-in-sdist" and not any(path.endswith(finding.path) for path in tracked):
            finding = WheelFinding(finding.kind, finding.path,  # noqa: PLW2901 - the finding, with a better message
                                   f"{finding.path} is in the wheel but in neither the sdist nor the tagged tree")
        findings.append(finding)
    if rebuilt is not None:
        findings += generator_findings(published, rebuilt)
    return findings
