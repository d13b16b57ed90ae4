"""Options more than one command takes, each written once.

Each decorator adds its options to a command. `normalization_options` and `limits_options` also
turn what was given into the value the command works with (`normalizations`, `limits`), so a
command never sees the raw text.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar, cast

import click

from verifier.archive.interface import Limits
from verifier.cli.types import BYTE_SIZE, NORMALIZATION_NAMES, RUNTIME
from verifier.errors import UsageError
from verifier.normalize.registry import ALL as ALL_NORMALIZATIONS
from verifier.normalize.registry import DEFAULT_NAMES, parse_option

F = TypeVar("F", bound=Callable[..., Any])

NORMALIZE_HELP = (
    "Comma-separated normalizations to apply (default: "
    + ",".join(DEFAULT_NAMES)
    + "; 'none' for none). Known: "
    + "; ".join(f"{n.name}: {n.summary}" for n in ALL_NORMALIZATIONS)
    + "."
)


def _apply(function: F, *decorators: Callable[[F], F]) -> F:
    """Apply `decorators` so that the first listed is the first shown in --help."""
    for decorator in reversed(decorators):
        function = decorator(function)
    return function


def normalization_options(*, pass_strict: bool = False) -> Callable[[F], F]:
    """--normalize NAME[,NAME...] and --strict, given to the command as `normalizations` (a tuple
    of `Normalization`), and as `strict` too when `pass_strict`."""

    def decorate(function: F) -> F:
        @functools.wraps(function)
        def wrapper(*args: Any, normalize_names: str | None, strict: bool, **kwargs: Any) -> Any:
            try:
                normalizations = parse_option(normalize_names, strict)
            except UsageError as exc:
                raise click.UsageError(str(exc)) from None
            if pass_strict:
                kwargs["strict"] = strict
            return function(*args, normalizations=normalizations, **kwargs)

        return _apply(
            cast(F, wrapper),
            click.option("--normalize", "normalize_names", type=NORMALIZATION_NAMES, default=None, help=NORMALIZE_HELP),
            click.option("--strict", is_flag=True, help="No normalization at all: bit-for-bit."),
        )

    return decorate


def limits_options(function: F) -> F:
    """--max-members and --max-unpacked-size, given to the command as `limits` (`Limits`)."""

    @functools.wraps(function)
    def wrapper(*args: Any, max_members: int, max_unpacked_size: int, **kwargs: Any) -> Any:
        return function(*args, limits=Limits(max_members=max_members, max_unpacked_bytes=max_unpacked_size), **kwargs)

    return _apply(
        cast(F, wrapper),
        click.option("--max-unpacked-size", type=BYTE_SIZE, default="8G", show_default=True,
                     help="Refuse archives that decompress to more than this (decompression bombs)."),
        click.option("--max-members", type=click.IntRange(min=1), default=Limits().max_members, show_default=True,
                     help="Refuse archives with more members."),
    )


def release_options(function: F) -> F:
    """Which release: NAME==VERSION or --tag, --repo, --package, --subdir, --index-url and --artifact."""
    return _apply(
        function,
        click.argument("release", required=False, metavar="[NAME==VERSION]"),
        click.option("--tag", help="The release tag or version (23.3.3 finds tag 23.03.3, v23.3.3, NAME-23.3.3); "
                                   "required unless NAME==VERSION is given."),
        click.option("--repo", metavar="PATH_OR_URL",
                     help="The git repository: a local path (default: the current directory with --tag) or a URL, "
                          "cloned into the cache. With NAME==VERSION, default: the repository the sdist's metadata names."),
        click.option("--package", help="The distribution name (default: the one the tagged tree names)."),
        click.option("--subdir", help="The project's directory in a monorepo (default: found by --package)."),
        click.option("--index-url", default="https://pypi.org/simple/", show_default=True,
                     help="Where the published sdist is (PEP 691/503)."),
        click.option("--artifact", type=click.Path(path_type=Path, dir_okay=False, resolve_path=True),
                     help="A local copy of the published sdist, instead of the index's."),
    )


def format_option(function: F) -> F:
    return click.option("--format", "output_format", type=click.Choice(["text", "json", "markdown"]), default="text",
                        show_default=True,
                        help="What is printed on stdout: the text report, the JSON report, or Markdown "
                             "(for a pull-request comment or a CI step summary).")(function)


def json_option(function: F) -> F:
    return click.option("--json", "json_path", metavar="FILE",
                        help="Write the JSON report to FILE ('-': to stdout, instead of the text report; progress stays on stderr).")(function)


def attestation_option(function: F) -> F:
    return click.option("--attestation", type=click.Path(path_type=Path, dir_okay=False),
                        help="Write an in-toto Statement v1 about the published artifact to FILE.")(function)


def workdir_option(help: str = "Scratch directory (default: a temporary one).", *, resolve: bool = False) -> Callable[[F], F]:
    return click.option("--workdir", type=click.Path(path_type=Path, file_okay=False, resolve_path=resolve), help=help)


def runtime_option(function: F) -> F:
    return click.option("--runtime", type=RUNTIME, help="Container runtime (default: detected).")(function)


def quiet_option(function: F) -> F:
    """-q here, or before the command (`verifier -q verify ...`): no progress lines."""
    return click.option("--quiet", "-q", is_flag=True, default=lambda: bool(click.get_current_context().find_root().meta.get(QUIET)),
                        help="No progress lines.")(function)


QUIET = "verifier.quiet"
