"""The command line: parse options, call the stages, print, exit with the documented code.

One module per command (`compare`, `normalize`, `verify`, `audit`, `show`, `nightly`, `image`);
options several commands share are in `options.py`, value checks are click types in `types.py`,
and `errors.py` is the one place an error becomes a message and an exit code.

Exit codes: 0 reproducible (identical or equivalent), 1 different, 2 bad input or usage,
3 could not verify (and internal errors). No traceback reaches the terminal.
"""

from __future__ import annotations

import sys

import click

from verifier import __version__
from verifier.cli.audit import audit_command
from verifier.cli.compare import compare_command
from verifier.cli.image import image_group
from verifier.cli.nightly import nightly_command
from verifier.cli.normalize import normalize_command
from verifier.cli.show import show_command
from verifier.cli.verify import verify_command
from verifier.cli.worker import worker


@click.group(context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
@click.version_option(__version__, prog_name="verifier")
def cli() -> None:
    """Does a published Python sdist come from its tagged source?

    \b
    Exit codes: 0 reproducible (identical or equivalent), 1 different,
                2 bad input or usage, 3 could not verify.
    """


cli.add_command(compare_command)
cli.add_command(normalize_command)
cli.add_command(verify_command)
cli.add_command(audit_command)
cli.add_command(show_command)
cli.add_command(nightly_command)
cli.add_command(image_group)
cli.add_command(worker)


def main() -> None:
    """The `verifier` console script."""
    cli(prog_name="verifier")


def verify_main() -> None:
    """The `verify` console script: the same as `verifier verify`."""
    cli(args=["verify", *sys.argv[1:]], prog_name="verify")


__all__ = ["cli", "main", "verify_main"]
