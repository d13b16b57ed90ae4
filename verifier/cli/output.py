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
    hash is known), then the text report on stdout unless the JSON went there."""
    from verifier.report.json import write_json

    if json_path:
        write_json(to_data(report), json_path)
    published = getattr(report, "published", None)
    if attestation is not None and statement is not None and getattr(published, "sha256", None):
        from verifier.attest.intoto import write_statement

        write_statement(statement(report), attestation)
    if json_path != "-":
        click.echo(render(report), nl=False)
