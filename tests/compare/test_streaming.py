"""The fast path decides equivalent pairs exactly as the full pairing does: same verdict, effects, warnings."""

from __future__ import annotations

import tarfile
from pathlib import Path

import pytest

from tests.support.archives import SAMPLE, Entry, Packing, raw_header, raw_member, raw_tar, sdist, zip_sdist
from verifier.archive.interface import Limits
from verifier.compare import streaming
from verifier.compare.engine import compare_archives, explain, read_both
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


def signed_sum(header: bytes) -> int:
    return sum(b - 256 if b > 127 else b for b in header[:148] + b" " * 8 + header[156:])


ALREADY_NORMAL = {"mtime": 0, "mode": 0o644}
# Pairs whose verdict the fast path must reach exactly as the full pairing does; the fast path may
# find two forms unequal that are equal (it then reads again), never the other way round.
TRICKY = {
    "one side already normalized": (
        [raw_member(b"pkg-1.0/a.py", b"a" * 700), raw_member(b"pkg-1.0/b", b"b")],
        [raw_member(b"pkg-1.0/a.py", b"a" * 700, **ALREADY_NORMAL), raw_member(b"pkg-1.0/b", b"b", **ALREADY_NORMAL)],
        Verdict.EQUIVALENT,
    ),
    "content moved across a member boundary": (
        [raw_member(b"pkg-1.0/a", b"ab"), raw_member(b"pkg-1.0/b", b"c")],
        [raw_member(b"pkg-1.0/a", b"a"), raw_member(b"pkg-1.0/b", b"bc")],
        Verdict.DIFFERENT,
    ),
    "padding not zero": (
        [raw_member(b"pkg-1.0/a", b"ab")],
        [raw_member(b"pkg-1.0/a", b"ab")[:514] + b"x" + bytes(509)],
        Verdict.DIFFERENT,
    ),
    "a signed checksum on a header no normalization changes": (
        [raw_member("pkg-1.0/café".encode(), b"x", **ALREADY_NORMAL)],
        [raw_header("pkg-1.0/café".encode(), size=1, checksum=signed_sum(raw_header("pkg-1.0/café".encode(), size=1, **ALREADY_NORMAL)), **ALREADY_NORMAL) + b"x" + bytes(511)],
        Verdict.DIFFERENT,
    ),
}


@pytest.mark.parametrize("case", TRICKY)
def test_fast_path_verdict_is_the_full_pairings(tmp_path: Path, case: str) -> None:
    left, right, expected = TRICKY[case]
    reference, candidate = tmp_path / "ref.tar", tmp_path / "cand.tar"
    reference.write_bytes(raw_tar(*left))
    candidate.write_bytes(raw_tar(*right))
    normalizations = parse_option(None, False)
    comparison, _, _ = compare_archives(reference, candidate, normalizations, Limits())
    full_left, full_right, outline = read_both(reference, candidate, normalizations, Limits())
    assert comparison.verdict is explain(full_left, full_right, outline, normalizations).verdict is expected


def test_hashes_sharing_a_bitmap_bit_are_not_duplicates(tmp_path: Path) -> None:
    from array import array

    from verifier.compare.streaming import _duplicates

    missing = tmp_path / "never-read.tar.gz"  # read only when two hashes are equal
    assert _duplicates(missing, Limits(), array("q", [1, 1 + (1 << 24), 2 + (5 << 30), 2])) == {}
    assert _duplicates(missing, Limits(), array("q", range(300_000))) == {}
