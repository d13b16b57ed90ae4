"""The canonical form: an archive after stabilization, written as deterministic .tar.gz bytes.

Layout of the output:
- a pax global header naming the normalizations and holding the frame tokens (what surrounds the
  members: the compression layer, the end-of-archive blocks), so that two outputs are equal only if
  those agree too;
- every member, in stabilized order: its stabilized header bytes, its content, its padding;
- the end-of-archive blocks as the trailer token says.
The gzip layer is written here with stored (uncompressed) deflate blocks of 65535 bytes, a fixed
header (mtime 0, no name, OS 255) and the CRC-32/size trailer: its bytes depend only on the tar
stream, on every machine, whatever zlib it has.
"""

from __future__ import annotations

import dataclasses
import hashlib
import shutil
import struct
import tempfile
import zipfile
import zlib
from collections.abc import Sequence
from pathlib import Path
from typing import BinaryIO

from verifier.archive import tarheader as th
from verifier.archive.interface import BLOCK, ArchiveError, Limits, MemberKind
from verifier.archive.reader import ArchiveReader
from verifier.errors import BadInput
from verifier.fsutil import open_output
from verifier.normalize.interface import Frame, Normalization, Stabilized
from verifier.normalize.stabilize import stabilize

FORMAT_VERSION = "1"
_STORED_BLOCK = 65535
_SPOOL_IN_MEMORY = 64 * 2**20
_COPY_CHUNK = 1 << 20


class StoredGzipWriter:
    """gzip with stored deflate blocks: deterministic bytes for a given input stream."""

    HEADER = b"\x1f\x8b\x08\x00\x00\x00\x00\x00\x00\xff"

    def __init__(self, out: BinaryIO) -> None:
        self._out = out
        self._pending = bytearray()
        self._crc = 0
        self._size = 0
        self.written = 0  # tar bytes written so far
        self._digest = hashlib.sha256()
        self._emit(self.HEADER)

    def _emit(self, data: bytes) -> None:
        self._out.write(data)
        self._digest.update(data)

    def write(self, data: bytes) -> None:
        self._crc = zlib.crc32(data, self._crc)
        self._size += len(data)
        self.written += len(data)
        self._pending += data
        while len(self._pending) > _STORED_BLOCK:
            self._block(bytes(self._pending[:_STORED_BLOCK]), final=False)
            del self._pending[:_STORED_BLOCK]

    def _block(self, data: bytes, *, final: bool) -> None:
        self._emit(bytes([1 if final else 0]) + struct.pack("<HH", len(data), len(data) ^ 0xFFFF) + data)

    def close(self) -> str:
        """Finish the stream; returns the sha256 of every byte written."""
        self._block(bytes(self._pending), final=True)
        self._pending.clear()
        self._emit(struct.pack("<II", self._crc, self._size & 0xFFFFFFFF))
        return self._digest.hexdigest()


class _HeaderSpool:
    def __init__(self, directory: Path) -> None:
        self.file = tempfile.SpooledTemporaryFile(max_size=_SPOOL_IN_MEMORY, dir=str(directory))  # noqa: SIM115 - the spool owns it
        self.offset = 0

    def __call__(self, headers: tuple[bytes, ...]) -> tuple[int, int]:
        data = b"".join(headers)
        self.file.write(data)
        start = self.offset
        self.offset += len(data)
        return start, len(data)

    def read(self, where: tuple[int, int]) -> bytes:
        self.file.seek(where[0])
        data: bytes = self.file.read(where[1])
        return data


def _copy_range(source: BinaryIO, start: int, size: int, writer: StoredGzipWriter) -> None:
    source.seek(start)
    while size > 0:
        chunk = source.read(min(size, _COPY_CHUNK))
        if not chunk:
            raise ArchiveError("the spooled archive ended early")  # pragma: no cover - our own file
        writer.write(chunk)
        size -= len(chunk)


