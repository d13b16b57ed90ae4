"""The comparison report (`verifier compare --json`, and the `comparison` of a verify report).

Field names are the JSON keys, in order. The comparison engine works on
`verifier.compare.interface.Comparison` (which also carries member indices and contents for the
detail pass); `Comparison.report()` turns it into this model once it is done.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Final, Literal

from verifier.report.model.serialize import OMIT_NONE
from verifier.report.model.verdict import Verdict

SCHEMA: Final = "verifier/compare-report/v1"


@dataclass
class ArtifactSummary:
    """One side of the comparison: the file, its hashes and what its archive holds."""

    path: str
    sha256: str
    size: int
    format: str
    members: int | None  # None: not counted (identical files are only hashed)
    top_level: str | None
    payload_sha256: str | None  # of the decompressed tar stream; None when not computed (compare proved the streams differ without it)
    gzip_headers: list[dict[str, Any]] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class NormalizationReport:
    """What one normalization changed: members (or, for frame normalizations, 1) per side, and
    the paired members (or the frame) that differed in what it covers before it was applied."""

    summary: str
    scope: Literal["members", "frame"]
    reference: int
    candidate: int
    pairs: int


@dataclass(frozen=True)
class DifferenceReport:
    path: str  # the member name as stored (reference side when both have it); "" for archive-level
    kind: str  # one of verifier.compare.interface.KINDS
    message: str  # one line for people
    reference: dict[str, Any] | None = field(default=None, metadata=OMIT_NONE)
    candidate: dict[str, Any] | None = field(default=None, metadata=OMIT_NONE)


@dataclass(frozen=True)
class GzipReport:
    """How the reference's compressed bytes arose, when the decompressed streams are equal."""

    reference_headers: tuple[dict[str, Any], ...]
    candidate_headers: tuple[dict[str, Any], ...]
    header_fields_differing: tuple[str, ...]
    decompressed_streams_equal: bool
    recompression_reproduces_reference: bool | None  # None: not tried
    compressor: str | None  # e.g. "zlib 1.2.13" or "zlib-ng 2.2.2"
    level: int | None
    tried: tuple[str, ...]
    note: str


@dataclass(frozen=True, kw_only=True)
class CompareReport:
    schema: Literal["verifier/compare-report/v1"] = SCHEMA
    kind: Literal["compare"] = "compare"
    verdict: Verdict
    reference: ArtifactSummary
    candidate: ArtifactSummary
    normalizations: dict[str, NormalizationReport]
    differences: tuple[DifferenceReport, ...]
    differences_not_listed: int = 0
    warnings: tuple[str, ...] = ()
    gzip: GzipReport | None = None
    diffoscope: dict[str, str] = field(default_factory=dict)  # format -> path written
    timings: dict[str, float] = field(default_factory=dict)
    error: str | None = field(default=None, metadata=OMIT_NONE)  # why no verdict was reached (verdict error)

    @property
    def reproducible(self) -> bool:
        return self.verdict.reproducible
