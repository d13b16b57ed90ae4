"""Reading a version out of a tag name: pure functions, no git.

Tags are spelled many ways: ``2.1.0``, ``v2.1.0``, ``V2.1.0``, ``2025.01.31`` (for 2025.1.31),
``NAME-2.1.0``, ``NAME_2.1.0``, ``NAME/2.1.0``, ``NAME/v2.1.0``, ``NAME-v2.1.0``, ``release-2.1.0``,
``release/2.1.0``. A name can be read more than one way (``foo-1.0-1`` is foo 1.0-1 or foo-1.0
1), so :func:`read_tag_name` returns every reading and matching tries them all.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from packaging.utils import canonicalize_name
from packaging.version import InvalidVersion, Version

#: Prefixes that say "a release" without naming a package: they match any package.
GENERIC_PREFIXES = frozenset({"release", "rel", "version", "ver"})
# Versions spelled with underscores (SQLAlchemy's rel_2_0_36): only digits and underscores.
_UNDERSCORED = re.compile(r"[vV]?[0-9]+(_[0-9]+)+")

#: Where a package-name prefix may end.
PREFIX_SEPARATORS = "-_/"

# What may follow the prefix: an optional v, then a digit (so "foo-bar" is not "foo" version "bar").
_VERSION_START = re.compile(r"[vV]?[0-9]")


@dataclass(frozen=True)
class TagReading:
    """One way to read a tag name: an optional package prefix and a version.

    ``prefix`` is the PEP 503-normalized package name before the version, None for no prefix or a
    generic one (``release-``).
    """

    prefix: str | None
    version: Version


def parse_version(text: str) -> Version | None:
    """``text`` as a PEP 440 version (a leading ``v`` or ``V`` allowed), or None."""
    if not _VERSION_START.match(text):
        return None
    if _UNDERSCORED.fullmatch(text):
        text = text.replace("_", ".")
    try:
        return Version(text)
    except InvalidVersion:
        return None


def read_tag_name(name: str) -> tuple[TagReading, ...]:
    """Every way to read ``name`` as an optional prefix plus a version; empty when none."""
    readings: list[TagReading] = []
    whole = parse_version(name)
    if whole is not None:
        readings.append(TagReading(None, whole))
    for index, char in enumerate(name):
        if char not in PREFIX_SEPARATORS or index == 0:
            continue
        version = parse_version(name[index + 1 :])
        if version is None:
            continue
        prefix = name[:index]
        if parse_version(prefix) is not None:
            continue  # "1.0-1" is version 1.0.post1, not package "1.0" version 1
        readings.append(TagReading(_normalize_prefix(prefix), version))
    return tuple(dict.fromkeys(readings))


def reading_fits_package(reading: TagReading, package: str | None) -> bool:
    """Whether a reading may be a release of ``package``.

    Unprefixed (and generic, ``release-``) readings fit any package; a prefixed one fits when the
    prefix names the package (PEP 503), or when its last path component does
    (``python/foo/v1.0``), also spelled as repositories named after it are (``python-foo-1.0``,
    ``pyfoo-1.0``, ``foo-python-1.0``). With no package given, every reading fits.
    """
    if package is None or reading.prefix is None:
        return True
    wanted = canonicalize_name(package)
    last = reading.prefix.rsplit("/", 1)[-1]
    return wanted in (reading.prefix, last) or last in _python_spellings(wanted)


def _python_spellings(package: str) -> frozenset[str]:
    """How repositories named after a package say "Python" (``python-ecdsa`` tags ``python-ecdsa-0.19.0``)."""
    return frozenset({f"python-{package}", f"py-{package}", f"py{package}", f"{package}-python", f"{package}-py"})


def names_package(reading: TagReading, package: str | None) -> bool:
    """Whether a reading's prefix names ``package`` itself (a stronger match than no prefix)."""
    if package is None or reading.prefix is None:
        return False
    return reading_fits_package(reading, package)


def _normalize_prefix(prefix: str) -> str | None:
    parts = [canonicalize_name(part) for part in prefix.split("/")]
    normalized = "/".join(parts)
    return None if normalized in GENERIC_PREFIXES else normalized


def package_named_by_tag(name: str, version: str | None) -> str | None:
    """The package a tag's prefix names for `version` (``hatchling-v1.32.0`` → ``hatchling``), if any."""
    for reading in read_tag_name(name):
        if reading.prefix is not None and (version is None or str(reading.version) == version):
            return reading.prefix.rsplit("/", 1)[-1]
    return None
