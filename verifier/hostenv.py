"""What this host provides to builds and downloads: its CA bundle.

One order, for every place that needs to trust what the host trusts (HTTP sessions to package
indexes, uv, the CA file mounted into builder images and Pants runs):

1. an explicit choice (a caller's argument);
2. ``$SSL_CERT_FILE``: OpenSSL's own variable, honoured by Python's ssl, pip, uv and git, so a user
   who sets it means it for every tool;
3. ``$REQUESTS_CA_BUNDLE``: requests' variable, set where the tooling is requests-based;
4. the system bundle at the Debian path, which the administrator maintains: it carries local roots
   (an internal index, a re-signing proxy) that certifi's copy of Mozilla's roots does not.

Variables naming a missing file are skipped. With none of these, HTTP from this process falls back
to certifi (`resolve_ca_bundle`) and containers keep their image's own bundle (`host_ca_bundle`
returns None): mounting certifi's roots over Debian's would gain nothing.
"""

from __future__ import annotations

import os
from pathlib import Path

#: The system CA bundle (update-ca-certificates writes it on Debian and Ubuntu).
SYSTEM_CA_BUNDLE = Path("/etc/ssl/certs/ca-certificates.crt")
CA_BUNDLE_ENV_VARS = ("SSL_CERT_FILE", "REQUESTS_CA_BUNDLE")


def host_ca_bundle() -> Path | None:
    """The CA file this host trusts, in the order above, or None when it has none."""
    for var in CA_BUNDLE_ENV_VARS:
        value = os.environ.get(var)
        if value and Path(value).is_file():
            return Path(value)
    return SYSTEM_CA_BUNDLE if SYSTEM_CA_BUNDLE.is_file() else None


def resolve_ca_bundle(ca_bundle: str | os.PathLike[str] | None = None) -> str:
    """The CA bundle for HTTP from this process: `ca_bundle` when given, else `host_ca_bundle()`,
    else certifi's bundle."""
    if ca_bundle is not None:
        return os.fspath(ca_bundle)
    found = host_ca_bundle()
    if found is not None:
        return str(found)
    import certifi

    return certifi.where()
