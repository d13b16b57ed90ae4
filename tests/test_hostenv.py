"""Which CA bundle the host trusts: one order for index sessions, uv and the files mounted into builds."""

from __future__ import annotations

from pathlib import Path

import certifi
import pytest

from verifier import hostenv
from verifier.hostenv import host_ca_bundle, resolve_ca_bundle


@pytest.fixture
def bundles(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> tuple[Path, Path, Path]:
    first, second, system = tmp_path / "first.pem", tmp_path / "second.pem", tmp_path / "system.pem"
    for path in (first, second, system):
        path.write_text("")
    monkeypatch.setenv("SSL_CERT_FILE", str(first))
    monkeypatch.setenv("REQUESTS_CA_BUNDLE", str(second))
    monkeypatch.setattr(hostenv, "SYSTEM_CA_BUNDLE", system)
    return first, second, system


def test_the_environment_then_the_system_bundle(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, bundles: tuple[Path, Path, Path]
) -> None:
    first, second, system = bundles
    assert host_ca_bundle() == first
    monkeypatch.setenv("SSL_CERT_FILE", str(tmp_path / "missing.pem"))
    assert host_ca_bundle() == second
    monkeypatch.delenv("REQUESTS_CA_BUNDLE")
    assert host_ca_bundle() == system
    system.unlink()
    assert host_ca_bundle() is None


def test_http_takes_an_explicit_bundle_first_and_certifi_last(
    monkeypatch: pytest.MonkeyPatch, bundles: tuple[Path, Path, Path]
) -> None:
    first, second, system = bundles
    assert resolve_ca_bundle() == str(first)
    assert resolve_ca_bundle(second) == str(second)
    monkeypatch.delenv("SSL_CERT_FILE")
    monkeypatch.delenv("REQUESTS_CA_BUNDLE")
    assert resolve_ca_bundle() == str(system)
    system.unlink()
    assert resolve_ca_bundle() == certifi.where()
