"""Services for the distributed nightly tests: a real broker and a real PostgreSQL, per test."""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.support.services import PostgresDatabase, RabbitMQ, Redis, have


@pytest.fixture
def postgres_url() -> Iterator[str]:
    try:
        database = PostgresDatabase()
        url = database.__enter__()
    except Exception as exc:  # noqa: BLE001 - say what is missing, and fail
        pytest.fail(f"PostgreSQL is not reachable ({type(exc).__name__}): scripts/test.sh starts it")
    yield url
    database.__exit__(None, None, None)


@pytest.fixture
def rabbitmq() -> Iterator[RabbitMQ]:
    missing = have("rabbitmq-server", "rabbitmqctl")
    if missing:
        pytest.fail(f"missing {', '.join(missing)}: scripts/test.sh installs rabbitmq-server")
    directory = Path(tempfile.mkdtemp(prefix="verifier-rabbitmq-"))
    broker = RabbitMQ(directory)
    broker.start()
    yield broker
    broker.stop()
    shutil.rmtree(directory, ignore_errors=True)


@pytest.fixture
def redis_broker(tmp_path: Path) -> Iterator[Redis]:
    missing = have("redis-server", "redis-cli")
    if missing:
        pytest.fail(f"missing {', '.join(missing)}: scripts/test.sh installs redis-server")
    broker = Redis(tmp_path / "redis")
    broker.start()
    yield broker
    broker.stop()
