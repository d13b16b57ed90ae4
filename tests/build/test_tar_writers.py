"""The old CPython tar writers (verifier/build/tar_writers.py): made from CPython 3.9.2's tarfile.py
in Debian's orig tarball (really downloaded once per test session), checked, cached."""

from __future__ import annotations

import importlib.util
import io
import shutil
import tarfile
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType

import pytest

from verifier.build import tar_writers
from verifier.errors import BadInput, BuildError
from verifier.fsutil import file_sha256
from verifier.upstream.cache import ArtifactCache


@pytest.fixture(scope="module")
def made(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A cache directory holding the orig tarball and both writers, made from nothing."""
    cache = tmp_path_factory.mktemp("cache")
    for name in tar_writers.WRITERS:
        tar_writers.prepare(name, cache)
    return cache


def no_network(url: str) -> Iterator[bytes]:
    raise AssertionError(f"no download expected: {url}")


def load(module: Path) -> ModuleType:
    spec = importlib.util.spec_from_file_location(f"writer_{module.parent.name.replace('.', '_').replace('-', '_')}", module)
    assert spec is not None and spec.loader is not None
    loaded = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(loaded)
    return loaded


def first_header(module: ModuleType) -> bytes:
    out = io.BytesIO()
    with module.open(fileobj=out, mode="w") as archive:
        info = module.TarInfo("pkg-1.0/a.py")
        info.size, info.mtime = 5, 1_700_000_000
        archive.addfile(info, io.BytesIO(b"hello"))
    return out.getvalue()[:512]


def test_the_writers_write_the_device_fields_as_cpython_3_8_and_3_7_did(made: Path) -> None:
    py38 = first_header(load(made / "tar-writers" / "cpython-3.8" / "tarfile.py"))
    py37 = first_header(load(made / "tar-writers" / "cpython-3.7" / "tarfile.py"))
    today = first_header(tarfile)  # type: ignore[arg-type]
    assert py38[329:345] == py37[329:345] == b"0000000\0" * 2
    assert today[329:345] == bytes(16)  # why the writers exist
    assert (py38[257:265], py37[257:265]) == (b"ustar\x0000", b"ustar  \0")  # PAX (3.8's default), GNU (3.7's)
    assert py38[:329] == today[:148] + py38[148:156] + today[156:329]  # nothing else differs but the checksum


def test_a_prepared_writer_comes_from_the_cache_and_is_rechecked(made: Path, tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    shutil.copytree(made, cache)
    writer = tar_writers.prepare("cpython-3.8", cache, fetch=no_network)
    assert (writer.sha256, file_sha256(writer.module)) == (tar_writers.WRITERS["cpython-3.8"].sha256,) * 2
    writer.module.write_text("# changed\n")
    again = tar_writers.prepare("cpython-3.8", cache, fetch=no_network)  # made anew from the cached orig tarball
    assert file_sha256(again.module) == writer.sha256
    assert writer.as_dict()["made_from"].endswith(f"(sha256 {tar_writers.ORIGIN_SHA256})")


def test_a_download_that_is_not_the_pinned_tarball_is_refused_and_not_kept(tmp_path: Path) -> None:
    with pytest.raises(BuildError, match="expected 3c2034c5"):
        tar_writers.prepare("cpython-3.7", tmp_path, fetch=lambda url: iter([b"not the CPython sources"]))
    assert ArtifactCache(tmp_path / "artifacts").lookup(tar_writers.ORIGIN_SHA256) is None
    assert not (tmp_path / "tar-writers" / "cpython-3.7" / "tarfile.py").exists()


def test_edits_that_do_not_apply_or_give_another_module_fail(made: Path) -> None:
    original = tar_writers.original_module(made, no_network)
    with pytest.raises(BuildError, match="does not apply once"):
        tar_writers.apply_edits(tar_writers.WRITERS["cpython-3.8"], original.replace(b"has_device_fields = ", b"has_devices = "))
    with pytest.raises(BuildError, match="expected c00a3cb6"):
        tar_writers.apply_edits(tar_writers.WRITERS["cpython-3.8"], original + b"# more\n")


def test_an_unknown_writer_is_bad_input(tmp_path: Path) -> None:
    with pytest.raises(BadInput, match=r"unknown tar writer 'cpython-3\.6'"):
        tar_writers.prepare("cpython-3.6", tmp_path)
