"""Stage 2, recipe: how the release was built. What the release workflow says (read before any
fetch), then the first recipe to try: SOURCE_DATE_EPOCH, the build requirements' cut-off time, the
umask, the environment and the frontend."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from verifier.errors import BadInput
from verifier.recipe import epoch as epochs
from verifier.recipe import infer_recipe
from verifier.recipe.interface import InferredRecipe, Recipe
from verifier.verify.stages.context import Run
from verifier.verify.stages.source import SourceStage
from verifier.verify.stages.upstream import UpstreamStage


@dataclass(frozen=True)
class RecipeStage:
    """What the release workflow says (all empty when it was not read or says nothing)."""

    inferred: InferredRecipe | None = None
    env: tuple[tuple[str, str], ...] = ()
    python: str | None = None  # the base image's Python nearest to the workflow's
    frontend: str | None = None  # "flit" when the workflow runs `flit build`


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


def read_workflow(run: Run, source: SourceStage) -> RecipeStage:
    """Infer the recipe from the tree's CI configuration (pypa-build only; Pants has its own)."""
    if not run.request.infer or source.builder.name != "pypa-build":
        return RecipeStage()
    found = infer_recipe(source.checkout.path, source.package)
    if not found.found:
        return RecipeStage()
    frontend = "flit" if found.frontend == "flit" else None
    if found.frontend not in (None, "build", "setup.py", "flit"):
        run.note(
            f"the release workflow builds with {found.frontend!r} ({found.build_command}); "
            "this rebuild drives the PEP 517 backend with PyPA build, which can list files differently"
        )
    for command in found.prebuild:
        run.note(f"the release workflow runs {command.text!r} before building ({command.origin}); not run here")
    return RecipeStage(found, tuple(sorted(found.env.items())), nearest_python(found.python), frontend)


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
    cutoff = upstream.upload_time or datetime.now(UTC)
    cutoff_origin = "upload time" if upstream.upload_time else "now (upload time unknown)"
    if request.requirements_cutoff:
        cutoff, cutoff_origin = parse_time(request.requirements_cutoff), "given"
    return Recipe(
        epoch=epoch,
        cutoff=cutoff,
        cutoff_origin=cutoff_origin,
        umask=request.umask,
        env=tuple(dict(workflow.env + request.env).items()),
        frontend=request.frontend or workflow.frontend,
        tar_writer=request.tar_writer,
        prebuild=request.prebuild_steps,
        extra_requirements=request.with_requirements,
    )
