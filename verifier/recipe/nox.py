"""Following `nox -s SESSION` into noxfile.py, read with `ast` and never run.

A session's `session.install/run/run_always/chdir` calls with literal arguments become its
commands, `session.env["NAME"] = "value"` its environment, and `@nox.session(python=…)` its Python.
A helper function of the noxfile that the session hands its `session` to (`build_dists(session)`)
is followed too, a few calls deep.
"""

from __future__ import annotations

import ast
import posixpath
import re
import shlex
from dataclasses import replace

from verifier.recipe.commands import Context, JobCommand, commands_of_lines, via_chain
from verifier.recipe.interface import Setting
from verifier.recipe.kinds import RunnerCall
from verifier.recipe.python_version import VERSION, version_key


def follow_nox(call: RunnerCall, item: JobCommand, context: Context) -> list[JobCommand]:
    """The commands of the nox sessions `call` runs, read from noxfile.py with `ast` (never run)."""
    relative, text = context.read(item.workdir, call.config or "noxfile.py")
    if relative is None or text is None:
        return []
    try:
        module = ast.parse(text, filename=relative)
    except (SyntaxError, ValueError, RecursionError, MemoryError) as error:
        context.note(f"{relative}: cannot be parsed ({type(error).__name__}), not read")
        return []
    sessions = _nox_sessions(module)
    helpers = {node.name: node for node in module.body if isinstance(node, ast.FunctionDef) and node not in sessions.values()}
    directory = posixpath.dirname(relative)
    items: list[JobCommand] = []
    for name in call.targets:
        function = sessions.get(name) or sessions.get(re.sub(r"-\d+(\.\d+)*$", "", name))
        if function is None:
            context.note(f"{relative}: no nox session {name!r} for `{item.text}` at {item.origin}")
            continue
        items.extend(_nox_session_items(function, relative, directory, item, context, helpers))
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


def _nox_session_items(
    function: ast.FunctionDef, relative: str, directory: str, item: JobCommand, context: Context, helpers: dict[str, ast.FunctionDef]
) -> list[JobCommand]:
    """`session.install/run/run_always/chdir` calls and `session.env[...] = ...` of one session, in
    order, with those of the helpers it passes its session to."""
    if not function.args.args:
        return []
    via = via_chain(item, f"nox session {function.name} in {relative}")
    python = _nox_python(function, relative, context)
    lines: list[tuple[str, int]] = []
    env: list[Setting] = []
    _nox_body(function, function.args.args[0].arg, relative, context, helpers, (lines, env), (function.name,))
    found = commands_of_lines(lines, relative, directory, item.step, persist_cd=True, via=via)
    return [replace(entry, extra_env=tuple(env), python=python) for entry in found]


MAX_HELPER_DEPTH = 3


def _nox_body(
    function: ast.FunctionDef, session: str, relative: str, context: Context, helpers: dict[str, ast.FunctionDef],
    out: tuple[list[tuple[str, int]], list[Setting]], chain: tuple[str, ...],
) -> None:
    """The commands and environment of `function`, whose `session` parameter is the nox session."""
    lines, env = out
    nodes = sorted(
        (node for node in ast.walk(function) if isinstance(node, (ast.Call, ast.Assign))),
        key=lambda node: (node.lineno, node.col_offset),
    )
    for node in nodes:
        if isinstance(node, ast.Assign):
            env.extend(_nox_env_assignment(node, session, relative))
            continue
        helper, parameter = _helper_call(node, session, helpers)
        if helper is not None and parameter is not None:
            if helper.name in chain or len(chain) > MAX_HELPER_DEPTH:
                context.note(f"{relative}:{node.lineno}: {helper.name}() is not followed (recursive or too deep)")
            else:
                context.note(f"{relative}:{node.lineno}: nox session {chain[0]} hands its session to {helper.name}(), followed")
                _nox_body(helper, parameter, relative, context, helpers, out, (*chain, helper.name))
            continue
        command = _nox_command(node, session, relative, context)
        if command:
            lines.append((command, node.lineno))


def _helper_call(node: ast.Call, session: str, helpers: dict[str, ast.FunctionDef]) -> tuple[ast.FunctionDef | None, str | None]:
    """(the helper, its parameter that receives the session) of `helper(session, …)`, else (None, None)."""
    if not isinstance(node.func, ast.Name) or node.func.id not in helpers:
        return None, None
    helper = helpers[node.func.id]
    for index, argument in enumerate(node.args):
        if isinstance(argument, ast.Name) and argument.id == session and index < len(helper.args.args):
            return helper, helper.args.args[index].arg
    for keyword in node.keywords:
        if isinstance(keyword.value, ast.Name) and keyword.value.id == session and keyword.arg:
            return helper, keyword.arg
    return None, None


def _nox_command(node: ast.Call, session: str, relative: str, context: Context) -> str | None:
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


def _nox_python(function: ast.FunctionDef, relative: str, context: Context) -> Setting | None:
    """`@nox.session(python="3.11")` (or a list: the lowest) as a python setting."""
    for decorator in function.decorator_list:
        if not isinstance(decorator, ast.Call):
            continue
        for keyword in decorator.keywords:
            if keyword.arg != "python":
                continue
            values = _literal_strings(keyword.value)
            plain = [value for value in values if VERSION.match(value)]
            if not plain:
                return None
            chosen = min(plain, key=version_key)
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
