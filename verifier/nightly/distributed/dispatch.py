"""Enqueue a run's targets: one persistent message per target, on the queue its settings choose."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from verifier.nightly.distributed.broker import Broker
from verifier.nightly.distributed.settings import (
    TASK_NAME,
    queue_of,
    visibility_timeout,
)
from verifier.nightly.distributed.task import payload_for
from verifier.nightly.scheduler import time_limit
from verifier.nightly.targets import Target


def long_targets(broker: Broker, targets: Sequence[Target]) -> list[str]:
    """Targets that may run longer than Redis delivers a task once (delivered twice: built twice)."""
    if broker.kind != "redis":
        return []
    limit = visibility_timeout()
    return [t.id for t in targets if time_limit(t) > limit]


def enqueue(app: Any, run_id: int, targets: Sequence[Target], expected_bases: dict[str, str], progress: Callable[[str], None]) -> dict[str, int]:
    """Send one task per target; returns the number sent per queue."""
    sent: dict[str, int] = {}
    with app.producer_or_acquire() as producer:
        for target in targets:
            queue = queue_of(target.settings)
            app.send_task(
                TASK_NAME,
                args=[payload_for(run_id, target, expected_bases)],
                queue=queue,
                task_id=f"run-{run_id}:{target.id}",
                producer=producer,
            )
            sent[queue] = sent.get(queue, 0) + 1
    progress(f"run {run_id}: enqueued " + ", ".join(f"{n} on {q}" for q, n in sorted(sent.items())))
    return sent
