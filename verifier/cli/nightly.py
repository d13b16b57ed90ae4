"""`verifier nightly`: every new release of the configured packages, a history, a dashboard."""

from __future__ import annotations

import sys
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

import click

from verifier.cli.errors import handle_errors
from verifier.cli.options import quiet_option
from verifier.cli.output import print_outcome
from verifier.cli.types import UtcDateTime
from verifier.cli.worker import distributed_options

if TYPE_CHECKING:
    pass


@click.command("nightly")
@click.option("--config", "config_path", type=click.Path(path_type=Path, dir_okay=False), help="The packages to check (TOML); required unless --report.")
@click.option("--db", "db_url", metavar="URL",
              help="History database: sqlite:///PATH (default: verifier-history.sqlite beside the config) or postgresql://...")
@click.option("--jobs", "-j", type=click.IntRange(1, 64), help="Targets run in parallel (default: the number of CPUs).")
@click.option("--since", type=UtcDateTime(formats=["%Y-%m-%d", "%Y-%m-%dT%H:%M:%S"]),
              help="Verify the releases uploaded since DATE, UTC (again, even if verified).")
@click.option("--last", type=click.IntRange(1, 1000), help="Verify the N newest releases of each package (again, even if verified).")
@click.option("--out", "out_dir", type=click.Path(path_type=Path, file_okay=False), default="verifier-site",
              show_default=True, help="Where index.html, summary.json, junit.xml and summary.md are written.")
@click.option("--reports-dir", type=click.Path(path_type=Path, file_okay=False, resolve_path=True),
              help="Where each verification's report is kept (default: verifier-reports beside the config).")
@quiet_option
@distributed_options
@handle_errors
def nightly_command(
    config_path: Path,
    db_url: str | None,
    jobs: int | None,
    since: datetime | None,
    last: int | None,
    out_dir: Path,
    reports_dir: Path | None,
    quiet: bool,
) -> None:
    """Verify every new release of the configured packages, keep the history, publish a dashboard.

    Releases in the window (default: the 5 newest of each package, or `window` in the config) that
    have no verdict yet are verified; `--since`/`--last` choose the window and verify its releases
    again. Each result is stored the moment it is known: a killed run loses nothing, and the next
    run retries what was unfinished.

    \b
    Example:
      verifier nightly --config verifier.toml --db sqlite:///history.sqlite --out site

    \b
    Exit codes: 0 every release verified is reproducible, 1 a release is not reproducible or
                regressed, 2 bad configuration or usage, 3 some releases could not be verified.
    """
    from verifier.nightly.job import run_nightly
    from verifier.progress import TerminalProgress

    if since is not None and last is not None:
        raise click.UsageError("--since and --last do not go together")
    with TerminalProgress(quiet=quiet) as progress:
        outcome = run_nightly(
            config_path, db_url=db_url, jobs=jobs, since=since, last=last, out_dir=out_dir.resolve(), reports_dir=reports_dir, progress=progress
        )
    print_outcome(outcome, out_dir)
    sys.exit(outcome.exit_code)
