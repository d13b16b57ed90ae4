"""`audit`'s wheel check over a real local index: the real itsdangerous 2.2.0 sdist beside its
faithful wheel passes; beside a tampered wheel (one module changed, RECORD consistent) the wheel is
named not-from-source with the module; a platform wheel is listed as not verified."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from tests.upstream.artifacts import put
from tests.wheel.conftest import RELEASE, real_release, rewrite_wheel  # noqa: F401 - the fixture is used by name
from verifier.audit.wheels import audit_release_wheels
from verifier.report.model.verdict import Verdict
from verifier.testing.index_server import LocalIndex
from verifier.wheel.interface import PLATFORM_WHEEL_REASON

pytestmark = pytest.mark.network


def _serve(root: Path, files: dict[str, bytes]) -> LocalIndex:
    for filename, data in files.items():
        put(root, RELEASE[0], filename, data)
    return LocalIndex(root)


@pytest.fixture
def released(real_release: dict[str, Path]) -> dict[str, bytes]:  # noqa: F811
    return {real_release["sdist-name"].name: real_release["sdist"].read_bytes(),
            real_release["wheel-name"].name: real_release["wheel"].read_bytes()}


def _audit(index: LocalIndex, sdist: Path, cache: Path) -> list:  # type: ignore[type-arg]
    with index:
        return list(audit_release_wheels(index.url, *RELEASE, sdist, cache, lambda line: None))


def test_faithful_wheel_passes_and_platform_wheel_is_listed(released: dict[str, bytes], real_release: dict[str, Path], tmp_path: Path) -> None:  # noqa: F811
    files = dict(released)
    files["itsdangerous-2.2.0-cp311-cp311-manylinux_2_17_x86_64.whl"] = released[real_release["wheel-name"].name]
    wheels = _audit(_serve(tmp_path / "index", files), real_release["sdist"], tmp_path / "cache")
    by_name = {w.filename: w for w in wheels}
    assert by_name[real_release["wheel-name"].name].verdict is Verdict.FROM_SOURCE
    platform = by_name["itsdangerous-2.2.0-cp311-cp311-manylinux_2_17_x86_64.whl"]
    assert platform.verdict is None and platform.reason == PLATFORM_WHEEL_REASON


def test_tampered_wheel_beside_the_faithful_sdist_is_named(released: dict[str, bytes], real_release: dict[str, Path], tmp_path: Path) -> None:  # noqa: F811
    tampered = rewrite_wheel(real_release["wheel"], tmp_path / "t.whl", {"itsdangerous/signer.py": b"import os\n"})
    files = dict(released)
    files[real_release["wheel-name"].name] = tampered.read_bytes()
    wheels = _audit(_serve(tmp_path / "index", files), real_release["sdist"], tmp_path / "cache")
    assert [w.verdict for w in wheels] == [Verdict.NOT_FROM_SOURCE]
    assert [(f.kind, f.path) for f in wheels[0].findings] == [("module-differs-from-sdist", "itsdangerous/signer.py")]
    shutil.rmtree(tmp_path / "cache")
