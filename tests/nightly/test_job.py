"""The nightly job end to end: real projects with several releases, real podman builds, a real
local index, a real SQLite store; outputs that tell the truth; no work twice; SIGKILL loses nothing."""

import json
import os
import signal
import sqlite3
import subprocess
import time
import xml.etree.ElementTree as ET
from pathlib import Path

from tests.conftest import verifier_executable
from tests.support.projects import PROJECTS, Project, add_release, make_repo, set_upload_time, tamper


def _releases(publisher, index_dir: Path, tmp_path: Path) -> dict[str, Path]:
    """flit-demo 2.0.0 and 2.1.0 (2.1.0 tampered on the index), hatch-demo 0.3.1 and 0.4.0."""
    flit = PROJECTS["flit"]
    flit_repo = make_repo(flit, tmp_path / "flit-demo")
    publisher.publish(flit_repo, flit.tag, index_dir, flit)
    add_release(flit_repo, flit, "2.1.0", "2.1.0", {"flit_demo/extra.py": "X = 1\n"})
    newer = Project(flit.backend, flit.name, flit.module, "2.1.0", "2.1.0", flit.files, flit.requires)
    published = publisher.publish(flit_repo, "2.1.0", index_dir, newer)
    tamper(published, "flit_demo/extra.py", b"X = 2\n")
    set_upload_time(index_dir, published.name, "2026-11-11T00:00:00Z")
    hatch = PROJECTS["hatchling"]
    hatch_repo = make_repo(hatch, tmp_path / "hatch-demo")
    publisher.publish(hatch_repo, hatch.tag, index_dir, hatch)
    add_release(hatch_repo, hatch, "0.4.0", "v0.4.0", {"src/hatch_demo/more.py": "Y = 2\n"})
    publisher.publish(hatch_repo, "v0.4.0", index_dir, Project(hatch.backend, hatch.name, hatch.module, "v0.4.0", "0.4.0", hatch.files, hatch.requires))
    set_upload_time(index_dir, "hatch_demo-0.4.0.tar.gz", "2026-11-11T00:00:00Z")
    return {"flit-demo": flit_repo, "hatch-demo": hatch_repo}


def _config(path: Path, index_url: str, repos: dict[str, Path]) -> Path:
    lines = ["[defaults]", f'index-url = "{index_url}"', 'normalize = ["mtime", "owner", "gzip-header"]', "timeout = 600", ""]
    for name, repo in repos.items():
        lines += ["[[packages]]", f'name = "{name}"', f'repo = "{repo}"', ""]
    path.write_text("\n".join(lines))
    return path


def _nightly(config: Path, db: Path, out: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [verifier_executable(), "nightly", "--config", str(config), "--db", f"sqlite:///{db}", "--out", str(out), "-q", *args],
        capture_output=True, text=True, timeout=900, check=False,
    )


def test_nightly_tells_the_truth_and_does_no_work_twice(publisher, index_dir: Path, local_index, tmp_path: Path) -> None:
    repos = _releases(publisher, index_dir, tmp_path)
    config = _config(tmp_path / "verifier.toml", local_index.url, repos)
    db, out = tmp_path / "history.sqlite", tmp_path / "site"
    first = _nightly(config, db, out, "--jobs", "2")
    assert first.returncode == 1, first.stdout + first.stderr  # flit-demo 2.1.0 was tampered
    assert "4 verified" in first.stdout
    with sqlite3.connect(db) as connection:
        rows = {(p, v): verdict for p, v, verdict in connection.execute("select package, version, verdict from results")}
    assert rows[("flit-demo", "2.1.0")] == "different"
    assert {rows[("flit-demo", "2.0.0")], rows[("hatch-demo", "0.3.1")], rows[("hatch-demo", "0.4.0")]} <= {"identical", "equivalent"}

    summary = json.loads((out / "summary.json").read_text())
    assert summary["exit_code"] == 1
    suites = ET.parse(out / "junit.xml").getroot()
    cases = suites.findall(".//testcase")
    assert len(cases) == 4 and len(suites.findall(".//failure")) == 1
    failing = next(case for case in cases if case.find("failure") is not None)
    assert (failing.get("classname"), failing.get("name")) == ("flit-demo", "2.1.0 flit_demo-2.1.0.tar.gz")  # a case per file
    assert "flit_demo/extra.py" in failing.find("failure").text
    assert "flit-demo" in (out / "index.html").read_text() and (out / "summary.md").is_file()

    second = _nightly(config, db, out)
    assert second.returncode == 0, second.stdout + second.stderr
    assert "0 verified" in second.stdout and "4 already done" in second.stdout
    with sqlite3.connect(db) as connection:
        assert connection.execute("select count(*) from results").fetchone()[0] == 4
        assert connection.execute("select count(*) from runs where status = 'finished'").fetchone()[0] == 2


def test_sigkill_mid_run_loses_nothing(publisher, index_dir: Path, local_index, tmp_path: Path) -> None:
    repos = _releases(publisher, index_dir, tmp_path)
    config = _config(tmp_path / "verifier.toml", local_index.url, repos)
    db, out = tmp_path / "history.sqlite", tmp_path / "site"
    process = subprocess.Popen(
        [verifier_executable(), "nightly", "--config", str(config), "--db", f"sqlite:///{db}", "--out", str(out), "--jobs", "1", "-q"],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True,
    )
    deadline = time.monotonic() + 600
    stored = 0
    while time.monotonic() < deadline and stored == 0:
        time.sleep(0.5)
        if db.exists():
            try:
                with sqlite3.connect(db, timeout=5) as connection:
                    stored = connection.execute("select count(*) from results").fetchone()[0]
            except sqlite3.OperationalError:
                stored = 0
        assert process.poll() is None, "the job ended before it could be killed"
    os.kill(process.pid, signal.SIGKILL)  # the scheduler only: its workers must die with it
    process.wait()
    with sqlite3.connect(db) as connection:
        assert connection.execute("pragma integrity_check").fetchone()[0] == "ok"
        finished_before = {(p, v) for p, v in connection.execute("select package, version from results")}
    assert 1 <= len(finished_before) < 4

    again = _nightly(config, db, out)  # resumes the interrupted run: finishes it, publishes all of it
    assert again.returncode == 1, again.stdout + again.stderr  # flit-demo 2.1.0 differs, found before or after the crash
    assert "resuming run 1" in again.stderr or "resuming run 1" in again.stdout or "4 verified" in again.stdout
    with sqlite3.connect(db) as connection:
        results = list(connection.execute("select run_id, package, version from results"))
        statuses = [status for (status,) in connection.execute("select status from runs order by id")]
    assert len(results) == 4 and len(set(results)) == 4 and {r[0] for r in results} == {1}  # nothing redone, nothing lost
    assert statuses == ["finished"]
    summary = json.loads((out / "summary.json").read_text())
    assert summary["total"] == 4 and summary["exit_code"] == 1 and summary["counts"]["different"] == 1
    assert len(ET.parse(out / "junit.xml").getroot().findall(".//testcase")) == 4
