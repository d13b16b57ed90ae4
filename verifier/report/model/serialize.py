"""The one place where report models become JSON-ready data.

Dataclasses become dicts (field order kept), enums their values, paths strings, tuples lists.
A dataclass may name a different JSON key for a field with ``field(metadata={"json": "key"})`` and
leave a field out of JSON with ``metadata={"json": None}``.
"""

from __future__ import annotations

import dataclasses
import enum
import json
from pathlib import PurePath
from typing import Any


def to_data(value: Any) -> Any:
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        out: dict[str, Any] = {}
        for f in dataclasses.fields(value):
            key = f.metadata.get("json", f.name)
            if key is None:
                continue
            out[key] = to_data(getattr(value, f.name))
        return out
    if isinstance(value, enum.Enum):
        return value.value
    if isinstance(value, PurePath):
        return str(value)
    if isinstance(value, dict):
        return {str(k): to_data(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [to_data(v) for v in value]
    return value


def to_json(value: Any) -> str:
    """Deterministic JSON text (2-space indent, keys in model order, trailing newline)."""
    return json.dumps(to_data(value), indent=2, ensure_ascii=False) + "\n"
