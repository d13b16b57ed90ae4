"""Stage 5b, wheels: each pure wheel of the release, rebuilt in the same sandbox as the sdist (the
builder image, no network, read-only inputs) and compared with the same engine.

The first build of a wheel takes the route pip takes: the rebuilt sdist, unpacked, `build_wheel`,
with SOURCE_DATE_EPOCH read from the published wheel's own zip times (the sdist's when they say
nothing) and build requirements pinned as of the wheel's own upload time (unless a cutoff was given). When that is not identical, the wheel is built from the tagged tree too and the closer one
kept (`built_from` says which). With --search, more recipes follow (the zip time's second twin, the
backend version WHEEL's Generator names), at most --max-builds builds per wheel. Normalizations are
the request's, `gzip-header` included: on a zip it is what compares the members decompressed (the
compression method and level, and the zip headers `mtime` already evened out, erased; bytes the
members do not account for are never erased). Without it any zip-time difference left the whole
file different (measured: six 1.17.0's wheel, whose members are byte-identical, came out different).

A published wheel that cannot be a faithful build — not a readable wheel, over the archive limits (a
zip bomb), a name that is not the release's — is `different`, with the reason as its explanation.
Platform wheels are listed with why they are not verified; so are wheels under the Pants builder.

The verdict of the whole run (`overall`): a `different` artifact makes the run `different` (exit 1);
otherwise a pure wheel that could not be verified (its build failed, its download failed) makes it
`could-not-verify` (exit 3), so that an unverifiable wheel neither hides a different sdist nor lets an
identical sdist pass for the whole release; otherwise the weakest of identical/equivalent (exit 0).
Files not verified by design (platform wheels) do not count: they are listed in `artifacts`.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from verifier.archive.interface import Limits
from verifier.build.interface import BuildResult
from verifier.compare.interface import Comparison
from verifier.compare.run import run_compare
from verifier.errors import ArchiveError, VerifierError
from verifier.recipe import score
from verifier.recipe.interface import EpochChoice, Recipe
from verifier.report.model.verdict import Verdict
from verifier.report.model.verify import Explanation
from verifier.upstream.names import normalize_project, same_version
from verifier.verify.stages.build import BuildEnvironment, build_request
from verifier.verify.stages.compare import CONTENT_KEPT_FOR_EXPLANATIONS
from verifier.verify.stages.context import Run
from verifier.verify.stages.source import SourceStage
from verifier.verify.stages.upstream import PublishedWheel
from verifier.wheel.contents import read_wheel
from verifier.wheel.epoch import HATCHLING_DEFAULT, epoch_candidates, single_stamp
from verifier.wheel.explain import explain_wheel
from verifier.wheel.generator import generator_pin
from verifier.wheel.interface import WheelContents, parse_wheel_name
from verifier.wheel.sdist_relation import sdist_digests

FROM_SDIST, FROM_TREE = "rebuilt sdist", "tagged tree"
_ROUTE_TARGET = {FROM_SDIST: "wheel-from-sdist", FROM_TREE: "wheel"}
_RANK = {Verdict.DIFFERENT: 0, Verdict.COULD_NOT_VERIFY: 1, Verdict.EQUIVALENT: 2, Verdict.IDENTICAL: 3}


def overall(sdist: Verdict, wheels: Sequence[Verdict | None]) -> Verdict:
    """The run's verdict from its artifacts' (see the module docstring); None: not verified by design."""
    verdicts = [sdist, *(verdict for verdict in wheels if verdict is not None)]
    if any(verdict not in _RANK for verdict in verdicts):  # error/timeout: not reached the wheels
        return sdist
    return min(verdicts, key=lambda verdict: _RANK[verdict])


@dataclass(frozen=True)
class WheelAttempt:
    recipe: Recipe
    route: str  # FROM_SDIST | FROM_TREE
    build: BuildResult
    comparison: Comparison
    pin: str | None = None  # the backend pinned for this build (--search, from WHEEL's Generator)


@dataclass(frozen=True)
class WheelOutcome:
    """What verifying one published wheel found."""

    wheel: PublishedWheel
    verdict: Verdict | None  # None: not verified (`not_verified` says why)
    attempts: tuple[WheelAttempt, ...] = ()
    explanations: tuple[Explanation, ...] = ()
    error: str | None = None
    not_verified: str | None = None
    error_details: str = ""  # the tail of a failed build's log (not in the artifact: the report's error_details)

    @property
    def chosen(self) -> WheelAttempt | None:
        return max(self.attempts, key=lambda attempted: score(attempted.comparison)) if self.attempts else None


@dataclass(frozen=True)
class WheelInputs:
    source: SourceStage
    environment: BuildEnvironment
    published_sdist: Path
    rebuilt_sdist: Path  # the sdist of the attempt the sdist verdict comes from
    recipe: Recipe  # that attempt's recipe


def verify_wheels(run: Run, inputs: WheelInputs, wheels: Sequence[PublishedWheel]) -> tuple[WheelOutcome, ...]:
    return tuple(_verify_wheel(run, inputs, wheel, number) for number, wheel in enumerate(wheels))


def _refusal(wheel: PublishedWheel, source: SourceStage) -> str | None:
    """Why the published wheel cannot be a faithful build of this release, before any build."""
    filename = wheel.file.filename
    try:
        name = parse_wheel_name(filename)
    except VerifierError as exc:
        return str(exc)
    if normalize_project(name.name) != normalize_project(source.package) or not same_version(name.version, source.version):
        return f"{filename} names {name.name} {name.version}, not the release {source.package} {source.version}"
    return None


def _verify_wheel(run: Run, inputs: WheelInputs, wheel: PublishedWheel, number: int) -> WheelOutcome:
    if wheel.not_verified is not None:
        return WheelOutcome(wheel, None, not_verified=wheel.not_verified)
    if wheel.error is not None or wheel.path is None:
        return WheelOutcome(wheel, Verdict.COULD_NOT_VERIFY, error=wheel.error or "the wheel was not fetched")
    if inputs.source.builder.name != "pypa-build":
        return WheelOutcome(wheel, None, not_verified=f"the {inputs.source.builder.name} builder rebuilds sdists only")
    refused = _refusal(wheel, inputs.source)
    contents: WheelContents | None = None
    if refused is None:
        try:
            contents = read_wheel(wheel.path)
        except VerifierError as exc:
            refused = f"the published file is not a readable wheel: {exc}"
    if refused is not None or contents is None:
        return WheelOutcome(wheel, Verdict.DIFFERENT, explanations=(Explanation(wheel.file.filename, "not-a-faithful-wheel", refused or ""),))
    if wheel.file.upload_time and inputs.recipe.cutoff_origin == "upload time":  # the wheel's own upload
        inputs = dataclasses.replace(inputs, recipe=dataclasses.replace(inputs.recipe, cutoff=wheel.file.upload_time))
    attempts, failures = _search(run, inputs, wheel, contents, run.workdir / "wheels" / str(number))
    if not attempts:
        return WheelOutcome(wheel, Verdict.COULD_NOT_VERIFY, error="; ".join(text for text, _ in failures) or "no build of the wheel ran",
                            error_details=failures[-1][1] if failures else "")
    outcome = WheelOutcome(wheel, None, tuple(attempts))
    chosen = outcome.chosen
    assert chosen is not None
    verdict = Verdict(chosen.comparison.verdict.value)
    explanations: tuple[Explanation, ...] = ()
    if verdict is not Verdict.IDENTICAL:
        explanations = _explanations(inputs, contents, chosen)
    tried = ", ".join(f"{attempted.route}: {attempted.comparison.verdict.value}" for attempted in attempts)
    run.note(f"{wheel.file.filename}: {verdict.value}, {len(attempts) + len(failures)} build(s) ({tried})")
    return dataclasses.replace(outcome, verdict=verdict, explanations=explanations)


def _recipes(base: Recipe, contents: WheelContents) -> list[Recipe]:
    """The wheel's recipes, most likely first: SOURCE_DATE_EPOCH from its zip times; none when they
    are hatchling's fixed stamp (what it writes without SOURCE_DATE_EPOCH); else the sdist's."""
    if single_stamp(contents) == HATCHLING_DEFAULT:
        unset = "the published wheel carries hatchling's fixed stamp (2020-02-02): built without SOURCE_DATE_EPOCH"
        return [dataclasses.replace(base, epoch=EpochChoice(None, "wheel", unset), why=unset)]
    found = [
        dataclasses.replace(base, epoch=EpochChoice(value, "wheel", "the published wheel's zip times"),
                            why=f"SOURCE_DATE_EPOCH {value} from the published wheel's zip times")
        for value in epoch_candidates(contents)
    ]
    return found or [dataclasses.replace(base, why=f"{base.why} (the wheel's zip times give no SOURCE_DATE_EPOCH)")]


def _search(
    run: Run, inputs: WheelInputs, wheel: PublishedWheel, contents: WheelContents, directory: Path
) -> tuple[list[WheelAttempt], list[tuple[str, str]]]:
    """The builds of one wheel: the sdist route, the tree when that differs, then (--search) more recipes."""
    budget = run.request.max_builds if run.request.search else 2
    recipes = _recipes(inputs.recipe, contents)
    plan: list[tuple[Recipe, str, str | None]] = [(recipes[0], FROM_SDIST, None), (recipes[0], FROM_TREE, None)]
    attempts: list[WheelAttempt] = []
    failures: list[tuple[str, str]] = []  # (what failed, its log's tail)
    while plan and len(attempts) + len(failures) < budget:
        recipe, route, pin = plan.pop(0)
        if attempts and max(score(a.comparison) for a in attempts)[0] == 2:  # identical: done
            break
        try:
            attempts.append(_attempt(run, inputs, wheel, recipe, route, pin, directory / f"build-{len(attempts) + len(failures)}"))
        except VerifierError as exc:
            failures.append((f"{route}: {exc}", exc.details))
            run.note(f"{wheel.file.filename}: the build from the {route} failed ({exc})")
        if not plan and run.request.search:
            plan = _more(inputs, contents, recipes, attempts, plan)
            recipes = []  # the twin epochs are planned once
    return attempts, failures


def _more(inputs: WheelInputs, contents: WheelContents, recipes: list[Recipe], attempts: list[WheelAttempt],
          plan: list[tuple[Recipe, str, str | None]]) -> list[tuple[Recipe, str, str | None]]:
    """--search: the backend version WHEEL's Generator names, then the zip time's other epoch (zip
    keeps even seconds: it changes only what embeds the epoch elsewhere)."""
    if not attempts:
        return plan
    closest = max(attempts, key=lambda attempted: score(attempted.comparison))
    more: list[tuple[Recipe, str, str | None]] = []
    pin = generator_pin(contents.generator)
    if pin and all(attempt.pin != pin for attempt in attempts):
        try:
            rebuilt = read_wheel(closest.build.sdist)
        except VerifierError:
            rebuilt = None
        if rebuilt is None or rebuilt.generator != contents.generator:
            why = f"{closest.recipe.why}; {pin}, the backend WHEEL's Generator names ({contents.generator})"
            more.append((dataclasses.replace(closest.recipe, why=why), closest.route, pin))
    return more + [(recipe, closest.route, closest.pin) for recipe in recipes[1:]]


def _attempt(run: Run, inputs: WheelInputs, wheel: PublishedWheel, recipe: Recipe, route: str, pin: str | None, directory: Path) -> WheelAttempt:
    source, environment = inputs.source, inputs.environment
    base = environment.default if recipe.python is None else environment.base(run, recipe.python)
    directory.mkdir(parents=True, exist_ok=True)
    request = dataclasses.replace(
        build_request(run, source, recipe, base, directory),
        target=_ROUTE_TARGET[route],
        sdist=inputs.rebuilt_sdist if route == FROM_SDIST else None,
    )
    if pin:
        request = dataclasses.replace(request, pins=(*request.pins, pin))
    epoch = recipe.epoch.value if recipe.epoch.value is not None else "unset"
    with run.phase("wheels", f"building {wheel.file.filename} from the {route} (SOURCE_DATE_EPOCH: {epoch})"):
        built = source.builder.build(request, environment.runtime, run.say)
    with run.phase("compare", f"comparing the published {wheel.file.filename} with the rebuilt one"):
        comparison = compare_wheel(run, wheel, built.sdist, directory / "compare")
    return WheelAttempt(recipe, route, built, comparison, pin)


def compare_wheel(run: Run, wheel: PublishedWheel, rebuilt: Path, workdir: Path) -> Comparison:
    """The published wheel against a rebuild, with the run's normalizations (see the module docstring)."""
    assert wheel.path is not None
    try:
        return run_compare(wheel.path, rebuilt, run.normalizations, Limits(), workdir=workdir, keep_contents=CONTENT_KEPT_FOR_EXPLANATIONS)
    except ArchiveError as exc:
        raise ArchiveError(f"comparing {wheel.file.filename}: {exc}") from None


def _explanations(inputs: WheelInputs, published: WheelContents, chosen: WheelAttempt) -> tuple[Explanation, ...]:
    """The wheel-aware findings: RECORD, modules against the published sdist, generator versions."""
    try:
        rebuilt: WheelContents | None = read_wheel(chosen.build.sdist)
    except VerifierError:
        rebuilt = None
    try:
        sdist = sdist_digests(inputs.published_sdist)
    except VerifierError:
        sdist = {}
    findings = explain_wheel(published, rebuilt, sdist, frozenset(inputs.source.tracked))
    return tuple(Explanation(finding.path, finding.kind, finding.message) for finding in findings)
