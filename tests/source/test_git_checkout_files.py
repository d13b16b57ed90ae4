"""The checkout's git directory holds its own readable files (verifier/source/git.py)."""

from __future__ import annotations

import os
from pathlib import Path

from verifier.source.git import own_readable_copies


def test_a_hard_linked_private_file_becomes_a_readable_copy_and_the_mirror_is_untouched(tmp_path: Path) -> None:
    mirror = tmp_path / "mirror" / "objects" / "pack"
    mirror.mkdir(parents=True)
    promisor = mirror / "pack-1.promisor"
    promisor.write_bytes(b"abc refs/heads/main\n")
    promisor.chmod(0o600)
    git_dir = tmp_path / "checkout" / ".git" / "modules" / "sub" / "objects" / "pack"
    git_dir.mkdir(parents=True)
    os.link(promisor, git_dir / "pack-1.promisor")
    private = git_dir / "config"
    private.write_text("[core]\n")
    private.chmod(0o600)
    own_readable_copies(tmp_path / "checkout" / ".git")
    copied = git_dir / "pack-1.promisor"
    assert copied.read_bytes() == b"abc refs/heads/main\n" and copied.stat().st_mode & 0o777 == 0o644
    assert copied.stat().st_nlink == 1 and promisor.stat().st_nlink == 1
    assert promisor.stat().st_mode & 0o777 == 0o600  # the mirror's own file keeps its mode
    assert private.stat().st_mode & 0o777 == 0o644
    assert not list(git_dir.glob(".*verifier-copy"))
