"""The nightly job over Celery, end to end: a real broker (RabbitMQ, then Redis), a real PostgreSQL,
two `verifier worker` processes with their own work directories, real podman builds of three tiny
releases on a real local index. A worker is killed with SIGKILL in the middle of a build, the
scheduler is killed and restarted, the broker is restarted: every target still ends with exactly
one record and the right verdict, and the outputs cover all of them.

Run them alone with `pytest -m celery`."""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import time
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text

from tests.conftest import verifier_executable
from tests.support.projects import (
    PROJECTS,
    Project,
    add_release,
    make_repo,
    set_upload_time,
    tamper,
)

pytestmark = pytest.mark.celery


def _releases(publisher, index_dir: Path, tmp_path: Path) -> dict[str, Path]:
    """flit-demo 2.0.0 and 2.1.0 (2.1.0 tampered on the index: different), hatch-demo 0.3.1."""
    flit = PROJECTS["flit"]
    flit_repo = make_repo(flit, tmp_path / "flit-demo")
    publisher.publish(flit_repo, flit.tag, index_dir, flit)
    add_release(flit_repo, flit, "2.1.0", "2.1.0", {"flit_demo/extra.py": "X = 1\n"})
    published = publisher.publish(flit_repo, "2.1.0", index_dir, Project(flit.backend, flit.name, flit.module, "2.1.0", "2.1.0", flit.files, flit.requires))
    tamper(published, "flit_demo/extra.py", b"X = 2\n")
    set_upload_time(index_dir, published.name, "2026-11-11T00:00:00Z")
    hatch = PROJECTS["hatchling"]
    hatch_repo = make_repo(hatch, tmp_path / "hatch-demo")
    publisher.publish(hatch_repo, hatch.tag, index_dir, hatch)
    return {"flit-demo": flit_repo, "hatch-demo": hatch_repo}


def _config(path: Path, index_url: str, repos: dict[str, Path]) -> Path:
    lines = ["[defaults]", f'index-url = "{index_url}"', 'normalize = ["mtime", "owner", "gzip-header"]', "timeout = 600", ""]
    for name, repo in repos.items():
        lines += ["[[packages]]", f'name = "{name}"', f'repo = "{repo}"', ""]
    path.write_text("\n".join(lines))
    return path


class Cluster:
    """Two workers and a scheduler, each its own process (logs in tmp_path)."""

    def __init__(self, tmp_path: Path, broker_url: str, db_url: str, config: Path, env: dict[str, str]) -> None:
        self.tmp, self.broker_url, self.db_url, self.config, self.env = tmp_path, broker_url, db_url, config, env
        self.workers: dict[str, subprocess.Popen] = {}
        self.scheduler: subprocess.Popen | None = None
        self.engine = create_engine(db_url)

    def _spawn(self, name: str, args: list[str]) -> subprocess.Popen:
        log = open(self.tmp / f"{name}.log", "ab")  # noqa: SIM115 - closed with the process
        return subprocess.Popen([verifier_executable(), *args], stdout=log, stderr=subprocess.STDOUT, env=self.env, start_new_session=True)

    def start_worker(self, name: str) -> None:
        self.workers[name] = self._spawn(f"worker-{name}", ["worker", "--broker", self.broker_url, "--db", self.db_url,
                                                            "--work-dir", str(self.tmp / f"work-{name}"), "--name", f"{name}@test", "-c", "1"])

    def start_scheduler(self, out: Path) -> None:
        self.scheduler = self._spawn("scheduler", ["nightly", "--config", str(self.config), "--db", self.db_url,
                                                    "--broker", self.broker_url, "--out", str(out)])

    def building(self, name: str) -> bool:
        listing = subprocess.run(["podman", "ps", "-q", "--filter", f"label=verifier.worker={name}@test"], capture_output=True, text=True, check=False)
        return bool(listing.stdout.strip())

    def results(self) -> list[tuple]:
        with self.engine.connect() as connection:
            try:
                return list(connection.execute(text("select run_id, package, version, verdict, host, report_gz is not null from results")))
            except Exception:  # noqa: BLE001 - the schema is not made yet
                return []

    def wait_for(self, what, timeout: float, why: str) -> None:
        deadline = time.monotonic() + timeout
        while not what():
            if time.monotonic() > deadline:
                raise AssertionError(f"timed out waiting: {why}\n" + self.logs())
            time.sleep(0.5)

    def logs(self) -> str:
        return "\n".join(f"--- {p.name}\n" + p.read_text(errors="replace")[-3000:] for p in sorted(self.tmp.glob("*.log")))

    def stop(self) -> None:
        self.stop_workers()
        self.engine.dispose()

    def stop_workers(self) -> None:
        for process in [*self.workers.values(), self.scheduler]:
            if process is not None and process.poll() is None:
                os.killpg(process.pid, signal.SIGTERM)
                try:
                    process.wait(timeout=60)
                except subprocess.TimeoutExpired:
                    os.killpg(process.pid, signal.SIGKILL)
        for name in self.workers:
            listing = subprocess.run(["podman", "ps", "-aq", "--filter", f"label=verifier.worker={name}@test"], capture_output=True, text=True, check=False)
            if listing.stdout.split():
                subprocess.run(["podman", "rm", "-f", *listing.stdout.split()], capture_output=True, check=False)


