"""Gzip evidence: both headers, and how the reference's compressed bytes arose.

When the two decompressed tar streams are equal, the reference's deflate bytes are rebuilt from the
candidate's stream with each compressor and level in turn (zlib, zlib-ng, ISA-L), comparing as the
output is produced and stopping at the first byte that differs, so a wrong guess costs little.
A match proves which compressor and level made the published file; zlib and zlib-ng give different
deflate bytes for the same input, which is why compressed bytes are never the equivalence test.
"""

from __future__ import annotations

import zlib
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from verifier.archive import compression
from verifier.archive.compression import OUT_CHUNK
from verifier.archive.interface import ArchiveInfo, Limits
from verifier.compare.interface import GzipEvidence

_FEED = 64 * 1024

Compressor = Callable[[int], Any]


def _compressors() -> list[tuple[str, Compressor, tuple[int, ...]]]:
    found: list[tuple[str, Compressor, tuple[int, ...]]] = [
        (
            f"zlib {zlib.ZLIB_RUNTIME_VERSION}",
            lambda level: zlib.compressobj(level, zlib.DEFLATED, -15, 8, 0),
            (9, 6, 1, 2, 3, 4, 5, 7, 8, 0),
        )
    ]
    try:
        from zlib_ng import zlib_ng

        found.append(
            (
                f"zlib-ng {zlib_ng.ZLIBNG_VERSION}",
                lambda level: zlib_ng.compressobj(level, zlib_ng.DEFLATED, -15, 8, 0),
                (9, 6, 1, 2, 3, 4, 5, 7, 8, 0),
            )
        )
    except ImportError:  # pragma: no cover
        pass
    try:
        from isal import isal_zlib

        found.append(("isa-l", lambda level: isal_zlib.compressobj(level, isal_zlib.DEFLATED, -15), (0, 1, 2, 3)))
    except ImportError:  # pragma: no cover
        pass
    return found


def _payload_chunks(path: Path, header_size: int) -> Iterator[bytes]:
    """The decompressed stream of a single-member gzip file, again, in chunks."""
    inflater = compression._inflater.decompressobj(-15)
    with open(path, "rb") as handle:
        handle.seek(header_size)
        while not inflater.eof:
            data = handle.read(1 << 20)
            if not data:
                return
            out = inflater.decompress(data, OUT_CHUNK)
            if out:
                yield out
            while inflater.unconsumed_tail and not inflater.eof:
                out = inflater.decompress(inflater.unconsumed_tail, OUT_CHUNK)
                if out:
                    yield out


def _reproduces(make: Compressor, level: int, payload: Path, payload_header: int, target: Path, start: int, end: int) -> bool:
    """Does compressing the payload give exactly target[start:end]? Stops at the first wrong byte."""
    compressor = make(level)
    position = 0
    length = end - start
    with open(target, "rb") as expected:
        expected.seek(start)

        def matches(produced: bytes) -> bool:
            nonlocal position
            if not produced:
                return True
            if position + len(produced) > length:
                return False
            if expected.read(len(produced)) != produced:
                return False
            position += len(produced)
            return True

        for chunk in _payload_chunks(payload, payload_header):
            for offset in range(0, len(chunk), _FEED):
                if not matches(compressor.compress(chunk[offset : offset + _FEED])):
                    return False
        if not matches(compressor.flush()):
            return False
    return position == length


def gather(reference: ArchiveInfo, candidate: ArchiveInfo, limits: Limits, *, try_recompress: bool = True) -> GzipEvidence | None:
    """Evidence about the gzip layers of two archives, or None when either is not gzip."""
    ca, cb = reference.container, candidate.container
    if ca is None or cb is None or ca.compression != "gzip" or cb.compression != "gzip":
        return None
    headers_a = [header.as_dict() for header in ca.gzip_members]
    headers_b = [header.as_dict() for header in cb.gzip_members]
    differing = sorted(key for key in headers_a[0] if headers_a[0][key] != headers_b[0].get(key)) if headers_a and headers_b else []
    evidence = GzipEvidence(
        reference_headers=headers_a,
        candidate_headers=headers_b,
        header_fields_differing=differing,
        payloads_equal=bool(ca.payload_sha256) and ca.payload_sha256 == cb.payload_sha256,  # "": proven to differ
    )
    if not evidence.payloads_equal:
        evidence.note = "the decompressed tar streams differ, so re-compression was not tried"
        return evidence
    if not try_recompress:
        return evidence
    if len(ca.gzip_members) != 1 or len(cb.gzip_members) != 1:
        evidence.note = "more than one gzip member: re-compression not tried"
        return evidence
    header = ca.gzip_members[0].raw
    start = len(header)
    end = reference.size - 8 - ca.trailing_size
    for name, make, levels in _compressors():
        for level in levels:
            evidence.tried.append(f"{name} -{level}")
            if _reproduces(make, level, Path(candidate.path), len(cb.gzip_members[0].raw), Path(reference.path), start, end):
                evidence.reproduced = True
                evidence.compressor = name
                evidence.level = level
                return evidence
    evidence.reproduced = False
    return evidence
