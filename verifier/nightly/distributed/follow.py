"""Wait for a run's results: the store is the one truth (not the broker), so following survives a
broker restart and a scheduler restarted later sees the same progress."""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence

from sqlalchemy.exc import SQLAlchemyError

from verifier.nightly.regression import regressed_note
from verifier.nightly.targets import Target
from verifier.store.db import Store

POLL_S = 2.0
QUIET_NOTE_S = 300.0  # say how many are left when nothing arrived for this long


def follow(store: Store, run_id: int, targets: Sequence[Target], progress: Callable[[str], None], poll_s: float = POLL_S) -> None:
    """Return when every target of the run has its result; report each as it arrives."""
    wanted = {(t.package, t.version) for t in targets}
    seen: set[tuple[str, str]] = set()
    last_news = time.monotonic()
    while True:
        try:
            done = store.recorded(run_id) & wanted
            by_key = {(r["package"], r["version"]): r for r in store.results_of_run(run_id)} if done - seen else {}
        except SQLAlchemyError as exc:  # the database restarting: wait for it, the workers do too
            progress(f"the history database does not answer ({str(exc).splitlines()[0][:120]}); trying again")
            time.sleep(poll_s * 5)
            continue
        if done - seen:
            for key in sorted(done - seen):
                record = by_key[key]
                progress(f"{key[0]}=={key[1]}: {record['verdict']}{regressed_note(record)} on {record.get('host') or '?'} ({len(done)}/{len(wanted)})")
            seen, last_news = set(done), time.monotonic()
        if done >= wanted:
            return
        if time.monotonic() - last_news > QUIET_NOTE_S:
            progress(f"run {run_id}: waiting for {len(wanted - done)} result(s); is a worker consuming the queues?")
            last_news = time.monotonic()
        time.sleep(poll_s)
