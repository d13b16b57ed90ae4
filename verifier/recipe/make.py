"""Following `make TARGET` into the Makefile: recipe lines, prerequisites first, and exports.

The Makefile is read by simple parsing (rules, simple variables, `export`s); nothing is run, and
`$(shell …)`-style assignments (`!=`) are ignored.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace

from verifier.recipe.commands import Context, JobCommand, commands_of_lines, via_chain
from verifier.recipe.interface import Setting
from verifier.recipe.kinds import RunnerCall
from verifier.recipe.tree_files import join_relative

MAX_MAKE_DEPTH = 10  # prerequisite chains followed in a Makefile


@dataclass
class _Makefile:
    """Rules and variables of a Makefile, read by simple parsing."""

    rules: dict[str, tuple[list[str], list[tuple[str, int]]]] = field(default_factory=dict)
    variables: dict[str, str] = field(default_factory=dict)
    exports: dict[str, int] = field(default_factory=dict)
    first: str | None = None


_MAKE_ASSIGNMENT = re.compile(r"^(export\s+|override\s+)?([A-Za-z_][A-Za-z0-9_.-]*)\s*(\?=|:::=|::=|:=|\+=|!=|=)\s*(.*)$")
_MAKE_RULE = re.compile(r"^([^:=#\t][^:=#]*?)\s*::?(?!=)\s*(.*)$")
_MAKE_DIRECTIVES = (
    "include", "-include", "sinclude", "ifeq", "ifneq", "ifdef", "ifndef", "else", "endif", "define", "endef", "vpath",
    "unexport",
)


def follow_make(call: RunnerCall, item: JobCommand, context: Context) -> list[JobCommand]:
    """The recipe lines of the make targets `call` runs, prerequisites first."""
    directory = join_relative(item.workdir, call.directory or ".")
    if directory is None:
        return []
    relative, text = _read_makefile(directory, call.config, context)
    if relative is None or text is None:
        return []
    makefile = _parse_makefile(text)
    makefile.variables.update(dict(call.overrides))
    targets = call.targets or ((makefile.first,) if makefile.first else ())
    lines: list[tuple[str, int]] = []
    visited: set[str] = set()
    for target in targets:
        if target not in makefile.rules:
            context.note(f"{relative}: no rule for `{target}` (`{item.text}` at {item.origin})")
        _make_visit(makefile, target, visited, lines, 0)
    via = via_chain(item, f"make target {' '.join(targets)} in {relative}")
    env = _make_exports(makefile, relative, context)
    found: list[JobCommand] = []
    for text_line, number in lines:  # every recipe line runs in its own shell
        found.extend(commands_of_lines([(text_line, number)], relative, directory, item.step, persist_cd=False, via=via))
    return [replace(entry, extra_env=tuple(env)) for entry in found]


def _read_makefile(directory: str, config: str | None, context: Context) -> tuple[str | None, str | None]:
    """(path, text) of the Makefile make would read in `directory`."""
    names = [config] if config else ["GNUmakefile", "makefile", "Makefile"]
    for name in names:
        relative, text = context.read(directory, name)
        if relative is not None and text is not None:
            return relative, text
    return None, None


def _parse_makefile(text: str) -> _Makefile:
    """Rules (prerequisites, recipe lines with their line numbers), simple variables and exports."""
    makefile = _Makefile()
    current: list[tuple[str, int]] | None = None
    for line, number in _make_logical_lines(text):
        if line.startswith("\t"):
            if current is not None:
                current.append((line.strip(), number))
            continue
        stripped = line.strip()
        if not stripped or stripped.startswith("#"):
            continue
        current = None
        if stripped.split(" ", 1)[0] in _MAKE_DIRECTIVES:
            continue
        assignment = _MAKE_ASSIGNMENT.match(stripped)
        if assignment:
            _make_assign(makefile, assignment, number)
            continue
        if stripped.startswith("export "):
            for name in stripped.split()[1:]:
                makefile.exports[name] = number
            continue
        rule = _MAKE_RULE.match(stripped)
        if rule:
            current = _make_rule(makefile, rule, number)
    return makefile


def _make_logical_lines(text: str) -> list[tuple[str, int]]:
    """Lines with backslash continuations joined, each with the number of its first line."""
    logical: list[tuple[str, int]] = []
    pending = ""
    start = 0
    for number, line in enumerate(text.splitlines(), 1):
        if not pending:
            start = number
        line = pending + (line.lstrip() if pending else line)  # noqa: PLW2901 - the line, joined to its continuation
        if line.endswith("\\"):
            pending = line[:-1].rstrip() + " "
            continue
        pending = ""
        logical.append((line, start))
    if pending:
        logical.append((pending, start))
    return logical


def _make_assign(makefile: _Makefile, match: re.Match[str], number: int) -> None:
    """Record `NAME = value` (and `export NAME = value`)."""
    export, name, operator, value = match.groups()
    if operator == "!=":
        return
    if operator == "?=" and name in makefile.variables:
        return
    if operator == "+=" and name in makefile.variables:
        value = f"{makefile.variables[name]} {value}"
    makefile.variables[name] = value.strip()
    if export and export.strip() == "export":
        makefile.exports[name] = number


def _make_rule(makefile: _Makefile, match: re.Match[str], number: int) -> list[tuple[str, int]]:
    """Record a rule; the list its recipe lines go in."""
    targets, rest = match.group(1).split(), match.group(2)
    prerequisites, _, inline = rest.partition(";")
    recipe: list[tuple[str, int]] = [(inline.strip(), number)] if inline.strip() else []
    for target in targets:
        makefile.rules[target] = (prerequisites.split(), recipe)
        if makefile.first is None and not target.startswith(".") and "%" not in target:
            makefile.first = target
    return recipe


def _make_visit(makefile: _Makefile, target: str, visited: set[str], lines: list[tuple[str, int]], depth: int) -> None:
    """Append the recipe of `target`, after those of its prerequisites, each target once."""
    if target in visited or depth > MAX_MAKE_DEPTH or target not in makefile.rules:
        return
    visited.add(target)
    prerequisites, recipe = makefile.rules[target]
    for prerequisite in prerequisites:
        _make_visit(makefile, _make_expand(prerequisite, makefile.variables), visited, lines, depth + 1)
    for text, number in recipe:
        lines.append((_make_expand(text, makefile.variables).lstrip("@-+ \t"), number))


def _make_expand(text: str, variables: dict[str, str]) -> str:
    """`$(NAME)` / `${NAME}` replaced by simple variables (a few rounds), `$(MAKE)` by make, `$$` by `$`."""
    known = {"MAKE": "make", **variables}
    pattern = re.compile(r"\$[({]([A-Za-z_][A-Za-z0-9_.-]*)[)}]")
    for _ in range(8):
        replaced = pattern.sub(lambda match: known.get(match.group(1), match.group(0)), text)
        if replaced == text or len(replaced) > 10_000:
            break
        text = replaced
    return text.replace("$$", "$")


def _make_exports(makefile: _Makefile, relative: str, context: Context) -> list[Setting]:
    """Exported Makefile variables with literal values as `env.NAME` settings."""
    settings = []
    for name, number in makefile.exports.items():
        value = makefile.variables.get(name)
        if value is None:
            continue
        expanded = _make_expand(value, makefile.variables)
        if "$" in expanded:
            context.note(f"{relative}:{number}: exported {name} is not a literal value, skipped")
            continue
        settings.append(Setting(f"env.{name}", expanded, f"{relative}:{number}", "Makefile export"))
    return settings
