"""`verifier show`: any stored JSON report, rendered for a person."""

from __future__ import annotations

import json
from pathlib import Path

from verifier.errors import BadInput
from verifier.report.audit_text import AuditTextFormat
from verifier.report.text import TextFormat
from verifier.report.verify_text import VerifyTextFormat

MAX_REPORT_BYTES = 64 * 2**20
FORMATS = {"verify": VerifyTextFormat, "compare": TextFormat, "audit": AuditTextFormat}


def render_any(path: Path) -> str:
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
    kind = data.get("kind") or ("compare" if {"verdict", "reference", "candidate"} <= set(data) else None)
    if kind not in FORMATS:
        raise BadInput(f"{path} is not a verifier report (no known 'kind')")
    try:
        return FORMATS[kind]().render(data)
    except (KeyError, TypeError, AttributeError) as exc:
        raise BadInput(f"{path} is not a complete {kind} report ({type(exc).__name__}: {exc})") from exc
