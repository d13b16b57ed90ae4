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


def test_one_result_per_run_and_target(url: str) -> None:
    store = Store(url)
    run = store.start_run("verifier.toml", "00" * 32, 1)
    assert store.record(run, {**record("a", "1", "identical"), "report_gz": b"\x1f\x8b...", "host": "m1", "environment": {"base_rootfs_sha256": "ab"}})
    assert not store.record(run, record("a", "1", "different"))  # delivered twice: the first result stays
    other = store.start_run("verifier.toml", "00" * 32, 1)
    assert store.record(other, record("a", "1", "identical"))  # another run may verify it again
    assert store.verdicts("a") == {"1": ["identical", "identical"]}
    assert store.recorded(run) == {("a", "1")}
    (stored,) = store.results_of_run(run)
    assert stored["host"] == "m1" and stored["environment"] == {"base_rootfs_sha256": "ab"} and "report_gz" not in stored
    assert [(r, p, v, blob) for r, p, v, blob, _ in store.files()] == [(run, "a", "1", b"\x1f\x8b...")]


def test_an_unfinished_run_is_resumable_with_its_plan(url: str) -> None:
    store = Store(url)
    plan = {"targets": [{"package": "a", "version": "1"}], "skipped": [], "problems": []}
    first = store.start_run("verifier.toml", "11" * 32, 1, plan=plan, mode="celery", environment={"bases": {"bookworm": "ab"}})
    assert store.resumable_run("22" * 32) is None
    found = store.resumable_run("11" * 32)
    assert found is not None and found["id"] == first and found["plan"] == plan and found["mode"] == "celery"
    store.finish_run(first, "interrupted")
    store.reopen_run(first)
    assert store.run_info(first)["status"] == "running"
    store.finish_run(first)
    assert store.resumable_run("11" * 32) is None
    assert store.run_environment(first) == {"tool_version": store.run_environment(first)["tool_version"], "bases": {"bookworm": "ab"}}


def test_a_history_made_by_migration_0001_is_upgraded(url: str) -> None:
    from alembic import command
    from alembic.config import Config

    from verifier.store.db import MIGRATIONS

    engine = create_engine(url)
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, "0001")
        connection.execute(text(
            "insert into runs (started_at, status, config_path, config_sha256, tool_version, host, targets) "
            "values ('2026-11-25 10:00:00', 'finished', 'c', 'x', '0.1.0', 'h', 1)"))
    engine.dispose()
    store = Store(url)
    assert {"host", "environment", "report_gz", "diffoscope_gz"} <= {c["name"] for c in inspect(store.engine).get_columns("results")}
    assert store.run_info(1)["status"] == "finished" and store.run_plan(1) == {}


ARTIFACTS = [
    {"filename": "flask-3.0.0.tar.gz", "kind": "sdist", "verdict": "equivalent", "sha256": "a" * 64, "rebuilt_sha256": "b" * 64,
     "built_from": "tag", "not_verified": None, "differences": [], "regressed": False},
    {"filename": "flask-3.0.0-py3-none-any.whl", "kind": "wheel", "verdict": "different", "sha256": "c" * 64,
     "rebuilt_sha256": "d" * 64, "built_from": "rebuilt sdist", "not_verified": None,
     "differences": [{"path": "flask/app.py", "kind": "content", "message": "differs"}], "regressed": True},
]


def test_each_file_of_a_release_is_stored_with_its_result(url: str) -> None:
    store = Store(url)
    run = store.start_run("verifier.toml", "ab" * 32, 2)
    store.record(run, {**record("flask", "3.0.0", "different"), "artifacts": ARTIFACTS})
    store.record(run, record("flask", "2.9.0", "identical"))  # sdist only: no artifacts
    sdist_only, with_wheels = store.history()  # newest first
    assert with_wheels["artifacts"] == ARTIFACTS and sdist_only["artifacts"] == []
    assert store.artifact_verdicts("flask") == [("3.0.0", "different", ARTIFACTS), ("2.9.0", "identical", [])]


def test_a_history_made_by_migration_0002_gains_the_artifacts_column(url: str) -> None:
    from alembic import command
    from alembic.config import Config

    from verifier.store.db import MIGRATIONS

    engine = create_engine(url)
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, "0002")
    engine.dispose()
    with create_engine(url).begin() as connection:  # a result as a store at 0002 wrote it
        connection.execute(text(
            "insert into runs (started_at, status, config_path, config_sha256, tool_version, host, targets, mode) "
            "values ('2026-11-25 10:00:00', 'finished', 'c', 'x', '0.1.0', 'h', 1, 'local')"))
        connection.execute(text(
            "insert into results (run_id, package, version, verdict, regressed, started_at, finished_at, duration_s) "
            "values (1, 'flask', '2.9.0', 'identical', false, '2026-11-25 10:00:00', '2026-11-25 10:01:00', 60)"))
    store = Store(url)
    assert "artifacts" in {c["name"] for c in inspect(store.engine).get_columns("results")}
    assert [(r["version"], r["artifacts"]) for r in store.history()] == [("2.9.0", [])]
    assert store.artifact_verdicts("flask") == [("2.9.0", "identical", [])]
