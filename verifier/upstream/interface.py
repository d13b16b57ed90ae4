"""Frozen dataclasses passed out of the upstream stage, and the errors it raises."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Literal

from verifier.errors import BadInput, CouldNotVerify, FetchError

__all__ = [
    "BadInput",
    "CouldNotVerify",
    "FetchError",
    "FetchedArtifact",
    "PackageType",
    "PinnedRequirement",
    "PublishedFile",
    "WheelhouseFile",
]

PackageType = Literal["sdist", "wheel"]


@dataclass(frozen=True)
class PublishedFile:
    """One file of a release as a package index lists it.

    ``project`` is the PEP 503-normalized project name; ``version`` is the PEP 440-normalized
    version parsed from the filename (as spelled in the filename when it is not valid PEP 440).
    ``sha256`` is the index's hex digest (``None`` when the index gives none); ``upload_time`` is
    UTC (``None`` when the index does not say, e.g. a PEP 503 HTML page); ``size`` is in bytes
    (``None`` when unknown).
    """

    project: str
    version: str
    filename: str
    url: str
    sha256: str | None
    upload_time: datetime | None
    size: int | None
    yanked: bool
    requires_python: str | None
    packagetype: PackageType


@dataclass(frozen=True)
class FetchedArtifact:
    """A published file whose bytes lie at ``path`` and hash to ``file.sha256``."""

    file: PublishedFile
    path: Path


@dataclass(frozen=True)
class PinnedRequirement:
    """One resolved requirement: PEP 503-normalized ``name``, exact ``version`` and the sha256
    digests (hex) of every file of that version the resolver accepts."""

    name: str
    version: str
    hashes: tuple[str, ...]


@dataclass(frozen=True)
class WheelhouseFile:
    """One file placed in a wheelhouse directory for a pinned requirement."""

    name: str
    version: str
    filename: str
    sha256: str
