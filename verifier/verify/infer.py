"""How the published sdist was built, read from the tagged tree's CI configuration.

`infer_recipe(tree)` looks at `.github/workflows/*.yml|*.yaml` for the steps that build a
distribution (`python -m build`, `pyproject-build`, `flit build`, `hatch build`, `poetry build`,
`pdm build`, `python setup.py sdist`, the `hynek/build-and-inspect-python-package` and `pypa/build`
actions), follows `tox -e ENV`, `nox -s SESSION` and `make TARGET` into `tox.ini`, `noxfile.py`
and the Makefile when a step calls them, and picks the build that most likely made the published
sdist:

1. with `package`, a build whose directory (`working-directory`, `cd`, the source or output
   directory, the action's `path`) names the package;
2. a build that makes an sdist (`--sdist`, `-s` or no format restriction) over a wheel-only one;
3. a build in a job that publishes (`pypa/gh-action-pypi-publish`, `twine upload`, `flit|poetry|
   pdm|hatch|uv publish`) or is linked to the publishing job by `needs` (either way), or in a
   reusable workflow such a job calls;
4. a build in a workflow that publishes at all, then one triggered by a release or a tag;
5. a frontend the verifier runs (`uv build` is recognised, and ranked after them);
6. the first in file order (workflow files sorted by name, then jobs and steps as written).

The recipe holds the frontend, the Python of the build job (`actions/setup-python` /
`astral-sh/setup-uv` `python-version`, matrix values resolved, `.python-version` as a fallback),
the literal environment the build command sees (workflow, job and step `env`, `$GITHUB_ENV` writes
of earlier steps, `export`s, `tox` `setenv`, Makefile `export`s; expressions and secrets are
skipped), the shell commands run before it in the same job, the build command, every setting with
its origin (`file:line`, the file relative to the tree) and notes on what was ambiguous or skipped.

Everything in the tree is untrusted: nothing is executed (`noxfile.py` is read with `ast`), YAML is
composed safely with limits (see `verifier.verify.workflows`), and nothing here raises for the
content of a file: what cannot be read becomes a note.
"""

from __future__ import annotations

import ast
import configparser
import dataclasses
import posixpath
import re
import shlex
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, Literal

from verifier.verify.workflows import (
    EXPRESSION,
    Job,
    Node,
    Step,
    Workflow,
    expressions,
    load_workflows,
    read_tree_file,
    script_lines,
)

Frontend = Literal["build", "flit", "hatch", "poetry", "pdm", "setup.py"]

MAX_INDIRECTION = 3  # workflow → make → tox → … at most this deep
MAX_MAKE_DEPTH = 10  # prerequisite chains followed in a Makefile
MAX_OTHERS_NOTED = 5
PYTHON_VERSION_FILE = ".python-version"

_VERSION = re.compile(r"^\d+\.\d+(\.\d+)?$")
_ASSIGNMENT = re.compile(r"^([A-Za-z_][A-Za-z0-9_]*)=(.*)$", re.DOTALL)
_PYTHON_EXE = re.compile(r"^(python(\d+(\.\d+)?)?|py|pypy(\d+(\.\d+)?)?)(\.exe)?$")
_GITHUB_ENV_WRITE = re.compile(
    r"""^(?:echo|printf)\s+(?:-e\s+)?(['"]?)([A-Za-z_][A-Za-z0-9_]*)=(.*?)\1\s*>>\s*["']?\$\{?GITHUB_ENV\}?["']?\s*$"""
)
_HARMLESS_ACTIONS = (
    "actions/checkout",
    "actions/setup-python",
    "astral-sh/setup-uv",
    "actions/cache",
    "actions/upload-artifact",
)
_SETUP_PYTHON_ACTIONS = ("actions/setup-python", "astral-sh/setup-uv")


# --------------------------------------------------------------------------- public API


@dataclass(frozen=True)
class Setting:
    """One inferred setting and where it was read (`file:line`, the file relative to the tree)."""

    name: str
    value: str
    origin: str
    note: str = ""


@dataclass(frozen=True)
class Command:
    """A shell command run before the build, where it was written, and the directory it runs in."""

    text: str
    origin: str
    working_directory: str | None = None  # relative to the tree; "" the root; None unknown


@dataclass(frozen=True)
class InferredRecipe:
    """How the published sdist was most likely built; all empty when nothing was found.

    - `frontend`: "build" (`python -m build`, `pyproject-build`, the hynek and pypa build actions),
      "flit", "hatch", "poetry", "pdm", "setup.py", or None;
    - `python`: "3.12" (as written, "3.11.9" too) or None when no single version is named;
    - `env`: the literal environment variables the build command sees, innermost definition winning;
    - `prebuild`: the shell commands run before the build in the same job, in order;
    - `build_command`: the build command exactly as written (after Makefile variable and tox
      `{posargs}` substitution), or `uses: OWNER/ACTION@REF` for a build action;
    - `settings`: every inferred value with its origin `file:line` (`job`, `via`, `frontend`,
      `build_command`, `working_directory`, `option.*`, `prebuild`, `env.*`, `python`);
    - `notes`: what was ambiguous, skipped or unreadable.
    """

    frontend: Frontend | None = None
    python: str | None = None
    env: dict[str, str] = field(default_factory=dict)
    prebuild: list[Command] = field(default_factory=list)
    build_command: str | None = None
    settings: list[Setting] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    @property
    def found(self) -> bool:
        """Whether a build command was found."""
        return self.build_command is not None

    def setting(self, name: str) -> Setting | None:
        """The first setting called `name` (`job`, `python`, `env.NAME`, `working_directory`, …)."""
        return next((setting for setting in self.settings if setting.name == name), None)

    def as_dict(self) -> dict[str, Any]:
        """A JSON-ready form for the report."""
        return {
            "frontend": self.frontend,
            "python": self.python,
            "env": dict(self.env),
            "prebuild": [dataclasses.asdict(command) for command in self.prebuild],
            "build_command": self.build_command,
            "settings": [dataclasses.asdict(setting) for setting in self.settings],
            "notes": list(self.notes),
        }


def infer_recipe(tree: Path, package: str | None = None) -> InferredRecipe:
    """Infer from `tree`'s CI configuration how its published sdist was built.

    `package` (a distribution name) helps choose between the builds of a monorepo. Never raises
    for the content of the tree; an empty recipe (with notes, if anything was skipped) when no
    build is found.
    """
    tree = Path(tree)
    notes: list[str] = []
    try:
        loaded = load_workflows(tree)
    except OSError as error:  # the tree itself is unreadable
        return InferredRecipe(notes=[f"the CI configuration cannot be read: {error}"])
    notes.extend(loaded.notes)
    context = _Context(tree, notes)
    jobs = [_scan_job(workflow, job, context) for workflow in loaded.workflows for job in workflow.jobs]
    candidates = _candidates(jobs, loaded.workflows)
    if not candidates:
        python, settings = _fallback_python(tree, notes)
        if loaded.workflows:
            notes.append("no workflow step builds a distribution")
        return InferredRecipe(python=python, settings=settings, notes=notes)
    ranked = sorted(candidates, key=lambda candidate: _score(candidate, package), reverse=True)
    return _recipe(ranked[0], ranked[1:], package, context)


# --------------------------------------------------------------------------- commands


@dataclass(frozen=True)
class _Build:
    """A command (or action) that builds distributions."""

    frontend: Frontend | None
    tool: str
    sdist: bool
    options: tuple[tuple[str, str], ...] = ()
    paths: tuple[str, ...] = ()
    action: bool = False


@dataclass(frozen=True)
class _Call:
    """A call of tox, nox or make, whose commands may build."""

    tool: Literal["tox", "nox", "make"]
    targets: tuple[str, ...]
    directory: str | None = None
    config: str | None = None
    posargs: tuple[str, ...] = ()
    overrides: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True)
