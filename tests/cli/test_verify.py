"""`verifier verify`'s usage errors: exit 2 and one line saying what was wrong, before any work.

The verifications themselves are tested end to end in tests/verify/.
"""

from pathlib import Path

import pytest
from click.testing import CliRunner

from verifier.cli import cli as group


def _verify(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(group, ["verify", "--tag", "1", "--repo", "/nonexistent-repo", *args])
    return result.exit_code, result.stderr.splitlines()[-1] if result.stderr else ""


@pytest.mark.parametrize(
    ("args", "error"),
    [
        (["--umask", "9"], "Error: Invalid value for '--umask': not an octal umask: '9' (e.g. 002)"),
        (["--env", "FOO"], "Error: Invalid value for '--env': expected KEY=VALUE: 'FOO'"),
        (["--pin", "flit-core"], "Error: Invalid value for '--pin': 'flit-core' pins no version (e.g. flit-core==3.12.0)"),
        (["--build-user", "1001"], "Error: Invalid value for '--build-user': expected UID:GID or UID:GID:USER:GROUP, e.g. 1001:123:runner:docker"),
        (["--source-date-epoch", "soon"],
         "Error: Invalid value for '--source-date-epoch': takes a number of seconds, 'tag', 'infer' or 'unset', not 'soon'"),
        (["--requirements-cutoff", "yesterday"],
         "Error: Invalid value for '--requirements-cutoff': not an ISO 8601 time: 'yesterday' (e.g. 2024-05-01T12:00:00Z)"),
        (["--python", "python3"], "Error: Invalid value for '--python': not a Python version: 'python3' (e.g. 3.9, 3.11, 3.13)"),
        (["--normalize", "bogus"],
         "Error: Invalid value for '--normalize': unknown normalization 'bogus'; known: mtime, owner, gzip-header, order, mode, tar-format"),
        (["--strict", "--normalize", "mtime"], "Error: --strict and --normalize do not go together"),
        (["--max-builds", "5"], "Error: --max-builds limits --search: give --search too"),
        (["--max-builds", "50", "--search"], "Error: Invalid value for '--max-builds': 50 is not in the range 1<=x<=20."),
        (["--frontend", "hatch"], "Error: Invalid value for '--frontend': 'hatch' is not one of 'build', 'flit', 'flit-setup-py', 'setup.py', 'setup.py-release'."),
        (["--runtime", "lxc"], "Error: Invalid value for '--runtime': 'lxc' is not one of 'podman', 'docker'."),
    ],
)
def test_usage_error_exits_2_naming_the_option(args: list[str], error: str) -> None:
    assert _verify(*args) == (2, error)


def test_tag_is_required() -> None:
    result = CliRunner().invoke(group, ["verify"])
    assert result.exit_code == 2 and "give the release as NAME==VERSION, or --tag TAG" in result.stderr


def test_a_repository_that_is_not_one_is_bad_input(tmp_path: Path) -> None:
    args = ["verify", "--tag", "1", "--repo", "/nonexistent-repo", "--workdir", str(tmp_path / "work"), "--json", "-", "-q"]
    result = CliRunner().invoke(group, args)
    assert result.exit_code == 2
    assert '"verdict": "error"' in result.stdout and "is not a git repository" in result.stdout
