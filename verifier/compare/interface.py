"""What a comparison says: a verdict, the normalizations and what they erased, every difference.

These are the engine's working types (they also carry member indices and contents for the detail
pass). The report they become is `verifier.report.model.compare.CompareReport` (`Comparison.report()`);
`Verdict` and `ArtifactSummary` are the report model's own.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

from verifier.report.model.compare import (
    ArtifactSummary,
    CompareReport,
    DifferenceReport,
    GzipReport,
    NormalizationReport,
)
from verifier.report.model.serialize import to_data
from verifier.report.model.verdict import Verdict

__all__ = ["ArtifactSummary", "Comparison", "Difference", "GzipEvidence", "NormalizationEffect", "Verdict"]


# Difference kinds. The first eight are the ones every report names; the rest are finer.
CONTENT = "content"
ONLY_IN_REFERENCE = "only-in-reference"
ONLY_IN_CANDIDATE = "only-in-candidate"
DUPLICATE = "duplicate"
MODE = "mode"
TYPE = "type"
LINK_TARGET = "link-target"
SIZE = "size"
MTIME = "mtime"
OWNER = "owner"
METADATA = "metadata"  # pax records / zip fields not covered above (xattrs, comments, extra fields)
TAR_HEADER = "tar-header"  # the same fields, encoded differently
HIDDEN_DATA = "hidden-data"  # non-zero bytes in tar padding
ORDER = "order"
TOP_LEVEL = "top-level-directory"
COMPRESSION = "compression"
TRAILER = "tar-trailer"

KINDS = (
    CONTENT,
    ONLY_IN_REFERENCE,
    ONLY_IN_CANDIDATE,
    DUPLICATE,
    MODE,
    TYPE,
    LINK_TARGET,
    SIZE,
    MTIME,
    OWNER,
    METADATA,
    TAR_HEADER,
    HIDDEN_DATA,
    ORDER,
    TOP_LEVEL,
    COMPRESSION,
    TRAILER,
)


@dataclass
class Difference:
    kind: str
    path: str  # the member name as stored (reference side when both have it); "" for archive-level
    message: str  # one line for people
    reference: dict[str, Any] | None = None
    candidate: dict[str, Any] | None = None
    # indices of the members involved, for the detail pass (not reported)
    reference_index: int | None = None
    candidate_index: int | None = None

    def report(self) -> DifferenceReport:
        return DifferenceReport(self.path, self.kind, self.message, self.reference, self.candidate)

    def as_dict(self) -> dict[str, Any]:
        data: dict[str, Any] = to_data(self.report())
        return data


@dataclass
class NormalizationEffect:
    name: str
    summary: str
    reference_members: int  # members (or, for frame normalizations, 1) whose bytes it changed
    candidate_members: int
    pairs: int  # paired members (or the frame) that differed in what it covers, before it
    scope: str = "members"  # "members" or "frame"

    def report(self) -> NormalizationReport:
        scope: Literal["members", "frame"] = "frame" if self.scope == "frame" else "members"
        return NormalizationReport(self.summary, scope, self.reference_members, self.candidate_members, self.pairs)


@dataclass
class GzipEvidence:
    """How the reference's compressed bytes arose, when the decompressed streams are equal."""

    reference_headers: list[dict[str, Any]]
    candidate_headers: list[dict[str, Any]]
    header_fields_differing: list[str]
    payloads_equal: bool
    reproduced: bool | None = None  # None: not tried
    compressor: str | None = None  # e.g. "zlib 1.2.13" or "zlib-ng 2.2.2"
    level: int | None = None
    tried: list[str] = field(default_factory=list)
    note: str = ""

    def report(self) -> GzipReport:
        return GzipReport(
            reference_headers=tuple(self.reference_headers),
            candidate_headers=tuple(self.candidate_headers),
            header_fields_differing=tuple(self.header_fields_differing),
            decompressed_streams_equal=self.payloads_equal,
            recompression_reproduces_reference=self.reproduced,
            compressor=self.compressor,
            level=self.level,
            tried=tuple(self.tried),
            note=self.note,
        )


@dataclass
class Comparison:
    verdict: Verdict
    reference: ArtifactSummary
    candidate: ArtifactSummary
    normalizations: tuple[str, ...]
    effects: list[NormalizationEffect]
    differences: list[Difference]
    warnings: list[str] = field(default_factory=list)
    gzip: GzipEvidence | None = None
    differences_not_listed: int = 0
    timings: dict[str, float] = field(default_factory=dict)
    diffoscope: dict[str, str] = field(default_factory=dict)  # format -> path written
    # Contents of small differing members, by path: (reference, candidate); not in the JSON.
    member_contents: dict[str, tuple[bytes | None, bytes | None]] = field(default_factory=dict, repr=False)

    @classmethod
    def before_summaries(
        cls,
        verdict: Verdict,
        normalizations: tuple[str, ...],
        effects: list[NormalizationEffect],
        warnings: list[str],
        differences: list[Difference] | None = None,
        differences_not_listed: int = 0,
    ) -> Comparison:
        """A comparison whose two artifact summaries the caller fills in once both archives are read."""
        return cls(
            verdict=verdict,
            reference=ArtifactSummary("", "", 0, "", 0, None, None),
            candidate=ArtifactSummary("", "", 0, "", 0, None, None),
            normalizations=normalizations,
            effects=effects,
            differences=differences or [],
            warnings=warnings,
            differences_not_listed=differences_not_listed,
        )

    @property
    def reproducible(self) -> bool:
        return self.verdict.reproducible

    def report(self) -> CompareReport:
        """The comparison report (`verifier compare --json`): a snapshot of what was found."""
        return CompareReport(
            verdict=self.verdict,
            reference=self.reference,
            candidate=self.candidate,
            normalizations={effect.name: effect.report() for effect in self.effects},
            differences=tuple(difference.report() for difference in self.differences),
            differences_not_listed=self.differences_not_listed,
            warnings=tuple(self.warnings),
            gzip=None if self.gzip is None else self.gzip.report(),
            diffoscope=dict(self.diffoscope),
            timings=dict(self.timings),
        )

    def as_dict(self) -> dict[str, Any]:
        """The report as JSON-ready data (kept for callers that still embed dictionaries)."""
        data: dict[str, Any] = to_data(self.report())
        return data
