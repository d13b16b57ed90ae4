"""`verify`: source → recipe → upstream → build (the `--search` loop) → compare → explain → wheels → report.

The wheels stage rebuilds each pure wheel of the release from the rebuilt sdist (stages/wheels.py);
the run's verdict is then the weakest of the artifacts' (`wheels.overall`: different, then
could-not-verify, then equivalent, then identical; platform wheels, not verified by design, do not
count). With --sdist-only the wheels are not listed and the verdict is the sdist's, as before.

Each stage is a module of verifier/verify/stages/ with a typed result. No printing here: progress
goes through a callback, and every outcome (including "could not verify") ends as a VerifyReport
whose verdict knows its exit code.
"""

from __future__ import annotations

import dataclasses

from verifier.build.interface import Builder
from verifier.config import Settings
from verifier.errors import VerifierError
from verifier.normalize.registry import select
from verifier.recipe import fingerprint
from verifier.recipe.setup_py import setup_py_facts
from verifier.report.model.verdict import Verdict
from verifier.report.model.verify import VerifyReport
from verifier.runtime.interface import ContainerRuntime
from verifier.verify.interface import VerifyRequest
from verifier.verify.stages import build, explain, recipe, search, source, upstream, wheels
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
    except VerifierError as exc:  # its exit code decides: bad input (error) or could not verify
        could_not = exc.exit_code == Verdict.COULD_NOT_VERIFY.exit_code
        reached.verdict = Verdict.COULD_NOT_VERIFY if could_not else Verdict.ERROR
        reached.error, reached.error_details = str(exc), exc.details if could_not else ""
    except BaseException:  # an internal error or an interrupt: no scratch directory left behind
        if ours and not request.keep_workdir:
            run.discard_workdir()
        raise
    report = assemble(run, reached)
    # A scratch directory is kept only to inspect a difference, or a failure whose error names a file
    # in it (a build log), or when asked: never after a success, bad input or an unreachable service.
    names_a_file = report.verdict is Verdict.COULD_NOT_VERIFY and str(workdir) in f"{report.error} {report.error_details}"
    if ours and not request.keep_workdir and report.verdict is not Verdict.DIFFERENT and not names_a_file:
        run.discard_workdir()
        report = _without_workdir(report)
    return report


def _run_stages(run: Run, reached: Reached, builder: Builder | None, runtime: ContainerRuntime | None) -> None:
    with run.phase("source", "locating the source"):
        reached.origin = source.locate(run)
        run.say(f"resolving tag {run.request.tag!r} in {run.request.repo}")
        reached.tag = source.resolve(run)
        reached.source = source.check_out(run, reached.tag, builder)
    tree = reached.source
    reached.workflow = recipe.read_workflow(run, tree)
    reached.upstream = upstream.fetch_published(run, tree.package, tree.version)
    reached.first = recipe.first_recipe(run, tree, reached.workflow, reached.upstream)
    reached.environment = build.prepare(run, reached.workflow, runtime)
    reached.fingerprints = fingerprint(reached.upstream.path)
    explainer = explain.Explainer(tree)
    inputs = search.SearchInputs(
        tree, reached.environment, reached.upstream, reached.fingerprints, explainer.causes, reached.workflow.steps,
        crlf_tracked=explainer.crlf_tracked,
        setup_py=setup_py_facts(tree.checkout.path, tree.project.subdir),
    )
    reached.attempts = search.search(run, inputs, reached.first, reached.failed_builds)
    chosen = search.best(reached.attempts)
    reached.verdict = Verdict(chosen.comparison.verdict.value)
    tried = [(attempted.recipe, attempted.comparison) for attempted in reached.attempts]
    reached.explained = explain.explain_result(
        run, explainer, reached.upstream, reached.fingerprints, chosen.comparison, chosen.build.sdist,
        explainer.windows_emulated(tried), explainer.crlf_tracked_in(tried),
    )
    if reached.upstream.wheels:
        inputs_of_wheels = wheels.WheelInputs(tree, reached.environment, reached.upstream.path, chosen.build.sdist, chosen.recipe)
        reached.wheels = wheels.verify_wheels(run, inputs_of_wheels, reached.upstream.wheels)
        reached.verdict = wheels.overall(reached.verdict, [outcome.verdict for outcome in reached.wheels])
        failed = [outcome for outcome in reached.wheels if outcome.verdict is Verdict.COULD_NOT_VERIFY]
        if reached.verdict is Verdict.COULD_NOT_VERIFY and failed:  # say which wheel, with its log's tail
            reached.error = f"{failed[0].wheel.file.filename} could not be verified: {failed[0].error}"
            reached.error_details = failed[0].error_details


def _without_workdir(report: VerifyReport) -> VerifyReport:
    """A run's report once its scratch directory is deleted: no paths into it."""
    builder = dataclasses.replace(report.builder, log=None) if report.builder else None
    rebuilt = dataclasses.replace(report.rebuilt, path=None) if report.rebuilt else None
    return dataclasses.replace(report, workdir=None, builder=builder, rebuilt=rebuilt)
