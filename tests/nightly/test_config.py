"""The nightly configuration: every mistake reported with its line, before any work."""

from pathlib import Path

import pytest

from verifier.errors import ConfigError
from verifier.nightly.config import load

GOOD = """\
[defaults]
index-url = "https://pypi.org/simple/"
builder = "auto"
normalize = ["mtime", "owner", "gzip-header"]

[[packages]]
name = "itsdangerous"
repo = "https://github.com/pallets/itsdangerous"
tag-pattern = "{version}"
versions = ["2.2.0"]
"""

BAD = """\
[defaults]
normalize = ["mtime", "owners"]
timeout = -5

[[packages]]
name = "a"
repo = "./a"
tag-pattern = "v1"

[[packages]]
repo = "./b"
versions = "1.0"

[[packages]]
name = "a"
repo = "./again"
colour = "blue"
"""


def test_a_good_config_loads(tmp_path: Path) -> None:
    path = tmp_path / "verifier.toml"
    path.write_text(GOOD)
    config = load(path)
    (package,) = config.packages
    assert (package.name, package.versions, package.get("tag-pattern"), package.get("window")) == ("itsdangerous", ("2.2.0",), "{version}", 5)
    assert len(config.sha256) == 64


def test_every_mistake_is_reported_with_its_line(tmp_path: Path) -> None:
    path = tmp_path / "verifier.toml"
    path.write_text(BAD)
    with pytest.raises(ConfigError) as raised:
        load(path)
    lines = raised.value.details.splitlines()
    expected = [
        (":2:", "owners"),
        (":3:", "timeout must be positive"),
        (":8:", "tag-pattern must contain {version}"),
        (":10:", "has no 'name'"),
        (":12:", "versions must be a list"),
        (":14:", "listed twice"),
        (":17:", "unknown key 'colour'"),
    ]
    for where, what in expected:
        assert any(where in line and what in line for line in lines), (where, what, lines)
    assert str(raised.value).startswith(f"{len(lines)} problem(s)")


def test_cli_prints_each_problem_and_exits_2(cli, tmp_path: Path) -> None:
    path = tmp_path / "verifier.toml"
    path.write_text(BAD)
    result = cli("nightly", "--config", path, "--db", f"sqlite:///{tmp_path / 'h.sqlite'}", "--out", tmp_path / "site")
    assert result.code == 2
    assert result.stderr.startswith("error: ") and "verifier.toml:12:" in result.stderr
    assert not (tmp_path / "h.sqlite").exists() and not (tmp_path / "site").exists()  # nothing was run
    broken = tmp_path / "broken.toml"
    broken.write_text("[[packages]\nname=")
    assert cli("nightly", "--config", broken).code == 2
