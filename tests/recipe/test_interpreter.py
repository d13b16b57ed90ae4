"""What the published sdist says about the publisher's Python: bytecode and tar headers
(verifier/recipe/interpreter.py, through verifier/recipe/fingerprints.py)."""

from __future__ import annotations

import importlib.util
import tarfile
from pathlib import Path

from tests.support.archives import SAMPLE, Entry, Packing, sdist
from tests.support.old_tar import old_sdist
from verifier.recipe import fingerprint
from verifier.recipe.interpreter import python_of_bytecode

FILES = [entry for entry in SAMPLE if entry.kind == "file"]


def magic(minor_magic: int) -> bytes:
    return minor_magic.to_bytes(2, "little") + b"\r\n" + bytes(12)


def test_old_device_fields_with_pax_headers_name_the_cpython_3_8_writer(tmp_path: Path) -> None:
    found = fingerprint(old_sdist(tmp_path / "old.tar.gz", SAMPLE))
    assert found.tar_writer == "cpython-3.8"
    why = next(str(item["why"]) for item in found.evidence if item["name"] == "tar_writer")
    assert '"0000000"' in why and f"all {len(SAMPLE)} members" in why


def test_old_device_fields_with_gnu_headers_name_the_cpython_3_7_writer(tmp_path: Path) -> None:
    found = fingerprint(old_sdist(tmp_path / "gnu.tar.gz", SAMPLE, Packing(format=tarfile.GNU_FORMAT)))
    assert found.tar_writer == "cpython-3.7"


def test_an_unsorted_member_order_says_an_even_older_tarfile(tmp_path: Path) -> None:
    ordered = sorted(FILES, key=lambda entry: entry.name)
    listed = fingerprint(old_sdist(tmp_path / "sorted.tar.gz", ordered, Packing(format=tarfile.GNU_FORMAT)))
    unsorted = fingerprint(old_sdist(tmp_path / "unsorted.tar.gz", ordered[::-1], Packing(format=tarfile.GNU_FORMAT)))
    assert listed.tar_writer == unsorted.tar_writer == "cpython-3.7"
    why = [next(str(item["why"]) for item in found.evidence if item["name"] == "tar_writer") for found in (listed, unsorted)]
    assert "3.6 and older" not in why[0] and "3.6 and older" in why[1]


def test_old_device_fields_in_pax_extended_headers_too(tmp_path: Path) -> None:
    found = fingerprint(old_sdist(tmp_path / "pax.tar.gz", FILES, Packing(mtime=1_700_000_000.25)))  # float mtimes: 'x' headers
    assert found.tar_writer == "cpython-3.8"


def test_todays_tarfile_names_no_writer(tmp_path: Path) -> None:
    found = fingerprint(sdist(tmp_path / "new.tar.gz", SAMPLE))
    assert found.tar_writer is None and "tar_writer" not in [item["name"] for item in found.evidence]


def test_one_member_with_nul_device_fields_names_no_writer(tmp_path: Path) -> None:
    old = old_sdist(tmp_path / "old.tar.gz", FILES)
    with tarfile.open(old) as archive:
        members = [(info, archive.extractfile(info).read()) for info in archive.getmembers()]  # type: ignore[union-attr]
    mixed = tmp_path / "mixed.tar.gz"
    with tarfile.open(mixed, "w:gz", format=tarfile.PAX_FORMAT) as archive:  # rewritten by today's tarfile: NULs
        import io

        for info, data in members:
            archive.addfile(info, io.BytesIO(data))
    assert fingerprint(mixed).tar_writer is None


def test_bytecode_names_its_python_by_magic_number_and_by_file_name(tmp_path: Path) -> None:
    published = sdist(tmp_path / "pyc.tar.gz", [*FILES, Entry("_backend/__pycache__/build.cpython-38.pyc", magic(3413))])
    found = fingerprint(published)
    assert found.python == "3.8"
    assert "magic number 3413" in next(str(item["why"]) for item in found.evidence if item["name"] == "python")
    assert python_of_bytecode("x/__pycache__/m.cpython-311.pyc", b"not bytecode").value == "3.11"  # type: ignore[union-attr]
    assert python_of_bytecode("m.pyc", importlib.util.MAGIC_NUMBER).value == "3.11"  # type: ignore[union-attr]  # this Python's
    assert python_of_bytecode("m.pyc", b"junk") is None


def test_an_sdist_without_bytecode_names_no_python(tmp_path: Path) -> None:
    assert fingerprint(sdist(tmp_path / "plain.tar.gz", SAMPLE)).python is None
