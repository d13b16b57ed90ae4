"""Which tasks a worker refuses: another verifier version, another base rootfs (both named)."""

from verifier import __version__
from verifier.errors import EXIT_BAD_INPUT
from verifier.nightly.distributed.task import payload_for, refusal
from verifier.nightly.targets import Target

TARGET = Target("flask", "3.0.0", "/repos/flask", None, {"python": None})


def test_same_version_and_rootfs_is_taken() -> None:
    assert refusal(payload_for(7, TARGET, {"bookworm": "a" * 64}), {"bookworm": "a" * 64}) is None
    assert refusal(payload_for(7, TARGET, {}), {"bookworm": "a" * 64}) is None  # the run expects nothing


def test_another_version_is_refused_with_both_versions() -> None:
    payload = {**payload_for(7, TARGET, {}), "tool_version": "9.9.9"}
    problem = refusal(payload, {})
    assert problem is not None and problem.exit_code == EXIT_BAD_INPUT
    assert __version__ in str(problem) and "9.9.9" in str(problem) and "run 7" in str(problem)


def test_another_base_rootfs_is_refused() -> None:
    problem = refusal(payload_for(7, TARGET, {"bookworm": "a" * 64}), {"bookworm": "b" * 64})
    assert problem is not None and "bookworm" in str(problem) and "aaaaaaaa" in str(problem) and "bbbbbbbb" in str(problem)


def test_only_the_targets_suite_matters() -> None:
    assert refusal(payload_for(7, TARGET, {"bookworm": "a" * 64, "trixie": "c" * 64}), {"bookworm": "a" * 64}) is None
