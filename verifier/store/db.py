"""The history store: every run and every result, never lost.

- A database URL: `sqlite:///PATH` (the embedded default; WAL, synchronous FULL) or
  `postgresql://...` (same schema: both are made by the versioned Alembic migrations).
- Each result is committed on its own as soon as it is known: a crash or SIGKILL loses at most
  the targets that were still running, and those are retried by the next run.
- A run that was still `running` when a new one starts (its process died) is marked `interrupted`;
  its plan is kept (`plan`), so the next `nightly` of the same configuration finishes it.
- One result per (run, package, version): a target delivered twice (at-least-once brokers) is
  recorded once; the second `record` is a no-op that returns False.
- A result can carry its JSON report and diffoscope page (gzip) and the identity of the machine
  that made it, so any machine can write the outputs from the store alone.
"""

from __future__ import annotations

import socket
from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from alembic import command
from alembic.config import Config
from sqlalchemy import create_engine, event, select, text
from sqlalchemy.engine import Engine, make_url
from sqlalchemy.exc import ArgumentError, IntegrityError, OperationalError, SQLAlchemyError
from sqlalchemy.orm import Session, sessionmaker

from verifier import __version__
from verifier.errors import ConfigError, CouldNotVerify
from verifier.report.model.nightly import NightlyRecord
from verifier.report.model.serialize import to_data
from verifier.store.models import Result, Run

MIGRATIONS = Path(__file__).parent / "migrations"
REPRODUCIBLE = ("identical", "equivalent")
FINAL = ("identical", "equivalent", "different")
UNFINISHED = ("running", "interrupted")
_MIGRATION_LOCK = 0x766572696669  # "verif": the advisory lock held while migrating PostgreSQL


def _utc(moment: datetime | None) -> datetime | None:
    if moment is None:
        return None
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def _iso(moment: datetime | None) -> str | None:
    moment = _utc(moment)
    return moment.isoformat() if moment else None


