"""in-toto Statement v1 attestations of a verification or an audit, ready to be signed.

The statement's subject is the published artifact (file name and sha256); the predicate records
what was checked and what was found. The file is plain JSON (UTF-8, keys sorted): sign it
unchanged as a DSSE payload of type `application/vnd.in-toto+json` (cosign `attest-blob`,
sigstore `attest` with the predicate part). Documented in docs/attestation.md.
"""

from __future__ import annotations

import json
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from verifier import __version__
from verifier.errors import BadInput
from verifier.fsutil import write_output
from verifier.report.model.serialize import to_data
from verifier.report.model.verify import Builder, VerifyReport

STATEMENT_TYPE = "https://in-toto.io/Statement/v1"
REBUILD_PREDICATE = "https://verifier.dev/attestation/rebuild/v1"
AUDIT_PREDICATE = "https://verifier.dev/attestation/source-audit/v1"
PAYLOAD_TYPE = "application/vnd.in-toto+json"


def _subject(published: dict[str, Any]) -> list[dict[str, Any]]:
    name = published.get("filename") or Path(str(published.get("path") or "artifact")).name
    digest = published.get("sha256")
    if not digest:
        raise BadInput("no digest of the published artifact: nothing to attest")
    return [{"name": name, "digest": {"sha256": digest}}]


def _now() -> str:
    return datetime.now(timezone.utc).replace(microsecond=0).isoformat().replace("+00:00", "Z")


def verify_statement(report: VerifyReport) -> dict[str, Any]:
    source, builder, published = report.source, report.builder, report.published
    comparison = to_data(report.comparison) if report.comparison else {}
    predicate = {
        "verifier": {"version": __version__},
        "timestamp": _now(),
        "verdict": report.verdict.value,
        "package": {"name": report.package, "version": report.version},
        "source": {
            "repository": source.repo if source else None,
            "tag": source.tag if source else None,
            "commit": source.commit if source else None,
            "subdirectory": (source.subdir if source else None) or "",
            "submodules": to_data(source.submodules or ()) if source else [],
        },
        "sourceDateEpoch": {
            "value": source.source_date_epoch if source else None,
            "origin": source.source_date_epoch_origin if source else None,
        },
        "builder": _builder(builder),
        "published": {
            "url": published.url if published else None,
            "uploadTime": published.upload_time if published else None,
        },
        "rebuilt": {"digest": {"sha256": report.rebuilt.sha256 if report.rebuilt else None}},
        "normalizations": comparison.get("normalizations", {}),
        "differences": comparison.get("differences", []),
        "explanations": to_data(report.explanations),
        "checks": to_data(report.checks),
        "recipe": to_data(report.recipe),
        "attempts": to_data(report.attempts),
        "inferred": to_data(report.inferred.settings) if report.inferred else [],
        "transplant": to_data(report.transplant),
        "error": report.error,
        "reproduce": report.reproduce,
    }
    subject = to_data(published) if published else {}
    return {
        "_type": STATEMENT_TYPE,
        "subject": _subject(subject),
        "predicateType": REBUILD_PREDICATE,
        "predicate": predicate,
    }


def _builder(builder: Builder | None) -> dict[str, Any]:
    if builder is None:
        return {"recipe": None, "image": None, "baseImage": None, "python": None, "buildRequirements": [], "network": None, "deviations": []}
    return {
        "recipe": builder.name,
        "image": builder.image,
        "baseImage": to_data(builder.base),
        "python": builder.python,
        "buildRequirements": [
            {"name": r.name, "version": r.version, "digest": {"sha256": r.sha256}} for r in builder.build_requirements
        ],
        "network": builder.network,
        "deviations": to_data(builder.deviations),
    }


def _commit_match(match: dict[str, Any] | None) -> dict[str, Any] | None:
    """The audit's commit search result (None when it did not run or found nothing better than the tag)."""
    if not match:
        return None
    return {
        "commit": match.get("commit"),
        "distance": match.get("distance"),
        "summary": match.get("summary"),
        "matched": match.get("matched"),
        "total": match.get("total"),
        "tagMatched": match.get("tag_matched"),
        "exact": match.get("exact"),
        "filesDifferingFromTag": match.get("files_differing_from_tag", []),
        "filesMatchingOnlyThere": match.get("files_matching_only_there", []),
        "filesDifferingThere": match.get("files_differing_there", []),
        "complete": match.get("complete"),
    }


def audit_statement(report: dict[str, Any]) -> dict[str, Any]:
    source = report.get("source") or {}
    predicate = {
        "verifier": {"version": __version__},
        "timestamp": _now(),
        "verdict": report["verdict"],
        "package": {"name": report.get("package"), "version": report.get("version")},
        "source": {"repository": source.get("repo"), "tag": source.get("tag"), "commit": source.get("commit"), "subdirectory": source.get("subdir") or ""},
        "published": {"url": (report.get("published") or {}).get("url"), "uploadTime": (report.get("published") or {}).get("upload_time")},
        "counts": report.get("counts", {}),
        "flagged": [f for f in report.get("files", []) if f["status"] in ("not-from-source", "generated-inconsistent")],
        "generated": [f for f in report.get("files", []) if f["status"] in ("generated", "generated-unchecked")],
        "omitted": report.get("omitted", []),
        "commitMatch": _commit_match(report.get("commit_match")),
        "error": report.get("error"),
        "reproduce": report.get("reproduce"),
    }
    return {
        "_type": STATEMENT_TYPE,
        "subject": _subject(report.get("published") or {}),
        "predicateType": AUDIT_PREDICATE,
        "predicate": predicate,
    }


def write_statement(statement: dict[str, Any], destination: Path) -> None:
    """Write safely (see verifier.fsutil): replaced whole, or written into a device."""
    write_output(destination, (json.dumps(statement, indent=2, sort_keys=True, ensure_ascii=False) + "\n").encode("utf-8"))
