"""The click side of the distributed mode: `verifier worker`, and `--broker`, `--no-wait`,
`--report [RUN]` for `verifier nightly`. The bodies call library functions in verifier.nightly.distributed.

Exit codes of `worker`: 0 stopped (SIGTERM/SIGINT, after the tasks in hand), 2 bad URL or usage,
or a worker that must not take the run's tasks (another verifier version, another base rootfs),
3 the broker or the database is unreachable (or Celery is not installed).
"""

from __future__ import annotations

import functools
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import click

from verifier.cli.errors import handle_errors
from verifier.cli.output import print_outcome
from verifier.errors import UsageError


def _guarded(body: Callable[..., Any]) -> Callable[..., Any]:
    return handle_errors(body)  # the one error-to-exit-code mapping of the CLI


@click.command("worker")
@click.option("--broker", "broker_url", required=True, metavar="URL", help="amqp://user:password@host:5672// (RabbitMQ) or redis://host:6379/0.")
@click.option("--db", "db_url", required=True, metavar="URL", help="The shared history: postgresql+psycopg://user@host/db.")
@click.option("--concurrency", "-c", type=click.IntRange(1, 64), default=1, show_default=True, help="Targets built at once on this machine.")
@click.option("--queues", "-Q", default="default", show_default=True, help="Comma-separated queues to take targets from (e.g. default,pants).")
@click.option("--work-dir", type=click.Path(path_type=Path, file_okay=False), default="verifier-worker", show_default=True,
              help="This worker's reports and build directories (one per worker).")
@click.option("--name", help="The worker's name (default: from the host and the work directory).")
def worker(broker_url: str, db_url: str, concurrency: int, queues: str, work_dir: Path, name: str | None) -> None:
    """A build machine for `verifier nightly --broker`: take targets from the queues, verify each in
    its own process with its time limit, store each result in the shared history.

    \b
    Example:
      verifier worker --broker amqp://guest:guest@broker:5672// --db postgresql+psycopg://verifier@db/history -Q default,pants

    \b
    Exit codes: 0 stopped, 2 bad URL or usage, or this worker must not take the run's tasks
                (another verifier version or base rootfs: the tasks go back to the queue),
                3 broker or database unreachable.
    """

    def body() -> None:
        from verifier.nightly.distributed.worker import WorkerOptions, run_worker

        wanted = tuple(q.strip() for q in queues.split(",") if q.strip())
        if not wanted:
            raise UsageError("--queues names no queue")
        options = WorkerOptions(broker_url, db_url, work_dir, concurrency, wanted, name)
        sys.exit(run_worker(options, lambda line: click.echo(line, err=True)))

    _guarded(body)()


def distributed_options(function: Callable[..., Any]) -> Callable[..., Any]:
    """Add --broker, --no-wait and --report [RUN] to `nightly` (placed just above its handle_errors)."""

    @functools.wraps(function)
    def wrapper(*args: Any, broker_url: str | None, no_wait: bool, report_run: str | None, **kwargs: Any) -> Any:
        if report_run is None and broker_url is None:
            if no_wait:
                raise click.UsageError("--no-wait needs --broker")
            if kwargs.get("config_path") is None:
                raise click.UsageError("--config is required (or --report to write the outputs of a stored run)")
            return function(*args, **kwargs)
        return _guarded(_distributed_body)(broker_url, no_wait, report_run, **kwargs)

    wrapper = click.option("--report", "report_run", is_flag=False, flag_value="latest", default=None, metavar="[RUN]",
                           help="Only write the outputs of run RUN (default: the latest) from the store; nothing is verified.")(wrapper)
    wrapper = click.option("--no-wait", is_flag=True, help="With --broker: return once the targets are enqueued.")(wrapper)
    wrapper = click.option("--broker", "broker_url", metavar="URL",
                           help="Spread the targets over `verifier worker` machines through this broker (amqp://… or redis://…); needs --db.")(wrapper)
    return wrapper


def _distributed_body(broker_url: str | None, no_wait: bool, report_run: str | None, **kwargs: Any) -> None:
    from verifier.progress import TerminalProgress

    out_dir: Path = kwargs["out_dir"].resolve()
    config_path: Path | None = kwargs.get("config_path")
    db_url = kwargs.get("db_url")
    if report_run is not None:
        from verifier.nightly.distributed.nightly import report_only

        if db_url is None and config_path is None:
            raise UsageError("--report needs --db (or --config, for the database beside it)")
        db_url = db_url or f"sqlite:///{config_path.resolve().parent / 'verifier-history.sqlite'}"  # type: ignore[union-attr]
        outcome = report_only(db_url, report_run, out_dir)
        print_outcome(outcome, out_dir)
        sys.exit(outcome.exit_code)
    from verifier.nightly.distributed.nightly import run_distributed

    if config_path is None or db_url is None:
        raise UsageError("--broker needs --config and --db (the shared history, e.g. postgresql+psycopg://host/db)")
    if kwargs.get("since") is not None and kwargs.get("last") is not None:
        raise UsageError("--since and --last do not go together")
    since = kwargs.get("since")
    with TerminalProgress(quiet=bool(kwargs.get("quiet"))) as progress:
        outcome = run_distributed(
            config_path, db_url=db_url, broker_url=broker_url or "", wait=not no_wait,
            since=since,
            last=kwargs.get("last"), out_dir=out_dir, progress=progress,
        )
    if no_wait:
        click.echo(f"run {outcome.run_id}: {outcome.waiting} target(s) queued, {len(outcome.records)} already recorded")
        sys.exit(0)
    print_outcome(outcome, out_dir)
    sys.exit(outcome.exit_code)

