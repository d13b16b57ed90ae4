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


def test_a_wheel_that_regressed_fails_the_run_from_the_store(tmp_path: Path) -> None:
    """Two nights from a real store: the sdist stays equivalent, the wheel goes from identical to
    different; the second night's outputs say which file regressed, the exit code is 1."""
    import xml.etree.ElementTree as ET

    from verifier.nightly.regression import mark_regressions

    def night(wheel: str) -> int:
        record = _record("demo", "1.0", "different" if wheel == "different" else "equivalent", str(tmp_path / "none.json"))
        record["artifacts"] = [
            {"filename": "demo-1.0.tar.gz", "kind": "sdist", "verdict": "equivalent", "sha256": "a" * 64},
            {"filename": "demo-1.0-py3-none-any.whl", "kind": "wheel", "verdict": wheel, "sha256": "c" * 64,
             "differences": [{"path": "demo/core.py", "kind": "content", "message": "differs"}] if wheel == "different" else []},
        ]
        run = store.start_run("verifier.toml", "00" * 32, 1)
        mark_regressions(store, record)
        store.record(run, record)
        store.finish_run(run)
        return run

    store = Store(f"sqlite:///{tmp_path / 'history.sqlite'}")
    assert publish(store, night("identical"), tmp_path / "first")[1] == 0
    _files, code = publish(store, night("different"), tmp_path / "site")
    assert code == 1
    summary = json.loads((tmp_path / "site" / "summary.json").read_text())
    assert summary["regressed"] == 1
    assert [(a["filename"], a["verdict"], a["regressed"]) for a in summary["results"][0]["artifacts"]] == [
        ("demo-1.0.tar.gz", "equivalent", False), ("demo-1.0-py3-none-any.whl", "different", True)]
    cases = ET.fromstring((tmp_path / "site" / "junit.xml").read_bytes()).iter("testcase")
    failures = {c.get("name"): c.find("failure") for c in cases}
    assert failures["1.0 demo-1.0.tar.gz"] is None
    wheel = failures["1.0 demo-1.0-py3-none-any.whl"]
    assert wheel is not None and wheel.get("type") == "regressed" and "demo/core.py" in (wheel.get("message") or "")
