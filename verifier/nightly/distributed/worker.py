"""`verifier worker`: a Celery worker on a build machine. Before taking any task it checks the
broker and the store, and removes the containers its own earlier life left running."""

from __future__ import annotations

import hashlib
import logging
import socket
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from verifier.config import load_settings
from verifier.nightly import identity
from verifier.nightly.distributed import task as task_module
from verifier.nightly.distributed.app import make_app
from verifier.nightly.distributed.broker import check_reachable, parse, redis_durability
from verifier.nightly.distributed.settings import DEFAULT_QUEUE, celery_config
from verifier.nightly.scheduler import remove_leftover_containers
from verifier.store.db import Store


@dataclass(frozen=True)
class WorkerOptions:
    broker_url: str
    db_url: str
    work_dir: Path
    concurrency: int = 1
    queues: Sequence[str] = (DEFAULT_QUEUE,)
    name: str | None = None


def worker_name(work_dir: Path) -> str:
    """Stable across restarts of the same worker (host and work directory), distinct beside others."""
    digest = hashlib.sha256(str(work_dir.resolve()).encode()).hexdigest()[:8]
    return f"verifier-{digest}@{socket.gethostname()}"


def run_worker(options: WorkerOptions, progress: Callable[[str], None]) -> int:
    """Serve tasks until stopped; returns the process exit code (raises WorkerMismatch on refusal)."""
    broker = parse(options.broker_url)
    found = check_reachable(broker)
    store = Store(options.db_url)  # reachable and migrated before any task is taken
    options.work_dir.mkdir(parents=True, exist_ok=True)
    name = options.name or worker_name(options.work_dir)
    removed = remove_leftover_containers(f"{task_module.WORKER_LABEL}={name}")
    if removed:
        progress(f"removed {removed} container(s) this worker left when it was stopped")
    bases = identity.local_bases(load_settings().cache_dir)
    progress(f"{name}: broker {broker.shown} ({found.get('product', broker.kind)} {found.get('version', '')}), "
             f"queues {','.join(options.queues)}, concurrency {options.concurrency}, bases {bases or 'none'}")
    transport = celery_config(broker)["broker_transport_options"]
    if "visibility_timeout" in transport:
        progress(f"Redis visibility timeout {transport['visibility_timeout']} s: a target running longer is delivered again")
    warning = redis_durability(broker)
    if warning:
        progress(f"warning: {warning}")
    context = task_module.WorkerContext(store=store, work_dir=options.work_dir.resolve(), name=name, bases=bases)
    task_module.CONTEXT = context
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(message)s")
    app = make_app(broker)
    worker = app.Worker(
        hostname=name, pool="threads", concurrency=options.concurrency, queues=list(options.queues),
        loglevel="INFO", without_gossip=True, without_mingle=True, optimization="fair",
    )
    worker.start()
    if context.refusal:
        raise context.refusal[0]
    return int(worker.exitcode or 0)
