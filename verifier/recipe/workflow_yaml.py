"""YAML written by whoever controls the repository, composed safely and kept with its line numbers.

Only parser events are taken from PyYAML's safe loader (libyaml's when present: both are state
machines, not recursive) and composed here without recursion: nothing is constructed, tags are
ignored, a document of more than `MAX_NODES` nodes (aliases counted in full, so a billion-laughs
document is refused without being expanded) or nested deeper than `MAX_DEPTH` is refused, as is a
stream of several documents. Every problem becomes a note; nothing here raises for the content.

The result is a tree of `Node`s; scalars stay the exact text written, so `3.10` is not `3.1`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Union

import yaml

from verifier.recipe.tree_files import one_line

MAX_NODES = 100_000
MAX_DEPTH = 100

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
        return None, [f"{where}: invalid YAML, skipped ({one_line(error)})"]
    except (RecursionError, MemoryError, ValueError, IndexError) as error:
        return None, [f"{where}: unreadable YAML, skipped ({type(error).__name__})"]
    if root is None:
        return None, [f"{where}: empty YAML document, skipped"]
    return root, []
