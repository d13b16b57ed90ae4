"""What a comparison says: a verdict, the normalizations and what they erased, every difference."""

from __future__ import annotations

import enum
from dataclasses import dataclass, field
from typing import Any


class Verdict(enum.StrEnum):
    IDENTICAL = "identical"  # the same bytes
    EQUIVALENT = "equivalent"  # the same bytes once the selected normalizations are applied
    DIFFERENT = "different"


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

    def as_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"path": self.path, "kind": self.kind, "message": self.message}
        if self.reference is not None:
            out["reference"] = self.reference
        if self.candidate is not None:
            out["candidate"] = self.candidate
        return out


@dataclass
class ArtifactSummary:
    path: str
    sha256: str
    size: int
    format: str
    members: int | None  # None: not counted (identical files are only hashed)
    top_level: str | None
    payload_sha256: str | None  # of the decompressed tar stream
    gzip_headers: list[dict[str, Any]] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return {
            "path": self.path,
            "sha256": self.sha256,
            "size": self.size,
            "format": self.format,
            "members": self.members,
            "top_level": self.top_level,
            "payload_sha256": self.payload_sha256,
            "gzip_headers": self.gzip_headers,
            "warnings": self.warnings,
        }


@dataclass
class NormalizationEffect:
    name: str
    summary: str
    reference_members: int  # members (or, for frame normalizations, 1) whose bytes it changed
    candidate_members: int
    pairs: int  # paired members (or the frame) that differed in what it covers, before it
    scope: str = "members"  # "members" or "frame"

    def as_dict(self) -> dict[str, Any]:
        return {
            "summary": self.summary,
            "scope": self.scope,
            "reference": self.reference_members,
            "candidate": self.candidate_members,
            "pairs": self.pairs,
        }


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

    def as_dict(self) -> dict[str, Any]:
        return {
            "reference_headers": self.reference_headers,
            "candidate_headers": self.candidate_headers,
            "header_fields_differing": self.header_fields_differing,
            "decompressed_streams_equal": self.payloads_equal,
            "recompression_reproduces_reference": self.reproduced,
            "compressor": self.compressor,
            "level": self.level,
            "tried": self.tried,
            "note": self.note,
        }


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

    @property
    def reproducible(self) -> bool:
        return self.verdict in (Verdict.IDENTICAL, Verdict.EQUIVALENT)

    def as_dict(self) -> dict[str, Any]:
        return {
            "schema": "verifier/compare-report/v1",
            "kind": "compare",
            "verdict": self.verdict.value,
            "reference": self.reference.as_dict(),
            "candidate": self.candidate.as_dict(),
            "normalizations": {effect.name: effect.as_dict() for effect in self.effects},
            "differences": [difference.as_dict() for difference in self.differences],
            "differences_not_listed": self.differences_not_listed,
            "warnings": self.warnings,
            "gzip": None if self.gzip is None else self.gzip.as_dict(),
            "diffoscope": self.diffoscope,
            "timings": self.timings,
        }
