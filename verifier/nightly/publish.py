"""After a run: the outputs in --out DIR (dashboard, summary.json, junit.xml, summary.md), from the
store alone: the run's plan, its results and their stored files."""

from __future__ import annotations

import tempfile
from pathlib import Path

from verifier.nightly.outputs.model import History
from verifier.nightly.outputs.summary import exit_code
from verifier.nightly.outputs.write import write_all
from verifier.nightly.stored_files import unpack
from verifier.store.db import Store


def publish(store: Store, run_id: int, out_dir: Path) -> tuple[dict[str, Path], int]:
    """Write the outputs of every target of the run (resumed or not); returns them and the run's
    exit code (the one summary.json states)."""
    run = store.run_info(run_id)
    plan = store.run_plan(run_id)
    run["skipped"] = plan.get("skipped") or []
    run["problems"] = plan.get("problems") or []
    results, history = store.results_of_run(run_id), store.history()
    with tempfile.TemporaryDirectory(prefix="verifier-publish-") as scratch:
        unpack(store, Path(scratch), [*results, *history])
        loaded = History.from_dicts(run=run, results=results, history=history)
        files = write_all(loaded, out_dir)
    return files, exit_code(loaded.results, len(loaded.run.problems))
