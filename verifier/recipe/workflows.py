"""GitHub Actions workflows of an untrusted tree, read safely and kept with their line numbers.

A workflow file is YAML written by whoever controls the repository, so it is read as hostile:
files are read only inside the tree (no symlink out of it), only when regular, at most
`tree_files.MAX_FILE_BYTES` each and `MAX_TOTAL_BYTES` together, at most `MAX_WORKFLOWS` files, and composed
by `workflow_yaml` within its limits. Every problem becomes a note; nothing here raises for the
content of a file.

The result is the parts of a workflow the recipe inference needs: jobs, their `needs`, `env`,
matrix, defaults and steps, and the logical lines of `run:` scripts with their file lines.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from pathlib import Path

from verifier.recipe.tree_files import inside, one_line, read_tree_file
from verifier.recipe.workflow_yaml import Node, parse_yaml

MAX_WORKFLOWS = 50
MAX_TOTAL_BYTES = 4 << 20  # of all workflow files together
MAX_DIRECTORY_ENTRIES = 2_000
WORKFLOW_DIR = ".github/workflows"

EXPRESSION = re.compile(r"\$\{\{(.*?)\}\}", re.DOTALL)

@dataclass(frozen=True)
class Step:
    """One step of a job."""

    index: int
    line: int
    node: Node

    @property
    def uses(self) -> Node | None:
        return self.node.get("uses")

    @property
    def run(self) -> Node | None:
        return self.node.get("run")

    @property
    def env(self) -> Node | None:
        return self.node.get("env")

    @property
    def inputs(self) -> dict[str, Node]:
        """The step's `with:` inputs."""
        found = self.node.get("with")
        return found.mapping() if found else {}

    @property
    def working_directory(self) -> Node | None:
        return self.node.get("working-directory")

    @property
    def condition(self) -> Node | None:
        return self.node.get("if")


@dataclass(frozen=True)
class Job:
    """One job of a workflow."""

    id: str
    line: int
    node: Node
    steps: tuple[Step, ...]
    needs: tuple[str, ...]

    @property
    def env(self) -> Node | None:
        return self.node.get("env")

    @property
    def uses(self) -> Node | None:
        """A reusable workflow this job calls (`jobs.<id>.uses`)."""
        return self.node.get("uses")

    @property
    def matrix(self) -> Node | None:
        strategy = self.node.get("strategy")
        return strategy.get("matrix") if strategy else None

    @property
    def working_directory(self) -> Node | None:
        return _default_working_directory(self.node)


@dataclass(frozen=True)
class Workflow:
    """One workflow file: its path relative to the tree, source lines, triggers and jobs."""

    path: str
    lines: tuple[str, ...]
    node: Node
    jobs: tuple[Job, ...]
    triggers: frozenset[str]

    @property
    def env(self) -> Node | None:
        return self.node.get("env")

    @property
    def working_directory(self) -> Node | None:
        return _default_working_directory(self.node)

    def job(self, job_id: str) -> Job | None:
        """The job named `job_id`, if any."""
        return next((job for job in self.jobs if job.id == job_id), None)


@dataclass
class Loaded:
    """Workflows read from a tree, and what could not be read."""

    workflows: list[Workflow] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


def workflow_files(tree: Path) -> tuple[list[str], list[str]]:
    """Relative paths of `.github/workflows/*.yml|*.yaml`, sorted, at most `MAX_WORKFLOWS`; notes."""
    directory = inside(tree, WORKFLOW_DIR)
    if directory is None or not directory.is_dir():
        return [], []
    names: list[str] = []
    notes: list[str] = []
    try:
        with os.scandir(directory) as entries:
            for seen, entry in enumerate(entries):
                if seen >= MAX_DIRECTORY_ENTRIES:
                    notes.append(f"{WORKFLOW_DIR}: more than {MAX_DIRECTORY_ENTRIES} entries, the rest not looked at")
                    break
                if entry.name.endswith((".yml", ".yaml")):
                    names.append(entry.name)
    except OSError as error:
        return [], [f"{WORKFLOW_DIR}: cannot be listed ({one_line(error)})"]
    names.sort()
    if len(names) > MAX_WORKFLOWS:
        notes.append(f"{WORKFLOW_DIR}: {len(names)} workflow files, only the first {MAX_WORKFLOWS} read")
        names = names[:MAX_WORKFLOWS]
    return [f"{WORKFLOW_DIR}/{name}" for name in names], notes


