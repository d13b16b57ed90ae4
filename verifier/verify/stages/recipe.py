"""Stage 2, recipe: how the release was built. What the release workflow says (read before any
fetch), then the first recipe to try: SOURCE_DATE_EPOCH, the build requirements' cut-off time, the
umask, the environment and the frontend."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime

from verifier.errors import BadInput
from verifier.recipe import epoch as epochs
from verifier.recipe import infer_recipe
from verifier.recipe.expressions import ReleaseFacts
from verifier.recipe.interface import EpochChoice, InferredRecipe, Recipe
from verifier.recipe.prebuild import ReleaseSteps, release_steps
from verifier.recipe.tree_files import inside, join_relative
from verifier.verify.stages.context import Run
from verifier.verify.stages.source import SourceStage
from verifier.verify.stages.upstream import UpstreamStage

UV_BUILD = (
    "the release workflow builds with `{command}` ({origin}): uv is another PEP 517 frontend; it calls the same "
    "hooks of the project's backend (build_sdist; the wheel from the sdist) that PyPA build calls here, in an "
    "isolated environment it resolves itself: the sdist's bytes are the backend's, so only the versions of the "
    "build requirements (pinned here as of the cut-off) can differ, not the frontend"
)


@dataclass(frozen=True)
class RecipeStage:
    """What the release workflow says (all empty when it was not read or says nothing)."""

    inferred: InferredRecipe | None = None
    env: tuple[tuple[str, str], ...] = ()
    python: str | None = None  # the base image's Python nearest to the workflow's
    frontend: str | None = None  # the release's own command: "flit", "flit-setup-py", "setup.py", "setup.py-release"
    steps: ReleaseSteps = field(default_factory=ReleaseSteps)  # what the workflow ran before building, as a rebuild repeats it


def nearest_python(version: str | None) -> str | None:
    """The Python of a base image nearest to the one a workflow names (3.10 and 3.12 build on 3.11)."""
    if not version:
        return None
    try:
        major, minor = (int(part) for part in version.split(".")[:2])
    except ValueError:
        return None
    if major != 3:
        return None
    return "3.9" if minor <= 9 else "3.11" if minor <= 12 else "3.13"


def _has_setup_py(source: SourceStage) -> bool:
    relative = join_relative(source.project.subdir, "setup.py")
    path = inside(source.checkout.path, relative) if relative is not None else None
    return path is not None and path.is_file()


def read_workflow(run: Run, source: SourceStage) -> RecipeStage:
    """Infer the recipe from the tree's CI configuration (pypa-build only; Pants has its own)."""
    if not run.request.infer or source.builder.name != "pypa-build":
        return RecipeStage()
    facts = ReleaseFacts(source.tag.name, source.version, source.tag.commit_time, source.tag.commit)
    found = infer_recipe(source.checkout.path, source.package, facts)
    if not found.found:
        return RecipeStage()
    frontend: str | None = None
    if found.frontend == "flit":  # `flit build|publish`, with a generated setup.py when it said --setup-py
        frontend = "flit-setup-py" if found.setting("option.setup-py") else "flit"
    if found.frontend == "setup.py" and _has_setup_py(source):  # the command the release ran (its argv may matter)
        words = (found.build_command or "").split()
        frontend = "setup.py-release" if "release" in words or "-Db" in words else "setup.py"
    if found.frontend == "uv":
        run.note(UV_BUILD.format(command=found.build_command, origin=(found.setting("frontend") or found.settings[0]).origin))
    elif found.frontend not in (None, "build", "setup.py", "flit"):
        run.note(
            f"the release workflow builds with {found.frontend!r} ({found.build_command}); "
            "this rebuild drives the PEP 517 backend with PyPA build, which can list files differently"
        )
    steps = release_steps(found.prebuild, source.checkout.path)
    _note_steps(run, steps)
    return RecipeStage(found, tuple(sorted(found.env.items())), nearest_python(found.python), frontend, steps)


def _note_steps(run: Run, steps: ReleaseSteps) -> None:
    """Say what the workflow ran before building and when a rebuild repeats it."""
    for command in steps.commands:
        run.note(
            f"the release workflow runs {command.text!r} before building ({command.origin}): --search runs it in "
            "the build container (no network) when files only in the published sdist point at it; or --prebuild-step"
        )
    if steps.requirements:
        run.note(
            f"the release workflow installs {', '.join(steps.requirements)} for the build ({', '.join(steps.requirement_origins)}): "
            "--search pins them when metadata or file lists differ; or --with-requirement"
        )
    for skipped in steps.skipped:
        run.note(f"before building, {skipped}")


def workflow_epoch(workflow: RecipeStage, env: dict[str, str]) -> EpochChoice | None:
    """The SOURCE_DATE_EPOCH the release workflow set (a number, or `$(git log -1 --pretty=%ct)`
    resolved to the tagged commit's time), with where it was set."""
    value = env.get("SOURCE_DATE_EPOCH", "")
    setting = workflow.inferred.setting("env.SOURCE_DATE_EPOCH") if workflow.inferred else None
    if not value.isdigit() or setting is None:
        return None
    return EpochChoice(int(value), "infer:workflow", f"set by the release workflow at {setting.origin} ({setting.note})")


def parse_time(text: str) -> datetime:
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        raise BadInput(f"not an ISO 8601 time: {text!r} (e.g. 2024-05-01T12:00:00Z)") from None
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def first_recipe(run: Run, source: SourceStage, workflow: RecipeStage, upstream: UpstreamStage) -> Recipe:
    """The recipe of the first build: the options, then the workflow, then the defaults."""
    request = run.request
    epoch = epochs.choose(epochs.parse_option(str(request.source_date_epoch)), source.tag.commit_time, upstream.path)
    env = dict(workflow.env + request.env)
    from_workflow = workflow_epoch(workflow, env)
    if from_workflow is not None and request.source_date_epoch == "tag" and "SOURCE_DATE_EPOCH" not in dict(request.env):
        epoch = from_workflow
        env.pop("SOURCE_DATE_EPOCH")
    cutoff = upstream.upload_time or datetime.now(UTC)
    cutoff_origin = "upload time" if upstream.upload_time else "now (upload time unknown)"
    if request.requirements_cutoff:
        cutoff, cutoff_origin = parse_time(request.requirements_cutoff), "given"
    return Recipe(
        epoch=epoch,
        cutoff=cutoff,
        cutoff_origin=cutoff_origin,
        umask=request.umask,
        env=tuple(env.items()),
        frontend=request.frontend or workflow.frontend,
        tar_writer=request.tar_writer,
        windows=request.windows,
        prebuild=request.prebuild_steps,
        extra_requirements=request.with_requirements,
    )
