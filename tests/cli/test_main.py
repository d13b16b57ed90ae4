"""The command group: every command listed, each help with an example, both console scripts."""

import re
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from verifier import __version__
from verifier.cli import cli as group

COMMANDS = ["audit", "compare", "image", "nightly", "normalize", "show", "verify", "worker"]


def test_every_command_is_listed() -> None:
    result = CliRunner().invoke(group, ["--help"])
    assert result.exit_code == 0
    listed = [line.split()[0] for line in result.stdout.split("Commands:\n")[1].splitlines() if line.startswith("  ")]
    assert listed == COMMANDS
    assert "Exit codes: 0 reproducible" in result.stdout


@pytest.mark.parametrize("command", [["compare"], ["normalize"], ["verify"], ["audit"], ["show"], ["nightly"], ["image", "bootstrap"], ["worker"]])
def test_each_help_has_an_example(command: list[str]) -> None:
    result = CliRunner().invoke(group, [*command, "-h"])
    assert result.exit_code == 0
    assert re.search(rf"Examples?:\n    verifier {' '.join(command)} ", result.stdout)


def test_version() -> None:
    result = CliRunner().invoke(group, ["--version"])
    lines = result.stdout.splitlines()
    assert result.exit_code == 0 and lines[0].startswith(f"verifier {__version__} (sdist-verifier")
    assert [line.split(":")[0] for line in lines[1:]] == ["uv", "diffoscope", "podman", "docker"]
    assert lines[1].startswith("uv: uv 0.")


def test_unknown_command_is_a_usage_error() -> None:
    result = CliRunner().invoke(group, ["bogus"])
    assert result.exit_code == 2 and "No such command 'bogus'" in result.stderr


def test_both_console_scripts(cli) -> None:
    assert cli("--version").stdout.startswith(f"verifier {__version__} (sdist-verifier")
    verify_script = Path(sys.executable).with_name("verify")
    result = subprocess.run([verify_script, "--tag", "1", "--umask", "9"], capture_output=True, text=True, timeout=120, check=False)
    assert result.returncode == 2
    # One line on stderr, nothing on stdout: the usage error names the option and where help is.
    assert result.stdout == ""
    assert result.stderr == "error: Invalid value for '--umask': not an octal umask: '9' (e.g. 002) (see 'verify --help')\n"
