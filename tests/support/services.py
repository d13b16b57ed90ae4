"""Brokers and databases for the tests, started by the tests themselves: Debian's RabbitMQ and Redis
on private ports bound to 127.0.0.1, data in a scratch directory (docs: /work/shared/notes/services.md)."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import create_engine, text

POSTGRES_ADMIN = os.environ.get("VERIFIER_TEST_POSTGRES", "postgresql+psycopg:///verifier_test?host=/var/run/postgresql")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _wait_port(port: int, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with socket.socket() as sock:
            if sock.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.3)
    raise RuntimeError(f"nothing listens on 127.0.0.1:{port} after {timeout} s")


@dataclass
class RabbitMQ:
    directory: Path
    port: int = field(default_factory=free_port)
    dist_port: int = field(default_factory=free_port)

    @property
    def url(self) -> str:
        return f"amqp://guest:guest@127.0.0.1:{self.port}//"

    @property
    def node(self) -> str:
        return f"verifier{self.port}@localhost"

    def _env(self) -> dict[str, str]:
        home = self.directory / "home"
        return {
            **os.environ, "HOME": str(home), "RABBITMQ_NODE_PORT": str(self.port), "RABBITMQ_NODENAME": self.node,
            "RABBITMQ_MNESIA_BASE": str(self.directory / "mnesia"), "RABBITMQ_LOG_BASE": str(self.directory / "log"),
            "RABBITMQ_DIST_PORT": str(self.dist_port), "RABBITMQ_NODE_IP_ADDRESS": "127.0.0.1", "ERL_EPMD_ADDRESS": "127.0.0.1",
            "RABBITMQ_CONFIG_FILE": str(self.directory / "rabbitmq"),  # .conf is appended
            "RABBITMQ_SERVER_ADDITIONAL_ERL_ARGS": "-kernel inet_dist_use_interface {127,0,0,1}",
        }

    def start(self) -> None:
        # The node runs as the `rabbitmq` user: its directories must be reachable by it (pytest's
        # tmp_path is not), so they live in a directory of their own under the system's temp dir.
        self.directory.mkdir(parents=True, exist_ok=True)
        os.chmod(self.directory, 0o755)
        for sub in ("mnesia", "log", "home"):
            (self.directory / sub).mkdir(parents=True, exist_ok=True)
            os.chmod(self.directory / sub, 0o777)
        # Builds of an hour: the delivery of a running target must not time out (docs/scaling.md).
        (self.directory / "rabbitmq.conf").write_text("consumer_timeout = 7200000\n")
        subprocess.run(["rabbitmq-server", "-detached"], env=self._env(), check=True, capture_output=True, timeout=60)
        deadline = time.monotonic() + 90
        while subprocess.run(["rabbitmqctl", "-n", self.node, "await_startup"], env=self._env(), capture_output=True, timeout=90, check=False).returncode != 0:
            if time.monotonic() > deadline:
                raise RuntimeError("RabbitMQ did not start")
            time.sleep(1)
        _wait_port(self.port)

    def stop(self) -> None:
        subprocess.run(["rabbitmqctl", "-n", self.node, "stop"], env=self._env(), capture_output=True, timeout=90, check=False)

    def restart(self) -> None:
        self.stop()
        self.start()


@dataclass
class Redis:
    directory: Path
    port: int = field(default_factory=free_port)

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> None:
        self.directory.mkdir(parents=True, exist_ok=True)
        subprocess.run(
            ["redis-server", "--port", str(self.port), "--bind", "127.0.0.1", "--daemonize", "yes", "--dir", str(self.directory),
             "--appendonly", "yes", "--appendfsync", "always", "--save", "", "--pidfile", str(self.directory / "redis.pid")],
            check=True, capture_output=True, timeout=30,
        )
        _wait_port(self.port)

    def stop(self) -> None:
        subprocess.run(["redis-cli", "-p", str(self.port), "shutdown"], capture_output=True, timeout=30, check=False)
        deadline = time.monotonic() + 30
        while (self.directory / "redis.pid").exists() and time.monotonic() < deadline:
            time.sleep(0.2)

    def restart(self) -> None:
        self.stop()
        self.start()


def have(*programs: str) -> list[str]:
    """The programs that are missing."""
    return [p for p in programs if shutil.which(p) is None]


class PostgresDatabase:
    """A fresh database in the server scripts/test.sh starts; dropped at the end."""

    def __init__(self) -> None:
        self.admin = create_engine(POSTGRES_ADMIN, isolation_level="AUTOCOMMIT")
        self.name = f"verifier_{uuid.uuid4().hex[:12]}"

    def __enter__(self) -> str:
        with self.admin.connect() as connection:
            connection.execute(text(f'CREATE DATABASE "{self.name}"'))
        return POSTGRES_ADMIN.replace("/verifier_test", f"/{self.name}")

    def __exit__(self, *exc: object) -> None:
        with self.admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE "{self.name}" WITH (FORCE)'))
        self.admin.dispose()
