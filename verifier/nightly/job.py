"""`verifier nightly`: plan, run, store, publish."""

from __future__ import annotations

import os
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from verifier.config import load_settings
from verifier.nightly import config as nightly_config
from verifier.nightly.scheduler import Scheduler, remove_leftover_containers
from verifier.nightly.targets import plan
from verifier.store.db import Store


@dataclass
class NightlyOutcome:
    run_id: int
    exit_code: int
    records: list[dict]
    skipped: list[dict]
    problems: list[dict]
    outputs: dict[str, Path]
    seconds: float


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
    the_plan = plan(config, store, cache_dir=settings.cache_dir, since=since, last=last, progress=progress)
    progress(f"{len(the_plan.targets)} release(s) to verify, {len(the_plan.skipped)} already done")
    run_id = store.start_run(str(config.path), config.sha256, len(the_plan.targets))
    scheduler = Scheduler(store, run_id, reports, jobs or os.cpu_count() or 1, progress)
    try:
        records = scheduler.run(the_plan.targets)
    except BaseException:
        store.finish_run(run_id, "interrupted")
        raise
    store.finish_run(run_id)
    from verifier.nightly.publish import publish

    outputs, code = publish(store, run_id, the_plan, out_dir)
    return NightlyOutcome(
        run_id=run_id,
        exit_code=code,
        records=records,
        skipped=the_plan.skipped,
        problems=the_plan.problems,
        outputs=outputs,
        seconds=round(time.perf_counter() - started, 1),
    )
