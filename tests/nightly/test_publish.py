"""The outputs of a run from the store alone: the run's plan, its results and their stored files,
on a machine that has none of the workers' files."""

import gzip
import json
from pathlib import Path

from verifier.nightly.publish import publish
from verifier.nightly.stored_files import attach
from verifier.store.db import Store


def _record(package: str, version: str, verdict: str, report_path: str) -> dict:
    return {
        "package": package, "version": version, "verdict": verdict, "report_path": report_path,
        "started_at": "2026-11-25T10:00:00+00:00", "finished_at": "2026-11-25T10:01:00+00:00", "duration_s": 60.0,
    }


def test_outputs_from_the_store_alone(tmp_path: Path) -> None:
    store = Store(f"sqlite:///{tmp_path / 'history.sqlite'}")
    plan = {"targets": [], "skipped": [{"package": "b", "version": "1", "why": "already verified: identical"}], "problems": []}
    run = store.start_run("verifier.toml", "00" * 32, 2, plan=plan)
    worker_file = tmp_path / "worker" / "report.json"
    worker_file.parent.mkdir()
    worker_file.write_text(json.dumps({"verdict": "different", "builder": {"base": {"rootfs_sha256": "ab" * 32}}}))
    stored = attach(_record("a", "1", "different", str(worker_file)))
    assert stored["environment"]["base_rootfs_sha256"] == "ab" * 32 and stored["host"]
    assert json.loads(gzip.decompress(stored["report_gz"]))["verdict"] == "different"
    store.record(run, stored)
    store.record(run, _record("a", "2", "identical", str(tmp_path / "gone.json")))
    store.finish_run(run)
    worker_file.unlink()  # another machine: the worker's files are not here

    _files, code = publish(store, run, tmp_path / "site")
    assert code == 1
    summary = json.loads((tmp_path / "site" / "summary.json").read_text())
    assert summary["total"] == 2 and summary["run"]["skipped"][0]["package"] == "b"
    (copied,) = (tmp_path / "site" / "packages").rglob("report.json")
    assert json.loads(copied.read_text())["verdict"] == "different"