def _own_output(stabilized: Stabilized) -> Frame | None:
    """When `stabilized` was read from this writer's own output (made with the same normalizations),
    the frame its global header records: normalizing an output again then gives the same bytes.

    Only a file whose own frame is exactly what this writer makes (one stored gzip member with the
    fixed header, nothing after it, zero end-of-archive blocks) qualifies, so the recorded tokens
    never stand in for bytes of this file: they describe the file the output was made from."""
    info, container = stabilized.info, stabilized.info.container
    if container is None or info.format != "tar.gz" or container.trailing_size or not info.trailer_zero:
        return None
    if len(container.gzip_members) != 1 or container.gzip_members[0].raw != StoredGzipWriter.HEADER:
        return None
    first = next((record for record in stabilized.records if record.index == 0), None)
    if first is None or first.original.kind is not MemberKind.PAX_GLOBAL:
        return None
    records = dict(first.original.extra)
    if records.get("VERIFIER.canonical") != FORMAT_VERSION:
        return None
    if records.get("VERIFIER.normalizations") != (",".join(stabilized.normalizations) or "none"):
        return None
    trailer = records.get("VERIFIER.trailer", "")
    if not (trailer == "zero-blocks" or (trailer.startswith("zero-blocks:record=") and trailer[19:] in ("512", "10240"))):
        return None
    return Frame(container=records.get("VERIFIER.container", ""), trailer=trailer)


def _write_stream(stabilized: Stabilized, headers: _HeaderSpool, payload: BinaryIO, source: Path, writer: StoredGzipWriter) -> None:
    adopted = _own_output(stabilized)
    if adopted is not None:
        records = [record for record in stabilized.records if record.index != 0]
        stabilized = dataclasses.replace(stabilized, records=records, frame=adopted)
    writer.write(
        th.global_header(
            [
                ("VERIFIER.canonical", FORMAT_VERSION),
                ("VERIFIER.normalizations", ",".join(stabilized.normalizations) or "none"),
                ("VERIFIER.container", stabilized.frame.container),
                ("VERIFIER.trailer", stabilized.frame.trailer),
            ]
        )
    )
    zip_archive = zipfile.ZipFile(source) if stabilized.info.format == "zip" else None
    zip_infos = zip_archive.infolist() if zip_archive else []
    try:
        for record in stabilized.records:
            assert record.header_ref is not None
            writer.write(headers.read(record.header_ref))
            if record.size:
                if zip_archive is not None:
                    with zip_archive.open(zip_infos[record.index]) as handle:
                        shutil.copyfileobj(handle, _WriterFile(writer), _COPY_CHUNK)
                else:
                    _copy_range(payload, record.data_offset, record.size, writer)
            pad = -record.size % BLOCK
            if pad:
                writer.write(record.padding or bytes(pad))
    finally:
        if zip_archive is not None:
            zip_archive.close()
    trailer = stabilized.frame.trailer
    if trailer.startswith("exact:"):
        _copy_range(payload, stabilized.info.trailer_offset, stabilized.info.trailer_size, writer)
    else:
        writer.write(bytes(1024))
        if trailer.startswith("zero-blocks:record="):
            record_size = int(trailer.split("=", 1)[1])
            writer.write(bytes(-writer.written % record_size))


class _WriterFile:
    def __init__(self, writer: StoredGzipWriter) -> None:
        self._writer = writer

    def write(self, data: bytes) -> int:
        self._writer.write(data)
        return len(data)


def write_canonical(
    source: Path,
    output: Path,
    normalizations: Sequence[Normalization],
    limits: Limits,
    *,
    force: bool = False,
) -> str:
    """Write the canonical form of `source` to `output`; returns the output's sha256.

    The output is written to a temporary file beside it and renamed into place: an existing file is
    only ever replaced whole, and only with `force`.
    """
    output = Path(output)
    regular = output.is_file()
    if regular and not force:
        raise BadInput(f"{output} exists; give --force to replace it")
    if output.exists() and output.resolve() == Path(source).resolve():
        raise BadInput("the output would replace the input")
    directory = output.resolve().parent
    if not directory.is_dir():
        raise BadInput(f"no such directory: {directory}")
    spool_directory = directory if regular or not output.exists() else Path(tempfile.gettempdir())
    headers = _HeaderSpool(spool_directory)
    payload = tempfile.SpooledTemporaryFile(max_size=_SPOOL_IN_MEMORY, dir=str(spool_directory))  # noqa: SIM115 - closed in the finally below
    try:
        reader = ArchiveReader(source, limits, payload_sink=payload.write)
        stabilized = stabilize(reader, normalizations, header_sink=headers)
        with open_output(output) as out:
            writer = StoredGzipWriter(out)
            _write_stream(stabilized, headers, payload, source, writer)  # type: ignore[arg-type]
            digest = writer.close()
    except OSError as exc:
        raise BadInput(f"cannot write {output}: {exc.strerror or exc}") from exc
    finally:
        headers.file.close()
        payload.close()
    return digest
