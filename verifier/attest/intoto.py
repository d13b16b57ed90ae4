"""in-toto Statement v1 attestations of a verification or an audit, ready to be signed.

The statement's subject is the published artifact (file name and sha256); the predicate records
what was checked and what was found. The file is plain JSON (UTF-8, keys sorted): sign it
unchanged as a DSSE payload of type `application/vnd.in-toto+json` (cosign `attest-blob`,
sigstore `attest` with the predicate part). Documented in docs/attestation.md.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from verifier import __version__
from verifier.errors import BadInput
from verifier.fsutil import write_output
from verifier.report.interface import as_model
from verifier.report.model.audit import AuditReport, AuditSource, CommitMatch, Empty, IndexSdist
from verifier.report.model.serialize import to_data

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
    return datetime.now(UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z")


def verify_statement(report: dict[str, Any]) -> dict[str, Any]:
    source = report.get("source") or {}
    builder = report.get("builder") or {}
    comparison = report.get("comparison") or {}
    predicate = {
        "verifier": {"version": __version__},
        "timestamp": _now(),
        "verdict": report["verdict"],
        "package": {"name": report.get("package"), "version": report.get("version")},
        "source": {
            "repository": source.get("repo"),
            "tag": source.get("tag"),
            "commit": source.get("commit"),
            "subdirectory": source.get("subdir") or "",
            "submodules": source.get("submodules", []),
        },
        "sourceDateEpoch": {"value": source.get("source_date_epoch"), "origin": source.get("source_date_epoch_origin")},
        "builder": {
            "recipe": builder.get("name"),
            "image": builder.get("image"),
            "baseImage": builder.get("base"),
            "python": builder.get("python"),
            "buildRequirements": [
                {"name": r["name"], "version": r["version"], "digest": {"sha256": r["sha256"]}}
                for r in builder.get("build_requirements", [])
            ],
            "network": builder.get("network"),
            "deviations": builder.get("deviations", []),
        },
        "published": {
            "url": (report.get("published") or {}).get("url"),
            "uploadTime": (report.get("published") or {}).get("upload_time"),
        },
        "rebuilt": {"digest": {"sha256": (report.get("rebuilt") or {}).get("sha256")}},
        "normalizations": comparison.get("normalizations", {}),
        "differences": comparison.get("differences", []),
        "explanations": report.get("explanations", []),
        "checks": report.get("checks", []),
        "recipe": report.get("recipe"),
        "attempts": report.get("attempts", []),
        "inferred": (report.get("inferred") or {}).get("settings", []),
        "transplant": report.get("transplant"),
        "error": report.get("error"),
        "reproduce": report.get("reproduce"),
    }
    return {
        "_type": STATEMENT_TYPE,
        "subject": _subject(report.get("published") or {}),
        "predicateType": REBUILD_PREDICATE,
        "predicate": predicate,
    }


def _commit_match(match: CommitMatch | None) -> dict[str, Any] | None:
    """The audit's commit search result (None when it did not run or found nothing better than the tag)."""
    if not match:
        return None
    return {
        "commit": match.commit,
        "distance": match.distance,
        "summary": match.summary,
        "matched": match.matched,
        "total": match.total,
        "tagMatched": match.tag_matched,
        "exact": match.exact,
        "filesDifferingFromTag": list(match.files_differing_from_tag),
        "filesMatchingOnlyThere": list(match.files_matching_only_there),
        "filesDifferingThere": list(match.files_differing_there),
        "complete": match.complete,
    }


def audit_statement(report: AuditReport | Mapping[str, Any]) -> dict[str, Any]:
    report = as_model(AuditReport, report)
    source = report.source if isinstance(report.source, AuditSource) else None
    published = None if isinstance(report.published, Empty) else report.published
    predicate = {
        "verifier": {"version": __version__},
        "timestamp": _now(),
        "verdict": str(report.verdict),
        "package": {"name": report.package, "version": report.version},
        "source": {
            "repository": source and source.repo,
            "tag": source and source.tag,
            "commit": source and source.commit,
            "subdirectory": (source and source.subdir) or "",
        },
        "published": {
            "url": published and published.url,
            "uploadTime": published.upload_time if isinstance(published, IndexSdist) else None,
        },
        "counts": dict(report.counts),
        "flagged": [to_data(f) for f in report.files if f.status.flagged],
        "generated": [to_data(f) for f in report.files if f.status.generated],
        "omitted": list(report.omitted),
        "commitMatch": _commit_match(report.commit_match),
        "error": report.error,
        "reproduce": report.reproduce,
    }
    return {
        "_type": STATEMENT_TYPE,
        "subject": _subject(to_data(report.published)),
        "predicateType": AUDIT_PREDICATE,
        "predicate": predicate,
    }


def write_statement(statement: dict[str, Any], destination: Path) -> None:
    """Write safely (see verifier.fsutil): replaced whole, or written into a device."""
    write_output(destination, (json.dumps(statement, indent=2, sort_keys=True, ensure_ascii=False) + "\n").encode("utf-8"))
