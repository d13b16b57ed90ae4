"""The `--search` loop: from the best attempt so far, try the next recipe its differences and the
published file's fingerprints point at, within a budget of builds; without --search, one build."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from verifier.build.interface import BuildResult
from verifier.compare.interface import Comparison, Verdict
from verifier.errors import BadInput, CouldNotVerify
from verifier.recipe import candidates, score
from verifier.recipe.candidates import fingerprint_why
from verifier.recipe.interface import Fingerprints, Recipe
from verifier.recipe.prebuild import ReleaseSteps
from verifier.recipe.setup_py import SetupPyFacts
from verifier.verify.stages import backend
from verifier.verify.stages.build import PYTHON_SUITES, BuildEnvironment, rebuild
from verifier.verify.stages.compare import compare_rebuild
from verifier.verify.stages.context import Run
from verifier.verify.stages.source import SourceStage
from verifier.verify.stages.upstream import UpstreamStage

Causes = Callable[[Comparison], set[str]]  # the explanation causes of a comparison's differences


@dataclass(frozen=True)
class Attempted:
    """One rebuild and its comparison with the published file."""

    recipe: Recipe
    build: BuildResult
    comparison: Comparison
    number: int = 1  # the build's place among the run's builds (1: the first recipe's)


@dataclass(frozen=True)
class FailedBuild:
    """A build of `--search` that could not run (a guessed recipe's requirements may not resolve)."""

    recipe: Recipe
    number: int
    error: str


def attempt(run: Run, source: SourceStage, environment: BuildEnvironment, upstream: UpstreamStage, recipe: Recipe, number: int) -> Attempted:
    """Build with `recipe` into its own directory (build/ for the first, attempt-N after) and compare."""
    directory = run.workdir / (f"attempt-{number}" if number else "build")
    directory.mkdir(parents=True, exist_ok=True)
    result = rebuild(run, source, environment, recipe, directory)
    return Attempted(recipe, result, compare_rebuild(run, upstream.path, result.sdist, directory / "compare"), number + 1)


def best(attempts: list[Attempted]) -> Attempted:
    """The attempt closest to the published bytes (the first of equals)."""
    return max(attempts, key=lambda attempted: score(attempted.comparison))


@dataclass(frozen=True)
class SearchInputs:
    source: SourceStage
    environment: BuildEnvironment
    upstream: UpstreamStage
    fingerprints: Fingerprints
    causes: Causes
    steps: ReleaseSteps | None = None  # the release workflow's steps before the build
    crlf_tracked: Callable[[Comparison], list[str]] | None = None  # tracked files only the published sdist has with CRLF
    setup_py: SetupPyFacts | None = None  # where the setup.py reads its argv, the egg_info tags setup.cfg sets


def other_pythons(run: Run) -> tuple[str, ...]:
    """The Pythons a recipe may ask for: those with a Debian suite, unless a base image is given."""
    if run.request.base_image or run.settings.base_image:
        return ()
    return tuple(PYTHON_SUITES)


def search(run: Run, inputs: SearchInputs, first: Recipe, failed: list[FailedBuild] | None = None) -> list[Attempted]:
    """Every attempt, the first recipe's first; a failing first build raises, later ones become notes
    and, when `failed` is given, are appended to it (the report lists them among the attempts)."""
    source, upstream = inputs.source, inputs.upstream
    attempts = [attempt(run, source, inputs.environment, upstream, first, 0)]
    if not run.request.search:
        return attempts
    tried = {first.key()}
    versions = backend.BackendVersions(run, source, inputs.fingerprints)
    builds = 1  # a build that fails counts too: --max-builds bounds the builds run
    while builds < run.request.max_builds:
        closest = best(attempts)
        if closest.comparison.verdict is Verdict.IDENTICAL:
            break
        causes = inputs.causes(closest.comparison)
        backend_pin = versions.next_pin(closest.recipe, closest.build, causes)
        options = [
            recipe
            for recipe in candidates(
                closest.recipe, closest.comparison, causes, inputs.fingerprints,
                source.tag.commit_time, upstream.path, source.builder.name, source.project.build_backend,
                default_python=inputs.environment.default[1], pythons=other_pythons(run), steps=inputs.steps,
                backend_pin=backend_pin,
                crlf_tracked=tuple(inputs.crlf_tracked(closest.comparison)) if inputs.crlf_tracked else (),
                build_requires=source.project.build_requires, setup_py=inputs.setup_py,
            )
            if recipe.key() not in tried
        ]
        if not options:
            break
        recipe = options[0]
        tried.add(recipe.key())
        run.say(f"--search: trying {recipe.why}")
        if (recipe.python, recipe.windows) != (closest.recipe.python, closest.recipe.windows):
            run.note(f"--search: the published file's fingerprint chose {recipe.why}")
        elif recipe.tar_writer and recipe.tar_writer != closest.recipe.tar_writer:
            evidence = fingerprint_why(inputs.fingerprints, "tar_writer")
            run.note(f"--search: the published file's fingerprint chose the tar writer {recipe.tar_writer}: {evidence}")
        if backend_pin is not None and backend_pin.pin in recipe.pins and backend_pin.pin not in closest.recipe.pins:
            run.note(backend.explain_choice(backend_pin))
        builds += 1
        try:
            attempts.append(attempt(run, source, inputs.environment, upstream, recipe, builds - 1))
        except (CouldNotVerify, BadInput) as exc:  # a guessed recipe's requirements may not resolve
            run.note(f"--search: {recipe.why}: could not build ({exc})")
            if failed is not None:
                failed.append(FailedBuild(recipe, builds, str(exc)))
    return attempts
