"""`verifier compare` end to end: the comparison, then evidence and details for what differs."""

from __future__ import annotations

import tempfile
import time
from collections.abc import Sequence
from pathlib import Path

from verifier.archive.interface import Limits
from verifier.compare.engine import compare_archives
from verifier.compare.interface import Comparison
from verifier.normalize.interface import Normalization


def run_compare(
    reference: Path,
    candidate: Path,
    normalizations: Sequence[Normalization],
    limits: Limits,
    *,
    workdir: Path | None = None,
    diffoscope: dict[str, Path] | None = None,
) -> Comparison:
    comparison, left, right = compare_archives(reference, candidate, normalizations, limits)
    return comparison
