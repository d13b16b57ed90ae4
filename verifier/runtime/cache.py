"""Where the runtime keeps what outlives one verification: image records and image-build logs."""

from __future__ import annotations

import json
import os
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from verifier.fsutil import atomic_write

__all__ = ["CACHE_DIR_VARIABLE", "default_cache_dir", "read_record", "write_record"]

CACHE_DIR_VARIABLE = "VERIFIER_CACHE_DIR"


def default_cache_dir(environ: Mapping[str, str] | None = None) -> Path:
    """`VERIFIER_CACHE_DIR` if set, else ~/.cache/verifier."""
    env = os.environ if environ is None else environ
    configured = env.get(CACHE_DIR_VARIABLE)
    return Path(configured) if configured else Path.home() / ".cache" / "verifier"


def read_record(path: Path) -> dict[str, Any] | None:
    """A JSON object written by `write_record`, or None when absent or unreadable (then rebuilt)."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return data if isinstance(data, dict) else None


def write_record(path: Path, data: Mapping[str, object]) -> None:
    """Write a JSON object atomically (a reader never sees half a file)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with atomic_write(path) as handle:
        handle.write((json.dumps(data, indent=2, sort_keys=True) + "\n").encode("utf-8"))