class _Kind:
    """What one shell command (or step) does, as far as the recipe is concerned."""

    build: _Build | None = None
    publish: str | None = None
    call: _Call | None = None
    cd: str | None = None  # the directory a `cd` goes to; "?" when it cannot be told
    assignments: tuple[tuple[str, str], ...] = ()  # `NAME=value command`
    exports: tuple[tuple[str, str], ...] = ()  # `export NAME=value`
    github_env: tuple[tuple[str, str], ...] = ()  # `echo NAME=value >> $GITHUB_ENV`


@dataclass(frozen=True)
class _Item:
    """One command of a job, in the order it runs, with where it was written."""

    text: str
    file: str
    line: int
    workdir: str | None
    step: int
    kind: _Kind
    uses: Step | None = None
    via: tuple[Setting, ...] = ()
    extra_env: tuple[Setting, ...] = ()
    python: Setting | None = None

    @property
    def origin(self) -> str:
        return f"{self.file}:{self.line}"


def split_segments(line: str) -> list[str]:
    """Split one shell line at unquoted `&&`, `||`, `;`, `|` and `&`; drop a trailing comment."""
    segments: list[str] = []
    current: list[str] = []
    quote: str | None = None
    index = 0
    while index < len(line):
        char = line[index]
        if quote is not None:
            current.append(char)
            if char == "\\" and quote == '"' and index + 1 < len(line):
                current.append(line[index + 1])
                index += 1
            elif char == quote:
                quote = None
        elif char == "\\" and index + 1 < len(line):
            current.extend((char, line[index + 1]))
            index += 1
        elif char in "'\"":
            quote = char
            current.append(char)
        elif char == "#" and (not current or current[-1].isspace()):
            break
        elif char in ";&|" and not _redirection(line, index, current):
            segments.append("".join(current))
            current = []
            if index + 1 < len(line) and line[index + 1] == char and char != ";":
                index += 1
        else:
            current.append(char)
        index += 1
    segments.append("".join(current))
    return [segment.strip() for segment in segments if segment.strip()]


def _redirection(line: str, index: int, current: list[str]) -> bool:
    """Whether the `&` or `|` at `index` belongs to a redirection (`2>&1`, `&>`, `>|`)."""
    previous = current[-1] if current else ""
    following = line[index + 1] if index + 1 < len(line) else ""
    return (bool(previous) and previous in "<>") or (line[index] == "&" and following == ">")


def _tokens(segment: str) -> list[str]:
    """Shell words of one command; whitespace-split when the quoting is unbalanced."""
    try:
        return shlex.split(segment, posix=True)
    except ValueError:
        return segment.split()


def classify(segment: str) -> _Kind:
    """What one shell command does: build, publish, call tox/nox/make, change directory, set env."""
    tokens = _tokens(segment)
    github_env = _github_env(segment)
    if github_env:
        return _Kind(github_env=github_env)
    assignments, tokens, runner = _strip_wrappers(tokens)
    if not tokens:
        return _Kind(assignments=assignments)
    head = tokens[0]
    if head == "cd":
        target = tokens[1] if len(tokens) > 1 else ""
        return _Kind(cd=target if target and target != "-" and "$" not in target and "~" not in target else "?")
    if head == "export":
        return _Kind(exports=tuple(_assignment(token) for token in tokens[1:] if _ASSIGNMENT.match(token)))
    name, arguments = _program(tokens, runner)
    if name is None:
        return _Kind(assignments=assignments)
    return replace(_classify_program(name, arguments), assignments=assignments)


def _assignment(token: str) -> tuple[str, str]:
    """(name, value) of `NAME=value`."""
    match = _ASSIGNMENT.match(token)
    return (match.group(1), match.group(2)) if match else (token, "")


def _github_env(segment: str) -> tuple[tuple[str, str], ...]:
    """`echo "NAME=value" >> $GITHUB_ENV` as ((NAME, value),)."""
    match = _GITHUB_ENV_WRITE.match(segment.strip())
    return ((match.group(2), match.group(3)),) if match else ()


_WRAPPER_VALUE_OPTIONS = {
    "--with", "-w", "--from", "--python", "-p", "--spec", "--directory", "--project", "--extra",
    "--group", "--index-url", "--extra-index-url", "--index", "--pip-args", "-e", "--env",
    "-u", "--user", "-g",
}
_RUNNERS = {("pipx", "run"), ("uv", "run"), ("uv", "tool"), ("poetry", "run"), ("pdm", "run"), ("pipenv", "run"), ("hatch", "run")}
_PREFIXES = {"sudo", "env", "time", "nice", "exec", "command", "xvfb-run", "uvx", "nohup"}


def _strip_wrappers(tokens: list[str]) -> tuple[tuple[tuple[str, str], ...], list[str], bool]:
    """Leading `NAME=value`s, the command without wrappers (`sudo`, `uv run`, `pipx run`, …), and
    whether a tool runner (pipx/uvx) was stripped (so that `build` means PyPA build)."""
    assignments: list[tuple[str, str]] = []
    runner = False
    for _ in range(16):
        if not tokens:
            break
        head = posixpath.basename(tokens[0])
        if _ASSIGNMENT.match(tokens[0]):
            assignments.append(_assignment(tokens[0]))
            tokens = tokens[1:]
        elif head in _PREFIXES:
            runner = runner or head == "uvx"
            tokens = _skip_options(tokens[1:])
        elif len(tokens) > 1 and (head, tokens[1]) in _RUNNERS:
            runner = runner or head in ("pipx", "uv")
            rest = tokens[3:] if head == "uv" and tokens[1] == "tool" and tokens[2:3] == ["run"] else tokens[2:]
            tokens = _skip_options(rest)
        else:
            break
    return tuple(assignments), tokens, runner


def _skip_options(tokens: list[str]) -> list[str]:
    """`tokens` without leading options (and the values of the wrapper options that take one)."""
    index = 0
    while index < len(tokens) and tokens[index].startswith("-"):
        option = tokens[index]
        index += 2 if option in _WRAPPER_VALUE_OPTIONS else 1
    return tokens[index:]


def _program(tokens: list[str], runner: bool) -> tuple[str | None, list[str]]:
    """The program a command runs (`python -m X` is X, `python setup.py` is setup.py) and its arguments."""
    head = posixpath.basename(tokens[0])
    if _PYTHON_EXE.match(head) or head in ("$PYTHON", "${PYTHON}", "$(PYTHON)"):
        return _python_program(tokens)
    if head == "build" and runner:
        return "pyproject-build", tokens[1:]
    if head in ("$(MAKE)", "${MAKE}", "$MAKE", "gmake"):
        return "make", tokens[1:]
    return head, tokens[1:]


def _python_program(tokens: list[str]) -> tuple[str | None, list[str]]:
    """The module or script `python [options] -m MODULE …` / `python setup.py …` runs."""
    index = 1
    while index < len(tokens):
        token = tokens[index]
        if token == "-m" and index + 1 < len(tokens):
            module = tokens[index + 1]
            return ("pyproject-build" if module == "build" else module), tokens[index + 2:]
        if token.startswith("-m") and len(token) > 2:
            module = token[2:]
            return ("pyproject-build" if module == "build" else module), tokens[index + 1:]
        if token == "-c":
            return None, []
        if not token.startswith("-"):
            return ("setup.py" if posixpath.basename(token) == "setup.py" else None), tokens[index + 1:]
        index += 2 if token in ("-X", "-W") else 1
    return None, []


def _classify_program(name: str, arguments: list[str]) -> _Kind:
    """What `name arguments…` does."""
    handler = _PROGRAMS.get(name)
    return handler(arguments) if handler else _Kind()


def _options(arguments: list[str], with_value: set[str]) -> tuple[list[tuple[str, str]], list[str]]:
    """Options (name, value; "" for flags, `--a=b` split) and positional arguments."""
    options: list[tuple[str, str]] = []
    positional: list[str] = []
    index = 0
    while index < len(arguments):
        token = arguments[index]
        if token == "--":
            positional.extend(arguments[index + 1:])
            break
        if token.startswith("--") and "=" in token:
            name, value = token.split("=", 1)
            options.append((name, value))
        elif token in with_value and index + 1 < len(arguments):
            options.append((token, arguments[index + 1]))
            index += 1
        elif token in with_value or (token.startswith("-") and len(token) > 1):
            options.append((token, ""))
        else:
            positional.append(token)
        index += 1
    return options, positional


