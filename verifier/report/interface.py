"""Report formats: each renders one report model for its readers."""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Mapping
from typing import Any, Generic, TypeVar

from verifier.report.model.serialize import from_data

ReportT = TypeVar("ReportT")


class ReportFormat(ABC, Generic[ReportT]):
    @abstractmethod
    def render(self, report: ReportT) -> str:
        """The whole report as text."""


def as_model(model: type[ReportT], report: ReportT | Mapping[str, Any]) -> ReportT:
    """The report as its model: stored JSON data (a mapping) is parsed, a model passes through."""
    if isinstance(report, Mapping):
        return from_data(model, report)
    return report
