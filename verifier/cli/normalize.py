"""`verifier normalize SOURCE OUTPUT`: the canonical form of one archive."""

from __future__ import annotations

from pathlib import Path

import click

from verifier.archive.interface import Limits
from verifier.cli.errors import handle_errors
from verifier.cli.options import limits_options, normalization_options
from verifier.normalize.interface import Normalization


@click.command("normalize")
@click.argument("source", type=click.Path(path_type=Path, dir_okay=False))
@click.argument("output", type=click.Path(path_type=Path, dir_okay=False))
@normalization_options()
@click.option("--force", is_flag=True, help="Replace OUTPUT if it exists.")
@limits_options
@handle_errors
def normalize_command(source: Path, output: Path, normalizations: tuple[Normalization, ...], force: bool, limits: Limits) -> None:
    """Write the canonical (normalized) form of SOURCE to OUTPUT as a .tar.gz.

    The output's bytes depend only on what the normalizations keep: two archives are equivalent
    exactly when their normalized outputs have the same sha256 (made with the same
    normalizations), so `sha256sum` alone checks a verdict. The gzip layer holds stored
    (uncompressed) deflate blocks, so no compressor library can change those bytes.

    \b
    Example:
      verifier normalize pkg-1.0.tar.gz pkg-1.0.canonical.tar.gz
    """
    from verifier.archive.canonical import write_canonical

    digest = write_canonical(source, output, normalizations, limits, force=force)
    click.echo(f"{digest}  {output}")
