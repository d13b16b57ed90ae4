"""Run the targets: in parallel (`--jobs`), each in its own process with a time limit, each result
stored the moment it is known. One failing or hanging target never stops or loses the others."""

from __future__ import annotations

import ctypes
import json
import os
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from verifier.logs import log_tail
from verifier.nightly.regression import mark_regressions, regressed_note
from verifier.nightly.stored_files import attach
from verifier.nightly.targets import Target
from verifier.nightly.worker import RunSettings, failure_record
from verifier.nightly.worker import _safe as safe_part
from verifier.report.model.nightly import NightlyRecord
from verifier.report.model.serialize import from_data
from verifier.report.model.verdict import Verdict
from verifier.store.db import Store

TIME_MARGIN_S = 300  # beyond the build's own limit: cloning, fetching, comparing
_PR_SET_PDEATHSIG = 1
try:  # loaded here, in the parent: a forked child of a threaded process should not dlopen
    _LIBC: ctypes.CDLL | None = ctypes.CDLL("libc.so.6", use_errno=True)
except OSError:  # pragma: no cover - not glibc
    _LIBC = None


def _die_with_parent() -> None:
    """In the child: be killed when the scheduler dies (even by SIGKILL), not left running."""
    if _LIBC is not None:
        _LIBC.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL)


def remove_leftover_containers(label: str = "verifier.target") -> int:
    """Containers of targets whose workers died with an earlier run (podman and docker)."""
    removed = 0
    for engine in ("podman", "docker"):
        try:
            listing = subprocess.run([engine, "ps", "-aq", "--filter", f"label={label}"], check=False, capture_output=True, text=True, timeout=30)
        except (OSError, subprocess.TimeoutExpired):
            continue
        ids = listing.stdout.split()
        if listing.returncode == 0 and ids:
            subprocess.run([engine, "rm", "-f", *ids], check=False, capture_output=True, timeout=120)
            removed += len(ids)
    return removed


class Scheduler:
    def __init__(self, store: Store, run_id: int, reports_dir: Path, jobs: int, progress: Callable[[str], None]) -> None:
        self.store = store
        self.run_id = run_id
        self.reports_dir = reports_dir
        self.jobs = max(1, jobs)
        self.progress = progress
        self._lock = threading.Lock()
        self.records: list[dict[str, Any]] = []

    def run(self, targets: list[Target]) -> list[dict[str, Any]]:
        with ThreadPoolExecutor(max_workers=self.jobs, thread_name_prefix="target") as pool:
            list(pool.map(self._one, targets))
        return self.records

    def _one(self, target: Target) -> None:
        self.progress(f"{target.id}: started")
        record = attach(run_isolated(target, RunSettings(self.run_id, self.reports_dir)))
        with self._lock:
            mark_regressions(self.store, record)
            self.store.record(self.run_id, record)
            self.records.append(record)
        self.progress(f"{target.id}: {record['verdict']}{regressed_note(record)} in {record['duration_s']:.0f} s")


def time_limit(target: Target) -> int:
    """Seconds a target may take in all: its build's limit and a margin."""
    return int(target.settings.get("timeout") or 3600) + TIME_MARGIN_S


def run_isolated(target: Target, settings: RunSettings) -> NightlyRecord:
    """Run one target in its own process (killed with its containers past its time limit): its record.

    Used by the local scheduler and by the Celery task alike; never raises for the target's failures.
    """
    started = datetime.now(UTC)
    clock = time.perf_counter()
    directory = settings.reports_dir / "_work" / f"run-{settings.run_id}" / f"{safe_part(target.package)}-{safe_part(target.version)}"
    directory.mkdir(parents=True, exist_ok=True)
    result_path = directory / "result.json"
    result_path.unlink(missing_ok=True)  # a delivery before this one may have left one half-way
    log_path = directory / "worker.log"
    limit = time_limit(target)
    payload = {"target": target.as_dict(), "settings": settings.as_dict(), "result_path": str(result_path)}
    with open(log_path, "wb") as log:
        process = subprocess.Popen(
            [sys.executable, "-m", "verifier.nightly.worker"],
            stdin=subprocess.PIPE,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
            preexec_fn=_die_with_parent,  # noqa: PLW1509 - one prctl call into the libc loaded above
        )
        assert process.stdin is not None
        process.stdin.write(json.dumps(payload).encode())
        process.stdin.close()
        try:
            process.wait(timeout=limit)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()
            remove_leftover_containers(f"verifier.target={target.id}")
    elapsed = time.perf_counter() - clock
    if result_path.is_file():
        record = from_data(NightlyRecord, json.loads(result_path.read_text()))
    elif process.returncode is not None and process.returncode < 0 and elapsed >= limit:
        record = failure_record(target, Verdict.TIMEOUT, f"stopped after {limit} s", started, elapsed, log_path)
    else:
        tail = log_tail(log_path, 3, separator=" / ")
        record = failure_record(target, Verdict.ERROR, f"the worker exited with {process.returncode}: {tail}", started, elapsed, log_path)
    return record if record.log_path else replace(record, log_path=str(log_path))
