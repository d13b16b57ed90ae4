"""`verifier nightly`: plan (or resume the interrupted run), run, store, publish.

Resuming: a run that did not finish (the scheduler, a worker, the broker or the machine died) keeps
its plan in the store. The next `nightly` of the same configuration finishes that run instead of
starting another: it runs only the targets that have no result yet, then writes the outputs of the
whole run (the targets verified before the crash included), and its exit code covers them all.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from verifier.config import load_settings
from verifier.nightly import config as nightly_config
from verifier.nightly.scheduler import Scheduler, remove_leftover_containers
from verifier.nightly.targets import Plan, Target, plan
from verifier.store.db import Store


@dataclass
class NightlyOutcome:
    run_id: int
    exit_code: int
    records: list[dict[str, Any]]
    skipped: list[dict[str, Any]]
    problems: list[dict[str, Any]]
    outputs: dict[str, Path]
    seconds: float
    resumed: bool = False
    waiting: int = 0  # targets still queued (`--no-wait`)


@dataclass(frozen=True)
class StartedRun:
    run_id: int
    plan: Plan
    todo: list[Target]  # the plan's targets with no result yet
    resumed: bool


def start_or_resume(
    store: Store,
    config: nightly_config.NightlyConfig,
    make_plan: Callable[[], Plan],
    progress: Callable[[str], None],
    *,
    mode: str = "local",
    environment: dict[str, Any] | None = None,
) -> StartedRun:
    """The unfinished run of this configuration, reopened; else a new run with a new plan."""
    unfinished = store.resumable_run(config.sha256)
    if unfinished is not None:
        stored = unfinished["plan"]
        the_plan = Plan(
            targets=[Target.from_dict(t) for t in stored.get("targets") or []],
            skipped=list(stored.get("skipped") or []),
            problems=list(stored.get("problems") or []),
        )
        done = store.recorded(unfinished["id"])
        todo = [t for t in the_plan.targets if (t.package, t.version) not in done]
        store.reopen_run(unfinished["id"])
        progress(f"resuming run {unfinished['id']} ({unfinished['status']}): {len(todo)} of {len(the_plan.targets)} target(s) left")
        return StartedRun(unfinished["id"], the_plan, todo, resumed=True)
    the_plan = make_plan()
    progress(f"{len(the_plan.targets)} release(s) to verify, {len(the_plan.skipped)} already done")
    stored_plan = {"targets": [t.as_dict() for t in the_plan.targets], "skipped": the_plan.skipped, "problems": the_plan.problems}
    run_id = store.start_run(str(config.path), config.sha256, len(the_plan.targets), plan=stored_plan, mode=mode, environment=environment)
    return StartedRun(run_id, the_plan, list(the_plan.targets), resumed=False)


def run_nightly(
    config_path: Path,
    *,
    db_url: str | None,
    jobs: int | None,
    since: datetime | None,
    last: int | None,
    out_dir: Path,
    reports_dir: Path | None,
    progress: Callable[[str], None],
) -> NightlyOutcome:
    started = time.perf_counter()
    config = nightly_config.load(config_path)  # every mistake, with its line, before any work
    settings = load_settings()
    base = config.path.parent
    store = Store(db_url or f"sqlite:///{base / 'verifier-history.sqlite'}")
    reports = reports_dir or base / "verifier-reports"
    leftovers = remove_leftover_containers()
    if leftovers:
        progress(f"removed {leftovers} container(s) left by an interrupted run")
    run = start_or_resume(
        store, config, lambda: plan(config, store, cache_dir=settings.cache_dir, since=since, last=last, progress=progress), progress
    )
    scheduler = Scheduler(store, run.run_id, reports, jobs or os.cpu_count() or 1, progress)
    try:
        scheduler.run(run.todo)
    except BaseException:
        store.finish_run(run.run_id, "interrupted")
        raise
    store.finish_run(run.run_id)
    return finish(store, run, out_dir, started)


def finish(store: Store, run: StartedRun, out_dir: Path, started: float) -> NightlyOutcome:
    """Write the outputs of the whole run from the store; the outcome covers every target of it."""
    from verifier.nightly.publish import publish

    outputs, code = publish(store, run.run_id, out_dir)
    return NightlyOutcome(
        run_id=run.run_id,
        exit_code=code,
        records=store.results_of_run(run.run_id),
        skipped=run.plan.skipped,
        problems=run.plan.problems,
        outputs=outputs,
        seconds=round(time.perf_counter() - started, 1),
        resumed=run.resumed,
    )
