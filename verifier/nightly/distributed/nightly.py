"""`verifier nightly --broker URL`: plan (or resume), enqueue, follow, publish from the store; and
`verifier nightly --report [RUN]`: the outputs of a run from the store alone."""

from __future__ import annotations

import time
from collections.abc import Callable
from datetime import datetime
from pathlib import Path

from verifier.config import load_settings
from verifier.errors import UsageError
from verifier.nightly import config as nightly_config
from verifier.nightly import identity
from verifier.nightly.distributed.app import make_app
from verifier.nightly.distributed.broker import check_reachable, parse, redis_durability
from verifier.nightly.distributed.dispatch import enqueue, long_targets
from verifier.nightly.distributed.follow import follow
from verifier.nightly.job import NightlyOutcome, StartedRun, finish, start_or_resume
from verifier.nightly.targets import Plan, plan
from verifier.store.db import Store


def run_distributed(
    config_path: Path,
    *,
    db_url: str,
    broker_url: str,
    wait: bool,
    since: datetime | None,
    last: int | None,
    out_dir: Path,
    progress: Callable[[str], None],
) -> NightlyOutcome:
    started = time.perf_counter()
    config = nightly_config.load(config_path)
    broker = parse(broker_url)
    check_reachable(broker)  # before anything is stored
    store = Store(db_url)
    warning = redis_durability(broker)
    if warning:
        progress(f"warning: {warning}")
    settings = load_settings()
    bases = identity.local_bases(settings.cache_dir)

    def make_plan() -> Plan:
        return plan(config, store, cache_dir=settings.cache_dir, since=since, last=last, progress=progress)

    run = start_or_resume(store, config, make_plan, progress, mode="celery", environment={"bases": bases})
    expected = (store.run_environment(run.run_id) or {}).get("bases") or {}
    for target_id in long_targets(broker, run.todo):
        progress(f"warning: {target_id} may run longer than Redis' visibility timeout: it would be built twice (its result is kept once)")
    if run.todo:
        enqueue(make_app(broker), run.run_id, run.todo, expected, progress)
    if not wait:
        return _queued(store, run, started)
    follow(store, run.run_id, run.plan.targets, progress)
    store.finish_run(run.run_id)
    return finish(store, run, out_dir, started)


def _queued(store: Store, run: StartedRun, started: float) -> NightlyOutcome:
    records = store.results_of_run(run.run_id)
    return NightlyOutcome(
        run_id=run.run_id, exit_code=0, records=records, skipped=run.plan.skipped, problems=run.plan.problems,
        outputs={}, seconds=round(time.perf_counter() - started, 1), resumed=run.resumed,
        waiting=len(run.plan.targets) - len(records),
    )


def report_only(db_url: str, run: str, out_dir: Path) -> NightlyOutcome:
    """The outputs of run `run` ("latest" or a number) from the store alone."""
    started = time.perf_counter()
    if db_url.startswith("sqlite:///") and not Path(db_url.removeprefix("sqlite:///")).expanduser().is_file():
        raise UsageError(f"no history at {db_url.removeprefix('sqlite:///')}")
    store = Store(db_url)
    run_id = store.latest_run_id() if run == "latest" else _number(run)
    if run_id is None:
        raise UsageError("the history has no run yet")
    if store.run_environment(run_id) is None:
        raise UsageError(f"the history has no run {run_id}")
    stored = store.run_plan(run_id)
    the_plan = Plan(targets=[], skipped=list(stored.get("skipped") or []), problems=list(stored.get("problems") or []))
    return finish(store, StartedRun(run_id, the_plan, [], resumed=False), out_dir, started)


def _number(text: str) -> int:
    try:
        return int(text)
    except ValueError:
        raise UsageError(f"--report takes a run number: {text!r}") from None
