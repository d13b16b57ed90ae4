"""The comparison inside a verify report: `verifier.compare.interface.Comparison`, in its JSON shape.

`Comparison` writes its own JSON (`as_dict`, the compare report's shape); this module gives pydantic
the same shape to parse a stored report back into a `Comparison` and to describe it in the JSON
Schema. The compare report's own model, once it has one, replaces this bridge.
"""

from __future__ import annotations

from typing import Annotated, Any

from pydantic import PlainSerializer, PlainValidator, WithJsonSchema

from verifier.compare.interface import (
    ArtifactSummary,
    Comparison,
    Difference,
    GzipEvidence,
    NormalizationEffect,
    Verdict,
)

_OBJECT: dict[str, Any] = {"type": "object"}
_ARTIFACT_KEYS = ("path", "sha256", "size", "format", "members", "top_level", "payload_sha256", "gzip_headers", "warnings")
_COMPARISON_KEYS = (
    "schema", "kind", "verdict", "reference", "candidate", "normalizations", "differences",
    "differences_not_listed", "warnings", "gzip", "diffoscope", "timings",
)

COMPARISON_JSON_SCHEMA: dict[str, Any] = {
    "type": "object",
    "description": "The comparison of the published sdist (reference) with the rebuilt one (candidate): "
    "the compare report (verifier/compare-report/v1).",
    "required": list(_COMPARISON_KEYS),
    "properties": {
        "schema": {"const": "verifier/compare-report/v1"},
        "kind": {"const": "compare"},
        "verdict": {"enum": [verdict.value for verdict in Verdict]},
        "reference": {"type": "object", "required": list(_ARTIFACT_KEYS)},
        "candidate": {"type": "object", "required": list(_ARTIFACT_KEYS)},
        "normalizations": {
            "type": "object",
            "additionalProperties": {"type": "object", "required": ["summary", "scope", "reference", "candidate", "pairs"]},
        },
        "differences": {"type": "array", "items": {"type": "object", "required": ["path", "kind", "message"]}},
        "differences_not_listed": {"type": "integer"},
        "warnings": {"type": "array", "items": {"type": "string"}},
        "gzip": {"anyOf": [_OBJECT, {"type": "null"}]},
        "diffoscope": {"type": "object", "additionalProperties": {"type": "string"}},
        "timings": {"type": "object", "additionalProperties": {"type": "number"}},
    },
}


def _artifact(data: dict[str, Any]) -> ArtifactSummary:
    return ArtifactSummary(**{key: data[key] for key in _ARTIFACT_KEYS})


def _gzip(data: dict[str, Any] | None) -> GzipEvidence | None:
    if data is None:
        return None
    return GzipEvidence(
        reference_headers=data["reference_headers"],
        candidate_headers=data["candidate_headers"],
        header_fields_differing=data["header_fields_differing"],
        payloads_equal=data["decompressed_streams_equal"],
        reproduced=data["recompression_reproduces_reference"],
        compressor=data["compressor"],
        level=data["level"],
        tried=data["tried"],
        note=data["note"],
    )


def comparison_from_data(value: Any) -> Comparison:
    """A `Comparison` from its JSON shape (or the `Comparison` itself)."""
    if isinstance(value, Comparison):
        return value
    if not isinstance(value, dict) or value.get("kind") != "compare":
        raise ValueError("not a comparison (a compare report)")
    try:
        effects = [
            NormalizationEffect(name, effect["summary"], effect["reference"], effect["candidate"], effect["pairs"], effect["scope"])
            for name, effect in value["normalizations"].items()
        ]
        differences = [
            Difference(kind=d["kind"], path=d["path"], message=d["message"], reference=d.get("reference"), candidate=d.get("candidate"))
            for d in value["differences"]
        ]
        return Comparison(
            verdict=Verdict(value["verdict"]),
            reference=_artifact(value["reference"]),
            candidate=_artifact(value["candidate"]),
            normalizations=tuple(effect.name for effect in effects),
            effects=effects,
            differences=differences,
            warnings=list(value["warnings"]),
            gzip=_gzip(value["gzip"]),
            differences_not_listed=value["differences_not_listed"],
            timings=dict(value["timings"]),
            diffoscope=dict(value["diffoscope"]),
        )
    except (KeyError, TypeError, AttributeError) as exc:
        raise ValueError(f"not a complete comparison ({type(exc).__name__}: {exc})") from exc


def _comparison_to_data(comparison: Comparison) -> dict[str, Any]:
    return comparison.as_dict()


ComparisonField = Annotated[
    Comparison,
    PlainValidator(comparison_from_data),
    PlainSerializer(_comparison_to_data),
    WithJsonSchema(COMPARISON_JSON_SCHEMA),
]
