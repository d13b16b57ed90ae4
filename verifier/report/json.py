"""The JSON report: a report model through the one serializer, written atomically."""

from __future__ import annotations

import sys
from typing import Any

from verifier.fsutil import write_output
from verifier.report.interface import ReportFormat
from verifier.report.model.serialize import to_json


class JsonFormat(ReportFormat[Any]):
    """Any report model (or its JSON-ready data): 2-space indent, keys in model order."""

    def render(self, report: Any) -> str:
        return to_json(report)


def write_json(report: Any, destination: str) -> None:
    """Write to stdout for '-', else safely to the file (see verifier.fsutil)."""
    text = JsonFormat().render(report)
    if destination == "-":
        sys.stdout.write(text)
        sys.stdout.flush()
        return
    write_output(destination, text.encode("utf-8"))
