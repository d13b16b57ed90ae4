"""Shell lines of a CI script, taken apart without running them.

`split_segments` splits a line into its commands, `words` splits a command into shell words,
`strip_wrappers` removes what only runs another program (`sudo`, `env`, `uv run`, `pipx run`, …)
and `program` names what finally runs (`python -m build` runs `pyproject-build`).
"""

from __future__ import annotations

import posixpath
import re
import shlex

ASSIGNMENT = re.compile(r"^([A-Za-z_][A-Za-z0-9_]*)=(.*)$", re.DOTALL)


_PYTHON_EXE = re.compile(r"^(python(\d+(\.\d+)?)?|py|pypy(\d+(\.\d+)?)?)(\.exe)?$")
_GITHUB_ENV_WRITE = re.compile(
    r"""^(?:echo|printf)\s+(?:-e\s+)?(['"]?)([A-Za-z_][A-Za-z0-9_]*)=(.*?)\1\s*>>\s*["']?\$\{?GITHUB_ENV\}?["']?\s*$"""
)


def split_segments(line: str) -> list[str]:
    """Split one shell line at unquoted `&&`, `||`, `;`, `|` and `&` outside a `$(…)` or backquoted
    command substitution (`v=$(poetry version | awk …)` is one command); drop a trailing comment."""
    segments: list[str] = []
    current: list[str] = []
    quote: str | None = None
    depth = 0  # open `$(` (a backquote counts as one level)
    index = 0
    while index < len(line):
        char = line[index]
        if quote is None and char == "$" and line[index + 1:index + 2] == "(":
            depth += 1
            current.extend("$(")
            index += 2
            continue
        if quote is None and depth and char == ")":
            depth -= 1
            current.append(char)
        elif quote is None and char == "`":
            depth += -1 if current.count("`") % 2 else 1
            current.append(char)
        elif depth and quote is None and char in ";&|":
            current.append(char)
        elif quote is not None:
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


_SUBSTITUTION = re.compile(r"\$\([^()]*\)")


def words(segment: str) -> list[str]:
    """Shell words of one command (a `$(…)` stays inside its word); whitespace-split when the
    quoting is unbalanced."""
    kept: list[str] = []

    def hold(match: re.Match[str]) -> str:
        kept.append(match.group(0))
        return f"\0{len(kept) - 1}\0"

    held = _SUBSTITUTION.sub(hold, segment)
    try:
        split = shlex.split(held, posix=True)
    except ValueError:
        split = held.split()
    return [re.sub(r"\0(\d+)\0", lambda m: kept[int(m.group(1))], word) for word in split]


def assignment(token: str) -> tuple[str, str]:
    """(name, value) of `NAME=value`."""
    match = ASSIGNMENT.match(token)
    return (match.group(1), match.group(2)) if match else (token, "")


def github_env_writes(segment: str) -> tuple[tuple[str, str], ...]:
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


def strip_wrappers(tokens: list[str]) -> tuple[tuple[tuple[str, str], ...], list[str], bool]:
    """Leading `NAME=value`s, the command without wrappers (`sudo`, `uv run`, `pipx run`, …), and
    whether a tool runner (pipx/uvx) was stripped (so that `build` means PyPA build)."""
    assignments: list[tuple[str, str]] = []
    runner = False
    for _ in range(16):
        if not tokens:
            break
        head = posixpath.basename(tokens[0])
        if ASSIGNMENT.match(tokens[0]):
            assignments.append(assignment(tokens[0]))
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


def program(tokens: list[str], runner: bool) -> tuple[str | None, list[str]]:
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
