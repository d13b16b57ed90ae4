"""`verifier worker` against a real Redis: a task planned by another verifier version is refused
(both versions named, exit 2) and stays on the queue for a worker that may take it."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest
import redis

from tests.conftest import verifier_executable
from verifier import __version__
from verifier.nightly.distributed.app import make_app
from verifier.nightly.distributed.broker import parse
from verifier.nightly.distributed.settings import TASK_NAME
from verifier.nightly.distributed.task import payload_for
from verifier.nightly.distributed.worker import worker_name
from verifier.nightly.targets import Target

pytestmark = pytest.mark.celery


def test_a_task_of_another_version_is_refused_and_kept(redis_broker, tmp_path: Path) -> None:
    payload = {**payload_for(1, Target("a", "1", "/nowhere", None, {}), {}), "tool_version": "9.9.9"}
    make_app(parse(redis_broker.url)).send_task(TASK_NAME, args=[payload], queue="default")
    db = tmp_path / "history.sqlite"
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[3])}
    worker = subprocess.run([verifier_executable(), "worker", "--broker", redis_broker.url, "--db", f"sqlite:///{db}", "--work-dir", str(tmp_path / "w")],
                            capture_output=True, text=True, timeout=180, env=env, check=False)
    assert worker.returncode == 2, worker.stderr[-3000:]
    last = worker.stderr.strip().splitlines()[-1]
    assert last.startswith("error: ") and f"verifier {__version__}" in last and "verifier 9.9.9" in last
    assert redis.Redis.from_url(redis_broker.url).llen("default") == 1  # back on the queue, untouched


def test_worker_names_are_stable_and_distinct(tmp_path: Path) -> None:
    assert worker_name(tmp_path / "a") == worker_name(tmp_path / "a") != worker_name(tmp_path / "b")
