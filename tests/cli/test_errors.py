"""One place turns errors into a line and an exit code: a verifier error, an interrupt, a bug."""

import click
import pytest
from click.testing import CliRunner

from verifier.cli.errors import EXIT_INTERRUPTED, exit_code_of, handle_errors
from verifier.errors import ArchiveError, BuildError, UsageError


def _command(error: BaseException) -> click.Command:
    @click.command()
    @handle_errors
    def fails() -> None:
        raise error

    return fails


@pytest.mark.parametrize(("error", "code"), [(ArchiveError("truncated tar"), 2), (UsageError("bad"), 2), (BuildError("step 2 exited 1"), 3)])
def test_verifier_error_is_one_line_and_its_exit_code(error: Exception, code: int) -> None:
    result = CliRunner().invoke(_command(error))
    assert result.exit_code == code
    assert result.stderr == f"error: {error}\n"


def test_details_follow_indented() -> None:
    result = CliRunner().invoke(_command(BuildError("the build failed", details="line 1\nline 2")))
    assert result.exit_code == 3
    assert result.stderr == "error: the build failed\n  line 1\n  line 2\n"


def test_a_bug_is_an_internal_error_without_traceback() -> None:
    result = CliRunner().invoke(_command(KeyError("oops")))
    assert result.exit_code == 3
    assert result.stderr == "internal error: KeyError: 'oops' (please report this)\n"


def test_interrupt_and_out_of_memory() -> None:
    assert CliRunner().invoke(_command(KeyboardInterrupt())).exit_code == EXIT_INTERRUPTED
    memory = CliRunner().invoke(_command(MemoryError()))
    assert memory.exit_code == 3 and memory.stderr == "error: out of memory\n"


def test_click_usage_errors_keep_clicks_form() -> None:
    result = CliRunner().invoke(_command(click.UsageError("--a and --b do not go together")))
    assert result.exit_code == 2
    assert result.stderr.splitlines()[-1] == "Error: --a and --b do not go together"


@pytest.mark.parametrize(
    ("verdict", "code"),
    [("identical", 0), ("equivalent", 0), ("from-source", 0), ("different", 1), ("not-from-source", 1),
     ("error", 2), ("could-not-verify", 3), ("timeout", 3), ("something new", 3)],
)
def test_exit_code_of_a_verdict(verdict: str, code: int) -> None:
    assert exit_code_of(verdict) == code
