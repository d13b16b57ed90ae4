"""`verify`: source → recipe → upstream → build (the `--search` loop) → compare → explain → report.

Each stage is a module of verifier/verify/stages/ with a typed result. No printing here: progress
goes through a callback, and every outcome (including "could not verify") ends as a VerifyReport
whose verdict knows its exit code.
"""

from __future__ import annotations

import dataclasses

from verifier.build.interface import Builder
from verifier.config import Settings
from verifier.errors import CouldNotVerify, VerifierError
from verifier.normalize.registry import select
from verifier.report.model.verdict import Verdict
from verifier.report.model.verify import VerifyReport
from verifier.runtime.interface import ContainerRuntime
from verifier.recipe import fingerprint
from verifier.verify.interface import VerifyRequest
from verifier.verify.stages import build, explain, recipe, search, source, upstream
from verifier.verify.stages.context import Progress, Run, make_workdir
from verifier.verify.stages.report import Reached, assemble


def verify(
    request: VerifyRequest,
    settings: Settings,
    progress: Progress | None = None,
    *,
    builder: Builder | None = None,
    runtime: ContainerRuntime | None = None,
) -> VerifyReport:
    """Run one verification. Never raises VerifierError: failures end in the report's verdict.

    `builder` and `runtime` replace the ones chosen for the tree and the host (tests pass a fake)."""
    workdir, ours = make_workdir(request)
    normalizations = () if request.strict else select(request.normalizations)
    run = Run(request, settings, workdir, ours, progress or (lambda message: None), normalizations)
    reached = Reached()
    try:
        _run_stages(run, reached, builder, runtime)
    except CouldNotVerify as exc:
        reached.verdict, reached.error, reached.error_details = Verdict.COULD_NOT_VERIFY, str(exc), exc.details
    except VerifierError as exc:
        reached.verdict, reached.error = Verdict.ERROR, str(exc)
    report = assemble(run, reached)
    if ours and not request.keep_workdir and report.reproducible:
        run.discard_workdir()
        report = _without_workdir(report)
    return report


def _run_stages(run: Run, reached: Reached, builder: Builder | None, runtime: ContainerRuntime | None) -> None:
    request = run.request
    with run.phase("source", f"resolving tag {request.tag!r} in {request.repo}"):
        reached.tag = source.resolve(run)
        reached.source = source.check_out(run, reached.tag, builder)
    tree = reached.source
    reached.workflow = recipe.read_workflow(run, tree)
    reached.upstream = upstream.fetch_published(run, tree.package, tree.version)
    reached.first = recipe.first_recipe(run, tree, reached.workflow, reached.upstream)
    reached.environment = build.prepare(run, reached.workflow, runtime)
    reached.fingerprints = fingerprint(reached.upstream.path)
    explainer = explain.Explainer(tree)
    inputs = search.SearchInputs(tree, reached.environment, reached.upstream, reached.fingerprints, explainer.causes)
    reached.attempts = search.search(run, inputs, reached.first)
    chosen = search.best(reached.attempts)
    reached.verdict = Verdict(chosen.comparison.verdict.value)
    reached.explained = explain.explain_result(
        run, explainer, reached.upstream, reached.fingerprints, chosen.comparison, chosen.build.sdist
    )


def _without_workdir(report: VerifyReport) -> VerifyReport:
    """A reproducible run's report once its scratch directory is deleted: no paths into it."""
    builder = dataclasses.replace(report.builder, log=None) if report.builder else None
    rebuilt = dataclasses.replace(report.rebuilt, path=None) if report.rebuilt else None
    return dataclasses.replace(report, workdir=None, builder=builder, rebuilt=rebuilt)
