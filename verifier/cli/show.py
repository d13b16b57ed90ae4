"""`verifier show REPORT.json`: a stored report, for a person."""

from __future__ import annotations

from pathlib import Path

import click

from verifier.cli.errors import handle_errors


@click.command("show")
@click.argument("report_path", metavar="REPORT.json", type=click.Path(path_type=Path, dir_okay=False))
@handle_errors
def show_command(report_path: Path) -> None:
    """Render a stored JSON report (verify, compare or audit) for a person.

    \b
    Example:
      verifier show report.json
    """
    from verifier.report.show import render_any

    click.echo(render_any(report_path), nl=False)
