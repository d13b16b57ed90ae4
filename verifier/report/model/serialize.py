"""The one place where report models become JSON-ready data, and JSON becomes models again.

Models are stdlib dataclasses whose field names are their JSON keys (field order kept). Writing:
enums become their values, paths strings, tuples lists. Reading (stored reports for `show`, the
nightly store) and the published JSON Schemas go through pydantic's TypeAdapter, so the schema,
the parser and the types are one thing.
"""

from __future__ import annotations

import dataclasses
import enum
import json
from functools import cache
from pathlib import PurePath
from typing import Any, TypeVar

from pydantic import TypeAdapter

T = TypeVar("T")


def to_data(value: Any) -> Any:
    own = getattr(value, "as_dict", None)
    if callable(own) and not isinstance(value, type):  # a runtime type that writes its own JSON (Comparison)
        return to_data(own())
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: to_data(getattr(value, f.name)) for f in dataclasses.fields(value)}
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


@cache
def _adapter(model: type[Any]) -> TypeAdapter[Any]:
    return TypeAdapter(model)


def from_data(model: type[T], data: Any) -> T:
    """Parse JSON-ready data into ``model`` (raises pydantic.ValidationError on a wrong shape)."""
    result: T = _adapter(model).validate_python(data)
    return result


def json_schema(model: type[Any], schema_id: str) -> dict[str, Any]:
    """The JSON Schema (draft 2020-12) of ``model``, with its versioned ``$id``."""
    schema = _adapter(model).json_schema(mode="serialization")
    return {"$schema": "https://json-schema.org/draft/2020-12/schema", "$id": schema_id, **schema}
