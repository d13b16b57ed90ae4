"""GitHub Actions workflows of an untrusted tree, read safely and kept with their line numbers.

A workflow file is YAML written by whoever controls the repository, so it is read as hostile:
- files are read only inside the tree (no symlink out of it), only when regular, at most
  `MAX_FILE_BYTES` each and `MAX_TOTAL_BYTES` together; at most `MAX_WORKFLOWS` files;
- only parser events are taken from PyYAML's safe loader (libyaml's when present: both are state
  machines, not recursive) and composed here without recursion: nothing is constructed, tags are
  ignored, a document of more than `MAX_NODES` nodes (aliases counted in full, so a
  billion-laughs document is refused without being expanded) or nested deeper than `MAX_DEPTH`
  is refused, as is a stream of several documents;
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
MAX_DEPTH = 100
MAX_TOTAL_BYTES = 4 << 20  # of all workflow files together
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
    style: str | None = None  # a scalar's style: None plain, "'", '"', "|", ">"
    size: int = 1  # nodes in this subtree, aliases counted in full
    key_lines: dict[str, int] | None = None  # a mapping's keys and the lines they are written on

    def get(self, key: str) -> Node | None:
        """The value under `key` when this is a mapping, else None."""
        return self.value.get(key) if isinstance(self.value, dict) else None

    def text(self) -> str | None:
        """The scalar's text, or None for a sequence or mapping."""
        return self.value if isinstance(self.value, str) else None

    def key_line(self, key: str) -> int:
        """The line `key` is written on in this mapping (this node's line if unknown)."""
        return (self.key_lines or {}).get(key, self.line)

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


class _Refused(Exception):
    """A document the composer will not build (too many nodes, too deep, an unknown alias)."""


class _Collection:
    """A sequence or mapping being composed: its items so far and its expanded node count."""

    def __init__(self, mapping: bool, line: int, anchor: str | None) -> None:
        self.mapping = mapping
        self.line = line
        self.anchor = anchor
        self.items: list[Node] = []
        self.size = 1

    def add(self, node: Node) -> None:
        self.items.append(node)
        self.size += node.size
        if self.size > MAX_NODES:
            raise _Refused(f"more than {MAX_NODES} YAML nodes (aliases counted in full)")

    def finish(self, end_line: int) -> Node:
        if not self.mapping:
            return Node(tuple(self.items), self.line, end_line, size=self.size)
        entries: dict[str, Node] = {}
        key_lines: dict[str, int] = {}
        merged: list[Node] = []
        for key, value in zip(self.items[0::2], self.items[1::2], strict=True):
            if not isinstance(key.value, str):
                continue  # complex keys are never GitHub Actions syntax
            if key.value == "<<" and key.style is None:
                merged.extend([value] if isinstance(value.value, dict) else value.sequence())
            else:
                entries[key.value] = value
                key_lines[key.value] = key.line
        for source in merged:  # `<<: *anchor`: keys written in the mapping itself win
            for key_text, value in source.mapping().items():
                if key_text not in entries:
                    entries[key_text] = value
                    key_lines[key_text] = (source.key_lines or {}).get(key_text, value.line)
        return Node(entries, self.line, end_line, size=self.size, key_lines=key_lines)


def default_loader() -> type:
    """libyaml's safe loader when PyYAML has it (only its event parser is used), else PyYAML's."""
    loader: type = getattr(yaml, "CSafeLoader", None) or yaml.SafeLoader
    return loader


def _compose(text: str, loader: type) -> Node | None:
    """Compose a single YAML document from parser events, iteratively and within the limits.

    Only events are taken from PyYAML (its parsers are state machines, not recursive); tags are
    ignored (nothing is constructed); an alias shares the anchored node, and counts its whole
    size, so a billion-laughs document is refused without ever being expanded.
    """
    stack: list[_Collection] = []
    anchors: dict[str, Node] = {}
    root: Node | None = None
    documents = 0

    def attach(node: Node, anchor: str | None) -> None:
        nonlocal root
        if anchor:
            anchors[anchor] = node
        if stack:
            stack[-1].add(node)
        else:
            root = node

    for event in yaml.parse(text, Loader=loader):
        if isinstance(event, yaml.DocumentStartEvent):
            documents += 1
            if documents > 1:
                raise _Refused("more than one YAML document")
        elif isinstance(event, yaml.ScalarEvent):
            attach(Node(str(event.value), _line(event.start_mark), _line(event.end_mark), event.style), event.anchor)
        elif isinstance(event, yaml.AliasEvent):
            if event.anchor not in anchors:
                raise _Refused(f"alias *{event.anchor} names no complete anchor")
            attach(anchors[event.anchor], None)
        elif isinstance(event, (yaml.SequenceStartEvent, yaml.MappingStartEvent)):
            if len(stack) >= MAX_DEPTH:
                raise _Refused(f"YAML nested deeper than {MAX_DEPTH}")
            mapping = isinstance(event, yaml.MappingStartEvent)
            stack.append(_Collection(mapping, _line(event.start_mark), event.anchor))
        elif isinstance(event, (yaml.SequenceEndEvent, yaml.MappingEndEvent)):
            collection = stack.pop()
            attach(collection.finish(_line(event.end_mark)), collection.anchor)
    return root


def _line(mark: object) -> int:
    """The 1-based line of a PyYAML mark (0 when there is none)."""
    line = getattr(mark, "line", None)
    return line + 1 if isinstance(line, int) else 0


def parse_yaml(text: str, where: str, loader: type | None = None) -> tuple[Node | None, list[str]]:
    """Compose `text` safely; the root `Node` (or None) and notes about what went wrong.

    `loader` is the PyYAML safe loader class whose event parser is used (`yaml.SafeLoader` or
    `yaml.CSafeLoader`; default: `default_loader()`).
    """
    if loader not in (None, yaml.SafeLoader, getattr(yaml, "CSafeLoader", None)):
        raise ValueError("only PyYAML's safe loaders are used")
    try:
        root = _compose(text, loader or default_loader())
    except _Refused as why:
        return None, [f"{where}: {why}, skipped"]
    except yaml.YAMLError as error:
        return None, [f"{where}: invalid YAML, skipped ({_one_line(error)})"]
    except (RecursionError, MemoryError, ValueError, IndexError) as error:
        return None, [f"{where}: unreadable YAML, skipped ({type(error).__name__})"]
    if root is None:
        return None, [f"{where}: empty YAML document, skipped"]
    return root, []


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