def load_workflows(tree: Path) -> Loaded:
    """Every readable workflow of `tree`, with notes about the files skipped."""
    loaded = Loaded()
    paths, notes = workflow_files(tree)
    loaded.notes.extend(notes)
    total = 0
    for relative in paths:
        if total > MAX_TOTAL_BYTES:
            loaded.notes.append(f"{relative}: the workflows read so far hold more than {MAX_TOTAL_BYTES} bytes, skipped")
            continue
        text, why = read_tree_file(tree, relative)
        if why:
            loaded.notes.append(why)
        if text is None:
            continue
        total += len(text)
        root, notes = parse_yaml(text, relative)
        loaded.notes.extend(notes)
        if root is None:
            continue
        if not isinstance(root.value, dict):
            loaded.notes.append(f"{relative}: the workflow is not a mapping, skipped")
            continue
        loaded.workflows.append(_workflow(relative, text, root))
    return loaded


def _workflow(relative: str, text: str, root: Node) -> Workflow:
    """A `Workflow` from its root mapping."""
    jobs_node = root.get("jobs")
    jobs = tuple(
        _job(job_id, jobs_node.key_line(job_id), node)
        for job_id, node in (jobs_node.mapping() if jobs_node else {}).items()
        if jobs_node is not None and isinstance(node.value, dict)
    )
    return Workflow(relative, tuple(text.splitlines()), root, jobs, _triggers(root.get("on")))


def _job(job_id: str, line: int, node: Node) -> Job:
    """A `Job` from its mapping."""
    steps_node = node.get("steps")
    steps = tuple(
        Step(index, item.line, item)
        for index, item in enumerate(steps_node.sequence() if steps_node else ())
        if isinstance(item.value, dict)
    )
    needs_node = node.get("needs")
    needs: tuple[str, ...] = ()
    if needs_node is not None:
        single = needs_node.text()
        needs = (single,) if single is not None else tuple(
            text for text in (item.text() for item in needs_node.sequence()) if text is not None
        )
    return Job(job_id, line, node, steps, needs)


def _triggers(node: Node | None) -> frozenset[str]:
    """The event names of `on:` (a string, a list or a mapping); `tags` when a push filters tags."""
    if node is None:
        return frozenset()
    if node.text() is not None:
        return frozenset({node.text() or ""})
    if node.sequence():
        return frozenset(text for text in (item.text() for item in node.sequence()) if text)
    events = set(node.mapping())
    push = node.get("push")
    if push is not None and push.get("tags") is not None:
        events.add("tags")
    return frozenset(events)


def _default_working_directory(node: Node) -> Node | None:
    """`defaults.run.working-directory` of a workflow or job mapping."""
    defaults = node.get("defaults")
    run = defaults.get("run") if defaults else None
    return run.get("working-directory") if run else None


def script_lines(node: Node, lines: tuple[str, ...]) -> list[tuple[str, int]]:
    """The logical lines of a `run:` script with the 1-based file line each starts on.

    Backslash continuations are joined; blank lines and comment lines are dropped. Lines are
    found in the file's text between the node's first and last line (literal, folded, plain and
    quoted scalars alike); when a line cannot be found the previous position is kept.
    """
    script = node.text()
    if script is None:
        return []
    found: list[tuple[str, int]] = []
    cursor = node.line
    pending = ""
    first = ""
    for raw in script.splitlines():
        if not pending:
            first = raw
        joined = pending + (raw.lstrip() if pending else raw)
        if _continues(joined):
            pending = joined.rstrip("\r")[:-1].rstrip() + " "
            continue
        pending = ""
        logical = joined.strip()
        if not logical or logical.startswith("#"):
            continue
        number = _find_line(lines, first, cursor, node.end_line)
        found.append((logical, number))
        cursor = min(number + 1, node.end_line)
    if pending.strip():
        found.append((pending.strip(), _find_line(lines, first, cursor, node.end_line)))
    return found


def _continues(text: str) -> bool:
    """Whether a shell line ends with an unescaped backslash."""
    stripped = text.rstrip("\r")
    trailing = len(stripped) - len(stripped.rstrip("\\"))
    return trailing % 2 == 1


def _find_line(lines: tuple[str, ...], text: str, start: int, end: int) -> int:
    """The first 1-based line in [start, end] holding the beginning of `text`, else `start`."""
    probe = text.strip()[:40]
    for number in range(max(start, 1), min(end, len(lines)) + 1):
        if probe and probe in lines[number - 1]:
            return number
    # The first line of a continued command: look for its first word alone.
    word = probe.split(" ", 1)[0] if probe else ""
    for number in range(max(start, 1), min(end, len(lines)) + 1):
        if word and word in lines[number - 1]:
            return number
    return start


def expressions(text: str) -> list[str]:
    """The `${{ … }}` expressions in `text`, stripped."""
    return [match.strip() for match in EXPRESSION.findall(text)]
