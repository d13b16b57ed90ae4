"""The Celery settings of the nightly job: at-least-once delivery, one result per target.

- late acknowledgement: a task is acknowledged when its result is stored, not when it is taken;
  a worker that dies (even by SIGKILL) leaves it unacknowledged, and the broker delivers it again;
- prefetch of one: a worker holds no more targets than it runs;
- Redis' visibility timeout: a task unacknowledged for longer is delivered again (Celery's default
  is 1 h): set it above the longest target (`VERIFIER_CELERY_VISIBILITY_TIMEOUT`, default 3 h);
- RabbitMQ's `consumer_timeout` (server side, 30 min by default) closes the channel of a consumer
  that holds a delivery longer: set it in rabbitmq.conf (docs/scaling.md).
A task delivered twice is still recorded once: the store has one result per (run, target).
"""

from __future__ import annotations

import os
from typing import Any

from verifier.errors import ConfigError
from verifier.nightly.distributed.broker import Broker

TASK_NAME = "verifier.nightly.verify_target"
DEFAULT_QUEUE = "default"
PANTS_QUEUE = "pants"
DEFAULT_VISIBILITY_TIMEOUT_S = 3 * 3600


def visibility_timeout() -> int:
    raw = os.environ.get("VERIFIER_CELERY_VISIBILITY_TIMEOUT", str(DEFAULT_VISIBILITY_TIMEOUT_S))
    try:
        value = int(raw)
    except ValueError:
        raise ConfigError(f"VERIFIER_CELERY_VISIBILITY_TIMEOUT is not a number of seconds: {raw!r}") from None
    if value < 30:
        raise ConfigError(f"VERIFIER_CELERY_VISIBILITY_TIMEOUT is too short: {value} s")
    return value


def celery_config(broker: Broker) -> dict[str, Any]:
    transport: dict[str, Any] = {}
    if broker.kind == "redis":
        transport["visibility_timeout"] = visibility_timeout()
    else:
        transport["confirm_publish"] = True  # a publish returns once RabbitMQ has the message
    return {
        "broker_url": broker.url,
        "broker_transport_options": transport,
        "broker_connection_retry_on_startup": True,
        "broker_connection_max_retries": None,  # a restarted broker is waited for, not given up on
        "task_acks_late": True,
        "task_reject_on_worker_lost": True,
        "task_acks_on_failure_or_timeout": True,
        "worker_prefetch_multiplier": 1,
        "task_ignore_result": True,  # results go to the store, not to a Celery backend
        "task_serializer": "json",
        "accept_content": ["json"],
        "task_default_queue": DEFAULT_QUEUE,
        "task_create_missing_queues": True,
        "task_default_delivery_mode": "persistent",
        "worker_hijack_root_logger": False,
        "worker_redirect_stdouts": False,  # the last line on stderr stays the one-line error
        "worker_send_task_events": False,
    }


def queue_of(settings: dict[str, Any]) -> str:
    """The queue of a target: its `queue` setting, else `pants` for Pants targets, else `default`."""
    if settings.get("queue"):
        return str(settings["queue"])
    return PANTS_QUEUE if settings.get("builder") == "pants" else DEFAULT_QUEUE
