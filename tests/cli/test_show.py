"""`verifier show`: a file that is not a report is one line and exit 2 (rendering: tests/report/test_show.py)."""

from pathlib import Path

from click.testing import CliRunner

from verifier.cli import cli as group


def test_not_json(tmp_path: Path) -> None:
    path = tmp_path / "report.json"
    path.write_text("not json")
    result = CliRunner().invoke(group, ["show", str(path)])
    assert result.exit_code == 2
    assert result.stderr.startswith(f"error: {path} is not JSON") and result.stderr.count("\n") == 1
