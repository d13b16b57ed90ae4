"""Build requirements pinned as of a cut-off with real uv against a LocalIndex (and, marked
``network``, against the real PyPI), and the wheelhouse pip installs from offline."""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest

from verifier.errors import BadInput, FetchError
from verifier.testing.index_server import LocalIndex
from verifier.upstream.cache import ArtifactCache
from verifier.upstream.index import PYPI_SIMPLE_URL, IndexClient
from verifier.upstream.interface import PinnedRequirement, WheelhouseFile
from verifier.upstream.requirements import (
    download_wheelhouse,
    parse_pinned_requirements,
    resolve_build_requirements,
)

from .artifacts import put, sha256_hex, wheel_bytes, write_meta

CUTOFF = datetime(2024, 1, 1, tzinfo=UTC)
OLD = "2023-06-01T00:00:00Z"
NEW = "2024-06-01T00:00:00Z"


@pytest.fixture
def backend_index(tmp_path: Path) -> Iterator[LocalIndex]:
    """demo-backend 1.0 (needs demo-helper>=1) from before the cut-off and 2.0 (needs
    demo-helper>=2) from after it; demo-helper 1.0 and 2.0 likewise."""
    root = tmp_path / "backend-index"
    meta: dict[str, dict[str, object]] = {}
    for version, uploaded in (("1.0", OLD), ("2.0", NEW)):
        for name, requires in (("demo-backend", [f"demo-helper>={version}"]), ("demo-helper", [])):
            filename = f"{name.replace('-', '_')}-{version}-py3-none-any.whl"
            put(root, name, filename, wheel_bytes(name, version, requires))
            meta[filename] = {"upload-time": uploaded}
    write_meta(root, meta)
    with LocalIndex(root) as index:
        yield index


def _resolve(
    index_url: str, workdir: Path, requirements: list[str], pins: tuple[str, ...] = ()
) -> list[PinnedRequirement]:
    return resolve_build_requirements(
        requirements, CUTOFF, index_url, "3.11", pins, workdir=workdir, http_retries=0, timeout=60
    )


def _file_hash(index: LocalIndex, filename: str) -> str:
    return sha256_hex(next(index.directory.glob(f"*/{filename}")).read_bytes())


def test_resolves_the_newest_versions_before_the_cutoff(
    backend_index: LocalIndex, tmp_path: Path
) -> None:
    pinned = _resolve(backend_index.url, tmp_path / "work", ["Demo_Backend"])
    assert pinned == [
        PinnedRequirement(
            "demo-backend", "1.0", (_file_hash(backend_index, "demo_backend-1.0-py3-none-any.whl"),)
        ),
        PinnedRequirement(
            "demo-helper", "1.0", (_file_hash(backend_index, "demo_helper-1.0-py3-none-any.whl"),)
        ),
    ]
    written = {path.name for path in (tmp_path / "work").iterdir()}
    assert {
        "build-requirements.in",
        "build-constraints.txt",
        "build-requirements.txt",
        "uv-cache",
    } == written


def test_user_pins_constrain_and_unsatisfiable_pins_are_bad_input(
    backend_index: LocalIndex, tmp_path: Path
) -> None:
    with pytest.raises(BadInput) as caught:
        _resolve(backend_index.url, tmp_path / "work", ["demo-backend"], ("demo-backend<1",))
    assert "cannot be satisfied as of 2024-01-01T00:00:00.000000Z" in caught.value.message
    assert "you require demo-backend<1" in caught.value.message
    with pytest.raises(BadInput, match=r"demo-backend==2.0"):
        _resolve(backend_index.url, tmp_path / "work2", ["demo-backend"], ("demo-backend==2.0",))


@pytest.mark.parametrize(
    "setting",
    ["UV_OFFLINE=1", "UV_OVERRIDE=overrides.txt", "uv.toml:offline = true"],
)
def test_inherited_uv_settings_are_ignored(
    backend_index: LocalIndex, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, setting: str
) -> None:
    """Each setting, if uv saw it, would make this resolution fail or pick demo-backend 2.0."""
    workdir = tmp_path / "work"
    workdir.mkdir()
    (tmp_path / "overrides.txt").write_text("demo-backend==2.0\n")
    if setting.startswith("uv.toml:"):
        (workdir / "uv.toml").write_text(setting.removeprefix("uv.toml:") + "\n")
    else:
        name, _, value = setting.partition("=")
        monkeypatch.setenv(name, str(tmp_path / value) if value.endswith(".txt") else value)
    pinned = _resolve(backend_index.url, workdir, ["demo-backend"])
    assert [(pin.name, pin.version) for pin in pinned] == [
        ("demo-backend", "1.0"),
        ("demo-helper", "1.0"),
    ]


def test_unreachable_index_is_a_fetch_error_with_uv_stderr(
    closed_port: int, tmp_path: Path
) -> None:
    url = f"http://127.0.0.1:{closed_port}/simple/"
    with pytest.raises(FetchError) as caught:
        _resolve(url, tmp_path / "work", ["demo-backend"])
    message = caught.value.message
    assert message.startswith(f"index unreachable: {url}: ")
    assert "Connection refused" in message
    assert "\n" not in message


