"""`verifier nightly`'s usage errors; the nightly job itself is tested in tests/nightly/."""

from pathlib import Path

import pytest
from click.testing import CliRunner

from verifier.cli import cli as group


@pytest.mark.parametrize(
    ("args", "error"),
    [
        (["--since", "2026-01-01", "--last", "3"], "Error: --since and --last do not go together"),
        (["--since", "yesterday"], "Error: Invalid value for '--since': 'yesterday' does not match the formats '%Y-%m-%d', '%Y-%m-%dT%H:%M:%S'."),
        (["--jobs", "0"], "Error: Invalid value for '--jobs' / '-j': 0 is not in the range 1<=x<=64."),
    ],
)
def test_usage_errors(tmp_path: Path, args: list[str], error: str) -> None:
    result = CliRunner().invoke(group, ["nightly", "--config", str(tmp_path / "verifier.toml"), *args])
    assert result.exit_code == 2
    assert result.stderr.splitlines()[-1] == error


def test_a_missing_config_is_one_line(tmp_path: Path) -> None:
    result = CliRunner().invoke(group, ["nightly", "--config", str(tmp_path / "verifier.toml"), "--out", str(tmp_path / "site")])
    assert result.exit_code == 2
    assert result.stderr == f"error: cannot read {tmp_path / 'verifier.toml'}: No such file or directory\n"
