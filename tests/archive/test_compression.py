import bz2
import gzip
import hashlib
import lzma
from pathlib import Path

import pytest

from tests.support.archives import SAMPLE, tar_bytes
from verifier.archive.compression import detect_format, parse_gzip_header
from verifier.archive.interface import ArchiveError, Limits
from verifier.archive.reader import ArchiveReader


def read(path: Path, limits: Limits | None = None) -> ArchiveReader:
    reader = ArchiveReader(path, limits)
    list(reader.members())
    return reader


@pytest.mark.parametrize(
    ("head", "expected"),
    [
        (b"\x1f\x8b\x08", "tar.gz"),
        (b"BZh91AY", "tar.bz2"),
        (b"\xfd7zXZ\x00\x00", "tar.xz"),
        (b"PK\x03\x04", "zip"),
        (b"PK\x05\x06" + bytes(18), "zip"),
    ],
)
def test_detect_format_by_magic(head: bytes, expected: str) -> None:
    assert detect_format(head) == expected


def test_detect_format_refuses_garbage_and_empty() -> None:
    with pytest.raises(ArchiveError, match="not a recognised archive"):
        detect_format(b"hello world" * 100)
    with pytest.raises(ArchiveError, match="empty file"):
        detect_format(b"")


@pytest.mark.parametrize("compress", [gzip.compress, bz2.compress, lzma.compress, lambda data: data])
def test_every_compression_gives_the_same_payload(tmp_path: Path, compress) -> None:
    payload = tar_bytes(SAMPLE)
    path = tmp_path / "a"
    path.write_bytes(compress(payload))
    reader = read(path)
    assert reader.info.container.payload_sha256 == hashlib.sha256(payload).hexdigest()
    assert reader.info.member_count == len(SAMPLE)
    assert reader.info.sha256 == hashlib.sha256(path.read_bytes()).hexdigest()


def test_gzip_header_fields_are_parsed(tmp_path: Path) -> None:
    path = tmp_path / "a.tar.gz"
    with open(path, "wb") as raw, gzip.GzipFile(filename="pkg-1.0.tar", mode="wb", fileobj=raw, mtime=1234, compresslevel=9) as out:
        out.write(tar_bytes(SAMPLE))
    header = read(path).info.container.gzip_members[0]
    assert (header.mtime, header.filename, header.xfl) == (1234, b"pkg-1.0.tar", 2)


def test_multi_member_gzip_and_trailing_data_are_recorded(tmp_path: Path) -> None:
    payload = tar_bytes(SAMPLE)
    path = tmp_path / "a.tar.gz"
    path.write_bytes(gzip.compress(payload[:5000]) + gzip.compress(payload[5000:]) + b"hidden!")
    reader = read(path)
    container = reader.info.container
    assert len(container.gzip_members) == 2
    assert container.payload_sha256 == hashlib.sha256(payload).hexdigest()
    assert container.trailing_size == 7 and not container.trailing_zero
    assert any("after the compressed stream" in warning for warning in reader.info.warnings)


@pytest.mark.parametrize("cut", [5, 30, 200, -9, -3])
def test_truncated_gzip_is_an_error(tmp_path: Path, cut: int) -> None:
    data = gzip.compress(tar_bytes(SAMPLE))
    path = tmp_path / "a.tar.gz"
    path.write_bytes(data[:cut])
    with pytest.raises(ArchiveError, match=r"truncated|corrupt"):
        read(path)


def test_corrupt_deflate_is_an_error(tmp_path: Path) -> None:
    data = bytearray(gzip.compress(tar_bytes(SAMPLE)))
    data[40:60] = b"\xff" * 20
    path = tmp_path / "a.tar.gz"
    path.write_bytes(bytes(data))
    with pytest.raises(ArchiveError):
        read(path)


def test_decompression_bomb_is_refused_by_the_limit(tmp_path: Path) -> None:
    path = tmp_path / "bomb.tar.gz"
    path.write_bytes(gzip.compress(bytes(50 * 2**20)))  # 50 MiB of zeros in ~50 KB
    with pytest.raises(ArchiveError, match="decompression bomb"):
        read(path, Limits(max_unpacked_bytes=10 * 2**20))


def test_gzip_header_needs_all_its_bytes() -> None:
    full = gzip.compress(b"x")
    assert parse_gzip_header(full[:5], 0) is None
    assert parse_gzip_header(full, 0)[1] == 10
