"""`verifier compare REFERENCE CANDIDATE`: two sdists, member by member."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING

import click

from verifier.archive.interface import Limits
from verifier.cli.errors import handle_errors
from verifier.cli.options import (
    format_option,
    json_option,
    limits_options,
    normalization_options,
    workdir_option,
)
from verifier.cli.output import write_report
from verifier.errors import EXIT_DIFFERENT, EXIT_REPRODUCIBLE, VerifierError
from verifier.normalize.interface import Normalization

if TYPE_CHECKING:
    from verifier.report.model.compare import CompareReport

_DIFFOSCOPE = click.Path(path_type=Path, resolve_path=True)


@click.command("compare")
@click.argument("reference", type=click.Path(path_type=Path, dir_okay=False))
@click.argument("candidate", type=click.Path(path_type=Path, dir_okay=False))
@normalization_options()
@json_option
@format_option
@click.option("--diffoscope-html", type=_DIFFOSCOPE, help="diffoscope HTML of the differing members.")
@click.option("--diffoscope-text", type=_DIFFOSCOPE, help="diffoscope text of the differing members.")
@click.option("--diffoscope-markdown", type=_DIFFOSCOPE, help="diffoscope Markdown of the differing members.")
@workdir_option()
@limits_options
@handle_errors
def compare_command(
    reference: Path,
    candidate: Path,
    normalizations: tuple[Normalization, ...],
    json_path: str | None,
    output_format: str,
    diffoscope_html: Path | None,
    diffoscope_text: Path | None,
    diffoscope_markdown: Path | None,
    workdir: Path | None,
    limits: Limits,
) -> None:
    """Compare REFERENCE (the published sdist) with CANDIDATE (the rebuilt one).

    Members are paired by their path below the top-level directory. Verdicts: identical (same
    bytes), equivalent (same bytes after the selected normalizations), different.

    \b
    Example:
      verifier compare pkg-1.0.tar.gz rebuilt/pkg-1.0.tar.gz --json report.json

    \b
    Exit codes: 0 identical or equivalent, 1 different, 2 bad input or usage.
    """
    from verifier.compare.failed import failed_report
    from verifier.compare.run import run_compare
    from verifier.report.json import write_json
    from verifier.report.model.serialize import to_data
    from verifier.report.text import TextFormat

    diffoscope = {"html": diffoscope_html, "text": diffoscope_text, "markdown": diffoscope_markdown}
    try:
        comparison = run_compare(
            reference,
            candidate,
            normalizations,
            limits,
            workdir=workdir,
            diffoscope={fmt: path for fmt, path in diffoscope.items() if path is not None},
        )
    except VerifierError as exc:  # the JSON for every outcome; the error's one line from handle_errors
        if json_path and json_path != "-":
            write_json(to_data(failed_report(reference, candidate, exc)), json_path)
        raise
    write_report(comparison.report(), json_path=json_path, render=TextFormat().render, output_format=output_format,
                 markdown=_render_markdown)
    sys.exit(EXIT_REPRODUCIBLE if comparison.reproducible else EXIT_DIFFERENT)


def _render_markdown(report: CompareReport) -> str:
    from verifier.report import markdown  # imported for --format markdown only (start-up time)

    return markdown.render_compare(report)
