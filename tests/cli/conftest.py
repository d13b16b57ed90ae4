"""Fixtures of the CLI tests: a published sdist and its rebuild, equivalent but not identical."""

from pathlib import Path

import pytest

from tests.support.archives import SAMPLE, Packing, sdist

PUBLISHED = Packing(uid=1001, gid=123, uname="runner", gname="docker", mtime=1685035837.5, gzip_mtime=1685035838, gzip_name="pkg-1.0.tar")
REBUILT = Packing(mtime=1764000000, gzip_level=6)


@pytest.fixture
def pair(tmp_path: Path) -> tuple[Path, Path]:
    return sdist(tmp_path / "published.tar.gz", SAMPLE, packing=PUBLISHED), sdist(tmp_path / "rebuilt.tar.gz", SAMPLE, packing=REBUILT)
