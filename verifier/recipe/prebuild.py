"""What the release workflow did before building, as a rebuild can repeat it.

`release_steps(commands, tree)` sorts the commands run before the build into
- requirements the release installed for the build tool: the lines of `pip install -r FILE` (read
  from the tagged tree), the pinned names of `pip install build==1.0.3 …`, and names a constraints
  file of the tree pins (`pip install -c constraints.txt poetry`); they become pinned
  build requirements (resolved as of the cut-off, from the index only);
- steps a build container can run with no network: a generator script (`python scripts/gen.py`),
  `make generate`, a clean-up (`rm -rf dist build`), file copies; they run there, never on the host;
- the rest (installers, downloads, git remotes, publishing, anything unknown), listed and skipped.

Nothing is run here.
"""

from __future__ import annotations

import posixpath
import re
from dataclasses import dataclass
from pathlib import Path

from packaging.requirements import InvalidRequirement, Requirement
from packaging.utils import canonicalize_name

from verifier.recipe.interface import Command
from verifier.recipe.shell import github_env_writes, program, strip_wrappers, words
from verifier.recipe.tree_files import inside, join_relative, read_tree_file

_INSTALLERS = {"pip", "pip3", "uv"}
# Programs that do their work on files of the tree, no network needed.
_OFFLINE = {"python", "rm", "cp", "mv", "mkdir", "touch", "ln", "chmod", "sed", "make", "bash", "sh", "echo", "printf", "cat", "find"}
_SCRIPT = re.compile(r"^\.{0,2}/?[\w./-]+\.(py|sh)$")
MAX_REQUIREMENT_LINES = 200


@dataclass(frozen=True)
class ReleaseSteps:
    """The release workflow's steps before the build, sorted for a rebuild."""

    commands: tuple[Command, ...] = ()  # run in the build container, in order
    requirements: tuple[str, ...] = ()  # installed for the build tool
    requirement_origins: tuple[str, ...] = ()  # where each requirement (file or command) was read
    skipped: tuple[str, ...] = ()  # what is not repeated, and why

    @property
    def prebuild(self) -> tuple[str, ...]:
        """The commands as the build container runs them, from the root of the tree."""
        return tuple(
            f"cd {_quote(command.working_directory)} && {command.text}" if command.working_directory else command.text
            for command in self.commands
        )


def _quote(path: str) -> str:
    return path if re.fullmatch(r"[\w./-]+", path) else "'" + path.replace("'", "'\\''") + "'"


def release_steps(commands: list[Command], tree: Path) -> ReleaseSteps:
    """Sort the commands a release workflow ran before its build."""
    runnable: list[Command] = []
    requirements: list[str] = []
    origins: list[str] = []
    skipped: list[str] = []
    for command in commands:
        tokens = words(command.text)
        _, tokens, runner = strip_wrappers(tokens)
        if not tokens or tokens[0] == "export" or github_env_writes(command.text):
            continue  # the variables it sets are the build's environment already (verifier.recipe.environment)
        name, arguments = program(tokens, runner)
        if name in _INSTALLERS:
            found, why = _installed(name or "", arguments, command, tree)
            names = {Requirement(requirement).name.lower() for requirement in requirements}
            requirements.extend(requirement for requirement in found if Requirement(requirement).name.lower() not in names)
            if found:
                origins.append(command.origin)
            if why:
                skipped.append(f"{command.origin}: {why}")
        elif _offline(tokens, name, arguments):
            script = _script_of(tokens)
            if script is None or _in_tree(tree, command.working_directory, script):
                runnable.append(command)
            else:
                skipped.append(f"{command.origin}: `{command.text}` runs {script}, which is not in the tagged tree (made by an earlier step)")
        else:
            skipped.append(f"{command.origin}: `{command.text}` is not repeated (it may need the network or the host)")
    return ReleaseSteps(tuple(runnable), tuple(requirements), tuple(origins), tuple(skipped))


def _offline(tokens: list[str], name: str | None, arguments: list[str]) -> bool:
    """Whether a command only works on the tree: a script of the tree, or a tool that needs no network."""
    head = posixpath.basename(tokens[0])
    if any("GITHUB_" in word for word in tokens):
        return False  # step outputs and environment files are the runner's, not the tree's
    if re.fullmatch(r"python(3(\.\d+)?)?", head):
        script = next((word for word in tokens[1:] if not word.startswith("-")), "")
        return tokens[1:2] != ["-c"] and _SCRIPT.match(script) is not None and script.endswith(".py") \
            and posixpath.basename(script) != "setup.py"
    if _SCRIPT.match(tokens[0]) and "/" in tokens[0]:
        return True
    return name is not None and head in _OFFLINE and not any(word.startswith(("http://", "https://")) for word in arguments)


