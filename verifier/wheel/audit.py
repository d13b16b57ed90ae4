"""`audit` for a pure wheel, no build: every module must be a byte copy of the sdist's file at the
same package path, RECORD must agree with the files, and anything else is named."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from verifier.archive.interface import Limits
from verifier.report.model.verdict import Verdict
from verifier.wheel.contents import read_wheel
from verifier.wheel.interface import WheelFinding
from verifier.wheel.record import record_findings
from verifier.wheel.sdist_relation import COPY, METADATA, FileRelation, relate, relation_findings, sdist_digests


@dataclass(frozen=True)
class WheelAudit:
    filename: str
    verdict: Verdict  # from-source | not-from-source
    relations: tuple[FileRelation, ...]
    findings: tuple[WheelFinding, ...]

    @property
    def copies(self) -> int:
        return sum(1 for relation in self.relations if relation.status == COPY)

    @property
    def metadata_files(self) -> int:
        return sum(1 for relation in self.relations if relation.status == METADATA)


def audit_wheel(wheel: Path, sdist: Path, limits: Limits | None = None) -> WheelAudit:
    contents = read_wheel(wheel, limits)
    relations = relate(contents, sdist_digests(sdist, limits))
    findings = record_findings(contents) + relation_findings(relations)
    verdict = Verdict.NOT_FROM_SOURCE if findings else Verdict.FROM_SOURCE
    return WheelAudit(wheel.name, verdict, tuple(relations), tuple(findings))
