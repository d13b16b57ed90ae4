"""ArtifactCache: layout, atomic stores, refusal of wrong or oversized bytes."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from verifier.upstream.cache import (
    CACHE_DIR_ENV,
    ArtifactCache,
    DigestMismatch,
    TooLarge,
    default_cache_root,
)

from .artifacts import sha256_hex


def _files(root: Path) -> list[Path]:
    return sorted(path for path in root.rglob("*") if path.is_file())


def test_store_lays_out_by_hash_with_a_record(tmp_path: Path) -> None:
    cache = ArtifactCache(tmp_path)
    data = b"some sdist bytes"
    digest = sha256_hex(data)
    path = cache.store(
        [data[:4], data[4:]], expected_sha256=digest.upper(), record={"filename": "x.tar.gz"}
    )
    assert path == tmp_path / "sha256" / digest[:2] / digest
    assert path.read_bytes() == data
    assert cache.lookup(digest) == path
    assert cache.record(digest) == {"sha256": digest, "filename": "x.tar.gz"}
    assert _files(tmp_path) == [path, cache.record_path_for(digest)]


def test_lookup_of_an_absent_entry(tmp_path: Path) -> None:
    cache = ArtifactCache(tmp_path)
    assert cache.lookup("a" * 64) is None
    assert cache.record("a" * 64) is None


def test_wrong_bytes_leave_nothing_behind(tmp_path: Path) -> None:
    cache = ArtifactCache(tmp_path)
    with pytest.raises(DigestMismatch) as caught:
        cache.store([b"abc"], expected_sha256="b" * 64, record={})
    assert caught.value.actual == sha256_hex(b"abc")
    assert _files(tmp_path) == []


def test_oversized_stream_is_cut_off(tmp_path: Path) -> None:
    cache = ArtifactCache(tmp_path)
    with pytest.raises(TooLarge):
        cache.store(
            [b"x" * 10, b"y" * 10],
            expected_sha256=sha256_hex(b"x" * 10 + b"y" * 10),
            record={},
            max_bytes=15,
        )
    assert _files(tmp_path) == []


def test_interrupted_stream_leaves_nothing_behind(tmp_path: Path) -> None:
    def interrupted() -> Iterator[bytes]:
        yield b"first part"
        raise ConnectionResetError("peer went away")

    with pytest.raises(ConnectionResetError):
        ArtifactCache(tmp_path).store(interrupted(), expected_sha256="c" * 64, record={})
    assert _files(tmp_path) == []


def test_an_entry_changed_on_disk_is_dropped(tmp_path: Path) -> None:
    cache = ArtifactCache(tmp_path)
    digest = sha256_hex(b"original")
    path = cache.store([b"original"], expected_sha256=digest, record={})
    path.write_bytes(b"tampered")
    assert cache.lookup(digest) is None
    assert _files(tmp_path) == []


def test_malformed_digest_is_refused(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="not a hex sha256"):
        ArtifactCache(tmp_path).path_for("../../etc/passwd")


def test_default_root_comes_from_the_environment(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv(CACHE_DIR_ENV, str(tmp_path / "c"))
    assert default_cache_root() == tmp_path / "c"
    assert ArtifactCache().root == tmp_path / "c"
    monkeypatch.delenv(CACHE_DIR_ENV)
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    assert default_cache_root() == tmp_path / "home" / ".cache" / "verifier"


@settings(max_examples=25, deadline=None)
@given(chunks=st.lists(st.binary(max_size=300), max_size=6))
def test_any_chunking_round_trips(
    tmp_path_factory: pytest.TempPathFactory, chunks: list[bytes]
) -> None:
    cache = ArtifactCache(tmp_path_factory.mktemp("cache"))
    data = b"".join(chunks)
    path = cache.store(chunks, expected_sha256=sha256_hex(data), record={})
    assert path.read_bytes() == data
