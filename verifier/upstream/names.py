"""PEP 503 project names and PEP 440 versions as the upstream stage compares them."""

from __future__ import annotations

import re

from packaging.utils import canonicalize_name
from packaging.version import InvalidVersion, Version

# A project name as PEP 508 allows it (before normalization).
_PROJECT_NAME = re.compile(r"^[A-Za-z0-9](?:[A-Za-z0-9._-]*[A-Za-z0-9])?$")


def is_project_name(name: str) -> bool:
    """True when ``name`` is a syntactically valid project name."""
    return bool(_PROJECT_NAME.match(name))


def normalize_project(name: str) -> str:
    """The PEP 503-normalized project name (``Backend.AI_common`` -> ``backend-ai-common``)."""
    return canonicalize_name(name)


def parse_version(version: str) -> Version | None:
    """The PEP 440 version, or ``None`` when ``version`` is not valid PEP 440."""
    try:
        return Version(version)
    except InvalidVersion:
        return None


def normalize_version(version: str) -> str:
    """The PEP 440-normalized spelling (``23.03.3`` -> ``23.3.3``); a version that is not valid
    PEP 440 comes back stripped and lower-cased, so equal legacy spellings still compare equal."""
    parsed = parse_version(version)
    return str(parsed) if parsed is not None else version.strip().lower()


def same_version(left: str, right: str) -> bool:
    """PEP 440 equality (``0.6`` == ``0.6.0`` == ``0.06``); versions that are not PEP 440
    compare by their stripped, lower-cased spelling."""
    parsed_left, parsed_right = parse_version(left), parse_version(right)
    if parsed_left is not None and parsed_right is not None:
        return parsed_left == parsed_right
    return normalize_version(left) == normalize_version(right)
