"""The JSON report: the comparison's dictionary, with a schema marker, written atomically."""

from __future__ import annotations

import json
import os
import sys
import tempfile
from pathlib import Path
from typing import Any

from verifier.errors import BadInput
from verifier.report.interface import ReportFormat

SCHEMA = "https://github.com/verifier/verifier/report/v1"


class JsonFormat(ReportFormat):
    def render(self, report: dict[str, Any]) -> str:
        return json.dumps(report, indent=2, sort_keys=False, ensure_ascii=False) + "\n"


def write_json(report: dict[str, Any], destination: str) -> None:
    """Write to a file (atomically: a temp file beside it, then rename) or to stdout for '-'."""
    text = JsonFormat().render(report)
    if destination == "-":
        sys.stdout.write(text)
        sys.stdout.flush()
        return
    path = Path(destination)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, temp = tempfile.mkstemp(prefix=".report-", suffix=".json", dir=path.parent)
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(text)
        os.replace(temp, path)
    except OSError as exc:
        raise BadInput(f"cannot write {destination}: {exc.strerror or exc}") from exc
