"""Stage 5, compare: the published sdist (reference) against a rebuild (candidate), under the
normalizations the request selects."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from verifier.archive.interface import Limits
from verifier.compare.interface import Comparison
from verifier.compare.run import run_compare
from verifier.normalize.registry import select
from verifier.verify.stages.context import Run

CONTENT_KEPT_FOR_EXPLANATIONS = 256 * 1024


def compare_rebuild(run: Run, published: Path, rebuilt: Path, workdir: Path) -> Comparison:
    request = run.request
    with run.phase("compare", "comparing the published sdist with the rebuilt one"):
        return run_compare(
            published,
            rebuilt,
            run.normalizations,
            Limits(),
            workdir=workdir,
            keep_contents=CONTENT_KEPT_FOR_EXPLANATIONS,
            diffoscope={"html": request.diffoscope_html} if request.diffoscope_html else None,
        )


def compare_with(published: Path, rebuilt: Path, normalizations: Sequence[str], workdir: Path) -> Comparison:
    """The comparison again under other normalizations (what would stay different)."""
    return run_compare(published, rebuilt, select(list(normalizations)), Limits(), workdir=workdir)
