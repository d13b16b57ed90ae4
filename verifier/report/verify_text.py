"""The verify report for people: verdict, source, published and rebuilt artifacts, what was
normalized, what differs and why, and the command that runs it again."""

from __future__ import annotations

from typing import Any

from pydantic import ValidationError

from verifier.report.interface import ReportFormat
from verifier.report.model.serialize import from_data
from verifier.report.model.verify import (
    Artifact,
    Attempt,
    Builder,
    Explanation,
    Source,
    Transplant,
    VerifyReport,
)
from verifier.report.text import render_comparison

_HEADLINE = {
    "identical": "REPRODUCIBLE (identical): every published file verified is byte for byte its rebuild",
    "equivalent": "REPRODUCIBLE (equivalent): the same bytes once the normalizations below are applied",
    "different": "NOT REPRODUCIBLE: a published file differs from its rebuild from the tag",
    "could-not-verify": "COULD NOT VERIFY",
    "error": "ERROR",
}


def _source(source: Source) -> list[str]:
    lines = [
        f"source:    {source.repo} tag {source.tag} commit {source.commit[:12]}"
        + (f" (subdir {source.subdir})" if source.subdir else "")
    ]
    if source.source_date_epoch_origin is not None:
        epoch = source.source_date_epoch
        lines.append(f"           SOURCE_DATE_EPOCH={epoch if epoch is not None else 'unset'} ({source.source_date_epoch_origin})")
    return lines


def _builder(builder: Builder) -> list[str]:
    requirements = ", ".join(f"{r.name}=={r.version}" for r in builder.build_requirements)
    lines = [f"builder:   {builder.name} image {builder.image[:19]} python {builder.python} ({builder.runtime})"]
    if requirements:
        lines.append(f"           build requirements: {requirements}")
    for deviation in builder.deviations:
        lines.append(f"           deviation: {deviation.what}: {deviation.original} -> {deviation.replacement}")
    return lines


def _explanation(explanation: Explanation) -> str:
    where = explanation.path
    prefix = "" if not where or explanation.message.startswith(where) or where[0].isdigit() else f"{where}: "
    return f"  [{explanation.cause}] {prefix}{explanation.message}"


def _transplant(transplant: Transplant) -> str:
    if transplant.identical:
        return ("proof:     IDENTICAL after transplanting the published timestamps (member mtimes and gzip header) "
                "onto the rebuild: nothing else differs, down to the tar encoding")
    return f"proof:     transplanting the published timestamps does not give the published bytes: {transplant.reason}"


def _attempt(attempt: Attempt) -> str:
    choice = attempt.source_date_epoch
    value = choice.value if choice.value is not None else "unset"
    outcome = f"could not build ({attempt.error[:160]})" if attempt.error else (
        f"({attempt.differences} difference{'' if attempt.differences == 1 else 's'})")
    return (
        f"  {attempt.verdict.value:<10} {outcome}: {attempt.why}"
        f" [SOURCE_DATE_EPOCH {value}, umask {attempt.umask}, requirements as of "
        f"{attempt.requirements_cutoff_origin}, Python {attempt.python or 'default'}"
        + (f", Windows {attempt.windows}" if attempt.windows else "") + "]"
    )


def _artifacts(report: VerifyReport) -> list[str]:
    lines = []
    if report.published is not None:
        published = report.published
        lines.append(f"published: {published.url or published.path}")
        lines.append(f"           sha256 {published.sha256} uploaded {published.upload_time or 'unknown'}")
    if report.rebuilt is not None:
        lines.append(f"rebuilt:   {report.rebuilt.filename} sha256 {report.rebuilt.sha256}")
    if report.builder is not None:
        lines.extend(_builder(report.builder))
    return lines


MEMBERS_SHOWN = 10


