"""Sequence normalization `order`: members sorted by name (bytes), duplicates kept in their order."""

from __future__ import annotations

from collections.abc import Sequence

from verifier.normalize.interface import Record


def by_name(records: Sequence[Record]) -> list[Record]:
    return sorted(records, key=lambda record: record.name.encode("utf-8", "surrogateescape"))
