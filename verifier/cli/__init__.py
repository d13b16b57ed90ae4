"""The command line: parse options, call the stages, print, exit with the documented code.

One module per command (`compare`, `normalize`, `verify`, `audit`, `show`, `nightly`, `image`);
options several commands share are in `options.py`, value checks are click types in `types.py`,
and `errors.py` is the one place an error becomes a message and an exit code.

Exit codes: 0 reproducible (identical or equivalent), 1 different, 2 bad input or usage,
3 could not verify (and internal errors). No traceback reaches the terminal.
"""

from __future__ import annotations

import importlib
import sys

import click

from verifier.cli.options import QUIET

# command name -> (module, attribute): a command's module is imported when that command runs (or
# when help lists it), so `verifier compare` does not pay for importing what `verify` needs.
COMMANDS = {
    "compare": ("verifier.cli.compare", "compare_command"),
    "normalize": ("verifier.cli.normalize", "normalize_command"),
    "verify": ("verifier.cli.verify", "verify_command"),
    "audit": ("verifier.cli.audit", "audit_command"),
    "show": ("verifier.cli.show", "show_command"),
    "nightly": ("verifier.cli.nightly", "nightly_command"),
    "image": ("verifier.cli.image", "image_group"),
    "worker": ("verifier.cli.worker", "worker"),
}


class LazyGroup(click.Group):
    """A group whose commands are imported on first use."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted({*COMMANDS, *super().list_commands(ctx)})

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name not in self.commands and cmd_name in COMMANDS:
            module_name, attribute = COMMANDS[cmd_name]
            command = getattr(importlib.import_module(module_name), attribute)
            self.add_command(command, cmd_name)
        return super().get_command(ctx, cmd_name)


def _print_versions(ctx: click.Context, _param: click.Parameter, value: bool) -> None:
    if not value or ctx.resilient_parsing:
        return
    from verifier.versions import version_lines

    click.echo("\n".join(version_lines()))
    ctx.exit(0)


@click.group(cls=LazyGroup, context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
@click.option("--version", is_flag=True, expose_value=False, is_eager=True, callback=_print_versions,
              help="The verifier's version and those of the tools that decide verdicts (uv, diffoscope, podman, docker).")
@click.option("-v", "--verbose", is_flag=True, expose_value=False, is_eager=True, callback=lambda ctx, p, v: _verbose(v),
              help="Log every external command (git, podman or docker, uv, diffoscope) with its duration on stderr.")
@click.option("-q", "--quiet", is_flag=True, expose_value=False, is_eager=True,
              callback=lambda ctx, p, v: ctx.meta.__setitem__(QUIET, v), help="No progress lines, for every command.")
def cli() -> None:
    """Does a published Python sdist come from its tagged source?

    \b
    Exit codes: 0 reproducible (identical or equivalent), 1 different,
                2 bad input or usage, 3 could not verify.
    """


def _verbose(on: bool) -> None:
    if on:
        import logging

        handler = logging.StreamHandler(sys.stderr)
        handler.setFormatter(logging.Formatter("verifier: %(message)s"))
        logger = logging.getLogger("verifier.commands")
        logger.addHandler(handler)
        logger.setLevel(logging.INFO)


def _run(args: list[str] | None, prog_name: str) -> None:
    """Run the group; every usage error is one line on stderr (exit 2), as every other error is."""
    try:
        code = cli.main(args=args, prog_name=prog_name, standalone_mode=False)
    except click.UsageError as exc:
        path = exc.ctx.command_path if exc.ctx is not None else prog_name
        command = f"{path.replace('verify verify', 'verify', 1)} --help"  # the `verify` script is `verifier verify`
        click.echo(f"error: {' '.join(exc.format_message().split())} (see '{command}')", err=True)
        sys.exit(exc.exit_code)
    except click.ClickException as exc:
        click.echo(f"error: {' '.join(exc.format_message().split())}", err=True)
        sys.exit(exc.exit_code)
    except click.Abort:
        click.echo("interrupted", err=True)
        sys.exit(130)
    sys.exit(code if isinstance(code, int) else 0)


def main() -> None:
    """The `verifier` console script."""
    _run(None, "verifier")


def verify_main() -> None:
    """The `verify` console script: the same as `verifier verify`."""
    _run(["verify", *sys.argv[1:]], "verify")


__all__ = ["cli", "main", "verify_main"]