def _check_complete(cluster: Cluster, out: Path, tmp_path: Path) -> None:
    rows = cluster.results()
    assert len(rows) == 3, rows
    assert len({(r[1], r[2]) for r in rows}) == 3 and len({r[0] for r in rows}) == 1  # one record per target, one run
    verdicts = {(r[1], r[2]): r[3] for r in rows}
    assert verdicts[("flit-demo", "2.1.0")] == "different"
    assert {verdicts[("flit-demo", "2.0.0")], verdicts[("hatch-demo", "0.3.1")]} <= {"identical", "equivalent"}
    assert all(r[4] for r in rows) and all(r[5] for r in rows)  # the host and the report are in the store
    with cluster.engine.connect() as connection:
        assert [s for (s,) in connection.execute(text("select status from runs"))] == ["finished"]
    summary = json.loads((out / "summary.json").read_text())
    assert summary["total"] == 3 and summary["exit_code"] == 1
    cases = ET.parse(out / "junit.xml").getroot().findall(".//testcase")
    # One case per file of each release, named "VERSION FILENAME" (each demo release publishes its sdist).
    assert sorted((c.get("classname"), c.get("name").split(" ")[0]) for c in cases) == sorted(verdicts)
    # Outputs from the store alone, on a machine without the workers' files.
    cluster.stop_workers()  # a copy of a task delivered twice may still be running: it is dropped
    for work in tmp_path.glob("work-*"):
        shutil.rmtree(work)
    again = subprocess.run([verifier_executable(), "nightly", "--report", "--db", cluster.db_url, "--out", str(tmp_path / "site2")],
                           capture_output=True, text=True, env=cluster.env, timeout=300, check=False)
    assert again.returncode == 1, again.stdout + again.stderr
    reports = list((tmp_path / "site2" / "packages").rglob("report.json"))
    assert len(reports) == 3 and list((tmp_path / "site2" / "packages").rglob("diffoscope.html"))


def _env(**extra: str) -> dict[str, str]:
    return {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[3]), **extra}


def test_rabbitmq_worker_killed_scheduler_restarted_broker_restarted(publisher, index_dir, local_index, rabbitmq, postgres_url, tmp_path) -> None:
    config = _config(tmp_path / "verifier.toml", local_index.url, _releases(publisher, index_dir, tmp_path))
    cluster = Cluster(tmp_path, rabbitmq.url, postgres_url, config, _env())
    out = tmp_path / "site"
    try:
        cluster.start_worker("a")
        cluster.start_worker("b")
        cluster.start_scheduler(out)
        cluster.wait_for(lambda: cluster.building("a"), 300, "worker a building")
        os.kill(cluster.workers["a"].pid, signal.SIGKILL)  # in the middle of a build
        cluster.wait_for(lambda: len(cluster.results()) >= 1, 400, "a first result")
        assert cluster.scheduler is not None
        os.killpg(cluster.scheduler.pid, signal.SIGKILL)
        cluster.scheduler.wait()
        rabbitmq.restart()  # queued and unacknowledged deliveries survive it
        cluster.start_scheduler(out)  # resumes the run
        cluster.start_worker("a")  # same name and work directory: removes its orphan container
        assert cluster.scheduler.wait(timeout=600) == 1, cluster.logs()
        _check_complete(cluster, out, tmp_path)
    finally:
        cluster.stop()


def test_redis_worker_killed_broker_restarted(publisher, index_dir, local_index, redis_broker, postgres_url, tmp_path) -> None:
    config = _config(tmp_path / "verifier.toml", local_index.url, _releases(publisher, index_dir, tmp_path))
    # A task of a dead worker comes back after the visibility timeout: short here, 3 h by default.
    cluster = Cluster(tmp_path, redis_broker.url, postgres_url, config, _env(VERIFIER_CELERY_VISIBILITY_TIMEOUT="30"))
    out = tmp_path / "site"
    try:
        cluster.start_worker("a")
        cluster.start_worker("b")
        cluster.start_scheduler(out)
        cluster.wait_for(lambda: cluster.building("b"), 300, "worker b building")
        os.kill(cluster.workers["b"].pid, signal.SIGKILL)
        cluster.wait_for(lambda: len(cluster.results()) >= 1, 400, "a first result")
        redis_broker.restart()
        assert cluster.scheduler is not None
        assert cluster.scheduler.wait(timeout=600) == 1, cluster.logs()
        _check_complete(cluster, out, tmp_path)
    finally:
        cluster.stop()
