"""What one shell command (or workflow step) does, as far as the recipe is concerned."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from verifier.recipe.interface import Frontend


@dataclass(frozen=True)
class Build:
    """A command (or action) that builds distributions."""

    frontend: Frontend | None
    tool: str
    sdist: bool
    options: tuple[tuple[str, str], ...] = ()
    paths: tuple[str, ...] = ()
    action: bool = False


@dataclass(frozen=True)
class RunnerCall:
    """A call of tox, nox or make, whose commands may build."""

    tool: Literal["tox", "nox", "make"]
    targets: tuple[str, ...]
    directory: str | None = None
    config: str | None = None
    posargs: tuple[str, ...] = ()
    overrides: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True)
class CommandKind:
    """What one shell command (or step) does, as far as the recipe is concerned."""

    build: Build | None = None
    publish: str | None = None
    call: RunnerCall | None = None
    cd: str | None = None  # the directory a `cd` goes to; "?" when it cannot be told
    assignments: tuple[tuple[str, str], ...] = ()  # `NAME=value command`
    exports: tuple[tuple[str, str], ...] = ()  # `export NAME=value`
    github_env: tuple[tuple[str, str], ...] = ()  # `echo NAME=value >> $GITHUB_ENV`
