"""Broker URLs (amqp://… for RabbitMQ, redis://… for Redis), a reachability check done before
anything is stored, and the broker settings that decide whether long builds are delivered twice."""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlsplit

from verifier.nightly.distributed.errors import (
    BrokerUnavailable,
    BrokerURLError,
    CeleryMissing,
)

SCHEMES = {"amqp": "rabbitmq", "amqps": "rabbitmq", "pyamqp": "rabbitmq", "redis": "redis", "rediss": "redis"}
CONNECT_TIMEOUT_S = 10.0


@dataclass(frozen=True)
class Broker:
    url: str
    kind: str  # rabbitmq | redis

    @property
    def shown(self) -> str:
        """The URL without its password."""
        parts = urlsplit(self.url)
        if parts.password is None:
            return self.url
        netloc = parts.netloc.replace(f":{parts.password}@", ":***@")
        return parts._replace(netloc=netloc).geturl()


def parse(url: str) -> Broker:
    try:
        parts = urlsplit(url)
        parts.port  # noqa: B018 - raises ValueError for a port that is not a number
    except ValueError:
        raise BrokerURLError(f"not a broker URL: {url!r} (amqp://user:password@host:5672// or redis://host:6379/0)") from None
    kind = SCHEMES.get(parts.scheme)
    if kind is None or not parts.hostname:
        raise BrokerURLError(f"not a broker URL: {url!r} (amqp://user:password@host:5672// or redis://host:6379/0)")
    return Broker(url, kind)


def require_celery() -> None:
    try:
        import celery  # noqa: F401
    except ImportError:
        raise CeleryMissing("--broker needs Celery: pip install 'sdist-verifier[celery]'") from None


def check_reachable(broker: Broker) -> dict[str, str]:
    """Connect once (no retries); the broker's own properties. Raises BrokerUnavailable."""
    require_celery()
    from kombu.connection import Connection

    connection = Connection(broker.url, connect_timeout=CONNECT_TIMEOUT_S)
    try:
        connection.ensure_connection(max_retries=1, timeout=CONNECT_TIMEOUT_S)
        properties = getattr(connection.connection, "server_properties", None) or {}
        return {str(k): str(v) for k, v in properties.items() if k in ("product", "version")}
    except Exception as exc:  # noqa: BLE001 - kombu raises many types; one line for a person
        reason = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        raise BrokerUnavailable(f"cannot reach the broker at {broker.shown}: {reason}") from None
    finally:
        connection.release()


def redis_durability(broker: Broker) -> str | None:
    """A warning when Redis keeps its queues in memory only (a restart would lose queued tasks)."""
    if broker.kind != "redis":
        return None
    import redis

    try:
        client = redis.Redis.from_url(broker.url, socket_timeout=CONNECT_TIMEOUT_S)
        appendonly = client.config_get("appendonly").get("appendonly")
        save = client.config_get("save").get("save")
    except redis.RedisError:
        return None  # managed Redis may forbid CONFIG: nothing to say
    if appendonly != "yes" and not save:
        return "Redis has neither appendonly nor save: a restart of the broker loses the queued tasks (docs/scaling.md)"
    return None
