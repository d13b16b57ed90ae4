"""The history store on SQLite (the embedded default) and on PostgreSQL, same migrations, same answers."""

import os
import sqlite3
import uuid
from pathlib import Path

import pytest
from sqlalchemy import create_engine, inspect, text

from verifier.errors import ConfigError
from verifier.store.db import Store

POSTGRES_ADMIN = os.environ.get("VERIFIER_TEST_POSTGRES", "postgresql+psycopg:///verifier_test?host=/var/run/postgresql")


@pytest.fixture(params=["sqlite", "postgresql"])
def url(request, tmp_path: Path):
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'history.sqlite'}"
        return
    # A fresh schema-less database per test: created in the server scripts/test.sh starts.
    admin = create_engine(POSTGRES_ADMIN, isolation_level="AUTOCOMMIT")
    name = f"verifier_{uuid.uuid4().hex[:12]}"
    try:
        with admin.connect() as connection:
            connection.execute(text(f'CREATE DATABASE "{name}"'))
    except Exception as exc:  # noqa: BLE001 - say what is missing, and fail
        pytest.fail(f"PostgreSQL is not reachable at {POSTGRES_ADMIN} ({type(exc).__name__}): scripts/test.sh starts it")
    yield POSTGRES_ADMIN.replace("/verifier_test", f"/{name}")
    with admin.connect() as connection:
        connection.execute(text(f'DROP DATABASE "{name}" WITH (FORCE)'))
    admin.dispose()


def record(package: str, version: str, verdict: str) -> dict:
    return {
        "package": package, "version": version, "verdict": verdict,
        "started_at": "2026-11-25T10:00:00+00:00", "finished_at": "2026-11-25T10:01:00+00:00", "duration_s": 60.0,
        "differences": [{"path": "p/a.py", "kind": "content", "message": "differs"}],
        "normalizations": {"mtime": {"pairs": 3}}, "build_requirements": [{"name": "setuptools", "version": "80.9.0"}],
    }


def test_schema_comes_from_the_migrations_and_results_round_trip(url: str) -> None:
    store = Store(url)
    assert {"runs", "results", "alembic_version"} <= set(inspect(store.engine).get_table_names())
    run = store.start_run("verifier.toml", "ab" * 32, 2)
    store.record(run, record("flask", "3.0.0", "equivalent"))
    store.record(run, record("flask", "3.0.1", "different"))
    store.finish_run(run)
    history = store.history()
    assert [(r["version"], r["verdict"]) for r in history] == [("3.0.1", "different"), ("3.0.0", "equivalent")]
    assert history[0]["differences"][0]["path"] == "p/a.py" and history[0]["normalizations"]["mtime"]["pairs"] == 3
    assert store.verdicts("flask") == {"3.0.0": ["equivalent"], "3.0.1": ["different"]}
    assert Store(url).run_info(run)["status"] == "finished"  # opened again: migrations are idempotent


def test_a_run_left_running_is_marked_interrupted(url: str) -> None:
    store = Store(url)
    first = store.start_run("verifier.toml", "00" * 32, 3)
    store.record(first, record("a", "1", "identical"))
    second = Store(url).start_run("verifier.toml", "00" * 32, 2)
    assert store.run_info(first)["status"] == "interrupted"
    assert store.run_info(second)["status"] == "running"
    assert len(store.history()) == 1


def test_sqlite_uses_wal(tmp_path: Path) -> None:
    path = tmp_path / "h.sqlite"
    Store(f"sqlite:///{path}").start_run("c", "0" * 64, 0)
    with sqlite3.connect(path) as connection:
        assert connection.execute("pragma journal_mode").fetchone()[0] == "wal"


def test_bad_url_is_a_config_error() -> None:
    with pytest.raises(ConfigError):
        Store("not a url at all")
