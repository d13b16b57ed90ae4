"""`audit`, wheels: every pure wheel of the release on the index is checked against the published
sdist without building (each module a byte copy of the sdist's, RECORD consistent with the files);
platform wheels are listed as not verified, with why. pip installs the wheel whenever there is one,
so a faithful sdist beside a tampered wheel must not pass."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from verifier.report.model.audit import AuditedWheel, WheelFindingReport
from verifier.upstream.cache import ArtifactCache
from verifier.upstream.index import IndexClient
from verifier.wheel.audit import audit_wheel
from verifier.wheel.interface import PLATFORM_WHEEL_REASON, parse_wheel_name


def audit_release_wheels(
    index_url: str, package: str, version: str, sdist: Path, cache_dir: Path, say: Callable[[str], None]
) -> tuple[AuditedWheel, ...]:
    """Each wheel the index lists for the release, in index order, with its verdict."""
    results: list[AuditedWheel] = []
    with IndexClient(index_url) as index:
        wheels = [f for f in index.files_for_version(package, version) if f.packagetype == "wheel"]
        for published in wheels:
            name = parse_wheel_name(published.filename)
            if not name.pure:
                results.append(AuditedWheel(published.filename, published.sha256, None, PLATFORM_WHEEL_REASON))
                continue
            say(f"checking {published.filename} against the sdist")
            fetched = index.download(published, ArtifactCache(cache_dir / "artifacts"))
            audited = audit_wheel(fetched.path, sdist)
            results.append(AuditedWheel(
                filename=published.filename,
                sha256=published.sha256,
                verdict=audited.verdict,
                copies=audited.copies,
                metadata_files=audited.metadata_files,
                findings=tuple(WheelFindingReport(f.kind, f.path, f.message) for f in audited.findings),
            ))
    return tuple(results)
