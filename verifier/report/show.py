"""`verifier show`: any stored JSON report, parsed into its model by its `kind`, rendered for a person."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from verifier.errors import BadInput
from verifier.report.audit_text import AuditTextFormat
from verifier.report.interface import ReportFormat
from verifier.report.model.audit import AuditReport
from verifier.report.model.compare import CompareReport
from verifier.report.model.serialize import from_data
from verifier.report.text import TextFormat
from verifier.report.verify_text import VerifyTextFormat

MAX_REPORT_BYTES = 64 * 2**20


@dataclass(frozen=True)
class Reader:
    model: type[Any] | None  # None: rendered from the data as stored (no model yet)
    format: type[ReportFormat[Any]]


READERS: dict[str, Reader] = {
    "verify": Reader(None, VerifyTextFormat),
    "compare": Reader(CompareReport, TextFormat),
    "audit": Reader(AuditReport, AuditTextFormat),
}


def _load(path: Path) -> dict[str, Any]:
    try:
        if path.stat().st_size > MAX_REPORT_BYTES:
            raise BadInput(f"{path} is larger than {MAX_REPORT_BYTES} bytes: not a report")
        data = json.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise BadInput(f"cannot read {path}: {exc.strerror or exc}") from exc
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise BadInput(f"{path} is not JSON: {exc}") from exc
    if not isinstance(data, dict):
        raise BadInput(f"{path} is not a verifier report")
    return data


def render_any(path: Path) -> str:
    data = _load(path)
    kind = data.get("kind") or ("compare" if {"verdict", "reference", "candidate"} <= set(data) else None)
    reader = READERS.get(kind) if isinstance(kind, str) else None
    if reader is None:
        raise BadInput(f"{path} is not a verifier report (no known 'kind')")
    try:
        report = data if reader.model is None else from_data(reader.model, data)
        return reader.format().render(report)
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(part) for part in first["loc"]) or "the top level"
        raise BadInput(f"{path} is not a complete {kind} report ({where}: {first['msg']})") from exc
    except (KeyError, TypeError, AttributeError) as exc:
        raise BadInput(f"{path} is not a complete {kind} report ({type(exc).__name__}: {exc})") from exc
