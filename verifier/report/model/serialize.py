"""The one place where report models become JSON-ready data, and JSON becomes models again.

Models are stdlib dataclasses whose field names are their JSON keys (field order kept). Writing:
enums become their values, paths strings, tuples lists; a field declared with
``field(default=None, metadata=OMIT_NONE)`` is left out while it is None (an optional key). Reading (stored reports for `show`, the
nightly store) and the published JSON Schemas go through pydantic's TypeAdapter, so the schema,
the parser and the types are one thing.
"""

from __future__ import annotations

import dataclasses
import enum
import json
from pathlib import PurePath
from typing import TYPE_CHECKING, Any, TypeVar

if TYPE_CHECKING:
    from pydantic import TypeAdapter

T = TypeVar("T")
OMIT_NONE: dict[str, Any] = {"omit_none": True}


def to_data(value: Any) -> Any:
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {
            f.name: to_data(getattr(value, f.name))
            for f in dataclasses.fields(value)
            if not (f.metadata.get("omit_none") and getattr(value, f.name) is None)
        }
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


_ADAPTERS: dict[Any, TypeAdapter[Any]] = {}


def _adapter(model: Any) -> TypeAdapter[Any]:
    """One TypeAdapter per model (building one is slow)."""
    adapter = _ADAPTERS.get(model)
    if adapter is None:
        from pydantic import TypeAdapter  # imported on first use: writing a report never needs it (start-up time)

        adapter = _ADAPTERS[model] = TypeAdapter(model)
    return adapter


def from_data(model: type[T], data: Any) -> T:
    """Parse JSON-ready data into ``model`` (raises pydantic.ValidationError on a wrong shape)."""
    result: T = _adapter(model).validate_python(data)
    return result


def json_schema(model: type[Any], schema_id: str) -> dict[str, Any]:
    """The JSON Schema (draft 2020-12) of ``model``, with its versioned ``$id``."""
    schema = _adapter(model).json_schema(mode="serialization")
    return {"$schema": "https://json-schema.org/draft/2020-12/schema", "$id": schema_id, **schema}
