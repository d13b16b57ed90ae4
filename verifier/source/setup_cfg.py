"""Reading a project's name and static version from ``setup.cfg`` ``[metadata]``."""

from __future__ import annotations

import configparser

from verifier.source.declared import Declared, normalize_version
from verifier.source.interface import SourceError
from verifier.source.treefiles import decode_utf8

__all__ = ["parse_setup_cfg"]

# setuptools directives computing a value at build time: "attr: pkg.__version__", "file: VERSION".
_DIRECTIVES = ("attr:", "file:")


def parse_setup_cfg(data: bytes, filename: str) -> Declared | None:
    """``[metadata]`` name and version of a ``setup.cfg``; None when it has no ``[metadata]``."""
    parser = configparser.RawConfigParser(strict=False)
    try:
        parser.read_string(decode_utf8(data, filename), source=filename)
    except configparser.Error as exc:
        message = " ".join(str(exc).split())
        raise SourceError(f"{filename}: invalid configuration file: {message}") from exc
    if not parser.has_section("metadata"):
        return None
    name = parser.get("metadata", "name", fallback=None)
    version = parser.get("metadata", "version", fallback=None)
    if version is not None and version.strip().startswith(_DIRECTIVES):
        version = None
    return Declared(
        name=(name or "").strip() or None,
        version=normalize_version(version.strip()) if version and version.strip() else None,
    )
