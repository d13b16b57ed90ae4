"""The history store's tables (SQLAlchemy 2). The schema itself is made by the Alembic migrations
in `verifier/store/migrations/`, never by `create_all`, so SQLite and PostgreSQL get the same one."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Boolean, DateTime, Float, ForeignKey, Integer, LargeBinary, String, Text, UniqueConstraint
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column


class Base(DeclarativeBase):
    pass


class Run(Base):
    __tablename__ = "runs"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    started_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    finished_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)
    status: Mapped[str] = mapped_column(String(32))  # running | finished | interrupted
    config_path: Mapped[str] = mapped_column(Text)
    config_sha256: Mapped[str] = mapped_column(String(64))
    tool_version: Mapped[str] = mapped_column(String(32))
    host: Mapped[str] = mapped_column(String(255))
    targets: Mapped[int] = mapped_column(Integer, default=0)
    plan: Mapped[Any] = mapped_column(JSON, nullable=True)  # targets, skipped, problems (migration 0002)
    mode: Mapped[str] = mapped_column(String(16), default="local")  # local | celery
    environment: Mapped[Any] = mapped_column(JSON, nullable=True)  # what a worker must match


class Result(Base):
    __tablename__ = "results"
    __table_args__ = (UniqueConstraint("run_id", "package", "version", name="uq_results_run_target"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    run_id: Mapped[int] = mapped_column(ForeignKey("runs.id"), index=True)
    package: Mapped[str] = mapped_column(String(255), index=True)
    version: Mapped[str] = mapped_column(String(128))
    verdict: Mapped[str] = mapped_column(String(32))
    regressed: Mapped[bool] = mapped_column(Boolean, default=False)
    tag: Mapped[str | None] = mapped_column(String(255), nullable=True)
    commit: Mapped[str | None] = mapped_column(String(64), nullable=True)
    published_url: Mapped[str | None] = mapped_column(Text, nullable=True)
    published_sha256: Mapped[str | None] = mapped_column(String(64), nullable=True)
    upload_time: Mapped[str | None] = mapped_column(String(64), nullable=True)
    rebuilt_sha256: Mapped[str | None] = mapped_column(String(64), nullable=True)
    builder: Mapped[str | None] = mapped_column(String(64), nullable=True)
    builder_image: Mapped[str | None] = mapped_column(String(128), nullable=True)
    base_image: Mapped[str | None] = mapped_column(String(255), nullable=True)
    build_requirements: Mapped[Any] = mapped_column(JSON, default=list)
    normalizations: Mapped[Any] = mapped_column(JSON, default=dict)
    differences: Mapped[Any] = mapped_column(JSON, default=list)
    explanations: Mapped[Any] = mapped_column(JSON, default=list)
    timings: Mapped[Any] = mapped_column(JSON, default=dict)
    error: Mapped[str | None] = mapped_column(Text, nullable=True)
    started_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    finished_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    duration_s: Mapped[float] = mapped_column(Float)
    report_path: Mapped[str | None] = mapped_column(Text, nullable=True)
    log_path: Mapped[str | None] = mapped_column(Text, nullable=True)
    diffoscope_html: Mapped[str | None] = mapped_column(Text, nullable=True)
    command: Mapped[str | None] = mapped_column(Text, nullable=True)
    host: Mapped[str | None] = mapped_column(String(255), nullable=True)
    environment: Mapped[Any] = mapped_column(JSON, nullable=True)
    artifacts: Mapped[Any] = mapped_column(JSON, nullable=True)  # every file of the release (migration 0003)
    report_gz: Mapped[bytes | None] = mapped_column(LargeBinary, nullable=True, deferred=True)
    diffoscope_gz: Mapped[bytes | None] = mapped_column(LargeBinary, nullable=True, deferred=True)
