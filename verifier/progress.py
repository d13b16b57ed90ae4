"""Progress on the terminal (stderr) while a long command works: one line per step, and a spinner
on a terminal. Nothing when stderr is not a terminal and --quiet is given."""

from __future__ import annotations

import time
from types import TracebackType

from rich.console import Console
from rich.status import Status


class TerminalProgress:
    def __init__(self, *, quiet: bool = False) -> None:
        self.console = Console(stderr=True, highlight=False)
        self.quiet = quiet
        self._status: Status | None = None
        self._started = time.perf_counter()

    def __enter__(self) -> TerminalProgress:
        if not self.quiet and self.console.is_terminal:
            self._status = self.console.status("starting", spinner="dots")
            self._status.start()
        return self

    def __exit__(self, kind: type[BaseException] | None, value: BaseException | None, tb: TracebackType | None) -> None:
        if self._status is not None:
            self._status.stop()

    def __call__(self, message: str) -> None:
        if self.quiet:
            return
        elapsed = time.perf_counter() - self._started
        self.console.print(f"[dim]{elapsed:6.1f}s[/dim] {message}", markup=True, highlight=False, soft_wrap=True)
        if self._status is not None:
            self._status.update(message)
