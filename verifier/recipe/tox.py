"""Following `tox -e ENV` into tox.ini: the env's commands, its setenv and its basepython.

tox.ini is read with configparser (no interpolation); tox.toml and pyproject.toml tox
configuration are not read.
"""

from __future__ import annotations

import configparser
import posixpath
import re
import shlex
from dataclasses import replace

from verifier.recipe.commands import Context, JobCommand, commands_of_lines, via_chain
from verifier.recipe.interface import Setting
from verifier.recipe.kinds import RunnerCall
from verifier.recipe.tree_files import join_relative


def follow_tox(call: RunnerCall, item: JobCommand, context: Context) -> list[JobCommand]:
    """The commands of the tox envs `call` runs, read from tox.ini with configparser."""
    relative, text = context.read(item.workdir, call.config or "tox.ini")
    if relative is None:
        return []
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
    items: list[JobCommand] = []
    for env in call.targets:
        items.extend(_tox_env_items(parser, source_lines, relative, directory, env, call, item, context))
    return items


def _tox_env_items(
    parser: configparser.ConfigParser,
    source_lines: list[str],
    relative: str,
    directory: str,
    env: str,
    call: RunnerCall,
    item: JobCommand,
    context: Context,
) -> list[JobCommand]:
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

    via = via_chain(item, f"tox env {env} in {relative}")
    workdir = directory
    changedir, _ = value("changedir")
    if changedir:
        workdir = join_relative(directory, _tox_substitute(changedir.strip(), call.posargs)) or directory
    env_settings = _tox_setenv(value("setenv"), source_lines, relative, context)
    python = _tox_basepython(value("basepython"), source_lines, relative)
    lines: list[tuple[str, int]] = []
    for key in ("commands_pre", "commands"):
        raw, where = value(key)
        for command in _tox_commands(raw):
            lines.append((_tox_substitute(command, call.posargs), _ini_line(source_lines, where, command)))
    found = commands_of_lines(lines, relative, workdir, item.step, persist_cd=False, via=via)
    return [replace(entry, extra_env=tuple(env_settings), python=python) for entry in found]


def _tox_commands(raw: str | None) -> list[str]:
    """The command lines of a tox `commands` value (continuations joined, `-`/`!` prefixes dropped)."""
    if not raw:
        return []
    commands: list[str] = []
    pending = ""
    for line in raw.splitlines():
        line = pending + line.strip()  # noqa: PLW2901 - the line, joined to its continuation
        if line.endswith("\\"):
            pending = line[:-1].rstrip() + " "
            continue
        pending = ""
        line = line.lstrip("-!").strip()  # noqa: PLW2901 - the command, without tox's prefixes
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


def _tox_setenv(found: tuple[str | None, str], source_lines: list[str], relative: str, context: Context) -> list[Setting]:
    """Literal `setenv` entries of a tox env as `env.NAME` settings; substitutions skipped."""
    raw, where = found
    settings: list[Setting] = []
    for entry in (raw or "").splitlines():
        entry = entry.strip()  # noqa: PLW2901 - the entry, stripped
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
