"""Which CA bundle index requests trust."""

from __future__ import annotations

from pathlib import Path

import certifi
import pytest

from verifier.errors import FetchError
from verifier.upstream.index import PYPI_SIMPLE_URL, IndexClient
from verifier.upstream.sessions import make_session


def test_explicit_bundle_wins_over_requests_ca_bundle(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    bundle = tmp_path / "ca.pem"
    monkeypatch.setenv("REQUESTS_CA_BUNDLE", str(tmp_path / "other.pem"))
    monkeypatch.setenv("CURL_CA_BUNDLE", str(tmp_path / "other.pem"))
    session = make_session(bundle)
    settings = session.merge_environment_settings(PYPI_SIMPLE_URL, {}, None, None, None)
    assert settings["verify"] == str(bundle)


@pytest.mark.network
def test_a_bundle_without_the_proxy_ca_fails_tls_with_one_line() -> None:
    """On this host a re-signing TLS proxy sits in front of PyPI: certifi alone distrusts it."""
    with IndexClient(PYPI_SIMPLE_URL, ca_bundle=certifi.where(), timeout=(10, 30)) as client:
        try:
            client.list_files("flit_core")
        except FetchError as exc:
            expected = f"index unreachable: {PYPI_SIMPLE_URL}flit-core/: "
            assert exc.message == expected + "TLS certificate verification failed"
        else:
            pytest.skip("PyPI is reachable with certifi's roots here: no re-signing proxy")
