"""How the published sdist was built, read from the tagged tree's CI configuration.

`infer_recipe(tree)` reads `.github/workflows/*.yml|*.yaml` (`workflows`), classifies every command
of every job (`jobs`, `commands`, `frontends`), follows `tox -e ENV`, `nox -s SESSION` and `make
TARGET` when a step calls them (`tox`, `nox`, `make`), ranks the builds found (`ranking`) and
assembles the recipe of the likeliest: its frontend, the Python of the build job (`setup_python`),
the literal environment the build command sees (`environment`), the shell commands run before it
in the same job, the build command, every setting with its origin (`file:line`, the file relative
to the tree) and notes on what was ambiguous or skipped. When no workflow builds, a release
checklist of the tree (`RELEASING.md`, …: `release_docs`) gives the build command and what precedes it.

Everything in the tree is untrusted: nothing is executed (`noxfile.py` is read with `ast`), YAML is
composed safely with limits (see `verifier.recipe.workflow_yaml`), and nothing here raises for the
content of a file: what cannot be read becomes a note.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from verifier.recipe.commands import Context
from verifier.recipe.environment import build_environment
from verifier.recipe.expressions import ReleaseFacts
from verifier.recipe.interface import Command, InferredRecipe, Setting
from verifier.recipe.jobs import ScannedJob, scan_job
from verifier.recipe.python_version import fallback_python
from verifier.recipe.ranking import FoundBuild, found_builds, mentions_package, rank
from verifier.recipe.release_docs import infer_from_release_doc
from verifier.recipe.runners import job_runner, os_of
from verifier.recipe.setup_python import job_python
from verifier.recipe.workflows import load_workflows

MAX_OTHERS_NOTED = 5


_HARMLESS_ACTIONS = (
    "actions/checkout",
    "actions/setup-python",
    "astral-sh/setup-uv",
    "actions/cache",
    "actions/upload-artifact",
)


def infer_recipe(tree: Path, package: str | None = None, facts: ReleaseFacts | None = None) -> InferredRecipe:
    """Infer from `tree`'s CI configuration how its published sdist was built.

    `package` (a distribution name) helps choose between the builds of a monorepo; `facts` (the
    release's tag, version, commit time) resolve the expressions that stand for them. Never raises
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
    context = Context(tree, notes, facts)
    jobs = [scan_job(workflow, job, context) for workflow in loaded.workflows for job in workflow.jobs]
    builds = found_builds(jobs, loaded.workflows)
    if not builds:
        python, settings = fallback_python(tree, notes)
        if loaded.workflows:
            notes.append("no workflow step builds a distribution")
        from_doc = infer_from_release_doc(tree, notes)
        if from_doc is not None:
            return replace(from_doc, python=python, settings=[*from_doc.settings, *settings], notes=[*notes, *from_doc.notes])
        return InferredRecipe(python=python, settings=settings, notes=notes)
    ranked = sorted(builds, key=lambda build: rank(build, package), reverse=True)
    return _recipe(ranked[0], ranked[1:], package, context)


def _recipe(chosen: FoundBuild, others: list[FoundBuild], package: str | None, context: Context) -> InferredRecipe:
    """The recipe of the chosen build."""
    scanned, item, build = chosen.scanned, chosen.item, chosen.build
    settings: list[Setting] = [_job_setting(chosen)]
    runner = job_runner(scanned.workflow, scanned.job).setting()
    settings.extend([runner] if runner else [])
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
    env, env_settings = build_environment(scanned, chosen.index, context)
    settings.extend(env_settings)
    python, python_settings = job_python(scanned, item, build, env, context)
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


def _job_setting(chosen: FoundBuild) -> Setting:
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


def _notes_on_build(chosen: FoundBuild, others: list[FoundBuild], package: str | None, context: Context) -> None:
    """Notes on what makes the choice uncertain."""
    item = chosen.item
    if not chosen.build.sdist:
        context.note(f"{item.origin}: the chosen build makes wheels only; no build of an sdist was found")
    if not chosen.workflow_publishes:
        context.note("no workflow publishes to PyPI: the build chosen may not be the one that made the published sdist")
    if package and not mentions_package(chosen, package):
        context.note(f"no build names the directory of {package}: chose {item.origin}")
    if chosen.build.action and chosen.build.tool == "hynek/build-and-inspect-python-package":
        context.note(
            f"{item.origin}: hynek/build-and-inspect-python-package builds with its own Python and its own pinned "
            "`build` (sdist, then the wheel from it); some versions set SOURCE_DATE_EPOCH to the last commit's time"
        )
    _notes_on_runners(chosen, others, package, context)
    same = [other for other in others if rank(other, package) == rank(chosen, package)]
    if same:
        places = ", ".join(f"{other.item.origin} (job {other.scanned.job.id})" for other in same[:MAX_OTHERS_NOTED])
        context.note(f"other builds rank the same: {places}; chose the first, {item.origin}")
    rest = [other for other in others if other not in same]
    if rest:
        places = ", ".join(f"{other.item.origin}" for other in rest[:MAX_OTHERS_NOTED])
        more = f" and {len(rest) - MAX_OTHERS_NOTED} more" if len(rest) > MAX_OTHERS_NOTED else ""
        context.note(f"builds not chosen: {places}{more}")


def _notes_on_runners(chosen: FoundBuild, others: list[FoundBuild], package: str | None, context: Context) -> None:
    """Builds of the same kind on other OSes (one job per OS, often uploading to one artifact), and
    a chosen build that does not run on Linux."""
    runner = job_runner(chosen.scanned.workflow, chosen.scanned.job)
    if runner.os not in ("linux", None):
        context.note(f"{runner.origin}: the build runs on {runner.label}: a Linux rebuild cannot reproduce what that OS writes (CRLF line ends, file modes)")
    if runner.matrix_key and len({os_of(label) for label in runner.labels}) > 1:
        context.note(
            f"{runner.origin}: the build job runs on each of {', '.join(runner.labels)} (matrix.{runner.matrix_key}); "
            f"rebuilt as {runner.label}: the published sdist is the one uploaded last, whichever OS made it"
        )
    wanted = rank(chosen, package)[:-1]
    elsewhere = [
        (other, job_runner(other.scanned.workflow, other.scanned.job)) for other in others
        if rank(other, package)[:-1] == wanted and other.scanned.job.id != chosen.scanned.job.id
    ]
    elsewhere = [(other, found) for other, found in elsewhere if found.os not in (None, runner.os)]
    if elsewhere:
        jobs = ", ".join(f"{other.scanned.job.id} ({found.label}, {other.item.origin})" for other, found in elsewhere[:MAX_OTHERS_NOTED])
        context.note(
            f"the same build runs on other OSes: {jobs}; the published sdist is the one uploaded last, "
            f"whichever OS made it; rebuilt as job {chosen.scanned.job.id} ({runner.label})"
        )


def _prebuild(scanned: ScannedJob, index: int, context: Context) -> list[Command]:
    """The shell commands before the build in its job; notes on actions and conditions met."""
    commands: list[Command] = []
    steps_noted: set[int] = set()
    build_step = scanned.commands[index].step
    for step in scanned.job.steps:
        if step.index <= build_step and step.condition is not None and step.index not in steps_noted:
            steps_noted.add(step.index)
            context.note(f"{scanned.workflow.path}:{step.line}: step runs only `if: {step.condition.text() or '…'}`")
    for item in scanned.commands[:index]:
        if item.uses is not None:
            action = item.text.removeprefix("uses: ").split("@", 1)[0].lower()
            if not action.startswith(_HARMLESS_ACTIONS) and not item.kind.publish:
                context.note(f"{item.origin}: `{item.text}` runs before the build; an action is not reproduced")
            continue
        commands.append(Command(item.text, item.origin, item.workdir))
    return commands