def _has(options: list[tuple[str, str]], *names: str) -> bool:
    return any(name in names for name, _ in options)


def _values(options: list[tuple[str, str]], *names: str) -> list[str]:
    return [value for name, value in options if name in names]


def _short_flags(options: list[tuple[str, str]]) -> set[str]:
    """The letters of combined short flags (`-nsw`)."""
    letters: set[str] = set()
    for name, _ in options:
        if re.fullmatch(r"-[A-Za-z]+", name):
            letters.update(name[1:])
    return letters


def _pypa_build(arguments: list[str]) -> _Kind:
    """`python -m build` / `pyproject-build` arguments."""
    options, positional = _options(arguments, {"-o", "--outdir", "-C", "--config-setting", "--installer"})
    letters = _short_flags(options)
    sdist = _has(options, "--sdist") or "s" in letters
    wheel = _has(options, "--wheel") or "w" in letters
    found: list[tuple[str, str]] = []
    found += [("outdir", value) for value in _values(options, "-o", "--outdir")]
    found += [("config-setting", value) for value in _values(options, "-C", "--config-setting")]
    if _has(options, "--no-isolation") or "n" in letters:
        found.append(("no-isolation", "yes"))
    if _has(options, "--skip-dependency-check") or "x" in letters:
        found.append(("skip-dependency-check", "yes"))
    found += [("installer", value) for value in _values(options, "--installer")]
    found += [("srcdir", value) for value in positional[:1]]
    paths = tuple(value for name, value in found if name in ("outdir", "srcdir"))
    return _Kind(build=_Build("build", "python -m build", sdist or not wheel, tuple(found), paths))


def _subcommand(arguments: list[str], global_values: set[str], wanted: set[str]) -> tuple[str | None, list[str], list[str]]:
    """(subcommand, its arguments, values of the `wanted` global options) of `tool [globals] sub args…`."""
    index = 0
    values: list[str] = []
    while index < len(arguments) and arguments[index].startswith("-"):
        name, _, value = arguments[index].partition("=")
        if not value and name in global_values and index + 1 < len(arguments):
            value = arguments[index + 1]
            index += 1
        if value and name in wanted:
            values.append(value)
        index += 1
    if index >= len(arguments):
        return None, [], values
    return arguments[index], arguments[index + 1:], values


def _flit(arguments: list[str]) -> _Kind:
    """`flit build|publish` arguments."""
    sub, rest, _ = _subcommand(arguments, {"-f", "--ini-file"}, set())
    if sub not in ("build", "publish"):
        return _Kind()
    options, _positional = _options(rest, {"--format", "--repository", "--pypirc"})
    formats = _values(options, "--format")
    found = [("format", value) for value in formats]
    for flag in ("--setup-py", "--no-setup-py", "--use-vcs", "--no-use-vcs"):
        if _has(options, flag):
            found.append((flag.lstrip("-"), "yes"))
    build = _Build("flit", f"flit {sub}", not formats or "sdist" in formats, tuple(found))
    return _Kind(build=build, publish="flit publish" if sub == "publish" else None)


def _hatch(arguments: list[str]) -> _Kind:
    """`hatch build|publish` arguments."""
    global_values = {"-e", "--env", "-p", "--project", "--data-dir", "--cache-dir", "--config", "--color"}
    sub, rest, projects = _subcommand(arguments, global_values, {"-p", "--project"})
    if sub == "publish":
        return _Kind(publish="hatch publish")
    if sub != "build":
        return _Kind()
    options, positional = _options(rest, {"-t", "--target"})
    targets = _values(options, "-t", "--target")
    found = [("target", value) for value in targets] + [("location", value) for value in positional[:1]]
    for flag in ("--hooks-only", "--no-hooks", "--clean"):
        if _has(options, flag):
            found.append((flag.lstrip("-"), "yes"))
    sdist = not targets or any(target.split(":")[0] == "sdist" for target in targets)
    return _Kind(build=_Build("hatch", "hatch build", sdist, tuple(found), tuple(projects)))


_POETRY_GLOBALS = {"-C", "--directory", "-P", "--project"}


def _poetry(arguments: list[str]) -> _Kind:
    """`poetry build|publish` arguments."""
    sub, rest, directories = _subcommand(arguments, _POETRY_GLOBALS, _POETRY_GLOBALS)
    options, _positional = _options(rest, {
        "-f", "--format", "-o", "--output", "-r", "--repository", "-u", "--username", "-p", "--password",
        "--config-settings", "--dist-dir", "--cert", "--client-cert",
    })
    publish = "poetry publish" if sub == "publish" and not _has(options, "--dry-run") else None
    if sub == "build" or (sub == "publish" and _has(options, "--build")):
        formats = _values(options, "-f", "--format")
        found = [("format", value) for value in formats]
        found += [("output", value) for value in _values(options, "-o", "--output")]
        found += [("config-settings", value) for value in _values(options, "--config-settings")]
        found += [("directory", value) for value in directories]
        build = _Build("poetry", f"poetry {sub}", not formats or "sdist" in formats, tuple(found), tuple(directories))
        return _Kind(build=build, publish=publish)
    return _Kind(publish=publish)


def _pdm(arguments: list[str]) -> _Kind:
    """`pdm build|publish` arguments (`pdm publish` builds unless `--no-build`)."""
    sub, rest, projects = _subcommand(arguments, {"-p", "--project", "-c", "--config"}, {"-p", "--project"})
    options, _positional = _options(rest, {
        "-d", "--dest", "-C", "--config-setting", "-r", "--repository", "-u", "--username", "-P", "--password",
        "--skip", "--ca-certs",
    })
    publish = "pdm publish" if sub == "publish" else None
    if sub == "build" or (sub == "publish" and not _has(options, "--no-build")):
        found = [("no-isolation", "yes")] if _has(options, "--no-isolation") else []
        found += [("config-setting", value) for value in _values(options, "-C", "--config-setting")]
        found += [("dest", value) for value in _values(options, "-d", "--dest")]
        found += [("project", value) for value in projects]
        if _has(options, "--no-wheel"):
            found.append(("no-wheel", "yes"))
        build = _Build("pdm", f"pdm {sub}", not _has(options, "--no-sdist"), tuple(found), tuple(projects))
        return _Kind(build=build, publish=publish)
    return _Kind(publish=publish)


def _setup_py(arguments: list[str]) -> _Kind:
    """`python setup.py sdist|bdist_wheel|upload …` arguments."""
    commands = [token for token in arguments if not token.startswith("-")]
    publish = "python setup.py upload" if "upload" in commands else None
    if "sdist" in commands or any(command.startswith("bdist") for command in commands):
        found = [(name, value) for name, value in _options(arguments, set())[0] if name.startswith("--")]
        build = _Build("setup.py", "python setup.py " + " ".join(commands), "sdist" in commands, tuple(found))
        return _Kind(build=build, publish=publish)
    return _Kind(publish=publish)


def _uv(arguments: list[str]) -> _Kind:
    """`uv build|publish`: uv's own frontend, not one the verifier runs."""
    sub, rest, _ = _subcommand(arguments, {"--directory", "--project", "-p", "--python"}, {"--directory", "--project"})
    if sub == "publish":
        return _Kind(publish="uv publish")
    if sub != "build":
        return _Kind()
    options, positional = _options(rest, {"-o", "--out-dir", "--package", "-p", "--python", "-C", "--config-setting"})
    sdist = _has(options, "--sdist") or not _has(options, "--wheel")
    found = [(name.lstrip("-"), value or "yes") for name, value in options]
    paths = tuple(positional[:1]) + tuple(_values(options, "--package", "-o", "--out-dir"))
    return _Kind(build=_Build(None, "uv build", sdist, tuple(found), paths))


