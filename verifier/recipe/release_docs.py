"""How the published sdist was built, read from the tree's release checklist when no workflow builds.

Many projects release by hand from a checklist in the repository (`RELEASING.md`, `RELEASE.md`,
`docs/releasing.rst`, …): its shell blocks name the build command and what runs before it
(humanize 4.9.0: `scripts/generate-translation-binaries.sh`, then `python -m build`). The shell
lines of its code blocks (Markdown fences, reST `code-block`/`::` blocks; a `$ ` prompt is dropped)
are read in order up to the first command that builds an sdist. Every line is taken as run from
the root of the tree (a checklist's `cd` is to a fresh clone or elsewhere: not followed). Nothing
is run here; the commands before the build become the recipe's pre-build steps, which `--search`
runs in the build container only when the published sdist holds files the tag does not track.
"""

from __future__ import annotations

import re
from pathlib import Path

from verifier.recipe.commands import commands_of_lines
from verifier.recipe.interface import Command, InferredRecipe, Setting
from verifier.recipe.tree_files import read_tree_file

RELEASE_DOCS = (
    "RELEASING.md", "RELEASE.md", "RELEASING.rst", "RELEASE.rst", "RELEASING.txt", "RELEASING",
    ".github/RELEASING.md", ".github/RELEASE.md",
    "docs/releasing.md", "docs/release.md", "docs/RELEASING.md", "docs/releasing.rst", "docs/release.rst",
    "docs/development/releasing.rst", "docs/development/release.rst",
)
MAX_LINES = 2000
_SHELL_FENCES = {"", "bash", "sh", "shell", "console", "shell-session", "zsh", "sh-session", "text"}
_FENCE = re.compile(r"^\s*(```+|~~~+)\s*([\w+-]*)")
_RST_BLOCK = re.compile(r"^(\s*)\.\. (?:code-block|code|sourcecode)::\s*(\w*)\s*$")
_PROMPT = re.compile(r"^(?:\$|%|>)\s+")


def infer_from_release_doc(tree: Path, notes: list[str]) -> InferredRecipe | None:
    """The recipe a release checklist of the tree gives (its first sdist build), or None."""
    for name in RELEASE_DOCS:
        text, why = read_tree_file(tree, name)
        if why:
            notes.append(why)
        if text is None:
            continue
        found = _recipe_of(name, text)
        if found is not None:
            return found
    return None


def shell_lines(text: str, markdown: bool) -> list[tuple[str, int]]:
    """(line, number) of the shell code blocks, prompts dropped, comments and blank lines left out."""
    lines = text.splitlines()[:MAX_LINES]
    found: list[tuple[str, int]] = []
    fence: str | None = None
    shell = False
    rst_indent: int | None = None
    for number, line in enumerate(lines, start=1):
        if fence is not None:
            if line.strip().startswith(fence):
                fence = None
            elif shell:
                found.append((line, number))
            continue
        match = _FENCE.match(line)
        if match and markdown:
            fence, shell = match.group(1), match.group(2).lower() in _SHELL_FENCES
            continue
        if not markdown:
            if rst_indent is not None:
                indent = len(line) - len(line.lstrip())
                if line.strip() and indent <= rst_indent:
                    rst_indent = None
                elif line.strip():
                    found.append((line, number))
                    continue
                else:
                    continue
            block = _RST_BLOCK.match(line)
            if block and block.group(2).lower() in _SHELL_FENCES:
                rst_indent = len(block.group(1))
            elif line.rstrip().endswith("::") and not block:
                rst_indent = len(line) - len(line.lstrip())
    return _commands(found)


def _commands(found: list[tuple[str, int]]) -> list[tuple[str, int]]:
    """Prompts dropped, comments and blank lines left out, `\\` continuations joined."""
    commands: list[tuple[str, int]] = []
    pending: tuple[str, int] | None = None
    for raw, number in found:
        line, first = _PROMPT.sub("", raw.strip()), number
        if pending is not None:
            line, first = pending[0] + " " + line, pending[1]
            pending = None
        if not line or line.startswith("#"):
            continue
        if line.endswith("\\"):
            pending = (line[:-1].rstrip(), first)
            continue
        commands.append((line, first))
    return commands


def _recipe_of(name: str, text: str) -> InferredRecipe | None:
    items = commands_of_lines(shell_lines(text, markdown=not name.endswith((".rst", ".txt"))), name, "", 0, persist_cd=False)
    index = next((index for index, item in enumerate(items) if item.kind.build is not None and item.kind.build.sdist), None)
    if index is None:
        return None
    item = items[index]
    build = item.kind.build
    assert build is not None
    prebuild = [Command(before.text, before.origin, "") for before in items[:index] if before.kind.build is None and before.kind.cd is None]
    settings = [
        Setting("release_doc", name, item.origin, "no workflow builds: the tree's release checklist (its commands as run from the root)"),
        Setting("build_command", item.text, item.origin, "makes an sdist"),
        *(Setting("frontend", build.frontend, item.origin, build.tool) for _ in [0] if build.frontend is not None),
        *(Setting(f"option.{option}", value, item.origin, build.tool) for option, value in build.options),
        *(Setting("prebuild", command.text, command.origin) for command in prebuild),
    ]
    notes = [f"no workflow builds a distribution: the release checklist {name} does ({item.origin}); a checklist is followed by hand, so its steps may not be the ones run"]
    return InferredRecipe(frontend=build.frontend, prebuild=prebuild, build_command=item.text, settings=settings, notes=notes)
