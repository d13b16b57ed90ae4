"""A content-addressed store of downloaded artifacts.

Layout: ``<root>/sha256/<first two hex digits>/<hex digest>`` holds the bytes, and
``<hex digest>.json`` beside it a small record (url, filename, upload time) of where they came
from. Entries are written to a temporary file in the same directory and renamed into place, so
an entry either is complete and hashes to its name, or does not exist.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from verifier.fsutil import atomic_write, file_sha256

CACHE_DIR_ENV = "VERIFIER_CACHE_DIR"

_HEX_SHA256 = re.compile(r"^[0-9a-f]{64}$")


class DigestMismatch(Exception):
    """Bytes offered to the cache do not hash to the digest they were announced with."""

    def __init__(self, expected: str, actual: str) -> None:
        super().__init__(f"expected sha256 {expected}, got {actual}")
        self.expected = expected
        self.actual = actual


class TooLarge(Exception):
    """More bytes were offered to the cache than the caller allowed."""

    def __init__(self, limit: int) -> None:
        super().__init__(f"more than {limit} bytes")
        self.limit = limit


def default_cache_root() -> Path:
    """``$VERIFIER_CACHE_DIR`` when set, else ``~/.cache/verifier``."""
    configured = os.environ.get(CACHE_DIR_ENV)
    if configured:
        return Path(configured).expanduser()
    return Path.home() / ".cache" / "verifier"


def _checked_digest(sha256: str) -> str:
    digest = sha256.lower()
    if not _HEX_SHA256.match(digest):
        raise ValueError(f"not a hex sha256 digest: {sha256!r}")
    return digest


class ArtifactCache:
    """Files stored by the sha256 of their bytes under ``root``
    (default: :func:`default_cache_root`)."""

    def __init__(self, root: Path | str | None = None) -> None:
        self.root = Path(root) if root is not None else default_cache_root()

    def path_for(self, sha256: str) -> Path:
        """Where the bytes with digest ``sha256`` are (or would be) stored."""
        digest = _checked_digest(sha256)
        return self.root / "sha256" / digest[:2] / digest

    def record_path_for(self, sha256: str) -> Path:
        """Where the JSON record describing the entry ``sha256`` is (or would be) stored."""
        path = self.path_for(sha256)
        return path.with_name(path.name + ".json")

    def lookup(self, sha256: str) -> Path | None:
        """The stored file for ``sha256``, or ``None``. An entry whose bytes no longer hash to its
        name (changed on disk) is removed and reported as absent. Touches no network."""
        path = self.path_for(sha256)
        if not path.is_file():
            return None
        if file_sha256(path) != path.name:
            path.unlink(missing_ok=True)
            self.record_path_for(sha256).unlink(missing_ok=True)
            return None
        return path

    def record(self, sha256: str) -> dict[str, Any] | None:
        """The JSON record stored with the entry ``sha256`` (``None``: absent or unreadable)."""
        try:
            data = json.loads(self.record_path_for(sha256).read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return None
        return data if isinstance(data, dict) else None

    def store(
        self,
        chunks: Iterable[bytes],
        *,
        expected_sha256: str,
        record: dict[str, Any],
        max_bytes: int | None = None,
    ) -> Path:
        """Write ``chunks`` as the entry ``expected_sha256`` and return its path.

        Raises :class:`DigestMismatch` when the bytes hash differently and :class:`TooLarge` when
        they exceed ``max_bytes``; in both cases (and on any exception from ``chunks``) nothing is
        left in the cache. ``record`` (JSON-serializable) is stored beside the bytes.
        """
        expected = _checked_digest(expected_sha256)
        final = self.path_for(expected)
        final.parent.mkdir(parents=True, exist_ok=True)
        with atomic_write(final, mode=0o644) as out:
            digest = hashlib.sha256()
            written = 0
            for chunk in chunks:
                written += len(chunk)
                if max_bytes is not None and written > max_bytes:
                    raise TooLarge(max_bytes)
                digest.update(chunk)
                out.write(chunk)
            actual = digest.hexdigest()
            if actual != expected:
                raise DigestMismatch(expected, actual)
        self._write_record(expected, {"sha256": expected, **record})
        return final

    def _write_record(self, sha256: str, record: dict[str, Any]) -> None:
        target = self.record_path_for(sha256)
        with atomic_write(target, mode=0o644) as out:
            out.write(json.dumps(record, indent=1, sort_keys=True).encode("utf-8"))
