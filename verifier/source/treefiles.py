"""Reading small files of an untrusted source tree: bounded in size, never outside the tree.

A repository can hold a ``pyproject.toml`` that is a symlink to ``/dev/zero``, a FIFO, or a
gigabyte of text; reading its metadata must not hang, exhaust memory, or read outside the tree.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

from verifier.source.interface import SourceError

__all__ = ["MAX_METADATA_BYTES", "decode_utf8", "read_tree_file"]

#: The largest metadata file read (pyproject.toml, setup.cfg, setup.py).
MAX_METADATA_BYTES = 4 * 1024 * 1024


def read_tree_file(root: Path, relative: str, limit: int = MAX_METADATA_BYTES) -> bytes | None:
    """The bytes of ``root/relative``, or None when there is no such file.

    Raises SourceError naming ``relative`` when it is larger than ``limit``, not a regular file,
    a symlink leading outside ``root`` or to nothing, or unreadable.
    """
    path = root / relative
    if not os.path.lexists(path):
        return None
    try:
        resolved = path.resolve()
        if not resolved.is_relative_to(root.resolve()):
            raise SourceError(f"{relative}: a symlink leading outside the source tree")
        info = os.stat(resolved)
        if not stat.S_ISREG(info.st_mode):
            raise SourceError(f"{relative}: not a regular file")
        if info.st_size > limit:
            raise SourceError(f"{relative}: {info.st_size} bytes, over the limit of {limit}")
        with open(resolved, "rb") as handle:
            data = handle.read(limit + 1)
    except FileNotFoundError as exc:
        raise SourceError(f"{relative}: a symlink leading nowhere") from exc
    except OSError as exc:
        raise SourceError(f"{relative}: cannot read: {exc.strerror or exc}") from exc
    if len(data) > limit:
        raise SourceError(f"{relative}: over the limit of {limit} bytes")
    return data


def decode_utf8(data: bytes, relative: str) -> str:
    """``data`` as UTF-8 text (a BOM dropped); SourceError naming the file otherwise."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise SourceError(f"{relative}: not UTF-8 text ({exc.reason} at byte {exc.start})") from exc
