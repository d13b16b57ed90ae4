"""The Celery settings that make delivery at-least-once and results exactly-once."""

import pytest

from verifier.errors import ConfigError
from verifier.nightly.distributed.broker import parse
from verifier.nightly.distributed.settings import celery_config, queue_of


def test_late_acknowledgement_requeue_on_loss_prefetch_of_one() -> None:
    config = celery_config(parse("amqp://guest:guest@127.0.0.1:5672//"))
    assert config["task_acks_late"] and config["task_reject_on_worker_lost"]
    assert config["worker_prefetch_multiplier"] == 1
    assert config["task_default_delivery_mode"] == "persistent"
    assert config["broker_transport_options"] == {"confirm_publish": True}


def test_redis_visibility_timeout_above_an_hour_by_default(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("VERIFIER_CELERY_VISIBILITY_TIMEOUT", raising=False)
    assert celery_config(parse("redis://127.0.0.1:6379/0"))["broker_transport_options"]["visibility_timeout"] > 3600 + 300
    monkeypatch.setenv("VERIFIER_CELERY_VISIBILITY_TIMEOUT", "ten")
    with pytest.raises(ConfigError):
        celery_config(parse("redis://127.0.0.1:6379/0"))


def test_queues() -> None:
    assert queue_of({}) == "default"
    assert queue_of({"builder": "pants"}) == "pants"
    assert queue_of({"builder": "pants", "queue": "big"}) == "big"