def _twine(arguments: list[str]) -> _Kind:
    return _Kind(publish="twine upload") if "upload" in arguments[:1] else _Kind()


def _tox(arguments: list[str]) -> _Kind:
    """`tox [run] -e ENVS [-c CONFIG] [-- posargs]`."""
    head, posargs = _split_posargs(arguments)
    if head[:1] and head[0] in ("exec", "x", "list", "l", "config", "c", "devenv", "d", "quickstart", "q", "legacy", "le", "depends", "de"):
        return _Kind()
    options, _positional = _options(head, {"-e", "--env", "-c", "--conf", "--root", "--workdir"})
    envs = [env for value in _values(options, "-e", "--env") for env in value.split(",") if env.strip()]
    envs += [name[2:].lstrip("=") for name, _ in options if name.startswith("-e") and len(name) > 2]
    if not envs:
        return _Kind()
    config = next(iter(_values(options, "-c", "--conf")), None)
    return _Kind(call=_Call("tox", tuple(env.strip() for env in envs), config=config, posargs=tuple(posargs)))


def _nox(arguments: list[str]) -> _Kind:
    """`nox -s SESSIONS [-f NOXFILE]`."""
    head, posargs = _split_posargs(arguments)
    sessions: list[str] = []
    config: str | None = None
    index = 0
    while index < len(head):
        token = head[index]
        if token in ("-s", "-e", "--session", "--sessions"):
            index += 1
            while index < len(head) and not head[index].startswith("-"):
                sessions.append(head[index])
                index += 1
            continue
        if token.startswith(("--session=", "--sessions=")):
            sessions.append(token.split("=", 1)[1])
        elif token in ("-f", "--noxfile") and index + 1 < len(head):
            config = head[index + 1]
            index += 1
        index += 1
    if not sessions:
        return _Kind()
    return _Kind(call=_Call("nox", tuple(sessions), config=config, posargs=tuple(posargs)))


def _make(arguments: list[str]) -> _Kind:
    """`make [-C DIR] [-f FILE] [TARGETS] [VAR=value]`."""
    directory: str | None = None
    config: str | None = None
    targets: list[str] = []
    overrides: list[tuple[str, str]] = []
    index = 0
    while index < len(arguments):
        token = arguments[index]
        if token in ("-C", "--directory", "-f", "--file", "--makefile", "-I", "-o", "-W", "-l") and index + 1 < len(arguments):
            value = arguments[index + 1]
            directory = value if token in ("-C", "--directory") else directory
            config = value if token in ("-f", "--file", "--makefile") else config
            index += 1
        elif token.startswith("-C") and len(token) > 2:
            directory = token[2:]
        elif token == "-j" and index + 1 < len(arguments) and arguments[index + 1].isdigit():
            index += 1
        elif _ASSIGNMENT.match(token):
            overrides.append(_assignment(token))
        elif not token.startswith("-"):
            targets.append(token)
        index += 1
    return _Kind(call=_Call("make", tuple(targets), directory=directory, config=config, overrides=tuple(overrides)))


def _split_posargs(arguments: list[str]) -> tuple[list[str], list[str]]:
    """Arguments before `--`, and those after it."""
    if "--" in arguments:
        cut = arguments.index("--")
        return arguments[:cut], arguments[cut + 1:]
    return arguments, []


_PROGRAMS: dict[str, Callable[[list[str]], _Kind]] = {
    "pyproject-build": _pypa_build,
    "flit": _flit,
    "hatch": _hatch,
    "poetry": _poetry,
    "pdm": _pdm,
    "setup.py": _setup_py,
    "uv": _uv,
    "twine": _twine,
    "tox": _tox,
    "nox": _nox,
    "make": _make,
}


def _classify_action(uses: str, step: Step) -> _Kind:
    """What a `uses:` step does: the build actions, the PyPI publish action."""
    action = uses.split("@", 1)[0].strip().lower().rstrip("/")
    if action == "hynek/build-and-inspect-python-package":
        path = step.inputs.get("path")
        skip_wheel = step.inputs.get("skip-wheel")
        found = [("path", path.text() or "")] if path is not None and path.text() else []
        if skip_wheel is not None and skip_wheel.text():
            found.append(("skip-wheel", skip_wheel.text() or ""))
        paths = tuple(value for name, value in found if name == "path")
        return _Kind(build=_Build("build", action, True, tuple(found), paths, action=True))
    if action == "pypa/build" or action.startswith("pypa/build/") or action.startswith("pypa/build-"):
        return _Kind(build=_Build("build", action, True, (), (), action=True))
    if action.startswith("pypa/gh-action-pypi-publish"):
        return _Kind(publish=action)
    return _Kind()


# --------------------------------------------------------------------------- jobs


@dataclass
class _Context:
    """The tree being read and the notes gathered so far."""

    tree: Path
    notes: list[str]

    def note(self, text: str) -> None:
        if text not in self.notes:
            self.notes.append(text)


@dataclass(frozen=True)
class _ScannedJob:
    """A job's commands in order, indirections that build expanded, and whether it publishes."""

    workflow: Workflow
    job: Job
    items: tuple[_Item, ...]
    publishes: tuple[str, ...]


def _scan_job(workflow: Workflow, job: Job, context: _Context) -> _ScannedJob:
    """Every command of `job`, with the tox/nox/make calls that build replaced by their commands."""
    items: list[_Item] = []
    default_dir = _literal_directory(job.working_directory or workflow.working_directory)
    for step in job.steps:
        uses = step.uses.text() if step.uses is not None else None
        if uses:
            kind = _classify_action(uses, step)
            # `defaults.run` does not apply to actions; the build action's `path` input does.
            paths = kind.build.paths if kind.build else ()
            workdir = _join("", paths[0]) if paths else ""
            line = step.uses.line if step.uses is not None else step.line
            items.append(_Item(f"uses: {uses}", workflow.path, line, workdir, step.index, kind, uses=step))
        elif step.run is not None:
            items.extend(_step_items(workflow, step, default_dir, context))
    expanded = _expand(items, context, 0)
    publishes = tuple(item.kind.publish for item in expanded if item.kind.publish)
    return _ScannedJob(workflow, job, tuple(expanded), publishes)


def _step_items(workflow: Workflow, step: Step, default_dir: str | None, context: _Context) -> list[_Item]:
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
    return _items_from_lines(lines, workflow.path, workdir, step.index, persist_cd=True)


def _items_from_lines(
    lines: Sequence[tuple[str, int]],
    file: str,
    workdir: str | None,
    step: int,
    *,
    persist_cd: bool,
    via: tuple[Setting, ...] = (),
) -> list[_Item]:
    """Classified commands of shell lines; `cd` lasts for the rest of the lines when `persist_cd`."""
    items: list[_Item] = []
    for text, line in lines:
        current = workdir
        for segment in split_segments(text):
            kind = classify(segment)
            items.append(_Item(segment, file, line, current, step, kind, via=via))
            if kind.cd is not None:
                current = _join(current, kind.cd)
        if persist_cd:
            workdir = current
    return items


def _literal_directory(node: Node | None) -> str | None:
    """A `working-directory` as a path relative to the tree; "" for none; None when unknown
    (an expression, a variable, a path outside the tree)."""
    if node is None:
        return ""
    text = node.text()
    if text is None or EXPRESSION.search(text):
        return None
    return _join("", text)


def _join(base: str | None, target: str) -> str | None:
    """`base/target` normalized, relative to the tree; None when unknown or outside it."""
    if base is None or target == "?" or target.startswith(("/", "~")) or "$" in target:
        return None
    joined = posixpath.normpath(posixpath.join(base or ".", target))
    if joined == ".." or joined.startswith("../"):
        return None
    return "" if joined == "." else joined


def _expand(items: list[_Item], context: _Context, depth: int) -> list[_Item]:
    """`items` with each tox/nox/make call whose commands build replaced by those commands."""
    expanded: list[_Item] = []
    for item in items:
        call = item.kind.call
        if call is None or depth >= MAX_INDIRECTION:
            expanded.append(item)
            continue
        noted = len(context.notes)
        inner = _expand(_call_items(call, item, context), context, depth + 1)
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


