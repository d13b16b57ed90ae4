"""The compare report of a comparison that reached no verdict (a file that is not an archive, a
hostile one, an unreadable one): `--json` is written for every outcome, the error in it."""

from __future__ import annotations

from pathlib import Path

from verifier.errors import EXIT_BAD_INPUT, VerifierError
from verifier.fsutil import file_sha256
from verifier.report.model.compare import ArtifactSummary, CompareReport
from verifier.report.model.verdict import Verdict


def failed_report(reference: Path, candidate: Path, error: VerifierError) -> CompareReport:
    """Verdict `error` (bad input) or `could-not-verify`, each side as far as it can be read."""
    verdict = Verdict.ERROR if error.exit_code == EXIT_BAD_INPUT else Verdict.COULD_NOT_VERIFY
    return CompareReport(
        verdict=verdict,
        reference=_side(reference),
        candidate=_side(candidate),
        normalizations={},
        differences=(),
        error=" ".join(str(error).split()),
    )


def _side(path: Path) -> ArtifactSummary:
    """The file's size and sha256 when it is a readable file ("" and 0 otherwise); nothing parsed."""
    try:
        size, digest = path.stat().st_size, file_sha256(path) if path.is_file() else ""
    except OSError:
        size, digest = 0, ""
    return ArtifactSummary(path=str(path), sha256=digest, size=size, format="unknown", members=None,
                           top_level=None, payload_sha256=None)
