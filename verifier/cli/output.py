"""Where a command's report goes: the JSON file (or stdout), an in-toto statement, the text.

Every command hands over its typed report model; JSON is made from it in the one serializer,
the text and the statement read it directly.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

import click

from verifier.report.model.serialize import to_data, to_json
from verifier.report.model.verdict import Verdict

if TYPE_CHECKING:
    from verifier.nightly.job import NightlyOutcome

ReportT = TypeVar("ReportT")


def write_report(
    report: ReportT,
    *,
    json_path: str | None,
    render: Callable[[ReportT], str],
    attestation: Path | None = None,
    statement: Callable[[ReportT], dict[str, Any]] | None = None,
    output_format: str = "text",
    markdown: Callable[[ReportT], str] | None = None,
) -> None:
    """The JSON report to `json_path` ('-': stdout), the attestation (when the published file's
    hash is known), then the text report on stdout unless the JSON went there.

    `output_format` json or markdown prints that instead of the text (`markdown` renders it).
    A report that reached no verdict (bad input, could not verify) is an error like any other:
    its JSON, attestation, JSON or Markdown output are written all the same, and instead of the
    text there is one line on stderr."""
    from verifier.report.json import write_json

    if json_path:
        write_json(to_data(report), json_path)
    published = getattr(report, "published", None)
    if attestation is not None and statement is not None and getattr(published, "sha256", None):
        from verifier.attest.intoto import write_statement

        write_statement(statement(report), attestation)
    if output_format == "json" and json_path != "-":
        click.echo(to_json(report), nl=False)
    elif output_format == "markdown" and markdown is not None:
        click.echo(markdown(report), nl=False)
    verdict = getattr(report, "verdict", None)
    if verdict is not None and not Verdict(verdict).verified:
        reason = " ".join(str(getattr(report, "error", None) or "no reason given").split())
        prefix = "could not verify: " if Verdict(verdict) is Verdict.COULD_NOT_VERIFY else ""
        click.echo(f"error: {prefix}{reason}", err=True)
        return
    if json_path != "-" and output_format == "text":
        click.echo(render(report), nl=False)


def print_outcome(outcome: NightlyOutcome, out_dir: Path) -> None:
    """One line for the run, one per release verified (with the machine that verified it, when the
    run was distributed), one per problem, and where the outputs are."""
    verdicts = Counter(record["verdict"] for record in outcome.records)
    summary = ", ".join(f"{count} {verdict}" for verdict, count in sorted(verdicts.items())) or "nothing new"
    click.echo(f"run {outcome.run_id}: {len(outcome.records)} verified ({summary}), {len(outcome.skipped)} already done, "
               f"{len(outcome.problems)} problem(s), in {outcome.seconds} s")
    for record in outcome.records:
        flag = " REGRESSED" if record.get("regressed") else ""
        host = f" [{record['host']}]" if record.get("host") else ""
        error = f" ({record['error']})" if record.get("error") else ""
        click.echo(f"  {record['package']} {record['version']}: {record['verdict']}{flag}{host}{error}")
        for artifact in record.get("artifacts") or ():  # each file of the release, when wheels were verified
            state = artifact.get("verdict") or f"not verified ({artifact.get('not_verified') or 'no reason given'})"
            click.echo(f"    {artifact.get('kind')} {artifact.get('filename')}: {state}{' REGRESSED' if artifact.get('regressed') else ''}")
    for problem in outcome.problems:
        click.echo(f"  problem: {problem['package']}: {problem['error']}")
    click.echo(f"outputs: {out_dir / 'index.html'}")
