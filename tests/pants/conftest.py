"""Fixtures for the Pants builder tests.

Unit tests write small Pants trees into tmp_path. The one end-to-end test (marker ``pants``) needs a
container runtime that works on this host (VERIFIER_RUNTIME_ARGS for host-specific options, as for
the verifier itself), mmdebstrap, and PyPI; it keeps its images and Pants caches in the verifier cache
(VERIFIER_CACHE_DIR or ~/.cache/verifier) so that only the first run pays for them.
Deselect it with ``-m "not pants"``.
"""

from __future__ import annotations

import importlib.util
import sys
import textwrap
from collections.abc import Callable
from pathlib import Path

import pytest

# Make the checkout importable when the project is not installed into the venv.
if importlib.util.find_spec("verifier") is None:
    sys.path.insert(0, str(Path(__file__).resolve().parents[2]))


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers", "pants: runs real Pants in a real container (podman/docker, mmdebstrap, PyPI); slow")


WriteTree = Callable[[dict[str, str]], Path]


@pytest.fixture
def write_tree(tmp_path: Path) -> WriteTree:
    """Write {relative path: text} (dedented) under a fresh directory and return it."""
    counter = iter(range(1_000_000))

    def write(files: dict[str, str]) -> Path:
        root = tmp_path / f"tree{next(counter)}"
        root.mkdir()
        for relative, text in files.items():
            path = root / relative
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(textwrap.dedent(text))
        return root

    return write
