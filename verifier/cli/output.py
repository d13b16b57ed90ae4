"""Where a command's report goes: the JSON file (or stdout), an in-toto statement, the text.

Every command hands over its typed report model; JSON is made from it in the one serializer,
the text and the statement read it directly.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import click

from verifier.report.model.serialize import to_data
from verifier.report.model.verdict import Verdict

ReportT = TypeVar("ReportT")


def write_report(
    report: ReportT,
    *,
    json_path: str | None,
    render: Callable[[ReportT], str],
    attestation: Path | None = None,
    statement: Callable[[ReportT], dict[str, Any]] | None = None,
) -> None:
    """The JSON report to `json_path` ('-': stdout), the attestation (when the published file's
    hash is known), then the text report on stdout unless the JSON went there.

    A report that reached no verdict (bad input, could not verify) is an error like any other:
    its JSON and attestation are written all the same, and the text is one line on stderr."""
    from verifier.report.json import write_json

    if json_path:
        write_json(to_data(report), json_path)
    published = getattr(report, "published", None)
    if attestation is not None and statement is not None and getattr(published, "sha256", None):
        from verifier.attest.intoto import write_statement

        write_statement(statement(report), attestation)
    verdict = getattr(report, "verdict", None)
    if verdict is not None and not Verdict(verdict).verified:
        reason = " ".join(str(getattr(report, "error", None) or "no reason given").split())
        prefix = "could not verify: " if Verdict(verdict) is Verdict.COULD_NOT_VERIFY else ""
        click.echo(f"error: {prefix}{reason}", err=True)
        return
    if json_path != "-":
        click.echo(render(report), nl=False)
