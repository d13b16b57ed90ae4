"""Stage 7, report: the typed verify report from whatever stages the run reached."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from verifier import __version__
from verifier.build.interface import BuildResult
from verifier.compare.interface import Comparison
from verifier.fsutil import file_sha256
from verifier.recipe.interface import EpochChoice, Fingerprints, InferredRecipe, Recipe
from verifier.report.model import verify as model
from verifier.report.model.verdict import Verdict
from verifier.source.interface import ResolvedTag
from verifier.source.release import ResolvedRepository
from verifier.verify.stages.build import BuildEnvironment
from verifier.verify.stages.context import Run
from verifier.verify.stages.explain import ExplainStage
from verifier.verify.stages.recipe import RecipeStage
from verifier.verify.stages.search import Attempted, FailedBuild, best
from verifier.verify.stages.source import SourceStage
from verifier.verify.stages.upstream import UpstreamStage
from verifier.verify.stages.wheels import WheelOutcome
from verifier.versions import uv_version


@dataclass
class Reached:
    """The results of the stages a run got through (None for the ones it did not reach)."""

    origin: ResolvedRepository | None = None  # where a NAME==VERSION or URL repository came from
    tag: ResolvedTag | None = None
    source: SourceStage | None = None
    workflow: RecipeStage | None = None
    upstream: UpstreamStage | None = None
    first: Recipe | None = None
    fingerprints: Fingerprints | None = None
    environment: BuildEnvironment | None = None
    attempts: list[Attempted] = field(default_factory=list)
    failed_builds: list[FailedBuild] = field(default_factory=list)  # --search builds that could not run
    explained: ExplainStage | None = None
    wheels: tuple[WheelOutcome, ...] = ()
    verdict: Verdict = Verdict.COULD_NOT_VERIFY
    error: str | None = None
    error_details: str = ""


def epoch_record(choice: EpochChoice) -> model.EpochChoice:
    return model.EpochChoice(choice.value, choice.origin, choice.detail)


def recipe_record(recipe: Recipe) -> model.Recipe:
    return model.Recipe(
        source_date_epoch=epoch_record(recipe.epoch),
        requirements_cutoff=recipe.cutoff.isoformat(),
        requirements_cutoff_origin="the time given" if recipe.cutoff_origin == "given" else recipe.cutoff_origin,
        umask=recipe.umask or ("000" if recipe.windows else "022"),  # a Windows build has none
        python=recipe.python,
        env=dict(recipe.env),
        frontend=recipe.frontend or "build",
        why=recipe.why,
        tar_writer=recipe.tar_writer,
        pins=recipe.pins,
        prebuild=recipe.prebuild,
        extra_requirements=recipe.extra_requirements,
        windows=recipe.windows,
    )


def _attempt(recipe: Recipe, verdict: Verdict, differences: int, rebuilt_sha256: str, error: str = "") -> model.Attempt:
    record = recipe_record(recipe)
    return model.Attempt(
        **{name: getattr(record, name) for name in record.__dataclass_fields__},
        verdict=verdict, differences=differences, rebuilt_sha256=rebuilt_sha256, error=error,
    )


def attempt_record(attempted: Attempted) -> model.Attempt:
    comparison = attempted.comparison
    differences = len(comparison.differences) + comparison.differences_not_listed
    return _attempt(attempted.recipe, Verdict(comparison.verdict.value), differences, file_sha256(attempted.build.sdist))


def failed_record(failed: FailedBuild) -> model.Attempt:
    return _attempt(failed.recipe, Verdict.COULD_NOT_VERIFY, 0, "", failed.error)


def attempt_records(reached: Reached) -> tuple[model.Attempt, ...]:
    """Every build of the run in order, those that could not run included."""
    numbered = [(attempted.number, attempt_record(attempted)) for attempted in reached.attempts]
    numbered += [(failed.number, failed_record(failed)) for failed in reached.failed_builds]
    return tuple(record for _, record in sorted(numbered, key=lambda pair: pair[0]))


def inferred_record(found: InferredRecipe) -> model.Inferred:
    return model.Inferred(
        frontend=found.frontend,
        python=found.python,
        env=dict(found.env),
        prebuild=tuple(model.InferredCommand(c.text, c.origin, c.working_directory) for c in found.prebuild),
        build_command=found.build_command,
        settings=tuple(model.InferredSetting(s.name, s.value, s.origin, s.note) for s in found.settings),
        notes=tuple(found.notes),
    )


def source_record(run: Run, reached: Reached, chosen: Recipe | None) -> model.Source | None:
    tag, source = reached.tag, reached.source
    if tag is None:
        return None
    epoch = chosen.epoch if chosen else None
    return model.Source(
        repo=str(run.request.repo.resolve()),
        tag=tag.name,
        commit=tag.commit,
        commit_time=tag.commit_time,
        version_from_tag=tag.version,
        submodules=None if source is None else tuple(model.Submodule(**vars(sub)) for sub in source.checkout.submodules),
        subdir=None if source is None else source.project.subdir,
        build_backend=None if source is None else source.project.build_backend,
        source_date_epoch=epoch.value if epoch else None,
        source_date_epoch_origin=epoch.origin if epoch else None,
        source_date_epoch_detail=epoch.detail if epoch else None,
        url=reached.origin.url if reached.origin else None,
        url_found_in=reached.origin.found_in if reached.origin else None,
        url_rewrite=reached.origin.rewrite.rule if reached.origin and reached.origin.rewrite else None,
    )


def base_record(facts: dict[str, Any]) -> model.BaseImage:
    if set(facts) == {"origin"}:
        return model.NamedBase(origin=str(facts["origin"]))
    return model.BootstrappedBase(**facts)


def builder_record(run: Run, result: BuildResult, environment: BuildEnvironment) -> model.Builder:
    return model.Builder(
        name=result.builder,
        image=result.image_id,
        base_image=result.base_image,
        python=result.python,
        build_requirements=tuple(model.BuildRequirement(**requirement) for requirement in result.requirements),
        environment=result.environment,
        network=result.network,
        deviations=tuple(model.Deviation(**deviation) for deviation in result.deviations),
        notes=tuple(result.notes),
        log=str(result.log_path),
        base=base_record(environment.default[2]),
        runtime=environment.runtime.name,
        pins=run.settings.pins + run.request.pins,
    )


def rebuilt_record(result: BuildResult) -> model.Rebuilt:
    sdist = result.sdist
    return model.Rebuilt(filename=sdist.name, sha256=file_sha256(sdist), size=sdist.stat().st_size, path=str(sdist))


def resolved_options(reached: Reached, chosen: Attempted | None) -> dict[str, object]:
    """What the run resolved, for the command that runs it again."""
    resolved: dict[str, object] = {}
    if reached.tag is not None:
        resolved["tag"] = reached.tag.name
    if reached.source is not None:
        resolved["package"], resolved["subdir"] = reached.source.package, reached.source.project.subdir or None
    if reached.first is not None and reached.source is not None:
        resolved["builder"] = reached.source.builder.name
    if reached.environment is not None:
        image, resolved["python"], _ = reached.environment.default
        if image and reached.environment.request.base_image:
            resolved["base_image"] = image
    if chosen is not None:
        recipe = chosen.recipe
        resolved["source_date_epoch"] = recipe.epoch.value if recipe.epoch.value is not None else "unset"
        if recipe.python:
            resolved["python"] = recipe.python
        resolved["umask"], resolved["frontend"], resolved["env"] = recipe.umask, recipe.frontend, recipe.env
        if recipe.cutoff_origin in ("build time", "given"):
            resolved["requirements_cutoff"] = recipe.cutoff.isoformat()
        resolved["tar_writer"], resolved["windows"] = recipe.tar_writer, recipe.windows
        resolved["recipe_pins"] = recipe.pins
        resolved["prebuild_steps"], resolved["with_requirements"] = recipe.prebuild, recipe.extra_requirements
    # The two first builds of a wheel (from the rebuilt sdist, from the tree) need no option.
    if any(outcome.chosen is not None and outcome.attempts.index(outcome.chosen) >= 2 for outcome in reached.wheels):
        resolved["wheel_search"] = True
    return resolved


def _compared(comparison: Comparison, *, zip_members: bool = False) -> dict[str, Any]:
    """An artifact's comparison fields: what was normalized away and what differs. For a wheel
    (`zip_members`), the engine's tar-header follow-on of a member whose size or content differs
    is left out: a zip member has no tar header, only the one the engine derives from its fields."""
    changed = {difference.path for difference in comparison.differences if difference.kind in ("content", "size")}
    return {
        "normalizations": tuple(effect.name for effect in comparison.effects if effect.pairs),
        "differences": tuple(
            difference.report() for difference in comparison.differences
            if not (zip_members and difference.kind == "tar-header" and difference.path in changed)
        ),
        "differences_not_listed": comparison.differences_not_listed,
    }


def sdist_artifact(reached: Reached, chosen: Attempted | None) -> model.Artifact:
    assert reached.upstream is not None
    record = reached.upstream.record
    filename = record.filename if isinstance(record, model.PublishedOnIndex) else record.path.rsplit("/", 1)[-1]
    common: dict[str, Any] = {"filename": filename, "kind": "sdist", "sha256": record.sha256, "url": record.url}
    if chosen is None:
        return model.Artifact(**common, verdict=reached.verdict, error=reached.error)
    explained = reached.explained
    return model.Artifact(
        **common,
        verdict=Verdict(chosen.comparison.verdict.value),
        built_from="tag",
        **_compared(chosen.comparison),
        explanations=explained.explanations if explained else (),
        recipe=recipe_record(chosen.recipe),
        rebuilt_sha256=file_sha256(chosen.build.sdist),
    )


def wheel_artifact(outcome: WheelOutcome) -> model.Artifact:
    file, chosen = outcome.wheel.file, outcome.chosen
    common: dict[str, Any] = {"filename": file.filename, "kind": "wheel", "sha256": file.sha256, "url": file.url}
    if chosen is None:
        return model.Artifact(**common, verdict=outcome.verdict, not_verified=outcome.not_verified,
                              explanations=outcome.explanations, error=outcome.error)
    return model.Artifact(
        **common,
        verdict=outcome.verdict,
        built_from=chosen.route,
        **_compared(chosen.comparison, zip_members=True),
        explanations=outcome.explanations,
        recipe=recipe_record(chosen.recipe),
        rebuilt_sha256=file_sha256(chosen.build.sdist),
    )


def artifacts(run: Run, reached: Reached, chosen: Attempted | None) -> tuple[model.Artifact, ...]:
    """Every file of the release on the index, the sdist first (none with --sdist-only). Wheels the
    run did not reach (the sdist could not be rebuilt) could not be verified either."""
    if run.request.sdist_only or reached.upstream is None:
        return ()
    done = {outcome.wheel.file.filename: wheel_artifact(outcome) for outcome in reached.wheels}
    unreached = "the sdist was not rebuilt, so its wheels were not either"
    listed = tuple(
        done.get(wheel.file.filename) or model.Artifact(
            wheel.file.filename, "wheel", wheel.file.sha256, wheel.file.url,
            None if wheel.not_verified else Verdict.COULD_NOT_VERIFY,
            not_verified=wheel.not_verified, error=None if wheel.not_verified else unreached)
        for wheel in reached.upstream.wheels
    )
    return (sdist_artifact(reached, chosen), *listed)


def assemble(run: Run, reached: Reached) -> model.VerifyReport:
    chosen = best(reached.attempts) if reached.attempts else None
    source, explained = reached.source, reached.explained
    upstream, environment = reached.upstream, reached.environment
    return model.VerifyReport(
        verdict=reached.verdict,
        package=source.package if source else None,
        version=source.version if source else None,
        source=source_record(run, reached, chosen.recipe if chosen else None),
        builder=builder_record(run, chosen.build, environment) if chosen and environment else None,
        published=upstream.record if upstream else None,
        rebuilt=rebuilt_record(chosen.build) if chosen else None,
        comparison=chosen.comparison.report() if chosen else None,
        explanations=explained.explanations if explained else (),
        checks=explained.checks if explained else (),
        attempts=attempt_records(reached) if chosen else (),
        notes=tuple(run.notes),
        transplant=explained.transplant if explained else None,
        recipe=recipe_record(chosen.recipe) if chosen else None,
        fingerprints=tuple(model.Fingerprint(**evidence) for evidence in reached.fingerprints.evidence) if reached.fingerprints else (),
        inferred=inferred_record(reached.workflow.inferred) if reached.workflow and reached.workflow.inferred else None,
        timings=dict(run.timings),
        reproduce=run.request.command(**resolved_options(reached, chosen)),
        workdir=str(run.workdir),
        error=reached.error,
        error_details=reached.error_details,
        tool_version=__version__,
        tools={"uv": uv_version()},
        artifacts=artifacts(run, reached, chosen),
    )
