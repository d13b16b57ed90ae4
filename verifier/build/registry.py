"""Builders by name, and the choice for a tree: the first whose detection matches, most specific first."""

from __future__ import annotations

from pathlib import Path

from verifier.build.interface import Builder
from verifier.build.pants import PantsBuilder
from verifier.build.pypa import PypaBuilder
from verifier.errors import UsageError

# Specific before generic, as diffoscope orders its comparators.
BUILDERS: tuple[type[Builder], ...] = (PantsBuilder, PypaBuilder)


def names() -> list[str]:
    return [builder.name for builder in BUILDERS]


def choose(name: str | None, tree: Path) -> Builder:
    if name and name != "auto":
        for builder in BUILDERS:
            if builder.name == name:
                return builder()
        raise UsageError(f"unknown builder {name!r}; known: {', '.join(names())}")
    for builder in BUILDERS:
        if builder.detects(tree):
            return builder()
    return PypaBuilder()
