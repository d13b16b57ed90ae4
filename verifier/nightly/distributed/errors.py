"""The errors of the distributed mode (exit codes: 2 bad URL or mismatched worker, 3 unreachable)."""

from __future__ import annotations

from verifier.errors import BadInput, CouldNotVerify, UsageError


class BrokerURLError(UsageError):
    """A broker URL that is not amqp://… or redis://…"""


class BrokerUnavailable(CouldNotVerify):
    """The broker does not answer."""


class CeleryMissing(CouldNotVerify):
    """`--broker` without the `celery` extra installed."""


class WorkerMismatch(BadInput):
    """A worker that must not take a run's tasks: another verifier version, another base rootfs."""
