"""GitHub Actions workflows of an untrusted tree, read safely and kept with their line numbers.

A workflow file is YAML written by whoever controls the repository, so it is read as hostile:
- files are read only inside the tree, only when regular and at most `MAX_FILE_BYTES`; at most
  `MAX_WORKFLOWS` files are read;
- YAML is composed with PyYAML's pure-Python safe loader (nothing is constructed, no tag runs
  code), at most `MAX_NODES` nodes are composed, aliases are followed within the same node budget
  (a billion-laughs document stops there), nesting deeper than `MAX_DEPTH` is cut off;
- every problem becomes a note; nothing here raises for the content of a file.

The result is a tree of `Node`s (scalars stay the exact text written, so `3.10` is not `3.1`), and
the parts of a workflow the recipe inference needs: jobs, their `needs`, `env`, matrix, defaults
and steps.
"""

from __future__ import annotations

import os
import re
import stat
from dataclasses import dataclass, field
from pathlib import Path
from typing import Union

import yaml

MAX_FILE_BYTES = 1 << 20
MAX_WORKFLOWS = 50
MAX_NODES = 100_000
MAX_DEPTH = 64
MAX_DIRECTORY_ENTRIES = 2_000
WORKFLOW_DIR = ".github/workflows"

EXPRESSION = re.compile(r"\$\{\{(.*?)\}\}", re.DOTALL)

NodeValue = Union[str, "tuple[Node, ...]", "dict[str, Node]"]


@dataclass(frozen=True, eq=False)
class Node:
    """A YAML node: a scalar's exact text, a sequence or a mapping, with its 1-based lines."""

    value: NodeValue
    line: int
    end_line: int
    style: str | None = None

    def get(self, key: str) -> Node | None:
        """The value under `key` when this is a mapping, else None."""
        return self.value.get(key) if isinstance(self.value, dict) else None

    def text(self) -> str | None:
        """The scalar's text, or None for a sequence or mapping."""
        return self.value if isinstance(self.value, str) else None

    def mapping(self) -> dict[str, Node]:
        """The entries when this is a mapping, else an empty dict."""
        return self.value if isinstance(self.value, dict) else {}

    def sequence(self) -> tuple[Node, ...]:
        """The items when this is a sequence, else an empty tuple."""
        return self.value if isinstance(self.value, tuple) else ()


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


class _TooManyNodes(Exception):
    """Raised inside the composer when a document has more than `MAX_NODES` nodes."""


class _BoundedLoader(yaml.SafeLoader):
    """The pure-Python safe loader, refusing documents with more than `MAX_NODES` nodes."""

    def __init__(self, stream: str) -> None:
        super().__init__(stream)
        self.composed = 0

    def compose_node(self, parent: yaml.Node | None, index: object) -> yaml.Node | None:
        self.composed += 1
        if self.composed > MAX_NODES:
            raise _TooManyNodes
        return super().compose_node(parent, index)  # type: ignore[no-any-return]


class _Converter:
    """Turns composed YAML nodes into `Node`s, following aliases within a node budget."""

    def __init__(self) -> None:
        self.budget = MAX_NODES
        self.truncated = False

    def convert(self, node: yaml.Node, depth: int = 0) -> Node | None:
        """The `Node` for `node`; None (and `truncated`) past the budget or the depth."""
        self.budget -= 1
        if self.budget < 0 or depth > MAX_DEPTH:
            self.truncated = True
            return None
        line, end = node.start_mark.line + 1, node.end_mark.line + 1
        if isinstance(node, yaml.ScalarNode):
            return Node(str(node.value), line, end, node.style)
        if isinstance(node, yaml.SequenceNode):
            items = (self.convert(item, depth + 1) for item in node.value)
            return Node(tuple(item for item in items if item is not None), line, end)
        if isinstance(node, yaml.MappingNode):
            return Node(self._mapping(node, depth), line, end)
        return None

    def _mapping(self, node: yaml.MappingNode, depth: int) -> dict[str, Node]:
        entries: dict[str, Node] = {}
        merged: list[Node] = []
        for key_node, value_node in node.value:
            if self.truncated:
                break
            if not isinstance(key_node, yaml.ScalarNode):
                continue
            value = self.convert(value_node, depth + 1)
            if value is None:
                continue
            if key_node.tag == "tag:yaml.org,2002:merge":
                merged.extend([value] if isinstance(value.value, dict) else value.sequence())
            else:
                entries[str(key_node.value)] = value
        for source in merged:  # `<<: *anchor`: keys written in the mapping itself win
            for key, value in source.mapping().items():
                entries.setdefault(key, value)
        return entries


