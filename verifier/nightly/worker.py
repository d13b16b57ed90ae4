"""The work for one target: a plain function (target, settings) → result record.

`run_target` is what any engine that spreads targets over machines would call. The nightly
scheduler runs it in a child process (`python -m verifier.nightly.worker`: a target as JSON on
stdin, the record as JSON on stdout) so that a hanging target can be killed on its own.
"""

from __future__ import annotations

import json
import shutil
import sys
import time
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from verifier.config import load_settings
from verifier.fsutil import atomic_write
from verifier.nightly.targets import Target
from verifier.recipe import epoch
from verifier.report.json import write_json
from verifier.report.model.nightly import ArtifactLine, DifferenceLine, NightlyRecord
from verifier.report.model.serialize import to_data, to_json
from verifier.report.model.verdict import Verdict
from verifier.report.model.verify import Artifact, BootstrappedBase, Builder, VerifyReport
from verifier.verify.interface import VerifyRequest
from verifier.verify.pipeline import verify


@dataclass(frozen=True)
class RunSettings:
    run_id: int
    reports_dir: Path  # where each verification's full JSON report and diffoscope HTML are kept
    labels: tuple[tuple[str, str], ...] = ()  # more container labels (a Celery worker's own)

    def as_dict(self) -> dict[str, Any]:
        return {"run_id": self.run_id, "reports_dir": str(self.reports_dir), "labels": [list(label) for label in self.labels]}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> RunSettings:
        labels = tuple((str(key), str(value)) for key, value in data.get("labels") or ())
        return cls(run_id=int(data["run_id"]), reports_dir=Path(data["reports_dir"]), labels=labels)


def _safe(part: str) -> str:
    return "".join(c if c.isalnum() or c in "._-+" else "_" for c in part)[:100] or "_"


def _request(target: Target, directory: Path, labels: tuple[tuple[str, str], ...] = ()) -> VerifyRequest:
    settings = target.settings
    return VerifyRequest(
        tag=target.tag or target.version,
        repo=Path(target.repo),
        package=target.package,
        subdir=settings.get("subdir"),
        index_url=settings.get("index-url") or "https://pypi.org/simple/",
        build_index_url=settings.get("build-index-url"),
        builder=settings.get("builder"),
        python=settings.get("python"),
        source_date_epoch=epoch.parse_option(str(settings.get("source-date-epoch", "tag"))),
        search=bool(settings.get("search")),
        normalizations=tuple(settings.get("normalize") or ()),
        strict=not settings.get("normalize"),
        build_user=settings.get("build-user"),
        timeout_s=int(settings.get("timeout") or 3600),
        diffoscope_html=directory / "diffoscope.html",
        workdir=directory / "work",
        labels=(("verifier.target", target.id), *labels),
    )


def run_target(target: Target, settings: RunSettings) -> NightlyRecord:
    """Verify one release; never raises for the release's own failures: they are its record."""
    started = datetime.now(UTC)
    clock = time.perf_counter()
    directory = settings.reports_dir / _safe(target.package) / _safe(target.version) / f"run-{settings.run_id}"
    directory.mkdir(parents=True, exist_ok=True)
    report = verify(_request(target, directory, settings.labels), load_settings())
    if report.reproducible:  # nothing to inspect: keep the report, not the checkout and wheelhouse
        shutil.rmtree(directory / "work", ignore_errors=True)
    report_path = directory / "report.json"
    write_json(to_data(report), str(report_path))
    diffoscope = directory / "diffoscope.html"
    return _record(target, report, started, clock, report_path, diffoscope if diffoscope.is_file() else None)


def _record(
    target: Target, report: VerifyReport, started: datetime, clock: float, report_path: Path, diffoscope: Path | None
) -> NightlyRecord:
    """The record of a finished verification, from its verify report."""
    builder, comparison, published = report.builder, report.comparison, report.published
    return NightlyRecord(
        package=target.package,
        version=target.version,
        verdict=report.verdict,
        tag=report.source.tag if report.source else None,
        commit=report.source.commit if report.source else None,
        published_url=published.url if published else None,
        published_sha256=published.sha256 if published else None,
        upload_time=(published.upload_time if published else None) or target.upload_time,
        rebuilt_sha256=report.rebuilt.sha256 if report.rebuilt else None,
        builder=builder.name if builder else None,
        builder_image=builder.image if builder else None,
        base_image=_base_image(builder),
        build_requirements=tuple(to_data(builder.build_requirements)) if builder else (),
        normalizations=dict(comparison.normalizations) if comparison else {},
        differences=tuple(DifferenceLine(d.path, d.kind, d.message) for d in comparison.differences) if comparison else (),
        explanations=tuple(to_data(report.explanations)),
        timings=dict(report.timings),
        error=report.error,
        started_at=started.isoformat(),
        finished_at=datetime.now(UTC).isoformat(),
        duration_s=round(time.perf_counter() - clock, 3),
        report_path=str(report_path),
        log_path=builder.log if builder else None,
        diffoscope_html=None if diffoscope is None else str(diffoscope),
        command=report.reproduce,
        artifacts=tuple(_artifact(artifact) for artifact in report.artifacts),
    )


def _artifact(artifact: Artifact) -> ArtifactLine:
    return ArtifactLine(
        filename=artifact.filename,
        kind=artifact.kind,
        verdict=artifact.verdict,
        sha256=artifact.sha256,
        rebuilt_sha256=artifact.rebuilt_sha256,
        built_from=artifact.built_from,
        not_verified=artifact.not_verified or (None if artifact.verdict and artifact.verdict.verified else artifact.error),
        differences=tuple(DifferenceLine(d.path, d.kind, d.message) for d in artifact.differences),
    )


def _base_image(builder: Builder | None) -> str | None:
    """The base image's id when it was bootstrapped here, else the one the builder was given."""
    if builder is None:
        return None
    if isinstance(builder.base, BootstrappedBase) and builder.base.image_id:
        return builder.base.image_id
    return builder.base_image


def failure_record(
    target: Target, verdict: Verdict, error: str, started: datetime, duration_s: float, log_path: Path | None = None
) -> NightlyRecord:
    """The record of a target whose worker died or ran out of time (its log kept at `log_path`)."""
    return NightlyRecord(
        package=target.package,
        version=target.version,
        verdict=verdict,
        error=error,
        started_at=started.isoformat(),
        finished_at=datetime.now(UTC).isoformat(),
        duration_s=round(duration_s, 3),
        upload_time=target.upload_time,
        log_path=None if log_path is None else str(log_path),
    )


def main() -> int:
    """stdin: {"target": ..., "settings": ..., "result_path": ...}; the record is written there."""
    payload = json.loads(sys.stdin.read())
    target = Target.from_dict(payload["target"])
    settings = RunSettings.from_dict(payload["settings"])
    record = run_target(target, settings)
    result_path = Path(payload["result_path"])
    with atomic_write(result_path) as handle:
        handle.write(to_json(record).encode("utf-8"))
    return 0


if __name__ == "__main__":
    sys.exit(main())


__all__ = ["RunSettings", "Target", "asdict", "failure_record", "run_target"]
