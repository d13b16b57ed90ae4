"""Command-line arguments of build frontends and task runners, parsed the way their CLIs read them."""

from __future__ import annotations

import re


def parse_options(arguments: list[str], with_value: set[str]) -> tuple[list[tuple[str, str]], list[str]]:
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


def has_option(options: list[tuple[str, str]], *names: str) -> bool:
    return any(name in names for name, _ in options)


def option_values(options: list[tuple[str, str]], *names: str) -> list[str]:
    return [value for name, value in options if name in names]


def short_flags(options: list[tuple[str, str]]) -> set[str]:
    """The letters of combined short flags (`-nsw`)."""
    letters: set[str] = set()
    for name, _ in options:
        if re.fullmatch(r"-[A-Za-z]+", name):
            letters.update(name[1:])
    return letters


def subcommand(arguments: list[str], global_values: set[str], wanted: set[str]) -> tuple[str | None, list[str], list[str]]:
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


def split_posargs(arguments: list[str]) -> tuple[list[str], list[str]]:
    """Arguments before `--`, and those after it."""
    if "--" in arguments:
        cut = arguments.index("--")
        return arguments[:cut], arguments[cut + 1:]
    return arguments, []