def parse_yaml(text: str, where: str) -> tuple[Node | None, list[str]]:
    """Compose `text` safely; the root `Node` (or None) and notes about what went wrong."""
    loader = _BoundedLoader(text)
    try:
        root = loader.get_single_node()
    except _TooManyNodes:
        return None, [f"{where}: more than {MAX_NODES} YAML nodes, skipped"]
    except RecursionError:
        return None, [f"{where}: YAML nested too deeply, skipped"]
    except yaml.YAMLError as error:
        return None, [f"{where}: invalid YAML, skipped ({_one_line(error)})"]
    finally:
        loader.dispose()
    if root is None:
        return None, [f"{where}: empty YAML document, skipped"]
    converter = _Converter()
    try:
        converted = converter.convert(root)
    except RecursionError:
        return None, [f"{where}: YAML nested too deeply, skipped"]
    notes = []
    if converter.truncated:
        notes.append(
            f"{where}: more than {MAX_NODES} YAML nodes once aliases are followed, or nesting deeper "
            f"than {MAX_DEPTH}: read only in part"
        )
    return converted, notes


def _one_line(error: BaseException) -> str:
    """An exception's message on one short line."""
    text = " ".join(str(error).split())
    return text[:200]


def inside(tree: Path, relative: str) -> Path | None:
    """`relative` resolved under `tree`, or None when it leaves the tree (`..`, absolute, symlinks)."""
    if not relative or relative.startswith(("/", "\\")) or "\x00" in relative:
        return None
    root = tree.resolve()
    try:
        path = (root / relative).resolve()
    except (OSError, RuntimeError):
        return None
    return path if path == root or path.is_relative_to(root) else None


def read_tree_file(tree: Path, relative: str) -> tuple[str | None, str | None]:
    """The text of the regular file `relative` in `tree`, or (None, why not); None, None if absent."""
    path = inside(tree, relative)
    if path is None:
        return None, f"{relative}: outside the tree, not read"
    try:
        info = path.stat()
    except FileNotFoundError:
        return None, None
    except OSError as error:
        return None, f"{relative}: cannot be read ({_one_line(error)})"
    if not stat.S_ISREG(info.st_mode):
        return None, f"{relative}: not a regular file, not read"
    if info.st_size > MAX_FILE_BYTES:
        return None, f"{relative}: larger than {MAX_FILE_BYTES} bytes ({info.st_size}), skipped"
    try:
        with path.open("rb") as handle:
            data = handle.read(MAX_FILE_BYTES + 1)
    except OSError as error:
        return None, f"{relative}: cannot be read ({_one_line(error)})"
    if len(data) > MAX_FILE_BYTES:
        return None, f"{relative}: larger than {MAX_FILE_BYTES} bytes, skipped"
    try:
        return data.decode("utf-8-sig"), None
    except UnicodeDecodeError:
        return None, f"{relative}: not UTF-8, skipped"


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
        return [], [f"{WORKFLOW_DIR}: cannot be listed ({_one_line(error)})"]
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
    for relative in paths:
        text, why = read_tree_file(tree, relative)
        if why:
            loaded.notes.append(why)
        if text is None:
            continue
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
        _job(job_id, node)
        for job_id, node in (jobs_node.mapping() if jobs_node else {}).items()
        if isinstance(node.value, dict)
    )
    return Workflow(relative, tuple(text.splitlines()), root, jobs, _triggers(root.get("on")))


def _job(job_id: str, node: Node) -> Job:
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
    return Job(job_id, node.line, node, steps, needs)


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