def _call_items(call: _Call, item: _Item, context: _Context) -> list[_Item]:
    """The commands a tox env, nox session or make target runs (empty when unreadable)."""
    try:
        if call.tool == "tox":
            return _tox_items(call, item, context)
        if call.tool == "nox":
            return _nox_items(call, item, context)
        return _make_items(call, item, context)
    except RecursionError:
        context.note(f"{item.origin}: `{item.text}`: its configuration is nested too deeply, not read")
        return []


def _via(item: _Item, what: str) -> tuple[Setting, ...]:
    """The chain of calls leading to a command, with this call added."""
    return (*item.via, Setting("via", item.text, item.origin, what))


# --------------------------------------------------------------------------- tox


def _tox_items(call: _Call, item: _Item, context: _Context) -> list[_Item]:
    """The commands of the tox envs `call` runs, read from tox.ini with configparser."""
    relative = _join(item.workdir, call.config or "tox.ini")
    if relative is None:
        return []
    text, why = read_tree_file(context.tree, relative)
    if why:
        context.note(why)
    if text is None:
        if call.config is None:
            context.note(f"{item.origin}: `{item.text}`: no tox.ini (tox.toml and pyproject.toml tox configuration are not read)")
        return []
    parser = configparser.ConfigParser(interpolation=None, strict=False, delimiters=("=",))
    try:
        parser.read_string(text, source=relative)
    except (configparser.Error, ValueError) as error:
        context.note(f"{relative}: cannot be parsed ({' '.join(str(error).split())[:200]})")
        return []
    source_lines = text.splitlines()
    directory = posixpath.dirname(relative)
    items: list[_Item] = []
    for env in call.targets:
        items.extend(_tox_env_items(parser, source_lines, relative, directory, env, call, item, context))
    return items


def _tox_env_items(
    parser: configparser.ConfigParser,
    source_lines: list[str],
    relative: str,
    directory: str,
    env: str,
    call: _Call,
    item: _Item,
    context: _Context,
) -> list[_Item]:
    """The commands of one tox env (`commands_pre`, then `commands`), with its setenv and basepython."""
    section = f"testenv:{env}"
    if not parser.has_section(section) and re.fullmatch(r"(py|pypy)\d*(\.\d+)?(-.+)?", env) and parser.has_section("testenv"):
        section = "testenv"  # tox runs pyXY envs with [testenv]
    if not parser.has_section(section):
        context.note(f"{relative}: no [{section}] for `{item.text}` at {item.origin}")
        return []

    def value(key: str) -> tuple[str | None, str]:
        for name in (section, "testenv"):
            if parser.has_section(name) and parser.has_option(name, key):
                return parser.get(name, key), name
        return None, section

    via = _via(item, f"tox env {env} in {relative}")
    workdir = directory
    changedir, _ = value("changedir")
    if changedir:
        workdir = _join(directory, _tox_substitute(changedir.strip(), call.posargs)) or directory
    env_settings = _tox_setenv(value("setenv"), source_lines, relative, context)
    python = _tox_basepython(value("basepython"), source_lines, relative)
    lines: list[tuple[str, int]] = []
    for key in ("commands_pre", "commands"):
        raw, where = value(key)
        for command in _tox_commands(raw):
            lines.append((_tox_substitute(command, call.posargs), _ini_line(source_lines, where, command)))
    found = _items_from_lines(lines, relative, workdir, item.step, persist_cd=False, via=via)
    return [replace(entry, extra_env=tuple(env_settings), python=python) for entry in found]


def _tox_commands(raw: str | None) -> list[str]:
    """The command lines of a tox `commands` value (continuations joined, `-`/`!` prefixes dropped)."""
    if not raw:
        return []
    commands: list[str] = []
    pending = ""
    for line in raw.splitlines():
        line = pending + line.strip()
        if line.endswith("\\"):
            pending = line[:-1].rstrip() + " "
            continue
        pending = ""
        line = line.lstrip("-!").strip()
        if line and not line.startswith("#"):
            commands.append(line)
    return commands


def _tox_substitute(command: str, posargs: tuple[str, ...]) -> str:
    """`{posargs[:default]}`, `{toxinidir}`/`{tox_root}` substituted; other substitutions kept."""
    def posarg(match: re.Match[str]) -> str:
        return shlex.join(posargs) if posargs else (match.group(1) or "")

    command = re.sub(r"\[\]", lambda _: shlex.join(posargs), command)
    command = re.sub(r"\{posargs(?::([^{}]*))?\}", posarg, command)
    return re.sub(r"\{(toxinidir|tox_root)\}", ".", command).strip()


def _tox_setenv(found: tuple[str | None, str], source_lines: list[str], relative: str, context: _Context) -> list[Setting]:
    """Literal `setenv` entries of a tox env as `env.NAME` settings; substitutions skipped."""
    raw, where = found
    settings: list[Setting] = []
    for entry in (raw or "").splitlines():
        entry = entry.strip()
        if not entry or entry.startswith("#") or "=" not in entry:
            continue
        name, value = (part.strip() for part in entry.split("=", 1))
        line = _ini_line(source_lines, where, entry)
        if "{" in value:
            context.note(f"{relative}:{line}: setenv {name} uses a tox substitution, skipped")
            continue
        settings.append(Setting(f"env.{name}", value, f"{relative}:{line}", f"tox [{where}] setenv"))
    return settings


def _tox_basepython(found: tuple[str | None, str], source_lines: list[str], relative: str) -> Setting | None:
    """A tox env's `basepython = python3.11` as a python setting."""
    raw, where = found
    match = re.fullmatch(r"(?:python|py)(\d+\.\d+)", (raw or "").strip())
    if not match:
        return None
    line = _ini_line(source_lines, where, raw.strip() if raw else "basepython")
    return Setting("python", match.group(1), f"{relative}:{line}", f"tox [{where}] basepython")


def _ini_line(source_lines: list[str], section: str, text: str) -> int:
    """The 1-based line of `text` within `[section]` of an ini file (the header's line if not found)."""
    header = 0
    for number, line in enumerate(source_lines, 1):
        if line.strip() == f"[{section}]":
            header = number
            break
    probe = text.strip()
    for number in range(header + 1, len(source_lines) + 1):
        line = source_lines[number - 1]
        if line.strip().startswith("[") and line.strip().endswith("]"):
            break
        if probe and probe in line:
            return number
    return header or 1


# --------------------------------------------------------------------------- nox


def _nox_items(call: _Call, item: _Item, context: _Context) -> list[_Item]:
    """The commands of the nox sessions `call` runs, read from noxfile.py with `ast` (never run)."""
    relative = _join(item.workdir, call.config or "noxfile.py")
    if relative is None:
        return []
    text, why = read_tree_file(context.tree, relative)
    if why:
        context.note(why)
    if text is None:
        return []
    try:
        module = ast.parse(text, filename=relative)
    except (SyntaxError, ValueError, RecursionError, MemoryError) as error:
        context.note(f"{relative}: cannot be parsed ({type(error).__name__}), not read")
        return []
    sessions = _nox_sessions(module)
    directory = posixpath.dirname(relative)
    items: list[_Item] = []
    for name in call.targets:
        function = sessions.get(name) or sessions.get(re.sub(r"-\d+(\.\d+)*$", "", name))
        if function is None:
            context.note(f"{relative}: no nox session {name!r} for `{item.text}` at {item.origin}")
            continue
        items.extend(_nox_session_items(function, relative, directory, item, context))
    return items


def _nox_sessions(module: ast.Module) -> dict[str, ast.FunctionDef]:
    """Top-level functions decorated with `@nox.session` / `@session`, by session name."""
    sessions: dict[str, ast.FunctionDef] = {}
    for node in module.body:
        if not isinstance(node, ast.FunctionDef):
            continue
        for decorator in node.decorator_list:
            target = decorator.func if isinstance(decorator, ast.Call) else decorator
            if _dotted(target) not in ("nox.session", "session"):
                continue
            name = node.name
            if isinstance(decorator, ast.Call):
                for keyword in decorator.keywords:
                    if keyword.arg == "name" and isinstance(keyword.value, ast.Constant) and isinstance(keyword.value.value, str):
                        name = keyword.value.value
            sessions[name] = node
    return sessions


