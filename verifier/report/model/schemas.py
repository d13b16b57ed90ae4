"""The published JSON Schemas (docs/schemas/), generated from the report models.

    python -m verifier.report.model.schemas [DIR]     # regenerate (default: docs/schemas)

Each schema's `$id` is the versioned id the report carries in its `schema` field. A new report
is published by adding one `Published` line to `PUBLISHED`.
"""

from __future__ import annotations

import json
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from verifier.report.model.audit import AuditReport
from verifier.report.model.compare import CompareReport
from verifier.report.model.nightly import NightlyRecord, NightlySummary
from verifier.report.model.serialize import json_schema
from verifier.report.model.verify import VerifyReport


@dataclass(frozen=True)
class Published:
    model: type[Any]
    schema_id: str  # verifier/<name>/v<N>: the report's `schema` field
    filename: str


PUBLISHED: tuple[Published, ...] = (
    Published(CompareReport, "verifier/compare-report/v1", "compare-report.v1.json"),
    Published(AuditReport, "verifier/audit-report/v1", "audit-report.v1.json"),
    Published(NightlyRecord, "verifier/nightly-record/v1", "nightly-record.v1.json"),
    Published(NightlySummary, "verifier/nightly-summary/v1", "nightly-summary.v1.json"),
    Published(VerifyReport, "verifier/verify-report/v1", "verify-report.v1.json"),
)
DEFAULT_DIRECTORY = Path(__file__).resolve().parents[3] / "docs" / "schemas"


def render(published: Published) -> str:
    """The schema file's text: deterministic (2-space indent, keys in pydantic's order)."""
    return json.dumps(json_schema(published.model, published.schema_id), indent=2, ensure_ascii=False) + "\n"


def write_all(directory: Path) -> list[Path]:
    directory.mkdir(parents=True, exist_ok=True)
    written = []
    for published in PUBLISHED:
        path = directory / published.filename
        path.write_text(render(published), encoding="utf-8")
        written.append(path)
    return written


def main(argv: list[str]) -> int:
    directory = Path(argv[0]) if argv else DEFAULT_DIRECTORY
    for path in write_all(directory):
        sys.stdout.write(f"{path}\n")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
