"""The Python of the build job: tox's or nox's own, the job's `actions/setup-python`, else `.python-version`.

`python-version` is resolved through `${{ matrix.KEY }}` (the lowest of several values, with a
note) and `${{ env.KEY }}`; a list takes its last entry, as setup-python does.
"""

from __future__ import annotations

from verifier.recipe.commands import Context, JobCommand
from verifier.recipe.interface import Setting
from verifier.recipe.jobs import ScannedJob
from verifier.recipe.kinds import Build
from verifier.recipe.python_version import (
    VERSION,
    fallback_python,
    python_file,
    version_key,
)
from verifier.recipe.workflow_yaml import Node
from verifier.recipe.workflows import EXPRESSION, Job, Step

_SETUP_PYTHON_ACTIONS = ("actions/setup-python", "astral-sh/setup-uv")


def job_python(scanned: ScannedJob, item: JobCommand, build: Build, env: dict[str, str], context: Context) -> tuple[str | None, list[Setting]]:
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
    return fallback_python(context.tree, context.notes)


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


def _setup_python_version(scanned: ScannedJob, step: Step, env: dict[str, str], context: Context) -> tuple[str | None, list[Setting]]:
    """`python-version` (or `python-version-file`) of a setup step, resolved."""
    file = scanned.workflow.path
    node = step.inputs.get("python-version")
    if node is None:
        version_file = step.inputs.get("python-version-file")
        if version_file is not None and version_file.text():
            return python_file(context.tree, version_file.text() or "", context.notes, f"{file}:{version_file.line}")
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


def _plain_version(text: str, origin: str, note: str, context: Context) -> tuple[str | None, list[Setting]]:
    """A version if `text` names exactly one (`3.12`, `3.12.1`), else a note."""
    text = text.strip().strip("'\"")
    if VERSION.match(text):
        return text, [Setting("python", text, origin, note)]
    context.note(f"{origin}: python-version {text!r} names no single CPython version")
    return None, []


def _python_expression(
    scanned: ScannedJob, expression: str, origin: str, env: dict[str, str], context: Context
) -> tuple[str | None, list[Setting]]:
    """`${{ matrix.KEY }}` or `${{ env.KEY }}` resolved; anything else noted."""
    if expression.startswith("matrix."):
        return _matrix_python(scanned, expression.removeprefix("matrix."), origin, context)
    if expression.startswith("env.") and expression.removeprefix("env.") in env:
        name = expression.removeprefix("env.")
        return _plain_version(env[name], origin, f"python-version from env {name}", context)
    context.note(f"{origin}: python-version is the expression ${{{{ {expression} }}}}, not resolved")
    return None, []


def _matrix_python(scanned: ScannedJob, key: str, origin: str, context: Context) -> tuple[str | None, list[Setting]]:
    """The value of a matrix key: the only one, or the lowest of several (with a note)."""
    file = scanned.workflow.path
    values = _matrix_values(scanned.job.matrix, key)
    plain = [(text, node) for text, node in values if VERSION.match(text)]
    if not values:
        context.note(f"{origin}: python-version is matrix.{key}, which the matrix does not list literally")
        return None, []
    if not plain:
        context.note(f"{origin}: matrix.{key} ({', '.join(text for text, _ in values)}) names no single CPython version")
        return None, []
    text, node = min(plain, key=lambda pair: version_key(pair[0]))
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