def _release_file(artifact: Artifact) -> list[str]:
    """One line for a file of the release (its verdict, what it was rebuilt from), then what differs."""
    if artifact.verdict is None:
        return [f"  {'not verified':<16} {artifact.filename}: {artifact.not_verified or 'not verified'}"]
    built = f" (rebuilt from the {artifact.built_from})" if artifact.built_from and artifact.kind == "wheel" else ""
    lines = [f"  {artifact.verdict.value:<16} {artifact.filename}{built}"]
    if artifact.error:
        lines.append(f"      reason: {artifact.error}")
    for difference in artifact.differences[:MEMBERS_SHOWN]:
        lines.append(f"      differs: {difference.path or '(archive)'} [{difference.kind}] {difference.message}")
    hidden = len(artifact.differences) - MEMBERS_SHOWN + artifact.differences_not_listed
    if hidden > 0:
        lines.append(f"      ... and {hidden} more difference(s)")
    if artifact.kind == "wheel":
        lines.extend(f"    {_explanation(explanation).strip()}" for explanation in artifact.explanations)
    return lines


def _release_files(report: VerifyReport) -> list[str]:
    if not report.artifacts:
        return []
    lines = ["files of the release (the verdict above is the weakest of the verified ones):"]
    for artifact in report.artifacts:
        lines.extend(_release_file(artifact))
    return lines


def _findings(report: VerifyReport) -> list[str]:
    lines = []
    if report.comparison is not None:
        compared = render_comparison(report.comparison)[3:]  # verdict and paths shown above
        if report.artifacts and compared:
            lines.append(f"the sdist against its rebuild ({report.comparison.verdict.value}):")
        lines.extend(compared)
    if report.explanations:
        lines.append("probable causes:")
        lines.extend(_explanation(explanation) for explanation in report.explanations)
    if report.transplant is not None:
        lines.append(_transplant(report.transplant))
    for setting in report.inferred.settings if report.inferred else ():
        lines.append(f"inferred:  {setting.name} = {setting.value} ({setting.origin})")
    lines.extend(f"note: {note}" for note in report.notes)
    lines.extend(f"check {check.name}: {'ok' if check.ok else 'NOT OK'}: {check.message}" for check in report.checks)
    if len(report.attempts) > 1:
        lines.append(f"attempts (--search, {len(report.attempts)} builds):")
        lines.extend(_attempt(attempt) for attempt in report.attempts)
    return lines


def render_verify(report: VerifyReport) -> list[str]:
    subject = f"{report.package} {report.version or ''}".strip() if report.package else "verify"
    lines = [f"{subject}: {_HEADLINE.get(report.verdict.value, report.verdict.value)}"]
    if report.error:
        lines.append(f"  reason: {report.error}")
    if report.source is not None:
        lines.extend(_source(report.source))
    lines.extend(_artifacts(report))
    lines.extend(_release_files(report))
    lines.extend(_findings(report))
    if report.timings:
        lines.append("timings:   " + ", ".join(f"{name} {seconds:.1f}s" for name, seconds in report.timings.items()))
    if report.workdir:
        lines.append(f"workdir:   {report.workdir}")
    if report.reproduce and report.source is not None:
        lines.append(f"re-run:    {report.reproduce}")
    return lines


def _where(error: ValidationError) -> str:
    first = error.errors()[0]
    return ".".join(str(part) for part in first["loc"]) or "the top"


class VerifyTextFormat(ReportFormat[VerifyReport | dict[str, Any]]):
    def render(self, report: VerifyReport | dict[str, Any]) -> str:
        """A stored report (its JSON data) is read into the model first."""
        if isinstance(report, VerifyReport):
            return "\n".join(render_verify(report)) + "\n"
        try:
            model = from_data(VerifyReport, report)
        except ValidationError as exc:  # `verifier show` reports it as an incomplete report
            raise TypeError(f"{exc.error_count()} field(s) missing or malformed, first at {_where(exc)}") from exc
        return "\n".join(render_verify(model)) + "\n"
