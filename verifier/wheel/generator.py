"""Which backend version wrote a wheel, from the ``Generator`` line of its WHEEL file, as a pin of
the build requirement that made it (what `--search` tries when the rebuild's generator differs).

    flit 3.9.0               -> flit_core==3.9.0
    hatchling 1.21.1         -> hatchling==1.21.1
    bdist_wheel (0.41.2)     -> wheel==0.41.2      (setuptools before 70.1 wrote wheels with `wheel`)
    setuptools (75.1.0)      -> setuptools==75.1.0
    poetry-core 1.9.0        -> poetry-core==1.9.0
    pdm-backend (2.3.0)      -> pdm-backend==2.3.0
"""

from __future__ import annotations

import re

from packaging.version import InvalidVersion, Version

#: The distribution that provides each generator name (the rest are their own distribution).
_DISTRIBUTION = {"flit": "flit_core", "bdist_wheel": "wheel", "poetry": "poetry-core"}
_KNOWN = {"flit_core", "hatchling", "wheel", "setuptools", "poetry-core", "pdm-backend", "pdm-pep517", "maturin", "scikit-build-core"}
_GENERATOR = re.compile(r"^\s*([A-Za-z0-9_.-]+)\s*\(?\s*([0-9][A-Za-z0-9.+!-]*)\s*\)?\s*$")


def generator_pin(generator: str | None) -> str | None:
    """The ``name==version`` pin of the backend that wrote the wheel (None: not a known backend)."""
    if not generator:
        return None
    found = _GENERATOR.match(generator)
    if found is None:
        return None
    name, version = found.group(1), found.group(2)
    distribution = _DISTRIBUTION.get(name.lower(), name.lower())
    if distribution not in _KNOWN:
        return None
    try:
        Version(version)
    except InvalidVersion:
        return None
    return f"{distribution}=={version}"
