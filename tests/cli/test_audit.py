"""`verifier audit`'s usage errors and the command line it records; audits themselves are in tests/audit/."""

import json
from pathlib import Path

from click.testing import CliRunner

from verifier.cli import cli as group


def test_search_commits_is_bounded() -> None:
    result = CliRunner().invoke(group, ["audit", "--tag", "1", "--search-commits", "5000"])
    assert result.exit_code == 2
    assert result.stderr.splitlines()[-1] == "Error: Invalid value for '--search-commits': 5000 is not in the range 0<=x<=1000."


def test_report_records_the_command_with_resolved_paths(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(group, ["audit", "--tag", "1", "--repo", "nope", "--artifact", "a.tar.gz", "--search-commits", "3", "--json", "-", "-q"])
    assert result.exit_code == 2
    report = json.loads(result.stdout)
    assert report["verdict"] == "error"
    assert report["reproduce"] == (
        f"verifier audit --tag 1 --repo {tmp_path / 'nope'} --index-url https://pypi.org/simple/ "
        f"--artifact {tmp_path / 'a.tar.gz'} --search-commits 3"
    )
