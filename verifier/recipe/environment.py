"""The literal environment a build command sees, each variable with the place it was set.

Layers, outermost first (the innermost definition wins): workflow `env`, job `env`, `$GITHUB_ENV`
writes of earlier steps, step `env`, `export`s that reach the command, tox `setenv` / nox
`session.env` / Makefile `export`s, and `NAME=value` before the command. Expressions and shell
forms that only stand for the release's tag, version or commit time (`${{ github.ref_name }}`,
`${GITHUB_REF#refs/tags/}`, `$(git log -1 --pretty=%ct)`, see `verifier.recipe.expressions`) are
resolved when the release is known; secrets and other values that are not literal are skipped with
a note.
"""

from __future__ import annotations

from collections.abc import Iterable

from verifier.recipe.commands import Context, JobCommand
from verifier.recipe.expressions import Resolved, resolve_shell_value, resolve_workflow_value
from verifier.recipe.interface import Setting
from verifier.recipe.jobs import ScannedJob
from verifier.recipe.workflow_yaml import Node
from verifier.recipe.workflows import EXPRESSION, expressions


def build_environment(scanned: ScannedJob, index: int, context: Context) -> tuple[dict[str, str], list[Setting]]:
    """The literal environment the build sees, innermost definition winning, and its settings."""
    workflow, job, item = scanned.workflow, scanned.job, scanned.commands[index]
    layers: list[Setting] = []
    layers += _env_node(workflow.env, workflow.path, "workflow env", context)
    layers += _env_node(job.env, workflow.path, f"job {job.id} env", context)
    for earlier in scanned.commands[:index]:
        if earlier.step < item.step:
            layers += _shell_env(earlier.kind.github_env, earlier, "$GITHUB_ENV of an earlier step", context)
    step = next((step for step in job.steps if step.index == item.step), None)
    if step is not None:
        layers += _env_node(step.env, workflow.path, "step env", context)
    for earlier in scanned.commands[:index]:
        if _export_reaches(earlier, item):
            layers += _shell_env(earlier.kind.exports, earlier, "export", context)
    layers += list(item.extra_env)
    layers += _shell_env(item.kind.assignments, item, "assignment before the command", context)
    env: dict[str, Setting] = {}
    for setting in layers:
        env[setting.name] = setting
    chosen = list(env.values())
    return {setting.name.removeprefix("env."): setting.value for setting in chosen}, chosen


def _export_reaches(earlier: JobCommand, item: JobCommand) -> bool:
    """Whether an `export` in `earlier` is in the environment of `item`: an earlier command of the
    same workflow step, or a command of a shell that calls (tox, nox, make) the one of `item`."""
    if earlier.step != item.step:
        return False
    if earlier.via == item.via:
        return not item.via  # workflow steps run in one shell; recipe lines and tox commands do not
    return item.via[: len(earlier.via)] == earlier.via


def _env_node(node: Node | None, file: str, where: str, context: Context) -> list[Setting]:
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
            secret = any(expr.startswith("secrets.") for expr in expressions(text))
            resolved = resolve_workflow_value(text, context.facts) if context.facts and not secret else None
            if resolved is not None and resolved.value is not None:
                settings.append(_resolved_setting(name, resolved, f"{file}:{value.line}", where, text, context))
                continue
            kind = "a secret" if secret else "an expression"
            left = f"; unresolved: {', '.join(resolved.unresolved)}" if resolved else ""
            context.note(f"{file}:{value.line}: {where} {name} is {kind} ({text.strip()}), skipped{left}")
        else:
            settings.append(Setting(f"env.{name}", text, f"{file}:{value.line}", where))
    return settings


def _shell_env(pairs: Iterable[tuple[str, str]], item: JobCommand, where: str, context: Context) -> list[Setting]:
    """Environment set by shell commands, literal values only."""
    settings: list[Setting] = []
    for name, value in pairs:
        if "$" in value or "`" in value:
            resolved = resolve_shell_value(value, context.facts) if context.facts else None
            if resolved is not None and resolved.value is not None:
                settings.append(_resolved_setting(name, resolved, item.origin, where, value, context))
                continue
            left = f"; unresolved: {', '.join(resolved.unresolved)}" if resolved else ""
            context.note(f"{item.origin}: {where} {name}={value} is not a literal value, skipped{left}")
        else:
            settings.append(Setting(f"env.{name}", value, item.origin, where))
    return settings


def _resolved_setting(name: str, resolved: Resolved, origin: str, where: str, written: str, context: Context) -> Setting:
    """A variable whose value the release's facts decide, with what was put in."""
    context.note(f"{origin}: {where} {name}={written.strip()} resolved for this release: {'; '.join(resolved.used)}")
    return Setting(f"env.{name}", resolved.value or "", origin, f"{where}; resolved: {'; '.join(resolved.used)}")
