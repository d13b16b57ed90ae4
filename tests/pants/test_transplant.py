"""The timestamp transplant proof on synthetic sdists written the way setuptools writes them."""

from __future__ import annotations

import gzip
import io
import struct
import tarfile
from collections.abc import Sequence
from pathlib import Path

import pytest

from verifier.errors import ArchiveError
from verifier.pants.transplant import transplant_timestamps

PUBLISHED_GZIP_MTIME = 1685035838
REBUILT_GZIP_MTIME = 1795602365

# (name, content or None for a directory, published mtime)
MEMBERS: list[tuple[str, bytes | None, float]] = [
    ("pkg-1.0", None, 1685035838.1650524),
    ("pkg-1.0/PKG-INFO", b"Metadata-Version: 2.1\nName: pkg\nVersion: 1.0\n", 1685035838.1650524),
    ("pkg-1.0/pkg", None, 1685035838.161052),
    ("pkg-1.0/pkg/__init__.py", b"VALUE = 1\n", 1685035837.0),
    ("pkg-1.0/setup.cfg", b"[egg_info]\ntag_build = \ntag_date = 0\n\n", 1685035838.1690524),
    ("pkg-1.0/setup.py", b"from setuptools import setup\nsetup()\n" * 40, 1685035837.0),
]


def _info(name: str, content: bytes | None, mtime: float, uname: str = "runner") -> tarfile.TarInfo:
    info = tarfile.TarInfo(name)
    info.mtime = mtime
    info.uid, info.gid, info.uname, info.gname = 1001, 123, uname, "docker"
    if content is None:
        info.type, info.mode = tarfile.DIRTYPE, 0o755
    else:
        info.size, info.mode = len(content), 0o644
    return info


def write_like_setuptools(path: Path, members: Sequence[tuple[str, bytes | None, float]], gzip_mtime: int, *,
                          uname: str = "runner", integer_pax_mtime: str | None = None) -> Path:
    """distutils' make_tarball: tarfile 'w|gz' (PAX, level 9, FNAME = the .tar name); the wall-clock
    gzip mtime it writes is then replaced by `gzip_mtime` (the gzip header has no checksum)."""
    with tarfile.open(str(path), "w|gz", format=tarfile.PAX_FORMAT) as archive:
        for name, content, mtime in members:
            info = _info(name, content, mtime, uname)
            if integer_pax_mtime is not None and name.endswith("__init__.py"):
                info.pax_headers = {"mtime": integer_pax_mtime}
            archive.addfile(info, io.BytesIO(content) if content is not None else None)
    data = bytearray(path.read_bytes())
    data[4:8] = struct.pack("<I", gzip_mtime)
    path.write_bytes(bytes(data))
    return path


def _rebuilt_times(members: Sequence[tuple[str, bytes | None, float]]) -> list[tuple[str, bytes | None, float]]:
    return [(name, content, 1795602364.0 + index * 0.173) for index, (name, content, _) in enumerate(members)]


@pytest.fixture
def published(tmp_path: Path) -> Path:
    return write_like_setuptools(tmp_path / "pkg-1.0.tar.gz", MEMBERS, PUBLISHED_GZIP_MTIME)


def _rebuilt(tmp_path: Path, members: Sequence[tuple[str, bytes | None, float]] = MEMBERS, **options: object) -> Path:
    (tmp_path / "rebuilt").mkdir(exist_ok=True)
    return write_like_setuptools(tmp_path / "rebuilt" / "pkg-1.0.tar.gz", _rebuilt_times(members),
                                 REBUILT_GZIP_MTIME, **options)  # type: ignore[arg-type]


def test_same_build_at_another_time_is_identical_after_the_transplant(published: Path, tmp_path: Path) -> None:
    rebuilt = _rebuilt(tmp_path)
    assert rebuilt.read_bytes() != published.read_bytes()
    result = transplant_timestamps(published, rebuilt, tmp_path / "out" / "pkg-1.0.tar.gz")
    assert result.identical and bool(result)
    assert result.out.read_bytes() == published.read_bytes()
    assert result.transplanted_sha256 == result.published_sha256 and result.reason == ""


def test_integer_pax_mtime_text_is_kept(tmp_path: Path) -> None:
    published = write_like_setuptools(tmp_path / "pkg-1.0.tar.gz", MEMBERS, PUBLISHED_GZIP_MTIME,
                                      integer_pax_mtime="1685035837")
    result = transplant_timestamps(published, _rebuilt(tmp_path), tmp_path / "out.tar.gz")
    assert result.identical, result.reason


def test_different_content_names_the_member(published: Path, tmp_path: Path) -> None:
    changed = [(n, b"VALUE = 2\n" if n.endswith("__init__.py") else c, t) for n, c, t in MEMBERS]
    result = transplant_timestamps(published, _rebuilt(tmp_path, changed), tmp_path / "out.tar.gz")
    assert not result.identical
    assert result.differing_members == ("pkg-1.0/pkg/__init__.py: content",)
    assert result.reason == "1 member(s) differ after the transplant"


def test_different_owner_names_the_field(published: Path, tmp_path: Path) -> None:
    result = transplant_timestamps(published, _rebuilt(tmp_path, uname="root"), tmp_path / "out.tar.gz")
    assert not result.identical
    assert all(entry.endswith(": uname") for entry in result.differing_members)
    assert len(result.differing_members) == len(MEMBERS)


def test_different_member_sets_are_listed(published: Path, tmp_path: Path) -> None:
    fewer = [m for m in MEMBERS if not m[0].endswith("setup.cfg")] + [("pkg-1.0/extra.txt", b"x", 0.0)]
    result = transplant_timestamps(published, _rebuilt(tmp_path, fewer), tmp_path / "out.tar.gz")
    assert not result.identical
    assert result.only_in_published == ("pkg-1.0/setup.cfg",)
    assert result.only_in_rebuilt == ("pkg-1.0/extra.txt",)
    assert result.reason.startswith("member sets differ")
    assert result.out.is_file()


def test_different_order_is_named(published: Path, tmp_path: Path) -> None:
    swapped = [*MEMBERS[:4], MEMBERS[5], MEMBERS[4]]
    result = transplant_timestamps(published, _rebuilt(tmp_path, swapped), tmp_path / "out.tar.gz")
    assert (result.identical, result.reason) == (False, "same members, different order")


def test_other_compression_is_named(tmp_path: Path) -> None:
    tar_bytes = io.BytesIO()
    with tarfile.open(fileobj=tar_bytes, mode="w", format=tarfile.PAX_FORMAT) as archive:
        for name, content, mtime in MEMBERS:
            archive.addfile(_info(name, content, mtime), io.BytesIO(content) if content is not None else None)
    published = tmp_path / "pkg-1.0.tar.gz"
    with open(published, "wb") as raw, gzip.GzipFile("pkg-1.0.tar", "wb", 6, raw, PUBLISHED_GZIP_MTIME) as packed:
        packed.write(tar_bytes.getvalue())
    result = transplant_timestamps(published, _rebuilt(tmp_path), tmp_path / "out.tar.gz")
    assert not result.identical and not result.differing_members
    assert "is not what gzip.GzipFile writes" in result.reason


def test_not_a_gzip_archive_is_refused(published: Path, tmp_path: Path) -> None:
    bogus = tmp_path / "bogus.tar.gz"
    bogus.write_bytes(b"PK\x03\x04" + b"\0" * 100)
    with pytest.raises(ArchiveError):
        transplant_timestamps(bogus, published, tmp_path / "out.tar.gz")
    with pytest.raises(ArchiveError):
        transplant_timestamps(published, bogus, tmp_path / "out.tar.gz")
