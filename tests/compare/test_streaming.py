"""The fast path decides equivalent pairs exactly as the full pairing does: same verdict, effects, warnings."""

from __future__ import annotations

import tarfile
from pathlib import Path

import pytest

from tests.support.archives import SAMPLE, Entry, Packing, sdist, zip_sdist
from verifier.archive.interface import Limits
from verifier.compare import streaming
from verifier.compare.engine import explain, read_both
from verifier.compare.interface import Verdict
from verifier.normalize.registry import parse_option, select

PUBLISHER = Packing(uid=1001, gid=123, uname="runner", gname="docker", mtime=1685035837, mtime_step=0.25, gzip_level=9, gzip_mtime=1685035838, gzip_name="pkg-1.0.tar")
REBUILD = Packing(uid=0, gid=0, uname="root", gname="root", mtime=1764000000, gzip_level=6, gzip_mtime=0)
DUPLICATED = [*SAMPLE, Entry("README.md", b"again"), Entry("src/pkg/cli.py", b"twice", mode=0o755), Entry("README.md", b"again")]
SELECTIONS = ["mtime,owner,gzip-header", "mtime,owner,gzip-header,mode", "mtime,owner,gzip-header,tar-format", "mtime,owner,gzip-header,mode,tar-format"]


def both_ways(reference: Path, candidate: Path, names: str) -> tuple[dict, dict]:  # type: ignore[type-arg]
    normalizations = select(names.split(","))
    limits = Limits()
    left, right = streaming.summarize_both(reference, candidate, normalizations, limits)
    assert left.digest == right.digest
    fast = streaming.equivalent(left, right, normalizations)
    full_left, full_right, outline = read_both(reference, candidate, normalizations, limits)
    full = explain(full_left, full_right, outline, normalizations)
    assert full.verdict is fast.verdict is Verdict.EQUIVALENT
    return fast.as_dict(), full.as_dict()


@pytest.mark.parametrize("names", SELECTIONS)
@pytest.mark.parametrize("fmt", [tarfile.PAX_FORMAT, tarfile.GNU_FORMAT, tarfile.USTAR_FORMAT])
def test_fast_path_equals_full_pairing(tmp_path: Path, names: str, fmt: int) -> None:
    publisher = Packing(**{**PUBLISHER.__dict__, "format": fmt})
    reference = sdist(tmp_path / "ref.tar.gz", DUPLICATED, packing=publisher)
    rebuilt = [Entry(e.name, e.data, e.kind, 0o600 if e.mode == 0o644 else e.mode, e.target) for e in DUPLICATED] if "mode" in names else DUPLICATED
    candidate = sdist(tmp_path / "cand.tar.gz", rebuilt, packing=Packing(**{**REBUILD.__dict__, "format": fmt}))
    fast, full = both_ways(reference, candidate, names)
    assert fast == full
    assert any("appears 2 times" in warning for warning in fast["warnings"])


def test_fast_path_on_zip(tmp_path: Path) -> None:
    reference = zip_sdist(tmp_path / "a.zip", SAMPLE, date=(2020, 1, 1, 0, 0, 0))
    candidate = zip_sdist(tmp_path / "b.zip", SAMPLE, date=(2024, 5, 1, 12, 0, 0))
    fast, full = both_ways(reference, candidate, "mtime,owner,gzip-header")
    assert fast == full


def test_reordering_selection_takes_the_full_path() -> None:
    assert not streaming.applies(parse_option("order,mtime", False))
    assert streaming.applies(parse_option(None, False))
