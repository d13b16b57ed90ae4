"""The work for one target: a plain function (target, settings) → result record.

`run_target` is what any engine that spreads targets over machines would call. The nightly
scheduler runs it in a child process (`python -m verifier.nightly.worker`: a target as JSON on
stdin, the record as JSON on stdout) so that a hanging target can be killed on its own.
"""

from __future__ import annotations

import json
import os
import shutil
import sys
import time
from dataclasses import asdict, dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from verifier.config import load_settings
from verifier.nightly.targets import Target
from verifier.report.json import write_json
from verifier.report.model.serialize import to_data
from verifier.report.model.verify import BootstrappedBase, Builder
from verifier.verify import epoch
from verifier.verify.interface import VerifyRequest
from verifier.verify.pipeline import verify


@dataclass(frozen=True)
class RunSettings:
    run_id: int
    reports_dir: Path  # where each verification's full JSON report and diffoscope HTML are kept

    def as_dict(self) -> dict[str, Any]:
        return {"run_id": self.run_id, "reports_dir": str(self.reports_dir)}


def _safe(part: str) -> str:
    return "".join(c if c.isalnum() or c in "._-+" else "_" for c in part)[:100] or "_"


def _request(target: Target, directory: Path) -> VerifyRequest:
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
        labels=(("verifier.target", target.id),),
    )


def run_target(target: Target, settings: RunSettings) -> dict[str, Any]:
    """Verify one release; never raises for the release's own failures: they are its record."""
    started = datetime.now(timezone.utc)
    clock = time.perf_counter()
    directory = settings.reports_dir / _safe(target.package) / _safe(target.version) / f"run-{settings.run_id}"
    directory.mkdir(parents=True, exist_ok=True)
    report = verify(_request(target, directory), load_settings())
    if report.reproducible:  # nothing to inspect: keep the report, not the checkout and wheelhouse
        shutil.rmtree(directory / "work", ignore_errors=True)
    report_path = directory / "report.json"
    write_json(to_data(report), str(report_path))
    builder, comparison, published = report.builder, report.comparison, report.published
    diffoscope = directory / "diffoscope.html"
    return {
        "package": target.package,
        "version": target.version,
        "verdict": report.verdict.value,
        "regressed": False,
        "tag": report.source.tag if report.source else None,
        "commit": report.source.commit if report.source else None,
        "published_url": published.url if published else None,
        "published_sha256": published.sha256 if published else None,
        "upload_time": (published.upload_time if published else None) or target.upload_time,
        "rebuilt_sha256": report.rebuilt.sha256 if report.rebuilt else None,
        "builder": builder.name if builder else None,
        "builder_image": builder.image if builder else None,
        "base_image": _base_image(builder),
        "build_requirements": to_data(builder.build_requirements) if builder else [],
        "normalizations": to_data(comparison)["normalizations"] if comparison else {},
        "differences": [{"path": d.path, "kind": d.kind, "message": d.message} for d in comparison.differences] if comparison else [],
        "explanations": to_data(report.explanations),
        "timings": dict(report.timings),
        "error": report.error,
        "started_at": started.isoformat(),
        "finished_at": datetime.now(timezone.utc).isoformat(),
        "duration_s": round(time.perf_counter() - clock, 3),
        "report_path": str(report_path),
        "log_path": builder.log if builder else None,
        "diffoscope_html": str(diffoscope) if diffoscope.is_file() else None,
        "command": report.reproduce,
    }


def _base_image(builder: Builder | None) -> str | None:
    """The base image's id when it was bootstrapped here, else the one the builder was given."""
    if builder is None:
        return None
    if isinstance(builder.base, BootstrappedBase) and builder.base.image_id:
        return builder.base.image_id
    return builder.base_image


def failure_record(target: Target, verdict: str, error: str, started: datetime, duration_s: float) -> dict[str, Any]:
    """The record of a target whose worker died or ran out of time."""
    return {
        "package": target.package,
        "version": target.version,
        "verdict": verdict,
        "regressed": False,
        "error": error,
        "started_at": started.isoformat(),
        "finished_at": datetime.now(timezone.utc).isoformat(),
        "duration_s": round(duration_s, 3),
        "upload_time": target.upload_time,
        "build_requirements": [],
        "normalizations": {},
        "differences": [],
        "explanations": [],
        "timings": {},
    }


def main() -> int:
    """stdin: {"target": ..., "settings": ..., "result_path": ...}; the record is written there."""
    payload = json.loads(sys.stdin.read())
    target = Target.from_dict(payload["target"])
    settings = RunSettings(run_id=payload["settings"]["run_id"], reports_dir=Path(payload["settings"]["reports_dir"]))
    record = run_target(target, settings)
    result_path = Path(payload["result_path"])
    temporary = result_path.with_suffix(".tmp")
    temporary.write_text(json.dumps(record))
    os.replace(temporary, result_path)
    return 0


if __name__ == "__main__":
    sys.exit(main())


__all__ = ["RunSettings", "Target", "asdict", "failure_record", "run_target"]
