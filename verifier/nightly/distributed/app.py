"""The Celery application: the settings and the one task (a target), made for a broker URL."""

from __future__ import annotations

from typing import Any

from verifier.nightly.distributed.broker import Broker, require_celery
from verifier.nightly.distributed.settings import TASK_NAME, celery_config

STORE_RETRY_S = 30


def make_app(broker: Broker) -> Any:
    require_celery()
    from celery import Celery

    app = Celery("verifier", set_as_current=False)
    app.conf.update(celery_config(broker))

    @app.task(name=TASK_NAME, bind=True, acks_late=True, reject_on_worker_lost=True)
    def verify_target(task: Any, payload: dict[str, Any]) -> str:
        from sqlalchemy.exc import SQLAlchemyError

        from verifier.nightly.distributed.task import run_task

        try:
            return run_task(payload, task.request.hostname or "")
        except SQLAlchemyError as exc:  # the shared store is away: the target is sent again, not lost
            raise task.retry(exc=exc, countdown=STORE_RETRY_S, max_retries=None) from None

    return app
