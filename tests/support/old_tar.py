"""Sdists as CPython 3.8 and older wrote them: every tar header's device fields "0000000\\0".

Made by rewriting the device fields of an archive the host's tarfile wrote (and its checksums),
independently of the verifier's own tar writers."""

from __future__ import annotations

from pathlib import Path

from tests.support.archives import Entry, Packing, gzip_bytes, tar_bytes

OLD_DEVICE_FIELDS = b"0000000\0" * 2


def _checksum(header: bytes) -> bytes:
    total = sum(header[:148]) + 8 * 32 + sum(header[156:512])
    return b"%06o\0 " % total


def with_old_device_fields(tar: bytes) -> bytes:
    """`tar` with the device fields of every header (extended ones too) written as 3.8 did."""
    out = bytearray(tar)
    offset = 0
    while offset + 512 <= len(out) and any(out[offset : offset + 512]):
        header = bytes(out[offset : offset + 329]) + OLD_DEVICE_FIELDS + bytes(out[offset + 345 : offset + 512])
        out[offset : offset + 512] = header[:148] + _checksum(header) + header[156:]
        size = int(header[124:136].rstrip(b"\0 ") or b"0", 8)
        offset += 512 + (size + 511) // 512 * 512
    return bytes(out)


def old_sdist(path: Path, entries: list[Entry], packing: Packing | None = None) -> Path:
    """An sdist of `entries` whose tar headers are CPython 3.8's (3.7's with GNU_FORMAT packing)."""
    packing = packing or Packing()
    path.write_bytes(gzip_bytes(with_old_device_fields(tar_bytes(entries, packing=packing)), packing))
    return path


def as_cpython_38_wrote_it(sdist: Path) -> Path:
    """Rewrite a published sdist in place as CPython 3.8's tarfile would have written it (the
    gzip header's mtime kept)."""
    import gzip

    raw = sdist.read_bytes()
    mtime = int.from_bytes(raw[4:8], "little")
    sdist.write_bytes(gzip_bytes(with_old_device_fields(gzip.decompress(raw)), Packing(gzip_mtime=mtime)))
    return sdist