def _script_of(tokens: list[str]) -> str | None:
    """The script of the tree a command runs (`python gen.py`, `./gen.sh`, `bash gen.sh`), if any."""
    head = posixpath.basename(tokens[0])
    if re.fullmatch(r"python(3(\.\d+)?)?|bash|sh", head):
        return next((word for word in tokens[1:] if not word.startswith("-")), None)
    return tokens[0] if _SCRIPT.match(tokens[0]) and "/" in tokens[0] else None


def _in_tree(tree: Path, directory: str | None, script: str) -> bool:
    relative = join_relative(directory or "", script)
    path = inside(tree, relative) if relative else None
    return path is not None and path.is_file()


def _installed(name: str, arguments: list[str], command: Command, tree: Path) -> tuple[list[str], str]:
    """The requirements of `pip install …` (and `uv pip install …`) worth pinning, and what was left."""
    if name == "uv":
        arguments = arguments[1:] if arguments[:1] == ["pip"] else []
    if arguments[:1] != ["install"]:
        return [], ""
    found: list[str] = []
    left: list[str] = []
    unpinned: list[Requirement] = []
    constraints: dict[str, Requirement] = {}
    rest = arguments[1:]
    index = 0
    while index < len(rest):
        word = rest[index]
        option, _, value = word.partition("=")
        if option in ("-r", "--requirement", "-c", "--constraint"):
            if not value and index + 1 < len(rest):
                value = rest[index + 1]
                index += 1
            listed = _requirements_file(value, command, tree, left) if value else []
            if option in ("-r", "--requirement"):
                found += listed
            else:  # a constraints file installs nothing: it pins what the command names
                pinned = (Requirement(text) for text in listed)
                constraints.update((canonicalize_name(pin.name), pin) for pin in pinned if pin.specifier)
        elif not word.startswith("-"):
            requirement = _requirement(word)
            if requirement is not None and requirement.specifier:
                found.append(str(requirement))
            elif requirement is not None:
                unpinned.append(requirement)
        index += 1
    for requirement in unpinned:
        constraint = constraints.get(canonicalize_name(requirement.name))
        if constraint is not None:
            requirement.specifier = constraint.specifier
            found.append(str(requirement))
        else:
            left.append(str(requirement))  # unpinned: the cut-off decides its version anyway
    installers = [text for text in found if _key(text) in _INSTALLERS]  # upgrading the installer builds nothing
    found = [text for text in found if _key(text) not in _INSTALLERS]
    why = f"not pinned from `{command.text}`: {', '.join(left)}" if left else ""
    if installers:
        why = "; ".join(filter(None, (why, f"`{command.text}` upgrades the installer ({', '.join(installers)}): not a build requirement")))
    return found, why


def _key(text: str) -> str:
    return canonicalize_name(Requirement(text).name)


def _requirement(text: str) -> Requirement | None:
    if text in (".", "..") or "/" in text or text.startswith(("-", "git+")):
        return None
    try:
        return Requirement(text)
    except InvalidRequirement:
        return None


def _requirements_file(name: str, command: Command, tree: Path, left: list[str]) -> list[str]:
    """The requirements listed in a requirements file of the tree (hashes and options dropped)."""
    relative = join_relative(command.working_directory or "", name)
    if relative is None or "$" in name:
        left.append(name)
        return []
    text, why = read_tree_file(tree, relative)
    if text is None:
        left.append(f"{name} ({why or 'unreadable'})")
        return []
    found: list[str] = []
    for raw in text.splitlines()[:MAX_REQUIREMENT_LINES]:
        line = re.sub(r"(^|\s)#.*$", "", raw).strip().rstrip("\\").strip()
        line = re.sub(r"\s--hash[= ]\S+", "", " " + line).strip()
        if not line or line.startswith("-"):
            if line and not line.startswith("--hash"):
                left.append(line)
            continue
        requirement = _requirement(line)
        if requirement is None:
            left.append(line)
        else:
            found.append(str(requirement))
    return found
