"""`verifier image bootstrap`'s usage errors; the bootstrap itself is tested in tests/runtime/."""

from click.testing import CliRunner

from verifier.cli import cli as group


def test_unknown_runtime() -> None:
    result = CliRunner().invoke(group, ["image", "bootstrap", "--runtime", "lxc"])
    assert result.exit_code == 2
    assert result.stderr.splitlines()[-1] == "Error: Invalid value for '--runtime': 'lxc' is not one of 'podman', 'docker'."
