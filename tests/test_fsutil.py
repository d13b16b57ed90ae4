from __future__ import annotations

import hashlib
import os
import stat
from pathlib import Path

import pytest

from verifier.errors import BadInput
from verifier.fsutil import atomic_write, file_sha256, write_output


def test_file_sha256_matches_hashlib(tmp_path: Path) -> None:
    path = tmp_path / "data"
    data = os.urandom(3 << 20)
    path.write_bytes(data)
    assert file_sha256(path) == hashlib.sha256(data).hexdigest()


def test_atomic_write_replaces_with_the_mode_asked(tmp_path: Path) -> None:
    path = tmp_path / "record.json"
    path.write_bytes(b"old")
    with atomic_write(path, mode=0o644) as handle:
        handle.write(b"new")
    assert path.read_bytes() == b"new"
    assert stat.S_IMODE(path.stat().st_mode) == 0o644
    assert sorted(p.name for p in tmp_path.iterdir()) == ["record.json"]


def test_atomic_write_leaves_the_old_file_whole_on_failure(tmp_path: Path) -> None:
    path = tmp_path / "record.json"
    path.write_bytes(b"old")
    with pytest.raises(RuntimeError), atomic_write(path) as handle:
        handle.write(b"half")
        raise RuntimeError("stop")
    assert path.read_bytes() == b"old"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["record.json"]


def test_write_output_keeps_the_mode_and_follows_symlinks(tmp_path: Path) -> None:
    real = tmp_path / "real.json"
    real.write_bytes(b"old")
    real.chmod(0o600)
    link = tmp_path / "link.json"
    link.symlink_to(real)
    write_output(link, b"new")
    assert link.is_symlink()
    assert real.read_bytes() == b"new"
    assert stat.S_IMODE(real.stat().st_mode) == 0o600


def test_write_output_writes_into_a_device_and_refuses_a_directory(tmp_path: Path) -> None:
    write_output("/dev/null", b"anything")
    with pytest.raises(BadInput, match="is a directory"):
        write_output(tmp_path, b"x")
