"""Which tasks a worker refuses: another verifier version, another base rootfs (both named); a worker's own failure is still recorded."""

from pathlib import Path

import pytest

from verifier import __version__
from verifier.errors import EXIT_BAD_INPUT
from verifier.nightly.distributed import task
from verifier.nightly.distributed.task import WorkerContext, payload_for, refusal
from verifier.nightly.targets import Target
from verifier.store.db import Store

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


def test_a_worker_failing_on_its_own_machine_still_records_an_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """An OSError of the worker's own (here: its work directory is a file) is stored as an `error`
    record, so the run still ends."""
    pytest.importorskip("celery")
    store = Store(f"sqlite:///{tmp_path / 'history.sqlite'}")
    run_id = store.start_run("verifier.toml", "00" * 32, 1, mode="celery")
    work_dir = tmp_path / "work"
    work_dir.mkdir()
    (work_dir / "reports").write_text("not a directory")
    context = WorkerContext(store=store, work_dir=work_dir, name="w1", bases={})
    monkeypatch.setattr(task, "CONTEXT", context)
    outcome = task.run_task(payload_for(run_id, TARGET, {}), "w1@host")
    assert outcome == f"{TARGET.id}: error"
    (stored,) = store.history()
    assert stored["verdict"] == "error" and "the worker on w1 failed" in stored["error"]
    assert stored["host"]
