"""What every stage of one verification shares: the request, the settings, the scratch directory,
progress, and the run's notes and timings (written in the order the stages add them)."""

from __future__ import annotations

import shutil
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from verifier.config import Settings
from verifier.normalize.interface import Normalization
from verifier.verify.interface import VerifyRequest

Progress = Callable[[str], None]


@dataclass
class Run:
    request: VerifyRequest
    settings: Settings
    workdir: Path
    workdir_is_ours: bool  # a scratch directory made for this run (deleted when reproducible)
    say: Progress
    normalizations: tuple[Normalization, ...]  # none with --strict
    notes: list[str] = field(default_factory=list)
    timings: dict[str, float] = field(default_factory=dict)

    def note(self, text: str) -> None:
        self.notes.append(text)

    @contextmanager
    def phase(self, name: str, message: str) -> Iterator[None]:
        """Time `name` (added up over repeated phases), announcing `message`."""
        self.say(message)
        started = time.perf_counter()
        try:
            yield
        finally:
            self.timings[name] = round(self.timings.get(name, 0.0) + time.perf_counter() - started, 3)

    def discard_workdir(self) -> None:
        shutil.rmtree(self.workdir, ignore_errors=True)


def make_workdir(request: VerifyRequest) -> tuple[Path, bool]:
    """The run's scratch directory, and whether it is ours to delete. An existing directory that
    holds anything is never written over: the run gets a new directory inside it."""
    if request.workdir is None:
        return Path(tempfile.mkdtemp(prefix="verifier-verify-")), True
    base = request.workdir
    if base.exists() and any(base.iterdir()):
        base.mkdir(parents=True, exist_ok=True)
        return Path(tempfile.mkdtemp(prefix="run-", dir=base)), False
    base.mkdir(parents=True, exist_ok=True)
    return base, False
