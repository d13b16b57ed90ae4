"""HTTP sessions for talking to package indexes: CA bundle, timeouts, one-line error text."""

from __future__ import annotations

import os
import re
from typing import Any

import requests

from verifier import __version__
from verifier.hostenv import resolve_ca_bundle

#: (connect, read) timeout in seconds for every request to an index.
DEFAULT_TIMEOUT: tuple[float, float] = (10.0, 60.0)

USER_AGENT = f"verifier/{__version__} (+pypi-simple; reproducible-build verifier)"

class _Session(requests.Session):
    """A session whose CA bundle is the one it was given.

    Plain requests lets ``$REQUESTS_CA_BUNDLE``/``$CURL_CA_BUNDLE`` override ``Session.verify``
    for every request that does not pass ``verify=`` itself (as pypi-simple's calls do not);
    here the explicit bundle wins. Proxy variables are still honoured.
    """

    def merge_environment_settings(
        self, url: Any, proxies: Any, stream: Any, verify: Any, cert: Any
    ) -> dict[str, Any]:
        settings = super().merge_environment_settings(url, proxies, stream, verify, cert)
        settings["verify"] = self.verify
        return settings


def make_session(ca_bundle: str | os.PathLike[str] | None = None) -> requests.Session:
    """A requests session that verifies TLS against ``ca_bundle``, else the host's (verifier.hostenv)."""
    session = _Session()
    session.verify = resolve_ca_bundle(ca_bundle)
    session.headers["User-Agent"] = USER_AGENT
    return session


_ERRNO_TEXT = re.compile(r"\[Errno -?\d+\] ([^'\"\)\]]+)")


def describe_request_error(exc: requests.RequestException) -> str:
    """A short reason for a failed request (``Connection refused``, ``timed out``, ...)."""
    if isinstance(exc, requests.exceptions.SSLError):
        text = str(exc)
        if "CERTIFICATE_VERIFY_FAILED" in text or "certificate verify failed" in text:
            return "TLS certificate verification failed"
        return "TLS error"
    if isinstance(exc, requests.Timeout):
        return "timed out"
    match = _ERRNO_TEXT.search(str(exc))
    if match:
        return match.group(1).strip()
    if "Name or service not known" in str(exc) or "NameResolutionError" in str(exc):
        return "name resolution failed"
    return type(exc).__name__