class Store:
    def __init__(self, url: str) -> None:
        try:
            parsed = make_url(url)
        except ArgumentError as exc:
            raise ConfigError(f"not a database URL: {url!r} (e.g. sqlite:///history.sqlite, postgresql://host/db)") from exc
        self.url = url
        if parsed.get_backend_name() == "sqlite" and parsed.database not in (None, "", ":memory:"):
            Path(parsed.database).expanduser().parent.mkdir(parents=True, exist_ok=True)
        try:
            self.engine: Engine = create_engine(url, future=True)
        except (ArgumentError, ImportError, SQLAlchemyError) as exc:
            raise ConfigError(f"cannot use database {parsed.render_as_string(hide_password=True)}: {exc}") from exc
        if parsed.get_backend_name() == "sqlite":
            event.listen(self.engine, "connect", _sqlite_pragmas)
        self._sessions = sessionmaker(self.engine, expire_on_commit=False)
        self._migrate()

    def _migrate(self) -> None:
        config = Config()
        config.set_main_option("script_location", str(MIGRATIONS))
        try:
            with self.engine.begin() as connection:
                if connection.dialect.name == "postgresql":  # machines starting at once migrate one at a time
                    connection.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": _MIGRATION_LOCK})
                config.attributes["connection"] = connection
                command.upgrade(config, "head")
        except (OperationalError, SQLAlchemyError) as exc:
            raise CouldNotVerify(f"cannot open the history database: {str(exc).splitlines()[0]}") from exc

    @contextmanager
    def session(self) -> Iterator[Session]:
        with self._sessions() as session:
            try:
                yield session
                session.commit()
            except BaseException:
                session.rollback()
                raise

    # -- runs -----------------------------------------------------------------------------
    def start_run(
        self,
        config_path: str,
        config_sha256: str,
        targets: int,
        *,
        plan: dict[str, Any] | None = None,
        mode: str = "local",
        environment: dict[str, Any] | None = None,
    ) -> int:
        with self.session() as session:
            for stale in session.scalars(select(Run).where(Run.status == "running")):
                stale.status = "interrupted"
            run = Run(
                plan=plan,
                mode=mode,
                environment=environment,
                started_at=datetime.now(UTC),
                status="running",
                config_path=config_path,
                config_sha256=config_sha256,
                tool_version=__version__,
                host=socket.gethostname()[:255],
                targets=targets,
            )
            session.add(run)
            session.flush()
            return run.id

    def finish_run(self, run_id: int, status: str = "finished") -> None:
        with self.session() as session:
            run = session.get(Run, run_id)
            if run is not None:
                run.status = status
                run.finished_at = datetime.now(UTC)

    def resumable_run(self, config_sha256: str) -> dict[str, Any] | None:
        """The newest unfinished run of this configuration with a stored plan, or None."""
        with self.session() as session:
            run = session.scalars(
                select(Run).where(Run.config_sha256 == config_sha256, Run.status.in_(UNFINISHED), Run.plan.is_not(None))
                .order_by(Run.id.desc()).limit(1)
            ).first()
            if run is None:
                return None
            return {"id": run.id, "plan": run.plan, "mode": run.mode, "environment": run.environment, "status": run.status}

    def reopen_run(self, run_id: int) -> None:
        """Resume: this run is `running` again (any other running run is interrupted)."""
        with self.session() as session:
            for stale in session.scalars(select(Run).where(Run.status == "running", Run.id != run_id)):
                stale.status = "interrupted"
            run = session.get(Run, run_id)
            if run is not None:
                run.status, run.finished_at = "running", None

    def run_plan(self, run_id: int) -> dict[str, Any]:
        with self.session() as session:
            run = session.get(Run, run_id)
            return dict(run.plan or {}) if run is not None else {}

    def run_environment(self, run_id: int) -> dict[str, Any] | None:
        with self.session() as session:
            run = session.get(Run, run_id)
            return None if run is None else {"tool_version": run.tool_version, **(run.environment or {})}

    def latest_run_id(self) -> int | None:
        with self.session() as session:
            return session.scalars(select(Run.id).order_by(Run.id.desc()).limit(1)).first()

    def run_info(self, run_id: int) -> dict[str, Any]:
        with self.session() as session:
            run = session.get(Run, run_id)
            assert run is not None
            return {"id": run.id, "started_at": _iso(run.started_at), "finished_at": _iso(run.finished_at), "config": run.config_path, "status": run.status}

    # -- results --------------------------------------------------------------------------
    def record(self, run_id: int, result: NightlyRecord | Mapping[str, Any]) -> bool:
        """Store one result, committed at once; False (nothing stored) when the run has one already."""
        data = to_data(result) if isinstance(result, NightlyRecord) else result
        fields = {column: data.get(column) for column in (*_RESULT_FIELDS, *_BLOBS)}
        for key in ("started_at", "finished_at"):
            value = fields[key]
            fields[key] = datetime.fromisoformat(value) if isinstance(value, str) else value or datetime.now(UTC)
        try:
            with self.session() as session:
                session.add(Result(run_id=run_id, **fields))
        except IntegrityError:
            return False
        return True

    def recorded(self, run_id: int) -> set[tuple[str, str]]:
        """(package, version) of every target of the run that has its result."""
        with self.session() as session:
            return {(p, v) for p, v in session.execute(select(Result.package, Result.version).where(Result.run_id == run_id))}

    def files(self, run_ids: Iterable[int] | None = None) -> Iterator[tuple[int, str, str, bytes | None, bytes | None]]:
        """(run, package, version, report gzip, diffoscope gzip) of the results that carry them
        (of these runs only, when given)."""
        query = select(Result.run_id, Result.package, Result.version, Result.report_gz, Result.diffoscope_gz).where(
            (Result.report_gz.is_not(None)) | (Result.diffoscope_gz.is_not(None))
        )
        if run_ids is not None:
            query = query.where(Result.run_id.in_(sorted(set(run_ids))))
        with self.session() as session:
            yield from session.execute(query.execution_options(yield_per=20))

    def verdicts(self, package: str) -> dict[str, list[str]]:
        """version -> its verdicts, oldest first."""
        found: dict[str, list[str]] = {}
        with self.session() as session:
            for version, verdict in session.execute(
                select(Result.version, Result.verdict).where(Result.package == package).order_by(Result.id)
            ):
                found.setdefault(version, []).append(verdict)
        return found

    def artifact_verdicts(self, package: str) -> list[tuple[str, str, list[dict[str, Any]]]]:
        """(version, verdict, its artifacts as stored: [] before wheels were verified) of every result
        of the package, oldest first."""
        with self.session() as session:
            query = select(Result.version, Result.verdict, Result.artifacts).where(Result.package == package).order_by(Result.id)
            return [(version, verdict, list(artifacts or ())) for version, verdict, artifacts in session.execute(query)]

    def history(self) -> list[dict[str, Any]]:
        """Every result, newest first."""
        with self.session() as session:
            return [_result_dict(result) for result in session.scalars(select(Result).order_by(Result.id.desc()))]

    def results_of_run(self, run_id: int) -> list[dict[str, Any]]:
        with self.session() as session:
            return [_result_dict(r) for r in session.scalars(select(Result).where(Result.run_id == run_id).order_by(Result.id))]


_RESULT_FIELDS = (
    "package", "version", "verdict", "regressed", "tag", "commit", "published_url", "published_sha256",
    "upload_time", "rebuilt_sha256", "builder", "builder_image", "base_image", "build_requirements",
    "normalizations", "differences", "explanations", "timings", "error", "started_at", "finished_at",
    "duration_s", "report_path", "log_path", "diffoscope_html", "command", "host", "environment", "artifacts",
)
_BLOBS = ("report_gz", "diffoscope_gz")


def _result_dict(result: Result) -> dict[str, Any]:
    out = {column: getattr(result, column) for column in _RESULT_FIELDS}
    out["started_at"] = _iso(result.started_at)
    out["finished_at"] = _iso(result.finished_at)
    out["run_id"] = result.run_id
    out["regressed"] = bool(result.regressed)
    out["artifacts"] = result.artifacts or []  # null: stored before wheels were verified
    return out


def _sqlite_pragmas(connection: Any, _record: Any) -> None:
    cursor = connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=FULL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA busy_timeout=10000")
    cursor.close()
