"""The command line: parse options, call the stages, print, exit with the documented code.

Exit codes: 0 reproducible (identical or equivalent), 1 different, 2 bad input or usage,
3 could not verify (and internal errors). No traceback reaches the terminal.
"""

from __future__ import annotations

import functools
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import click

from verifier import __version__
from verifier.archive.interface import Limits
from verifier.errors import EXIT_BAD_INPUT, EXIT_COULD_NOT_VERIFY, EXIT_DIFFERENT, EXIT_REPRODUCIBLE, VerifierError
from verifier.normalize.registry import ALL as ALL_NORMALIZATIONS
from verifier.normalize.registry import DEFAULT_NAMES, parse_option

F = TypeVar("F", bound=Callable[..., Any])

_NORMALIZE_HELP = (
    "Comma-separated normalizations to apply (default: "
    + ",".join(DEFAULT_NAMES)
    + "; 'none' for none). Known: "
    + "; ".join(f"{n.name}: {n.summary}" for n in ALL_NORMALIZATIONS)
    + "."
)


def _size(text: str) -> int:
    units = {"": 1, "K": 2**10, "M": 2**20, "G": 2**30, "T": 2**40}
    value = text.strip().upper().removesuffix("B").removesuffix("I")
    unit = value[-1:] if value[-1:] in units else ""
    number = value[: len(value) - len(unit)]
    try:
        return int(float(number) * units[unit])
    except ValueError:
        raise click.BadParameter(f"not a size: {text!r} (e.g. 8G, 500M)") from None


def handle_errors(function: F) -> F:
    """Turn every error into one line on stderr and its exit code."""

    @functools.wraps(function)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return function(*args, **kwargs)
        except VerifierError as exc:
            click.echo(f"error: {exc}", err=True)
            sys.exit(exc.exit_code)
        except KeyboardInterrupt:
            click.echo("interrupted", err=True)
            sys.exit(130)
        except MemoryError:
            click.echo("error: out of memory", err=True)
            sys.exit(EXIT_COULD_NOT_VERIFY)
        except (click.exceptions.Exit, click.ClickException, SystemExit):
            raise
        except Exception as exc:  # noqa: BLE001 - the last line of defence: no traceback, ever
            click.echo(f"internal error: {type(exc).__name__}: {exc} (please report this)", err=True)
            sys.exit(EXIT_COULD_NOT_VERIFY)

    return wrapper  # type: ignore[return-value]


def limits_options(function: F) -> F:
    function = click.option(
        "--max-members", type=int, default=Limits().max_members, show_default=True, help="Refuse archives with more members."
    )(function)
    function = click.option(
        "--max-unpacked-size",
        type=str,
        default="8G",
        show_default=True,
        help="Refuse archives that decompress to more than this (decompression bombs).",
    )(function)
    return function


def _limits(max_members: int, max_unpacked_size: str) -> Limits:
    if max_members < 1:
        raise click.BadParameter("must be at least 1", param_hint="--max-members")
    return Limits(max_members=max_members, max_unpacked_bytes=_size(max_unpacked_size))


@click.group(context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
@click.version_option(__version__, prog_name="verifier")
def cli() -> None:
    """Does a published Python sdist come from its tagged source?

    \b
    Exit codes: 0 reproducible (identical or equivalent), 1 different,
                2 bad input or usage, 3 could not verify.
    """


@cli.command()
@click.argument("reference", type=click.Path(path_type=Path, dir_okay=False))
@click.argument("candidate", type=click.Path(path_type=Path, dir_okay=False))
@click.option("--normalize", "normalize_names", metavar="NAME[,NAME...]", default=None, help=_NORMALIZE_HELP)
@click.option("--strict", is_flag=True, help="No normalization at all: bit-for-bit.")
@click.option("--json", "json_path", metavar="FILE", help="Write the JSON report to FILE ('-' for stdout).")
@click.option("--diffoscope-html", type=click.Path(path_type=Path), help="diffoscope HTML of the differing members.")
@click.option("--diffoscope-text", type=click.Path(path_type=Path), help="diffoscope text of the differing members.")
@click.option("--diffoscope-markdown", type=click.Path(path_type=Path), help="diffoscope Markdown of the differing members.")
@click.option("--workdir", type=click.Path(path_type=Path, file_okay=False), help="Scratch directory (default: a temporary one).")
@limits_options
@handle_errors
def compare(
    reference: Path,
    candidate: Path,
    normalize_names: str | None,
    strict: bool,
    json_path: str | None,
    diffoscope_html: Path | None,
    diffoscope_text: Path | None,
    diffoscope_markdown: Path | None,
    workdir: Path | None,
    max_members: int,
    max_unpacked_size: str,
) -> None:
    """Compare REFERENCE (the published sdist) with CANDIDATE (the rebuilt one).

    Members are paired by their path below the top-level directory. Verdicts: identical (same
    bytes), equivalent (same bytes after the selected normalizations), different.
    Exit codes: 0 identical or equivalent, 1 different, 2 bad input or usage.
    """
    from verifier.compare.run import run_compare
    from verifier.report.json import write_json
    from verifier.report.text import TextFormat

    normalizations = parse_option(normalize_names, strict)
    diffoscope = {"html": diffoscope_html, "text": diffoscope_text, "markdown": diffoscope_markdown}
    comparison = run_compare(
        reference,
        candidate,
        normalizations,
        _limits(max_members, max_unpacked_size),
        workdir=workdir,
        diffoscope={fmt: path for fmt, path in diffoscope.items() if path is not None},
    )
    report = comparison.as_dict()
    if json_path:
        write_json(report, json_path)
    if json_path != "-":
        click.echo(TextFormat().render(report), nl=False)
    sys.exit(EXIT_REPRODUCIBLE if comparison.reproducible else EXIT_DIFFERENT)


@cli.command()
@click.argument("source", type=click.Path(path_type=Path, dir_okay=False))
@click.argument("output", type=click.Path(path_type=Path, dir_okay=False))
@click.option("--normalize", "normalize_names", metavar="NAME[,NAME...]", default=None, help=_NORMALIZE_HELP)
@click.option("--strict", is_flag=True, help="No normalization at all.")
@click.option("--force", is_flag=True, help="Replace OUTPUT if it exists.")
@limits_options
@handle_errors
def normalize(
    source: Path,
    output: Path,
    normalize_names: str | None,
    strict: bool,
    force: bool,
    max_members: int,
    max_unpacked_size: str,
) -> None:
    """Write the canonical (normalized) form of SOURCE to OUTPUT as a .tar.gz.

    The output's bytes depend only on what the normalizations keep: two archives are equivalent
    exactly when their normalized outputs have the same sha256 (made with the same
    normalizations), so `sha256sum` alone checks a verdict. The gzip layer holds stored
    (uncompressed) deflate blocks, so no compressor library can change those bytes.
    """
    from verifier.archive.canonical import write_canonical

    normalizations = parse_option(normalize_names, strict)
    digest = write_canonical(source, output, normalizations, _limits(max_members, max_unpacked_size), force=force)
    click.echo(f"{digest}  {output}")


def main() -> None:
    cli(prog_name="verifier")


def verify_main() -> None:
    """The `verify` console script: the same as `verifier verify`."""
    cli(args=["verify", *sys.argv[1:]], prog_name="verify")


__all__ = ["cli", "main", "verify_main", "EXIT_BAD_INPUT"]
