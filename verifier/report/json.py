"""The JSON report: the comparison's dictionary, with a schema marker, written atomically."""

from __future__ import annotations

import json
import sys
from typing import Any

from verifier.fsutil import write_output
from verifier.report.interface import ReportFormat

SCHEMA = "https://github.com/verifier/verifier/report/v1"


class JsonFormat(ReportFormat):
    def render(self, report: dict[str, Any]) -> str:
        return json.dumps(report, indent=2, sort_keys=False, ensure_ascii=False) + "\n"


def write_json(report: dict[str, Any], destination: str) -> None:
    """Write to stdout for '-', else safely to the file (see verifier.fsutil)."""
    text = JsonFormat().render(report)
    if destination == "-":
        sys.stdout.write(text)
        sys.stdout.flush()
        return
    write_output(destination, text.encode("utf-8"))
