import hashlib
from pathlib import Path

import pytest

from tests.support.archives import SAMPLE, Packing, gzip_bytes, tar_bytes
from verifier.archive.interface import Limits
from verifier.compare.interface import Verdict
from verifier.compare.run import run_compare
from verifier.normalize.registry import parse_option


@pytest.mark.parametrize(("compressor", "level"), [("zlib", 9), ("zlib", 6), ("zlib-ng", 9), ("zlib-ng", 1)])
def test_recompression_names_compressor_and_level(tmp_path: Path, compressor: str, level: int) -> None:
    payload = tar_bytes(SAMPLE * 30)  # enough data for compressors to differ
    published = tmp_path / "published.tar.gz"
    published.write_bytes(gzip_bytes(payload, Packing(compressor=compressor, gzip_level=level, gzip_mtime=1700000000, gzip_name="pkg-1.0.tar")))
    rebuilt = tmp_path / "rebuilt.tar.gz"
    rebuilt.write_bytes(gzip_bytes(payload, Packing(compressor="zlib", gzip_level=1, gzip_mtime=0)))
    result = run_compare(published, rebuilt, parse_option(None, False), Limits())
    assert result.verdict is Verdict.EQUIVALENT
    evidence = result.gzip
    assert evidence.payloads_equal and evidence.reproduced
    assert evidence.compressor.startswith(compressor + " ") and evidence.level == level
    assert set(evidence.header_fields_differing) >= {"mtime", "filename"}
    # The fast path hashes the streams whole only when they may be equal: here they are.
    assert result.reference.payload_sha256 == result.candidate.payload_sha256 == hashlib.sha256(payload).hexdigest()


def test_no_recompression_when_streams_differ(tmp_path: Path) -> None:
    a = tmp_path / "a.tar.gz"
    b = tmp_path / "b.tar.gz"
    a.write_bytes(gzip_bytes(tar_bytes(SAMPLE, packing=Packing(mtime=1))))
    b.write_bytes(gzip_bytes(tar_bytes(SAMPLE, packing=Packing(mtime=2))))
    result = run_compare(a, b, parse_option(None, False), Limits())
    evidence = result.gzip
    assert result.verdict is Verdict.EQUIVALENT
    assert evidence.payloads_equal is False and evidence.reproduced is None
    # Proven to differ (an mtime differs in a pair) without hashing either stream whole.
    assert result.reference.payload_sha256 is None and result.candidate.payload_sha256 is None


def test_streams_differing_only_where_no_count_sees_are_told_apart(tmp_path: Path) -> None:
    # Equal fields in every pair, equal contents, but one header's unused bytes differ: the
    # stabilized forms may be equal, the streams are not; hashing them says so.
    a = tmp_path / "a.tar.gz"
    b = tmp_path / "b.tar.gz"
    stream = bytearray(tar_bytes(SAMPLE))
    a.write_bytes(gzip_bytes(bytes(stream)))
    stream[500] = 0x41  # inside the first header's padding (bytes 500-511), which no field covers
    header = stream[:512]
    header[148:156] = b" " * 8
    stream[148:156] = b"%06o\0 " % sum(header)
    b.write_bytes(gzip_bytes(bytes(stream)))
    result = run_compare(a, b, parse_option(None, False), Limits())
    assert result.gzip is not None and result.gzip.payloads_equal is False
