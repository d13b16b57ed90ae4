"""Fixtures for the upstream stage: a directory of artifacts laid out for LocalIndex, served over
real HTTP on 127.0.0.1 (JSON and HTML answers), and a port nobody listens on."""

from __future__ import annotations

import socket
from collections.abc import Iterator
from pathlib import Path

import pytest

from verifier.testing.index_server import LocalIndex

from .artifacts import (
    WRONG_SHA256,
    put,
    sdist_bytes,
    wheel_bytes,
    write_meta,
    zip_sdist_bytes,
)


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "network: talks to the real https://pypi.org/simple/")


@pytest.fixture
def artifact_dir(tmp_path: Path) -> Path:
    """A served directory with:

    - demo: sdists 1.0, 1.1 (yanked), 2.0 (+ a wheel), and only a wheel for 2.1;
    - backend-ai-common: ``backend.ai-common-23.3.3.tar.gz``, ``backend_ai_common-23.03.4.tar.gz``;
    - zipped: a ``.zip`` sdist (0.5) and a ``.tar.bz2`` sdist (0.6);
    - badhash: an sdist whose announced sha256 is wrong.
    """
    root = tmp_path / "index"
    put(root, "demo", "demo-1.0.tar.gz", sdist_bytes("demo-1.0"))
    put(root, "demo", "demo-1.1.tar.gz", sdist_bytes("demo-1.1"))
    put(root, "demo", "demo-2.0.tar.gz", sdist_bytes("demo-2.0"))
    put(
        root,
        "demo",
        "demo-2.0-py3-none-any.whl",
        wheel_bytes("demo", "2.0", requires_python=">=3.8"),
    )
    put(root, "demo", "demo-2.1-py3-none-any.whl", wheel_bytes("demo", "2.1"))
    put(
        root,
        "backend-ai-common",
        "backend.ai-common-23.3.3.tar.gz",
        sdist_bytes("backend.ai-common-23.3.3"),
    )
    put(
        root,
        "backend-ai-common",
        "backend_ai_common-23.03.4.tar.gz",
        sdist_bytes("backend_ai_common-23.03.4"),
    )
    put(root, "zipped", "zipped-0.5.zip", zip_sdist_bytes("zipped-0.5"))
    put(root, "zipped", "zipped-0.6.tar.bz2", sdist_bytes("zipped-0.6", "bz2"))
    put(root, "badhash", "badhash-1.0.tar.gz", sdist_bytes("badhash-1.0"))
    write_meta(
        root,
        {
            "demo-1.0.tar.gz": {"upload-time": "2023-05-14T14:48:51.809042Z"},
            "demo-1.1.tar.gz": {"upload-time": "2023-06-01T00:00:00+02:00", "yanked": "broken"},
            "demo-2.0.tar.gz": {"upload-time": "2024-02-01T12:00:00Z", "requires-python": ">=3.8"},
            "demo-2.0-py3-none-any.whl": {
                "upload-time": "2024-02-01T12:00:01Z",
                "requires-python": ">=3.8",
            },
            "badhash-1.0.tar.gz": {"sha256": WRONG_SHA256},
        },
    )
    return root


@pytest.fixture(params=["json", "html"])
def index_format(request: pytest.FixtureRequest) -> str:
    """Run a test against the PEP 691 JSON and the PEP 503 HTML answers of the local index."""
    return str(request.param)


@pytest.fixture
def local_index(artifact_dir: Path, index_format: str) -> Iterator[LocalIndex]:
    with LocalIndex(artifact_dir, html_only=index_format == "html") as index:
        yield index


@pytest.fixture
def json_index(artifact_dir: Path) -> Iterator[LocalIndex]:
    with LocalIndex(artifact_dir) as index:
        yield index


@pytest.fixture
def closed_port() -> int:
    """A port on 127.0.0.1 on which nothing listens (bound, then released)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])
