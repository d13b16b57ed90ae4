"""Calls of the task runners tox, nox and make: which envs, sessions or targets a command runs."""

from __future__ import annotations

from collections.abc import Callable

from verifier.recipe.arguments import option_values, parse_options, split_posargs
from verifier.recipe.kinds import CommandKind, RunnerCall
from verifier.recipe.shell import ASSIGNMENT, assignment


def _tox(arguments: list[str]) -> CommandKind:
    """`tox [run] -e ENVS [-c CONFIG] [-- posargs]`."""
    head, posargs = split_posargs(arguments)
    if head[:1] and head[0] in ("exec", "x", "list", "l", "config", "c", "devenv", "d", "quickstart", "q", "legacy", "le", "depends", "de"):
        return CommandKind()
    options, _positional = parse_options(head, {"-e", "--env", "-c", "--conf", "--root", "--workdir"})
    envs = [env for value in option_values(options, "-e", "--env") for env in value.split(",") if env.strip()]
    envs += [name[2:].lstrip("=") for name, _ in options if name.startswith("-e") and len(name) > 2]
    if not envs:
        return CommandKind()
    config = next(iter(option_values(options, "-c", "--conf")), None)
    return CommandKind(call=RunnerCall("tox", tuple(env.strip() for env in envs), config=config, posargs=tuple(posargs)))


def _nox(arguments: list[str]) -> CommandKind:
    """`nox -s SESSIONS [-f NOXFILE]`."""
    head, posargs = split_posargs(arguments)
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
        return CommandKind()
    return CommandKind(call=RunnerCall("nox", tuple(sessions), config=config, posargs=tuple(posargs)))


def _make(arguments: list[str]) -> CommandKind:
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
        elif ASSIGNMENT.match(token):
            overrides.append(assignment(token))
        elif not token.startswith("-"):
            targets.append(token)
        index += 1
    return CommandKind(call=RunnerCall("make", tuple(targets), directory=directory, config=config, overrides=tuple(overrides)))


RUNNER_ARGUMENTS: dict[str, Callable[[list[str]], CommandKind]] = {
    "tox": _tox,
    "nox": _nox,
    "make": _make,
}