@pytest.mark.parametrize(
    ("requirement", "reason"),
    [
        ("demo-backend >=", "malformed build requirement"),
        ("-r /etc/passwd", "malformed build requirement"),
        ("demo @ https://example.org/demo-1.0.tar.gz", "is a direct URL"),
    ],
)
def test_malformed_requirements_are_refused_before_running_uv(
    tmp_path: Path, requirement: str, reason: str
) -> None:
    with pytest.raises(BadInput, match=reason):
        _resolve("http://127.0.0.1:9/simple/", tmp_path / "work", [requirement])
    assert not (tmp_path / "work").exists()


def test_parse_pinned_requirements() -> None:
    text = (
        "Flit_Core==3.9.0 \\\n"
        "    --hash=sha256:" + "A" * 64 + " \\\n"
        "    --hash=sha256:" + "b" * 64 + "\n"
        "# a comment\n"
        "setuptools==69.0.3 --hash=sha256:" + "c" * 64 + "\n"
    )
    assert parse_pinned_requirements(text) == [
        PinnedRequirement("flit-core", "3.9.0", ("a" * 64, "b" * 64)),
        PinnedRequirement("setuptools", "69.0.3", ("c" * 64,)),
    ]
    with pytest.raises(FetchError, match="no sha256"):
        parse_pinned_requirements("demo==1.0\n")


def _pip_install_offline(wheelhouse: Path, target: Path) -> subprocess.CompletedProcess[str]:
    """What the builder container runs, with pip's configuration isolated from this host's."""
    environment = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "HOME": str(target.parent),
        "PIP_CONFIG_FILE": os.devnull,
        "PIP_DISABLE_PIP_VERSION_CHECK": "1",
    }
    command = [
        sys.executable, "-m", "pip", "install", "--no-index", "--find-links", str(wheelhouse),
        "--require-hashes", "-r", str(wheelhouse / "requirements.txt"),
        "--target", str(target), "--no-compile", "--quiet",
    ]  # fmt: skip
    return subprocess.run(
        command, env=environment, capture_output=True, text=True, timeout=120, check=False
    )


def test_wheelhouse_installs_offline_with_hashes(backend_index: LocalIndex, tmp_path: Path) -> None:
    pinned = _resolve(backend_index.url, tmp_path / "work", ["demo-backend"])
    wheelhouse = tmp_path / "wheelhouse"
    placed = download_wheelhouse(
        pinned, wheelhouse, backend_index.url, "3.11", ArtifactCache(tmp_path / "cache")
    )
    assert placed == [
        WheelhouseFile(
            "demo-backend", "1.0", "demo_backend-1.0-py3-none-any.whl", pinned[0].hashes[0]
        ),
        WheelhouseFile(
            "demo-helper", "1.0", "demo_helper-1.0-py3-none-any.whl", pinned[1].hashes[0]
        ),
    ]
    assert (wheelhouse / "requirements.txt").read_text() == (
        f"demo-backend==1.0 --hash=sha256:{pinned[0].hashes[0]}\n"
        f"demo-helper==1.0 --hash=sha256:{pinned[1].hashes[0]}\n"
    )
    installed = _pip_install_offline(wheelhouse, tmp_path / "target")
    assert installed.returncode == 0, installed.stderr
    assert (tmp_path / "target" / "demo_backend" / "__init__.py").read_text() == "VERSION = '1.0'\n"


def test_wheelhouse_refuses_files_without_a_pinned_hash(
    backend_index: LocalIndex, tmp_path: Path
) -> None:
    pinned = [PinnedRequirement("demo-backend", "1.0", ("f" * 64,))]
    with pytest.raises(FetchError) as caught:
        download_wheelhouse(
            pinned, tmp_path / "wh", backend_index.url, "3.11", ArtifactCache(tmp_path / "cache")
        )
    assert caught.value.message.startswith("demo-backend==1.0: no file with a pinned hash installs")
    assert caught.value.message.endswith("the index has: demo_backend-1.0-py3-none-any.whl")


@pytest.mark.network
def test_real_pypi_as_of_2024(tmp_path: Path) -> None:
    pinned = resolve_build_requirements(
        ["flit_core", "setuptools>=61"], CUTOFF, PYPI_SIMPLE_URL, "3.11", workdir=tmp_path / "work"
    )
    assert [(pin.name, pin.version) for pin in pinned] == [
        ("flit-core", "3.9.0"),
        ("setuptools", "69.0.3"),
    ]
    with IndexClient(PYPI_SIMPLE_URL) as client:
        for pin in pinned:
            hashed = [
                f for f in client.files_for_version(pin.name, pin.version) if f.sha256 in pin.hashes
            ]
            assert hashed
            assert all(f.upload_time is not None and f.upload_time < CUTOFF for f in hashed)
    wheelhouse = tmp_path / "wheelhouse"
    placed = download_wheelhouse(
        pinned, wheelhouse, PYPI_SIMPLE_URL, "3.11", ArtifactCache(tmp_path / "cache")
    )
    assert [item.filename for item in placed] == [
        "flit_core-3.9.0-py3-none-any.whl",
        "setuptools-69.0.3-py3-none-any.whl",
    ]
    for pin, item in zip(pinned, placed, strict=True):
        digest = hashlib.sha256((wheelhouse / item.filename).read_bytes()).hexdigest()
        assert digest == item.sha256 and digest in pin.hashes
    installed = _pip_install_offline(wheelhouse, tmp_path / "target")
    assert installed.returncode == 0, installed.stderr
