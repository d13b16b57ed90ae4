import struct
import zipfile
from pathlib import Path

import pytest

from tests.support.archives import SAMPLE, Entry, zip_sdist
from verifier.archive.interface import ArchiveError, MemberKind
from verifier.archive.reader import ArchiveReader


def members(path: Path):
    reader = ArchiveReader(path)
    return list(reader.members()), reader.info


def test_reads_a_zip_sdist(tmp_path: Path) -> None:
    entries = [e for e in SAMPLE if e.kind in ("file", "dir")]
    found, info = members(zip_sdist(tmp_path / "pkg-1.0.zip", entries))
    assert info.format == "zip" and info.top_level == "pkg-1.0"
    files = {m.name: m for m in found}
    assert files["pkg-1.0/src/pkg/cli.py"].mode == 0o755
    assert files["pkg-1.0/src/"].kind is MemberKind.DIR
    assert all(m.origin == "zip" and m.headers for m in found)


def test_duplicate_zip_members_are_all_read(tmp_path: Path) -> None:
    path = tmp_path / "dup.zip"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("pkg-1.0/a.py", b"one")
        archive.writestr("pkg-1.0/a.py", b"two")
    found, _ = members(path)
    assert [m.name for m in found] == ["pkg-1.0/a.py", "pkg-1.0/a.py"]
    assert found[0].content_sha256 != found[1].content_sha256


def test_zip_traversal_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "evil.zip"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("../evil.py", b"x")
    with pytest.raises(ArchiveError, match=r"'..' component"):
        members(path)


def test_overlapping_zip_entries_are_refused(tmp_path: Path) -> None:
    path = tmp_path / "overlap.zip"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("pkg-1.0/a", b"a" * 100)
        archive.writestr("pkg-1.0/b", b"b" * 100)
    data = bytearray(path.read_bytes())
    # point the second central directory entry at the first local header
    central = data.rfind(b"PK\x01\x02")
    struct.pack_into("<L", data, central + 42, 0)
    path.write_bytes(bytes(data))
    with pytest.raises(ArchiveError):
        members(path)


def test_truncated_zip_is_an_error(tmp_path: Path) -> None:
    path = zip_sdist(tmp_path / "t.zip", [Entry("a", b"x" * 1000)])
    path.write_bytes(path.read_bytes()[:-30])
    with pytest.raises(ArchiveError):
        members(path)
