"""A job's commands in the order they run, with the tox, nox and make calls that build followed.

`scan_job` classifies every step: a `uses:` step by its action, a `run:` script command by
command (a `cd` carries over within the step); a call of tox, nox or make whose commands build
is replaced by those commands, at most `MAX_INDIRECTION` calls deep.
"""

from __future__ import annotations

from dataclasses import dataclass

from verifier.recipe.commands import Context, JobCommand, commands_of_lines
from verifier.recipe.frontends import action_kind
from verifier.recipe.kinds import RunnerCall
from verifier.recipe.make import follow_make
from verifier.recipe.nox import follow_nox
from verifier.recipe.tox import follow_tox
from verifier.recipe.tree_files import join_relative
from verifier.recipe.workflow_yaml import Node
from verifier.recipe.workflows import (
    EXPRESSION,
    Job,
    Step,
    Workflow,
    script_lines,
)

MAX_INDIRECTION = 3  # workflow → make → tox → … at most this deep


@dataclass(frozen=True)
class ScannedJob:
    """A job's commands in order, indirections that build expanded, and whether it publishes."""

    workflow: Workflow
    job: Job
    commands: tuple[JobCommand, ...]
    publishes: tuple[str, ...]


def scan_job(workflow: Workflow, job: Job, context: Context) -> ScannedJob:
    """Every command of `job`, with the tox/nox/make calls that build replaced by their commands."""
    items: list[JobCommand] = []
    default_dir = _literal_directory(job.working_directory or workflow.working_directory)
    for step in job.steps:
        uses = step.uses.text() if step.uses is not None else None
        if uses:
            kind = action_kind(uses, step)
            # `defaults.run` does not apply to actions; the build action's `path` input does.
            paths = kind.build.paths if kind.build else ()
            workdir = join_relative("", paths[0]) if paths else ""
            line = step.uses.line if step.uses is not None else step.line
            items.append(JobCommand(f"uses: {uses}", workflow.path, line, workdir, step.index, kind, uses=step))
        elif step.run is not None:
            items.extend(_step_commands(workflow, step, default_dir, context))
    expanded = _expand(items, context, 0)
    publishes = tuple(item.kind.publish for item in expanded if item.kind.publish)
    return ScannedJob(workflow, job, tuple(expanded), publishes)


def _step_commands(workflow: Workflow, step: Step, default_dir: str | None, context: Context) -> list[JobCommand]:
    """The commands of a `run:` step; `cd` carries over to the later commands of the step."""
    shell = step.node.get("shell")
    shell_text = (shell.text() or "") if shell is not None else ""
    if shell_text.split(" ", 1)[0] in ("python", "python3", "node", "perl"):
        context.note(f"{workflow.path}:{step.line}: a `{shell_text}` step is not shell, not read")
        return []
    workdir = default_dir
    if step.working_directory is not None:
        workdir = _literal_directory(step.working_directory)
    lines = script_lines(step.run, workflow.lines) if step.run is not None else []
    return commands_of_lines(lines, workflow.path, workdir, step.index, persist_cd=True)


def _literal_directory(node: Node | None) -> str | None:
    """A `working-directory` as a path relative to the tree; "" for none; None when unknown
    (an expression, a variable, a path outside the tree)."""
    if node is None:
        return ""
    text = node.text()
    if text is None or EXPRESSION.search(text):
        return None
    return join_relative("", text)


def _expand(items: list[JobCommand], context: Context, depth: int) -> list[JobCommand]:
    """`items` with each tox/nox/make call whose commands build replaced by those commands."""
    expanded: list[JobCommand] = []
    for item in items:
        call = item.kind.call
        if call is None or depth >= MAX_INDIRECTION:
            expanded.append(item)
            continue
        noted = len(context.notes)
        inner = _expand(_runner_commands(call, item, context), context, depth + 1)
        if any(inner_item.kind.build for inner_item in inner):
            expanded.extend(inner)
            continue
        # Not a build: what was noted while reading it only matters when it could not be read.
        problems = context.notes[noted:]
        del context.notes[noted:]
        if not inner and problems:
            context.note(f"{item.origin}: `{item.text}` not followed: {problems[0]}")
        expanded.append(item)
    return expanded


def _runner_commands(call: RunnerCall, item: JobCommand, context: Context) -> list[JobCommand]:
    """The commands a tox env, nox session or make target runs (empty when unreadable)."""
    try:
        if call.tool == "tox":
            return follow_tox(call, item, context)
        if call.tool == "nox":
            return follow_nox(call, item, context)
        return follow_make(call, item, context)
    except RecursionError:
        context.note(f"{item.origin}: `{item.text}`: its configuration is nested too deeply, not read")
        return []
