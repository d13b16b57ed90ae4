"""The one place where an error becomes a line on stderr and an exit code: never a traceback.

A `VerifierError` prints ``error: <its one-line message>`` (and its indented details) and exits
with its own `exit_code`; click's usage errors keep click's form and exit 2; anything else is an
internal error (exit 3) with a request to report it.
"""

from __future__ import annotations

import functools
import sys
from collections.abc import Callable
from typing import Any, TypeVar

import click

from verifier.errors import EXIT_BAD_INPUT, EXIT_COULD_NOT_VERIFY, VerifierError
from verifier.report.model.verdict import Verdict

F = TypeVar("F", bound=Callable[..., Any])

EXIT_INTERRUPTED = 130
#: Modules only some commands need, and the extra that installs them.
OPTIONAL_MODULES = {"sqlalchemy": "nightly", "alembic": "nightly", "psycopg": "nightly", "celery": "celery",
                    "kombu": "celery", "redis": "celery"}


def handle_errors(function: F) -> F:
    """Turn every error `function` raises into one line on stderr and its exit code."""

    @functools.wraps(function)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return function(*args, **kwargs)
        except VerifierError as exc:
            click.echo(f"error: {exc}", err=True)
            for line in exc.details.splitlines():
                click.echo(f"  {line}", err=True)
            sys.exit(exc.exit_code)
        except KeyboardInterrupt:
            click.echo("interrupted", err=True)
            sys.exit(EXIT_INTERRUPTED)
        except ModuleNotFoundError as exc:
            extra = OPTIONAL_MODULES.get((exc.name or "").split(".")[0])
            if extra is None:
                click.echo(f"internal error: {type(exc).__name__}: {exc} (please report this)", err=True)
                sys.exit(EXIT_COULD_NOT_VERIFY)
            click.echo(f"error: this needs the optional '{extra}' dependencies: pip install 'sdist-verifier[{extra}]'", err=True)
            sys.exit(EXIT_BAD_INPUT)
        except MemoryError:
            click.echo("error: out of memory", err=True)
            sys.exit(EXIT_COULD_NOT_VERIFY)
        except (click.exceptions.Exit, click.ClickException, SystemExit):
            raise
        except Exception as exc:  # noqa: BLE001 - the last line of defence: no traceback, ever
            click.echo(f"internal error: {type(exc).__name__}: {exc} (please report this)", err=True)
            sys.exit(EXIT_COULD_NOT_VERIFY)

    return wrapper  # type: ignore[return-value]


def exit_code_of(verdict: str) -> int:
    """The exit code a report's verdict means; a verdict no command knows could not verify."""
    try:
        return Verdict(verdict).exit_code
    except ValueError:
        return EXIT_COULD_NOT_VERIFY
