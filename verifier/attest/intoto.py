"""in-toto Statement v1 attestations of a verification or an audit, ready to be signed.

The statement's subject is the published artifact (file name and sha256); the predicate records
what was checked and what was found. A verification of a release with wheels attests every file it
verified (the sdist and each pure wheel, `VerifyReport.artifacts`): each is a subject, and the
predicate's `artifacts` gives each file's own verdict, normalizations and rebuilt sha256. A file it
did not verify (a platform wheel) is never a subject; the predicate lists it with why. The file is plain JSON (UTF-8, keys sorted): sign it
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
from verifier.report.model.verify import Artifact, Builder, VerifyReport

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


def _attested(artifact: Artifact) -> bool:
    """The sdist whatever its verdict (as a report without artifacts attests it); a wheel once it was
    compared (identical, equivalent or different): never a platform wheel, nor one that could not be rebuilt."""
    if not artifact.sha256 or artifact.verdict is None:
        return False
    return artifact.kind == "sdist" or artifact.verdict.verified


def _artifact_subjects(report: VerifyReport) -> list[dict[str, Any]]:
    """Every verified file of the release that has a digest."""
    subjects = [{"name": a.filename, "digest": {"sha256": a.sha256}} for a in report.artifacts if _attested(a)]
    if not subjects:
        raise BadInput("no digest of a verified artifact: nothing to attest")
    return subjects


def _artifact(artifact: Artifact) -> dict[str, Any]:
    return {
        "name": artifact.filename,
        "kind": artifact.kind,
        "digest": {"sha256": artifact.sha256},
        "verdict": artifact.verdict.value if artifact.verdict else None,
        "notVerified": artifact.not_verified,
        "builtFrom": artifact.built_from,
        "rebuilt": {"digest": {"sha256": artifact.rebuilt_sha256}},
        "normalizations": list(artifact.normalizations),
        "differences": to_data(artifact.differences),
        "differencesNotListed": artifact.differences_not_listed,
        "explanations": to_data(artifact.explanations),
        "recipe": to_data(artifact.recipe),
        "error": artifact.error,
    }


def _now() -> str:
    return datetime.now(UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z")


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
        "artifacts": [_artifact(artifact) for artifact in report.artifacts],
    }
    subject = _artifact_subjects(report) if report.artifacts else _subject(to_data(published) if published else {})
    return {
        "_type": STATEMENT_TYPE,
        "subject": subject,
        "predicateType": REBUILD_PREDICATE,
        "predicate": predicate,
    }


def _builder(builder: Builder | None) -> dict[str, Any]:
    if builder is None:
        return {"recipe": None, "image": None, "baseImage": None, "python": None, "buildRequirements": [], "network": None, "deviations": [], "tarWriter": None, "windows": None}
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
        "tarWriter": builder.environment.get("tar_writer"),  # the old CPython tarfile the sdist was written with: name, sha256
        "windows": builder.environment.get("windows"),  # the Windows release machine emulated: checkout, modes, CRLF text mode
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
