"""What a worker does with one target: check that it may take it, skip it when the run already has
its result (a second delivery), run it as the local scheduler does, store the result once."""

from __future__ import annotations

import os
import signal
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from verifier import __version__
from verifier.nightly import identity
from verifier.nightly.distributed.errors import WorkerMismatch
from verifier.nightly.regression import mark_regressions
from verifier.nightly.scheduler import run_isolated
from verifier.nightly.stored_files import attach
from verifier.nightly.targets import Target
from verifier.nightly.worker import RunSettings, failure_record
from verifier.report.model.verdict import Verdict
from verifier.store.db import Store
from verifier.verify.stages.build import DEFAULT_PYTHON, PYTHON_SUITES

WORKER_LABEL = "verifier.worker"


@dataclass
class WorkerContext:
    store: Store
    work_dir: Path
    name: str  # the worker's own name: the label of its containers
    bases: dict[str, str]  # suite -> rootfs sha256 on this machine
    refusal: list[WorkerMismatch] = field(default_factory=list)  # why this worker stopped taking tasks


CONTEXT: WorkerContext | None = None


def payload_for(run_id: int, target: Target, expected_bases: dict[str, str]) -> dict[str, Any]:
    """The message of one task: plain JSON."""
    return {"run_id": run_id, "target": target.as_dict(), "tool_version": __version__, "bases": expected_bases}


def refusal(payload: dict[str, Any], bases: dict[str, str]) -> WorkerMismatch | None:
    """Why this worker must not take this task, or None."""
    run_id = payload.get("run_id")
    if payload.get("tool_version") != __version__:
        return WorkerMismatch(f"this worker is verifier {__version__}, run {run_id} was planned by verifier {payload.get('tool_version')}: "
                              "install the same version on every machine")
    target = payload.get("target") or {}
    suite = PYTHON_SUITES.get((target.get("settings") or {}).get("python") or DEFAULT_PYTHON) or "?"
    expected_bases: dict[str, str] = payload.get("bases") or {}
    expected = {suite: expected_bases[suite]} if suite in expected_bases else {}
    why = identity.mismatch(expected, bases)
    if why:
        return WorkerMismatch(f"this worker does not take run {run_id}'s tasks: {why} (run `verifier image bootstrap --suite {suite}` "
                              "from the same inputs, or start the scheduler where the bases match)")
    return None


def run_task(payload: dict[str, Any], hostname: str) -> str:
    """The task body; returns what happened (for the worker's log)."""
    from celery.exceptions import Reject

    context = CONTEXT
    if context is None:  # pragma: no cover - only `verifier worker` runs tasks
        raise Reject("not a verifier worker", requeue=True)
    problem = refusal(payload, context.bases)
    if problem is not None:
        if not context.refusal:
            context.refusal.append(problem)
            os.kill(os.getpid(), signal.SIGTERM)  # warm shutdown: the tasks in hand finish first
        raise Reject(str(problem), requeue=True)
    run_id, target = int(payload["run_id"]), Target.from_dict(payload["target"])
    store = context.store
    if (target.package, target.version) in store.recorded(run_id):
        return f"{target.id}: already recorded in run {run_id}"
    settings = RunSettings(run_id, context.work_dir / "reports", labels=((WORKER_LABEL, context.name),))
    started, clock = datetime.now(UTC), time.perf_counter()
    try:
        record = attach(run_isolated(target, settings))
    except OSError as exc:  # this machine's trouble (disk full, …): a record all the same, or the run never ends
        record = attach(failure_record(target, Verdict.ERROR, f"the worker on {context.name} failed: {exc}", started, time.perf_counter() - clock))
    mark_regressions(store, record)
    stored = store.record(run_id, record)
    return f"{target.id}: {record['verdict']}" + ("" if stored else " (a result was already recorded: this one is dropped)")
