"""The candidate's side in a forked child: its result, its error, and the same comparison as in one process."""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest

from tests.support.archives import SAMPLE, Entry, Packing, sdist
from verifier.archive.interface import ArchiveError, Limits
from verifier.compare import engine, streaming
from verifier.compare.engine import compare_archives
from verifier.compare.forked import Forked
from verifier.normalize.registry import parse_option


def large_result(size: int) -> bytes:
    return os.urandom(8) * (size // 8)


def fails(message: str) -> None:
    raise ArchiveError(message)


def test_the_result_comes_back_whatever_its_size() -> None:
    child = Forked(large_result, 5 * 2**20)  # far more than a pipe holds: the child waits for the reader
    value = child.result()
    assert len(value) == 5 * 2**20 and value[:8] * (len(value) // 8) == value


def test_the_childs_error_is_raised_here() -> None:
    with pytest.raises(ArchiveError, match=r"candidate\.tar\.gz: truncated"):
        Forked(fails, "candidate.tar.gz: truncated").result()


def test_cancel_stops_the_child() -> None:
    started = time.monotonic()
    child = Forked(time.sleep, 30)
    child.cancel()
    assert time.monotonic() - started < 10
    with pytest.raises(ChildProcessError):
        os.waitpid(child._pid, os.WNOHANG)  # already collected


PUBLISHER = Packing(uid=1001, gid=123, uname="runner", gname="docker", mtime=1685035837, gzip_level=9, gzip_mtime=1685035838)
REBUILD = Packing(uid=0, gid=0, uname="root", gname="root", mtime=1764000000, gzip_level=6)
CHANGED = [*SAMPLE[:-1], Entry(SAMPLE[-1].name, SAMPLE[-1].data + b"tampered", SAMPLE[-1].kind, SAMPLE[-1].mode, SAMPLE[-1].target)]


@pytest.mark.parametrize("rebuilt", [SAMPLE, CHANGED], ids=["equivalent", "different"])
@pytest.mark.parametrize("names", [None, "order,mtime,owner,gzip-header"], ids=["fast path", "full path"])
def test_forked_comparison_equals_the_one_process_comparison(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, rebuilt: list[Entry], names: str | None) -> None:
    reference = sdist(tmp_path / "ref.tar.gz", SAMPLE, packing=PUBLISHER)
    candidate = sdist(tmp_path / "cand.tar.gz", rebuilt, packing=REBUILD)
    normalizations = parse_option(names, False)
    alone = compare_archives(reference, candidate, normalizations, Limits())[0].as_dict()
    monkeypatch.setattr(streaming, "PARALLEL_MIN_BYTES", 0)
    monkeypatch.setattr(engine, "PARALLEL_MIN_BYTES", 0)
    forked = compare_archives(reference, candidate, normalizations, Limits())[0].as_dict()
    for report in (alone, forked):
        report.pop("timings", None)
    assert forked == alone


def test_a_broken_candidate_read_in_the_child_is_named(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    reference = sdist(tmp_path / "ref.tar.gz", SAMPLE, packing=PUBLISHER)
    candidate = tmp_path / "cand.tar.gz"
    candidate.write_bytes(sdist(tmp_path / "whole.tar.gz", SAMPLE, packing=REBUILD).read_bytes()[:-30])
    monkeypatch.setattr(streaming, "PARALLEL_MIN_BYTES", 0)
    with pytest.raises(ArchiveError, match=r"cand\.tar\.gz"):
        compare_archives(reference, candidate, parse_option(None, False), Limits())
