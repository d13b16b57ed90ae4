"""The upstream tests' served directory of artifacts, for the index server's own tests."""

from __future__ import annotations

from ..upstream.conftest import artifact_dir, json_index

__all__ = ["artifact_dir", "json_index"]
