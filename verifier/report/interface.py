"""Report formats: each renders a report dictionary (the JSON form) for its readers."""

from __future__ import annotations

from abc import ABC, abstractmethod
from typing import Any


class ReportFormat(ABC):
    @abstractmethod
    def render(self, report: dict[str, Any]) -> str:
        """The whole report as text."""
