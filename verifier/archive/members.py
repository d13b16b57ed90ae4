"""The bytes of a few chosen members of an archive (PKG-INFO, a wheel's RECORD), read with the
engine's reader and limits, each kept to at most `limit` bytes in memory: untrusted input never
decides how much is held."""

from __future__ import annotations

import io
from collections.abc import Collection
from pathlib import Path
from typing import TYPE_CHECKING, BinaryIO

from verifier.archive.interface import Limits
from verifier.archive.reader import ArchiveReader

if TYPE_CHECKING:
    from _typeshed import ReadableBuffer


class CappedBuffer(io.BytesIO):
    """Keeps the first `limit` bytes written to it and drops the rest."""

    def __init__(self, limit: int) -> None:
        super().__init__()
        self.limit = limit

    def write(self, chunk: ReadableBuffer, /) -> int:
        view = memoryview(chunk).cast("B")
        room = self.limit - self.tell()
        if room > 0:
            super().write(bytes(view[:room]))
        return len(view)


def read_members(path: Path, wanted: Collection[int], limit: int, limits: Limits | None = None) -> dict[int, bytes]:
    """The first `limit` bytes of each member whose index is in `wanted`, by index (one more pass)."""
    buffers: dict[int, CappedBuffer] = {}

    def capture(index: int) -> BinaryIO | None:
        if index not in wanted:
            return None
        buffers[index] = CappedBuffer(limit)
        return buffers[index]

    for _ in ArchiveReader(path, limits, capture=capture).members():
        pass
    return {index: buffer.getvalue() for index, buffer in buffers.items()}
