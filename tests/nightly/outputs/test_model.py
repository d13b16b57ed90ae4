from __future__ import annotations

from pathlib import Path

import pytest

from tests.nightly.outputs.sample import CURRENT_RUN, result, sample_dicts
from verifier.nightly.outputs import VERDICTS, History


def test_from_dicts_validates_and_keeps_the_contract(tmp_path: Path) -> None:
    run, results, stored = sample_dicts(tmp_path)
    history = History.from_dicts(run, results, stored)
    assert history.run.id == CURRENT_RUN and history.run.config == "verifier.toml"
    assert {r.run_id for r in history.results} == {CURRENT_RUN}
    first = history.results[0]
    assert first.command == "verifier verify --tag 2.32.4 --package requests --json report.json"  # list joined
    assert [n.name for n in first.normalizations] == ["mtime", "owner", "gzip-header"]
    assert first.normalizations[1].candidate == 0 and first.regressed
    # The plain-data form survives a round trip.
    assert History.from_dicts(run, [r.to_dict() for r in history.results], stored).results == history.results
    with pytest.raises(ValueError, match="unknown verdict 'maybe'"):
        History.from_dicts(run, [{**results[0], "verdict": "maybe"}])
    with pytest.raises(ValueError, match="no package"):
        History.from_dicts(run, [{**results[0], "package": ""}])
    with pytest.raises(ValueError, match="run"):
        History.from_dicts({"started_at": "x"}, [])
    with pytest.raises(ValueError, match="duration_s"):
        History.from_dicts(run, [{**results[0], "duration_s": "slow"}])


def test_timeline_merges_this_run_once_newest_first(tmp_path: Path) -> None:
    run, results, stored = sample_dicts(tmp_path)
    with_current = History.from_dicts(run, results, stored)  # the store already holds this run
    without = History.from_dicts(run, results, [r for r in stored if r["run_id"] != CURRENT_RUN])
    assert with_current.timeline() == without.timeline()
    timeline = with_current.timeline()
    assert len(timeline) == len(stored)
    runs = [r.run_id for r in timeline]
    assert runs == sorted(runs, reverse=True)
    # Spellings of one project are one package (PEP 503).
    flask = with_current.by_package()["flask-login"]
    assert {r.package for r in flask} == {"Flask-Login", "Flask_Login", "flask.login"}


def test_previous_is_the_latest_earlier_result_of_the_package(tmp_path: Path) -> None:
    history = History.from_dicts(*sample_dicts(tmp_path))
    regression = next(r for r in history.results if r.regressed)
    previous = history.previous(regression)
    assert previous is not None and (previous.version, previous.verdict, previous.run_id) == ("2.32.3", "equivalent", 29)
    first_ever = min(history.by_package()["attrs"], key=lambda r: r.run_id)
    assert history.previous(first_ever) is None


def test_every_verdict_is_accepted(tmp_path: Path) -> None:
    run = {"id": 1, "started_at": "2024-01-01T00:00:00Z", "finished_at": None, "config": "c.toml"}
    results = [result(tmp_path, 1, f"p{i}", "1.0", verdict) for i, verdict in enumerate(VERDICTS)]
    history = History.from_dicts(run, results)
    assert [r.verdict for r in history.results] == list(VERDICTS)
    assert history.history == () and len(history.timeline()) == len(VERDICTS)
