"""`verifier compare` end to end: the comparison, then evidence and details for what differs."""

from __future__ import annotations

import tempfile
import time
from collections.abc import Sequence
from contextlib import ExitStack
from pathlib import Path

from verifier.archive.interface import Limits
from verifier.compare import gzip_evidence
from verifier.compare.engine import compare_archives
from verifier.compare.interface import Comparison, Verdict
from verifier.normalize.interface import Normalization


def run_compare(
    reference: Path,
    candidate: Path,
    normalizations: Sequence[Normalization],
    limits: Limits,
    *,
    workdir: Path | None = None,
    diffoscope: dict[str, Path] | None = None,
    keep_contents: int = 0,
) -> Comparison:
    """Compare, then gather gzip evidence and, when they differ, the details of each difference.

    With `keep_contents`, the contents of differing members up to that many bytes are kept in
    `comparison.member_contents` (for explanations)."""
    comparison, left, right = compare_archives(reference, candidate, normalizations, limits)
    if left is None or right is None:  # identical
        if diffoscope:
            for path in diffoscope.values():
                path.write_text("the files are identical\n", encoding="utf-8")
            comparison.diffoscope = {fmt: str(path) for fmt, path in diffoscope.items()}
        return comparison
    started = time.perf_counter()
    comparison.gzip = gzip_evidence.gather(left, right, limits)
    comparison.timings["gzip_evidence"] = round(time.perf_counter() - started, 3)
    if comparison.verdict is Verdict.DIFFERENT or diffoscope:
        # Imported only here: an equivalent pair never needs them (start-up time of `compare`).
        from verifier.compare import details
        from verifier.compare.diffoscope import run_diffoscope

        started = time.perf_counter()
        with ExitStack() as stack:
            if workdir is None:
                workdir = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="verifier-compare-")))
            else:
                workdir.mkdir(parents=True, exist_ok=True)
            left_indices, right_indices = details.wanted_indices(comparison.differences)
            left_side = details.capture(reference, left_indices, normalizations, limits, workdir)
            stack.callback(left_side.close)
            right_side = details.capture(candidate, right_indices, normalizations, limits, workdir)
            stack.callback(right_side.close)
            details.annotate(comparison.differences, left_side, right_side)
            comparison.differences.extend(details.hidden_header_differences(comparison.differences, left_side, right_side))
            if keep_contents:
                comparison.member_contents = details.small_contents(comparison.differences, left_side, right_side, keep_contents)
            if diffoscope:
                written, note = run_diffoscope(
                    left_side, right_side, sorted(left_indices), sorted(right_indices), diffoscope, workdir
                )
                comparison.diffoscope = written
                if note:
                    comparison.warnings.append(note)
        comparison.timings["details"] = round(time.perf_counter() - started, 3)
    return comparison
