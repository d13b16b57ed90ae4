"""One function run in a forked child while this process works on: its result, or its error, comes
back through a pipe.

The comparison reads the candidate in a child so that two cores inflate, hash and parse at once
(parsing headers holds the GIL: threads would not do). A bare fork and a pipe cost less than a
process pool, whose modules alone take longer to import than the fork takes.
"""

from __future__ import annotations

import contextlib
import os
import pickle
import signal
from collections.abc import Callable
from typing import Generic, TypeVar

from verifier.errors import CouldNotVerify

T = TypeVar("T")


class Forked(Generic[T]):
    """`function(*args)` running in a child process, started at once."""

    def __init__(self, function: Callable[..., T], *args: object) -> None:
        read_end, write_end = os.pipe()
        pid = os.fork()
        if pid == 0:  # the child: never returns
            os.close(read_end)
            _run_child(write_end, function, args)
        os.close(write_end)
        self._pid = pid
        self._read_end = read_end

    def result(self) -> T:
        """The function's return value, once the child is done; its exception is raised here."""
        with os.fdopen(self._read_end, "rb") as pipe:
            data = pipe.read()
        _, status = os.waitpid(self._pid, 0)
        if not data:
            raise CouldNotVerify(f"the comparison's second process ended without a result (wait status {status})")
        succeeded, value = pickle.loads(data)
        if not succeeded:
            raise value
        return value  # type: ignore[no-any-return]

    def cancel(self) -> None:
        """Stop the child (this process failed: its result is not wanted) and collect it."""
        with contextlib.suppress(ProcessLookupError):  # it had already ended
            os.kill(self._pid, signal.SIGKILL)
        os.close(self._read_end)
        os.waitpid(self._pid, 0)


def _run_child(write_end: int, function: Callable[..., object], args: tuple[object, ...]) -> None:
    code = 0
    try:
        try:
            outcome: tuple[bool, object] = (True, function(*args))
        except BaseException as exc:  # noqa: BLE001 - every error goes back to the parent
            outcome = (False, exc)
        try:
            data = pickle.dumps(outcome, protocol=pickle.HIGHEST_PROTOCOL)
        except Exception as exc:  # noqa: BLE001 - an error that does not pickle, as a message
            data = pickle.dumps((False, CouldNotVerify(f"the comparison's second process failed: {exc}")))
        with os.fdopen(write_end, "wb") as out:
            out.write(data)
    except BaseException:  # noqa: BLE001 - the parent sees no result and says so
        code = 1
    finally:
        os._exit(code)  # no atexit handlers, no flushing of the parent's buffered output a second time
