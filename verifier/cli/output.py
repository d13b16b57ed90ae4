"""Where a command's report goes: the JSON file (or stdout), an in-toto statement, the text."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import click

Report = dict[str, Any]


def write_report(
    data: Report,
    *,
    json_path: str | None,
    render: Callable[[Report], str],
    attestation: Path | None = None,
    statement: Callable[[Report], Report] | None = None,
) -> None:
    """The JSON report to `json_path` ('-': stdout), the attestation (when the published file's
    hash is known), then the text report on stdout unless the JSON went there."""
    from verifier.report.json import write_json

    if json_path:
        write_json(data, json_path)
    if attestation is not None and statement is not None and (data.get("published") or {}).get("sha256"):
        from verifier.attest.intoto import write_statement

        write_statement(statement(data), attestation)
    if json_path != "-":
        click.echo(render(data), nl=False)
