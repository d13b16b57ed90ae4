from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.nightly.outputs.conftest import Written
from tests.nightly.outputs.sample import result
from verifier.nightly.outputs import History, write_all


def test_summary_json_counts_records_and_exit_code(written: Written) -> None:
    data = json.loads((written.site / "summary.json").read_text(encoding="utf-8"))
    assert data["schema"] == "verifier/nightly-summary/v1"
    run = data["run"]
    assert {k: run[k] for k in ("id", "started_at", "finished_at", "config", "status")} == {
        "id": 40, "started_at": "2024-04-09T02:00:00Z", "finished_at": "2024-04-09T02:47:00Z", "config": "verifier.toml", "status": "finished"
    }
    assert run["skipped"][1] == {"package": "zope.interface", "version": "6.2", "why": "could not be verified 3 times; gave up"}
    assert [p["package"] for p in run["problems"]] == ["no-such-package", "<b>evil</b>"]
    assert data["counts"] == {"identical": 2, "equivalent": 2, "different": 2, "could-not-verify": 1, "error": 1, "timeout": 1}
    assert (data["total"], data["reproducible"], data["unverified"], data["regressed"]) == (9, 4, 3, 1)
    assert data["exit_code"] == 1 and data["exit_reason"] == "1 regressed, 2 different"
    assert data["regressions"] == [
        {
            "package": "requests",
            "version": "2.32.4",
            "verdict": "different",
            "previous": {"version": "2.32.3", "verdict": "equivalent", "run_id": 29},
            "version_page": "packages/requests/2.32.4.html",
        }
    ]
    assert len(data["results"]) == 9
    first = data["results"][0]
    assert first["package"] == "requests" and first["regressed"] and first["run_id"] == 40
    assert first["normalizations"]["owner"] == {"reference": 212, "candidate": 0, "pairs": 212, "summary": "uid, gid, user and group names", "scope": "members"}
    assert first["links"]["report"] == "packages/requests/2.32.4/run-40/report.json"
    for record in data["results"]:
        for link in record["links"].values():
            assert link is None or (written.site / link).is_file()
    hostile = next(r for r in data["results"] if r["version"] == "../../x")
    assert hostile["differences"][1]["path"] == "pkg/\\xff\\xfe.py"  # not-UTF-8 bytes, readable
    assert len(data["packages"]) == len(written.history.by_package())


RUN = {"id": 7, "started_at": "2024-01-07T00:00:00Z", "finished_at": "2024-01-07T00:30:00Z", "config": "c.toml"}


@pytest.mark.parametrize(
    ("verdicts", "code"),
    [
        ([], 0),
        (["identical", "equivalent"], 0),
        (["identical", "could-not-verify"], 3),
        (["error"], 3),
        (["timeout", "equivalent"], 3),
        (["different", "could-not-verify"], 1),
        (["different"], 1),
        (["timeout!regressed"], 1),
        (["could-not-verify!regressed", "identical"], 1),
    ],
)
def test_exit_code(tmp_path: Path, verdicts: list[str], code: int) -> None:
    results = []
    for i, spec in enumerate(verdicts):
        verdict, _, flag = spec.partition("!")
        results.append(result(tmp_path, 7, f"pkg{i}", "1.0", verdict, regressed=flag == "regressed"))
    files = write_all(History.from_dicts(RUN, results), tmp_path / "site")
    data = json.loads(files["summary.json"].read_text())
    assert data["exit_code"] == code
    assert data["total"] == len(verdicts)


def test_a_package_that_could_not_be_checked_makes_the_run_exit_3(tmp_path: Path) -> None:
    from verifier.nightly.outputs.summary import exit_code as code_of

    run = {**RUN, "problems": [{"package": "gone", "error": "no project gone on the index"}]}
    results = [result(tmp_path, 7, "pkg", "1.0", "identical")]
    files = write_all(History.from_dicts(run, results), tmp_path / "site")
    data = json.loads(files["summary.json"].read_text())
    assert data["exit_code"] == 3 and "could not be checked" in data["exit_reason"]
    history = History.from_dicts(run, results)
    assert code_of(history.results, len(history.run.problems)) == 3
