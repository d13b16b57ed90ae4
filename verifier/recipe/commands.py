"""The commands of a job: each shell command classified, in order, with where it was written."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path

from verifier.recipe.calls import RUNNER_ARGUMENTS
from verifier.recipe.expressions import ReleaseFacts
from verifier.recipe.frontends import FRONTEND_ARGUMENTS
from verifier.recipe.interface import Setting
from verifier.recipe.kinds import CommandKind
from verifier.recipe.shell import (
    ASSIGNMENT,
    assignment,
    github_env_writes,
    program,
    split_segments,
    strip_wrappers,
    words,
)
from verifier.recipe.tree_files import join_relative, read_tree_file
from verifier.recipe.workflows import Step

_PROGRAMS = {**FRONTEND_ARGUMENTS, **RUNNER_ARGUMENTS}


@dataclass(frozen=True)
class JobCommand:
    """One command of a job, in the order it runs, with where it was written."""

    text: str
    file: str
    line: int
    workdir: str | None
    step: int
    kind: CommandKind
    uses: Step | None = None
    via: tuple[Setting, ...] = ()
    extra_env: tuple[Setting, ...] = ()
    python: Setting | None = None

    @property
    def origin(self) -> str:
        return f"{self.file}:{self.line}"


@dataclass
class Context:
    """The tree being read and the notes gathered so far."""

    tree: Path
    notes: list[str]
    facts: ReleaseFacts | None = None  # the release being verified: resolves `${{ github.ref_name }}` & co.

    def note(self, text: str) -> None:
        if text not in self.notes:
            self.notes.append(text)

    def read(self, directory: str | None, name: str) -> tuple[str | None, str | None]:
        """(path in the tree, text) of file `name` in `directory`: path None when it points outside
        the tree, text None when it cannot be read (why is noted)."""
        relative = join_relative(directory, name)
        if relative is None:
            return None, None
        text, why = read_tree_file(self.tree, relative)
        if why:
            self.note(why)
        return relative, text


def classify(segment: str) -> CommandKind:
    """What one shell command does: build, publish, call tox/nox/make, change directory, set env."""
    tokens = words(segment)
    github_env = github_env_writes(segment)
    if github_env:
        return CommandKind(github_env=github_env)
    assignments, tokens, runner = strip_wrappers(tokens)
    if not tokens:
        return CommandKind(assignments=assignments)
    head = tokens[0]
    if head == "cd":
        target = tokens[1] if len(tokens) > 1 else ""
        return CommandKind(cd=target if target and target != "-" and "$" not in target and "~" not in target else "?")
    if head == "export":
        return CommandKind(exports=tuple(assignment(token) for token in tokens[1:] if ASSIGNMENT.match(token)))
    name, arguments = program(tokens, runner)
    if name is None:
        return CommandKind(assignments=assignments)
    return replace(_classify_program(name, arguments), assignments=assignments)


def _classify_program(name: str, arguments: list[str]) -> CommandKind:
    """What `name arguments…` does."""
    handler = _PROGRAMS.get(name)
    return handler(arguments) if handler else CommandKind()


def commands_of_lines(
    lines: Sequence[tuple[str, int]],
    file: str,
    workdir: str | None,
    step: int,
    *,
    persist_cd: bool,
    via: tuple[Setting, ...] = (),
) -> list[JobCommand]:
    """Classified commands of shell lines; `cd` lasts for the rest of the lines when `persist_cd`."""
    items: list[JobCommand] = []
    for text, line in lines:
        current = workdir
        for segment in split_segments(text):
            kind = classify(segment)
            items.append(JobCommand(segment, file, line, current, step, kind, via=via))
            if kind.cd is not None:
                current = join_relative(current, kind.cd)
        if persist_cd:
            workdir = current
    return items


def via_chain(item: JobCommand, what: str) -> tuple[Setting, ...]:
    """The chain of calls leading to a command, with this call added."""
    return (*item.via, Setting("via", item.text, item.origin, what))
