"""Regressions per file of a release: a wheel that was identical last night and is different now
regressed like an sdist (a real store on SQLite; the records are what workers hand over)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from verifier.nightly.regression import mark_regressions
from verifier.store.db import Store

SDIST = "demo-{v}.tar.gz"
PURE = "demo-{v}-py3-none-any.whl"
UNIVERSAL = "demo-{v}-py2.py3-none-any.whl"
PLATFORM = "demo-{v}-cp312-cp312-manylinux_2_17_x86_64.whl"


@pytest.fixture
def store(tmp_path: Path) -> Store:
    return Store(f"sqlite:///{tmp_path / 'history.sqlite'}")


def record(version: str, verdict: str, files: dict[str, str | None] | None = None) -> dict[str, Any]:
    """A worker's record; `files`: file name pattern -> its verdict (None: not verified)."""
    artifacts = [
        {"filename": name.format(v=version), "kind": "sdist" if name == SDIST else "wheel", "verdict": state,
         "not_verified": None if state else "platform wheel"}
        for name, state in (files or {}).items()
    ]
    return {"package": "demo", "version": version, "verdict": verdict, "duration_s": 1.0, "artifacts": artifacts,
            "started_at": "2026-11-25T10:00:00+00:00", "finished_at": "2026-11-25T10:01:00+00:00"}


def night(store: Store, *records: dict[str, Any]) -> list[dict[str, Any]]:
    """One run: each record's regressions marked against the history, then stored, as the scheduler does."""
    run = store.start_run("verifier.toml", "ab" * 32, len(records))
    for one in records:
        mark_regressions(store, one)
        store.record(run, one)
    store.finish_run(run)
    return list(records)


def flags(one: dict[str, Any]) -> dict[str, bool]:
    return {a["filename"]: a["regressed"] for a in one["artifacts"]}


def test_a_wheel_identical_last_night_and_different_now_is_a_regression(store: Store) -> None:
    night(store, record("1.0", "different", {SDIST: "different", PURE: "identical", PLATFORM: None}))
    [now] = night(store, record("1.0", "different", {SDIST: "different", PURE: "different", PLATFORM: None}))
    assert now["regressed"] is True  # the release's verdict did not change: the wheel's did
    assert flags(now) == {"demo-1.0.tar.gz": False, "demo-1.0-py3-none-any.whl": True,
                          "demo-1.0-cp312-cp312-manylinux_2_17_x86_64.whl": False}


def test_a_new_release_whose_wheel_differs_while_the_last_ones_was_identical_regressed(store: Store) -> None:
    night(store, record("1.0", "identical", {SDIST: "identical", PURE: "identical"}))
    [now] = night(store, record("1.1", "different", {SDIST: "identical", PURE: "different", UNIVERSAL: "different"}))
    assert now["regressed"] is True
    # the universal wheel is new in 1.1: nothing to regress from
    assert flags(now) == {"demo-1.1.tar.gz": False, "demo-1.1-py3-none-any.whl": True, "demo-1.1-py2.py3-none-any.whl": False}


def test_a_result_stored_before_wheels_were_verified_stands_for_its_sdist(store: Store) -> None:
    night(store, record("1.0", "identical"))  # no artifacts: the sdist alone was identical
    [now] = night(store, record("1.0", "different", {SDIST: "different", PURE: "identical"}))
    assert now["regressed"] is True and flags(now) == {"demo-1.0.tar.gz": True, "demo-1.0-py3-none-any.whl": False}


def test_a_file_different_from_the_start_is_no_regression(store: Store) -> None:
    [first] = night(store, record("1.0", "different", {SDIST: "identical", PURE: "different"}))
    assert first["regressed"] is False and not any(flags(first).values())
    [again] = night(store, record("1.0", "different", {SDIST: "identical", PURE: "different"}))
    assert again["regressed"] is False and not any(flags(again).values())
    [fixed] = night(store, record("1.0", "identical", {SDIST: "identical", PURE: "identical"}))
    assert fixed["regressed"] is False


def test_the_regressed_files_are_stored(store: Store) -> None:
    night(store, record("1.0", "equivalent", {SDIST: "equivalent", PURE: "identical"}))
    night(store, record("1.0", "different", {SDIST: "equivalent", PURE: "different"}))
    latest = store.history()[0]
    assert latest["regressed"] is True
    assert [(a["filename"], a["regressed"]) for a in latest["artifacts"]] == [
        ("demo-1.0.tar.gz", False), ("demo-1.0-py3-none-any.whl", True)]


def test_the_progress_line_names_the_files_that_regressed(store: Store) -> None:
    from verifier.nightly.regression import regressed_note

    night(store, record("1.0", "identical", {SDIST: "identical", PURE: "identical"}))
    [now] = night(store, record("1.0", "different", {SDIST: "identical", PURE: "different"}))
    assert regressed_note(now) == " (REGRESSED: demo-1.0-py3-none-any.whl)"
    assert regressed_note({"regressed": True}) == " (REGRESSED)" and regressed_note({"regressed": False}) == ""