def _dotted(node: ast.expr) -> str:
    """`a.b.c` for a Name/Attribute chain, else ""."""
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute):
        base = _dotted(node.value)
        return f"{base}.{node.attr}" if base else ""
    return ""


def _nox_session_items(function: ast.FunctionDef, relative: str, directory: str, item: _Item, context: _Context) -> list[_Item]:
    """`session.install/run/run_always/chdir` calls and `session.env[...] = ...` of one session, in order."""
    if not function.args.args:
        return []
    session = function.args.args[0].arg
    via = _via(item, f"nox session {function.name} in {relative}")
    python = _nox_python(function, relative, context)
    lines: list[tuple[str, int]] = []
    env: list[Setting] = []
    nodes = sorted(
        (node for node in ast.walk(function) if isinstance(node, (ast.Call, ast.Assign))),
        key=lambda node: (node.lineno, node.col_offset),
    )
    for node in nodes:
        if isinstance(node, ast.Assign):
            env.extend(_nox_env_assignment(node, session, relative))
            continue
        command = _nox_command(node, session, relative, context)
        if command:
            lines.append((command, node.lineno))
    found = _items_from_lines(lines, relative, directory, item.step, persist_cd=True, via=via)
    return [replace(entry, extra_env=tuple(env), python=python) for entry in found]


def _nox_command(node: ast.Call, session: str, relative: str, context: _Context) -> str | None:
    """The shell form of `session.run(...)`, `session.install(...)` or `session.chdir(...)`."""
    if not isinstance(node.func, ast.Attribute) or _dotted(node.func.value) != session:
        return None
    method = node.func.attr
    if method not in ("run", "run_always", "run_install", "install", "chdir"):
        return None
    words = [arg.value for arg in node.args if isinstance(arg, ast.Constant) and isinstance(arg.value, str)]
    if len(words) != len(node.args):
        context.note(f"{relative}:{node.lineno}: session.{method}() has arguments that are not literal strings, left out")
    if not words:
        return None
    if method == "install":
        return "python -m pip install " + shlex.join(words)
    if method == "chdir":
        return "cd " + shlex.quote(words[0])
    return shlex.join(words)


def _nox_env_assignment(node: ast.Assign, session: str, relative: str) -> list[Setting]:
    """`session.env["NAME"] = "value"` as an `env.NAME` setting."""
    settings = []
    for target in node.targets:
        if (
            isinstance(target, ast.Subscript)
            and _dotted(target.value) == f"{session}.env"
            and isinstance(target.slice, ast.Constant)
            and isinstance(target.slice.value, str)
            and isinstance(node.value, ast.Constant)
            and isinstance(node.value.value, str)
        ):
            settings.append(Setting(f"env.{target.slice.value}", node.value.value, f"{relative}:{node.lineno}", "nox session.env"))
    return settings


def _nox_python(function: ast.FunctionDef, relative: str, context: _Context) -> Setting | None:
    """`@nox.session(python="3.11")` (or a list: the lowest) as a python setting."""
    for decorator in function.decorator_list:
        if not isinstance(decorator, ast.Call):
            continue
        for keyword in decorator.keywords:
            if keyword.arg != "python":
                continue
            values = _literal_strings(keyword.value)
            plain = [value for value in values if _VERSION.match(value)]
            if not plain:
                return None
            chosen = min(plain, key=_version_key)
            note = "nox session python"
            if len(plain) > 1:
                note += f" (several: {', '.join(plain)}; took the lowest)"
                context.note(
                    f"{relative}:{keyword.value.lineno}: nox session {function.name} runs on {', '.join(plain)}: "
                    f"took the lowest, {chosen}"
                )
            return Setting("python", chosen, f"{relative}:{keyword.value.lineno}", note)
    return None


