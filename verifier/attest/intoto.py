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
