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


def test_no_recompression_when_streams_differ(tmp_path: Path) -> None:
    a = tmp_path / "a.tar.gz"
    b = tmp_path / "b.tar.gz"
    a.write_bytes(gzip_bytes(tar_bytes(SAMPLE, packing=Packing(mtime=1))))
    b.write_bytes(gzip_bytes(tar_bytes(SAMPLE, packing=Packing(mtime=2))))
    evidence = run_compare(a, b, parse_option(None, False), Limits()).gzip
    assert evidence.payloads_equal is False and evidence.reproduced is None