def _literal_strings(node: ast.expr) -> list[str]:
    """A string constant, or the string constants of a literal list/tuple."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return [node.value]
    if isinstance(node, (ast.List, ast.Tuple)):
        return [element.value for element in node.elts if isinstance(element, ast.Constant) and isinstance(element.value, str)]
    return []


# --------------------------------------------------------------------------- make


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


def _make_items(call: _Call, item: _Item, context: _Context) -> list[_Item]:
    """The recipe lines of the make targets `call` runs, prerequisites first."""
    directory = _join(item.workdir, call.directory or ".")
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
    via = _via(item, f"make target {' '.join(targets)} in {relative}")
    env = _make_exports(makefile, relative, context)
    found: list[_Item] = []
    for text_line, number in lines:  # every recipe line runs in its own shell
        found.extend(_items_from_lines([(text_line, number)], relative, directory, item.step, persist_cd=False, via=via))
    return [replace(entry, extra_env=tuple(env)) for entry in found]


def _read_makefile(directory: str, config: str | None, context: _Context) -> tuple[str | None, str | None]:
    """(path, text) of the Makefile make would read in `directory`."""
    names = [config] if config else ["GNUmakefile", "makefile", "Makefile"]
    for name in names:
        relative = _join(directory, name)
        if relative is None:
            continue
        text, why = read_tree_file(context.tree, relative)
        if why:
            context.note(why)
        if text is not None:
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
        line = pending + (line.lstrip() if pending else line)
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


def _make_exports(makefile: _Makefile, relative: str, context: _Context) -> list[Setting]:
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


# --------------------------------------------------------------------------- choosing the build


@dataclass(frozen=True)
class _Candidate:
    """One build in one job, with what ranks it."""

    scanned: _ScannedJob
    index: int
    linked: bool  # the job publishes or is linked to the publishing job
    workflow_publishes: bool

    @property
    def item(self) -> _Item:
        return self.scanned.items[self.index]

    @property
    def build(self) -> _Build:
        assert self.item.kind.build is not None
        return self.item.kind.build


def _candidates(jobs: list[_ScannedJob], workflows: list[Workflow]) -> list[_Candidate]:
    """Every build of every job, with whether it is linked to a publishing job."""
    linked: dict[str, set[str]] = {}
    publishing_workflows: set[str] = set()
    for workflow in workflows:
        publishers = {scanned.job.id for scanned in jobs if scanned.workflow is workflow and scanned.publishes}
        linked[workflow.path] = _linked_jobs(workflow, publishers)
        if publishers:
            publishing_workflows.add(workflow.path)
    called = _called_workflows(workflows, linked)
    found: list[_Candidate] = []
    for scanned in jobs:
        path = scanned.workflow.path
        is_linked = scanned.job.id in linked.get(path, set()) or path in called
        publishes = path in publishing_workflows or path in called
        for index, item in enumerate(scanned.items):
            if item.kind.build is not None:
                found.append(_Candidate(scanned, index, is_linked, publishes))
    return found


def _linked_jobs(workflow: Workflow, publishers: set[str]) -> set[str]:
    """Publishing jobs, the jobs they need (transitively), and the jobs that need them."""
    needs = {job.id: set(job.needs) for job in workflow.jobs}
    linked = set(publishers)
    for publisher in publishers:
        linked |= _ancestors(publisher, needs)
    for job in workflow.jobs:
        if _ancestors(job.id, needs) & publishers:
            linked.add(job.id)
    return linked


def _ancestors(job_id: str, needs: dict[str, set[str]]) -> set[str]:
    """Every job `job_id` needs, directly or not (cycles tolerated)."""
    seen: set[str] = set()
    pending = list(needs.get(job_id, ()))
    while pending:
        current = pending.pop()
        if current not in seen:
            seen.add(current)
            pending.extend(needs.get(current, ()))
    return seen


def _called_workflows(workflows: list[Workflow], linked: dict[str, set[str]]) -> set[str]:
    """Local reusable workflows (`uses: ./.github/workflows/x.yml`) called by jobs linked to publishing."""
    called: set[str] = set()
    for workflow in workflows:
        for job in workflow.jobs:
            uses = job.uses.text() if job.uses is not None else None
            if uses and uses.startswith("./") and job.id in linked.get(workflow.path, set()):
                called.add(posixpath.normpath(uses.split("@", 1)[0][2:]))
    return called


def _score(candidate: _Candidate, package: str | None) -> tuple[int, ...]:
    """Higher is likelier to be the build of the published sdist; ties keep file order."""
    triggers = candidate.scanned.workflow.triggers
    return (
        int(bool(package) and _mentions_package(candidate, package or "")),
        int(candidate.build.sdist),
        int(candidate.linked),
        int(candidate.workflow_publishes),
        int(bool(triggers & {"release", "tags"})),
        int(candidate.build.frontend is not None),
    )


def _normalize(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def _mentions_package(candidate: _Candidate, package: str) -> bool:
    """Whether the build's directory, paths or calls name the package's directory."""
    wanted = _normalize(package)
    item = candidate.item
    texts = [item.workdir or "", *candidate.build.paths, *(via.value for via in item.via)]
    for text in texts:
        for part in re.split(r"[/\\\s=]+", text):
            if part and _normalize(part) == wanted:
                return True
    return False


# --------------------------------------------------------------------------- the recipe


def _recipe(chosen: _Candidate, others: list[_Candidate], package: str | None, context: _Context) -> InferredRecipe:
    """The recipe of the chosen build."""
    scanned, item, build = chosen.scanned, chosen.item, chosen.build
    settings: list[Setting] = [_job_setting(chosen)]
    settings.extend(item.via)
    if build.frontend is not None:
        settings.append(Setting("frontend", build.frontend, item.origin, build.tool))
    else:
        context.note(f"{item.origin}: `{item.text}` builds with {build.tool}, a frontend the verifier does not run; the closest is `build`")
    settings.append(Setting("build_command", item.text, item.origin, "makes an sdist" if build.sdist else "makes wheels only"))
    if item.workdir:
        settings.append(Setting("working_directory", item.workdir, item.origin))
    elif item.workdir is None:
        context.note(f"{item.origin}: the build's working directory cannot be told (an expression, a variable or a path outside the tree)")
    settings.extend(Setting(f"option.{name}", value, item.origin, build.tool) for name, value in build.options)
    _notes_on_build(chosen, others, package, context)
    prebuild = _prebuild(scanned, chosen.index, context)
    settings.extend(Setting("prebuild", command.text, command.origin) for command in prebuild)
    env, env_settings = _environment(scanned, chosen.index, context)
    settings.extend(env_settings)
    python, python_settings = _python(scanned, item, build, env, context)
    settings.extend(python_settings)
    return InferredRecipe(
        frontend=build.frontend,
        python=python,
        env=env,
        prebuild=prebuild,
        build_command=item.text,
        settings=settings,
        notes=context.notes,
    )


def _job_setting(chosen: _Candidate) -> Setting:
    """Which job builds, and how it relates to publishing."""
    scanned = chosen.scanned
    if scanned.publishes:
        why = f"builds and publishes ({', '.join(sorted(set(scanned.publishes)))})"
    elif chosen.linked:
        why = "linked by `needs` (or a reusable-workflow call) to the job that publishes"
    elif chosen.workflow_publishes:
        why = "in a workflow that publishes"
    else:
        why = "no publishing job found: the likeliest build"
    return Setting("job", scanned.job.id, f"{scanned.workflow.path}:{scanned.job.line}", why)


def _notes_on_build(chosen: _Candidate, others: list[_Candidate], package: str | None, context: _Context) -> None:
    """Notes on what makes the choice uncertain."""
    item = chosen.item
    if not chosen.build.sdist:
        context.note(f"{item.origin}: the chosen build makes wheels only; no build of an sdist was found")
    if not chosen.workflow_publishes:
        context.note("no workflow publishes to PyPI: the build chosen may not be the one that made the published sdist")
    if package and not _mentions_package(chosen, package):
        context.note(f"no build names the directory of {package}: chose {item.origin}")
    if chosen.build.action and chosen.build.tool == "hynek/build-and-inspect-python-package":
        context.note(
            f"{item.origin}: hynek/build-and-inspect-python-package builds with its own Python and its own pinned "
            "`build` (sdist, then the wheel from it); some versions set SOURCE_DATE_EPOCH to the last commit's time"
        )
    same = [other for other in others if _score(other, package) == _score(chosen, package)]
    if same:
        places = ", ".join(f"{other.item.origin} (job {other.scanned.job.id})" for other in same[:MAX_OTHERS_NOTED])
        context.note(f"other builds rank the same: {places}; chose the first, {item.origin}")
    rest = [other for other in others if other not in same]
    if rest:
        places = ", ".join(f"{other.item.origin}" for other in rest[:MAX_OTHERS_NOTED])
        more = f" and {len(rest) - MAX_OTHERS_NOTED} more" if len(rest) > MAX_OTHERS_NOTED else ""
        context.note(f"builds not chosen: {places}{more}")


def _prebuild(scanned: _ScannedJob, index: int, context: _Context) -> list[Command]:
    """The shell commands before the build in its job; notes on actions and conditions met."""
    commands: list[Command] = []
    steps_noted: set[int] = set()
    build_step = scanned.items[index].step
    for step in scanned.job.steps:
        if step.index <= build_step and step.condition is not None and step.index not in steps_noted:
            steps_noted.add(step.index)
            context.note(f"{scanned.workflow.path}:{step.line}: step runs only `if: {step.condition.text() or '…'}`")
    for item in scanned.items[:index]:
        if item.uses is not None:
            action = item.text.removeprefix("uses: ").split("@", 1)[0].lower()
            if not action.startswith(_HARMLESS_ACTIONS) and not item.kind.publish:
                context.note(f"{item.origin}: `{item.text}` runs before the build; an action is not reproduced")
            continue
        commands.append(Command(item.text, item.origin, item.workdir))
    return commands


# --------------------------------------------------------------------------- environment


def _environment(scanned: _ScannedJob, index: int, context: _Context) -> tuple[dict[str, str], list[Setting]]:
    """The literal environment the build sees, innermost definition winning, and its settings."""
    workflow, job, item = scanned.workflow, scanned.job, scanned.items[index]
    layers: list[Setting] = []
    layers += _env_node(workflow.env, workflow.path, "workflow env", context)
    layers += _env_node(job.env, workflow.path, f"job {job.id} env", context)
    for earlier in scanned.items[:index]:
        if earlier.step < item.step:
            layers += _shell_env(earlier.kind.github_env, earlier, "$GITHUB_ENV of an earlier step", context)
    step = next((step for step in job.steps if step.index == item.step), None)
    if step is not None:
        layers += _env_node(step.env, workflow.path, "step env", context)
    for earlier in scanned.items[:index]:
        if _export_reaches(earlier, item):
            layers += _shell_env(earlier.kind.exports, earlier, "export", context)
    layers += list(item.extra_env)
    layers += _shell_env(item.kind.assignments, item, "assignment before the command", context)
    env: dict[str, Setting] = {}
    for setting in layers:
        env[setting.name] = setting
    chosen = list(env.values())
    return {setting.name.removeprefix("env."): setting.value for setting in chosen}, chosen


def _export_reaches(earlier: _Item, item: _Item) -> bool:
    """Whether an `export` in `earlier` is in the environment of `item`: an earlier command of the
    same workflow step, or a command of a shell that calls (tox, nox, make) the one of `item`."""
    if earlier.step != item.step:
        return False
    if earlier.via == item.via:
        return not item.via  # workflow steps run in one shell; recipe lines and tox commands do not
    return item.via[: len(earlier.via)] == earlier.via


def _env_node(node: Node | None, file: str, where: str, context: _Context) -> list[Setting]:
    """Literal entries of an `env:` mapping; expressions and secrets are skipped with a note."""
    if node is None:
        return []
    if node.text() is not None:
        context.note(f"{file}:{node.line}: {where} is an expression ({node.text()!r}), skipped")
        return []
    settings: list[Setting] = []
    for name, value in node.mapping().items():
        text = value.text()
        if text is None:
            context.note(f"{file}:{value.line}: {where} {name} is not a scalar, skipped")
        elif EXPRESSION.search(text):
            kind = "a secret" if any(expr.startswith("secrets.") for expr in expressions(text)) else "an expression"
            context.note(f"{file}:{value.line}: {where} {name} is {kind} ({text.strip()}), skipped")
        else:
            settings.append(Setting(f"env.{name}", text, f"{file}:{value.line}", where))
    return settings


def _shell_env(pairs: Iterable[tuple[str, str]], item: _Item, where: str, context: _Context) -> list[Setting]:
    """Environment set by shell commands, literal values only."""
    settings: list[Setting] = []
    for name, value in pairs:
        if "$" in value or "`" in value:
            context.note(f"{item.origin}: {where} {name}={value} is not a literal value, skipped")
        else:
            settings.append(Setting(f"env.{name}", value, item.origin, where))
    return settings


# --------------------------------------------------------------------------- python


def _python(scanned: _ScannedJob, item: _Item, build: _Build, env: dict[str, str], context: _Context) -> tuple[str | None, list[Setting]]:
    """The Python of the build: tox/nox's own, the job's setup-python, else `.python-version`."""
    if build.action:
        return None, []
    if item.python is not None:
        return item.python.value, [item.python]
    setup = _setup_python_step(scanned.job, item.step)
    if setup is not None and _has_version_input(setup):
        return _setup_python_version(scanned, setup, env, context)
    if setup is None:
        context.note(f"{scanned.workflow.path}:{scanned.job.line}: no actions/setup-python before the build: the runner's Python")
    # actions/setup-python without a version reads .python-version itself.
    return _fallback_python(context.tree, context.notes)


def _setup_python_step(job: Job, build_step: int) -> Step | None:
    """The last step before the build that sets up Python: `actions/setup-python`, or
    `astral-sh/setup-uv` given a `python-version`."""
    found = None
    for step in job.steps[:build_step]:
        action = ((step.uses.text() or "") if step.uses is not None else "").split("@", 1)[0].lower()
        if action == "actions/setup-python" or (action in _SETUP_PYTHON_ACTIONS and _has_version_input(step)):
            found = step
    return found


def _has_version_input(step: Step) -> bool:
    return "python-version" in step.inputs or "python-version-file" in step.inputs


def _setup_python_version(scanned: _ScannedJob, step: Step, env: dict[str, str], context: _Context) -> tuple[str | None, list[Setting]]:
    """`python-version` (or `python-version-file`) of a setup step, resolved."""
    file = scanned.workflow.path
    node = step.inputs.get("python-version")
    if node is None:
        version_file = step.inputs.get("python-version-file")
        if version_file is not None and version_file.text():
            return _python_file(context.tree, version_file.text() or "", context.notes, f"{file}:{version_file.line}")
        return None, []
    text = (node.text() or "").strip()
    origin = f"{file}:{node.line}"
    if "\n" in text:
        versions = [line.strip() for line in text.splitlines() if line.strip()]
        context.note(f"{origin}: python-version lists {', '.join(versions)}: the last is the default, {versions[-1]}")
        text = versions[-1]
    match = EXPRESSION.fullmatch(text)
    if match:
        return _python_expression(scanned, match.group(1).strip(), origin, env, context)
    return _plain_version(text, origin, "actions/setup-python python-version", context)


def _plain_version(text: str, origin: str, note: str, context: _Context) -> tuple[str | None, list[Setting]]:
    """A version if `text` names exactly one (`3.12`, `3.12.1`), else a note."""
    text = text.strip().strip("'\"")
    if _VERSION.match(text):
        return text, [Setting("python", text, origin, note)]
    context.note(f"{origin}: python-version {text!r} names no single CPython version")
    return None, []


def _python_expression(
    scanned: _ScannedJob, expression: str, origin: str, env: dict[str, str], context: _Context
) -> tuple[str | None, list[Setting]]:
    """`${{ matrix.KEY }}` or `${{ env.KEY }}` resolved; anything else noted."""
    if expression.startswith("matrix."):
        return _matrix_python(scanned, expression.removeprefix("matrix."), origin, context)
    if expression.startswith("env.") and expression.removeprefix("env.") in env:
        name = expression.removeprefix("env.")
        return _plain_version(env[name], origin, f"python-version from env {name}", context)
    context.note(f"{origin}: python-version is the expression ${{{{ {expression} }}}}, not resolved")
    return None, []


def _matrix_python(scanned: _ScannedJob, key: str, origin: str, context: _Context) -> tuple[str | None, list[Setting]]:
    """The value of a matrix key: the only one, or the lowest of several (with a note)."""
    file = scanned.workflow.path
    values = _matrix_values(scanned.job.matrix, key)
    plain = [(text, node) for text, node in values if _VERSION.match(text)]
    if not values:
        context.note(f"{origin}: python-version is matrix.{key}, which the matrix does not list literally")
        return None, []
    if not plain:
        context.note(f"{origin}: matrix.{key} ({', '.join(text for text, _ in values)}) names no single CPython version")
        return None, []
    text, node = min(plain, key=lambda pair: _version_key(pair[0]))
    note = f"matrix.{key} used by python-version at {origin}"
    if len(values) > 1:
        listed = ", ".join(value for value, _ in values)
        first = values[0][0]
        how = "the first and lowest" if first == text else f"the lowest (the first is {first})"
        note += f"; the matrix has {listed}: took {how}"
        context.note(f"{origin}: python-version is matrix.{key} with several values ({listed}): took {how}, {text}")
    return text, [Setting("python", text, f"{file}:{node.line}", note)]


def _matrix_values(matrix: Node | None, key: str) -> list[tuple[str, Node]]:
    """Scalar values of `matrix.KEY`, including `include:` entries, in order."""
    if matrix is None:
        return []
    found: list[tuple[str, Node]] = []
    direct = matrix.get(key)
    if direct is not None:
        nodes = direct.sequence() or ((direct,) if direct.text() is not None else ())
        found += [(node.text() or "", node) for node in nodes if node.text() is not None]
    include = matrix.get("include")
    for entry in include.sequence() if include is not None else ():
        value = entry.get(key)
        if value is not None and value.text() is not None:
            found.append((value.text() or "", value))
    return [(text.strip(), node) for text, node in found if not EXPRESSION.search(text)]


def _version_key(text: str) -> tuple[int, ...]:
    """Numeric sort key of a version."""
    return tuple(int(part) for part in re.findall(r"\d+", text))


def _fallback_python(tree: Path, notes: list[str]) -> tuple[str | None, list[Setting]]:
    """The Python named by `.python-version` at the root of the tree, if any."""
    return _python_file(tree, PYTHON_VERSION_FILE, notes, None)


def _python_file(tree: Path, relative: str, notes: list[str], origin: str | None) -> tuple[str | None, list[Setting]]:
    """The first version in a `.python-version`-style file."""
    name = posixpath.normpath(relative)
    if posixpath.basename(name) in ("pyproject.toml", "setup.cfg", ".tool-versions", "Pipfile"):
        notes.append(f"{origin}: python-version-file {relative} is not read (only plain version files)")
        return None, []
    text, why = read_tree_file(tree, name)
    if why:
        notes.append(why)
    if text is None:
        return None, []
    for number, line in enumerate(text.splitlines()[:50], 1):
        value = line.split("#", 1)[0].strip().removeprefix("cpython-").removeprefix("python")
        if not value:
            continue
        note = f"{name} (python-version-file of {origin})" if origin else f"{name}, no python-version in the build job"
        if _VERSION.match(value):
            return value, [Setting("python", value, f"{name}:{number}", note)]
        notes.append(f"{name}:{number}: {value!r} names no single CPython version")
        return None, []
    return None, []
