"""After a run: the outputs in --out DIR (dashboard, summary.json, junit.xml, summary.md)."""

from __future__ import annotations

from pathlib import Path
from verifier.nightly.outputs.model import History
from verifier.nightly.outputs.summary import exit_code
from verifier.nightly.outputs.write import write_all
from verifier.nightly.targets import Plan
from verifier.store.db import Store


def publish(store: Store, run_id: int, the_plan: Plan, out_dir: Path) -> tuple[dict[str, Path], int]:
    """Write the outputs; returns them and the run's exit code (the one summary.json states)."""
    run = store.run_info(run_id)
    run["skipped"] = the_plan.skipped
    run["problems"] = the_plan.problems
    history = History.from_dicts(run=run, results=store.results_of_run(run_id), history=store.history())
    return write_all(history, out_dir), exit_code(history.results, len(history.run.problems))
