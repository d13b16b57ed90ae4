"""What the published file says about its build (verifier/recipe/fingerprints.py)."""

from __future__ import annotations

import dataclasses
from pathlib import Path

from tests.support.archives import SAMPLE, Entry, Packing, sdist
from verifier.recipe import fingerprint

FILES = [entry for entry in SAMPLE if entry.kind == "file"]


def names(evidence: list[dict[str, object]]) -> list[str]:
    return [str(item["name"]) for item in evidence]


def test_a_stamped_sdist_shows_its_build_time_and_metadata_version(tmp_path: Path) -> None:
    found = fingerprint(sdist(tmp_path / "a.tar.gz", FILES, packing=Packing(mtime=1_700_000_000)))
    assert (found.build_time, found.single_stamp, found.metadata_version) == (1_700_000_000, True, "2.1")
    assert (found.umask, found.windows) == (None, False)
    assert found.file_mtimes == [1_700_000_000] * len(FILES)
    assert names(found.evidence) == ["single_stamp", "build_time", "metadata_version"]


def test_fixed_backend_stamps_give_no_build_time_but_the_gzip_mtime_does(tmp_path: Path) -> None:
    hatchling = fingerprint(sdist(tmp_path / "h.tar.gz", FILES, packing=Packing(mtime=1580601600)))
    assert hatchling.build_time is None and hatchling.single_stamp
    poetry = fingerprint(sdist(tmp_path / "p.tar.gz", FILES, packing=Packing(mtime=0, gzip_mtime=1_650_000_000)))
    assert poetry.build_time == 1_650_000_000
    assert "gzip header" in next(str(item["why"]) for item in poetry.evidence if item["name"] == "build_time")


def test_group_writable_files_say_umask_002(tmp_path: Path) -> None:
    found = fingerprint(sdist(tmp_path / "u.tar.gz", [dataclasses.replace(entry, mode=entry.mode | 0o020) for entry in SAMPLE]))
    assert found.umask == "002" and "umask" in names(found.evidence)


def test_windows_shows_in_modes_and_in_crlf_metadata(tmp_path: Path) -> None:
    modes = fingerprint(sdist(tmp_path / "m.tar.gz", [dataclasses.replace(entry, mode=0o666) for entry in FILES]))
    assert modes.windows and modes.umask is None
    crlf = [dataclasses.replace(entry, data=entry.data.replace(b"\n", b"\r\n")) if entry.name == "PKG-INFO" else entry for entry in FILES]
    line_ends = fingerprint(sdist(tmp_path / "c.tar.gz", crlf))
    assert line_ends.windows and line_ends.metadata_version == "2.1"


def test_a_large_pkg_info_is_read_only_up_to_its_limit(tmp_path: Path) -> None:
    big = [Entry("PKG-INFO", b"Metadata-Version: 2.4\n" + b"X: y\n" * 400_000)]
    assert fingerprint(sdist(tmp_path / "b.tar.gz", big)).metadata_version == "2.4"


def test_an_empty_archive_has_no_fingerprints(tmp_path: Path) -> None:
    found = fingerprint(sdist(tmp_path / "e.tar.gz", []))
    assert found.build_time is None and not found.single_stamp and found.evidence == []


def test_fields_an_old_setuptools_wrote_on_its_own_are_markers(tmp_path: Path) -> None:
    old = b"Metadata-Version: 1.2\nName: pkg\nVersion: 1.0\nLicense: UNKNOWN\nDescription: Long\n        text\nPlatform: UNKNOWN\n"
    found = fingerprint(sdist(tmp_path / "o.tar.gz", [Entry("PKG-INFO", old)]))
    assert found.metadata_version == "1.2"
    assert found.pkg_info_markers == ("description-header", "platform-unknown", "license-unknown")
    assert names(found.evidence).count("pkg_info_marker") == 3
    new = b"Metadata-Version: 2.1\nName: pkg\nVersion: 1.0\nPlatform: linux\nLicense-File: LICENSE\n\nLong text\nDescription: in the body\n"
    assert fingerprint(sdist(tmp_path / "n.tar.gz", [Entry("PKG-INFO", new)])).pkg_info_markers == ("license-file",)


def test_an_unnormalized_top_level_name_is_a_marker(tmp_path: Path) -> None:
    old = fingerprint(sdist(tmp_path / "o.tar.gz", FILES, top="more-itertools-10.1.0"))
    assert "unnormalized-sdist-name" in old.pkg_info_markers
    for top in ("more_itertools-10.1.0", "pkg-1.0"):
        assert "unnormalized-sdist-name" not in fingerprint(sdist(tmp_path / f"{top}.tar.gz", FILES, top=top)).pkg_info_markers


POETRY_SETUP_PY = (
    b"# -*- coding: utf-8 -*-\nfrom setuptools import setup\n\npackages = \\\n['pkg']\n\nsetup_kwargs = {\n"
    b"    'name': 'pkg',\n    'version': '1.0',\n}\n\n\nsetup(**setup_kwargs)\n"
)


def test_a_setup_py_from_poetry_cores_template_is_a_marker(tmp_path: Path) -> None:
    found = fingerprint(sdist(tmp_path / "p.tar.gz", [*FILES, Entry("setup.py", POETRY_SETUP_PY)]))
    assert "poetry-setup-py" in found.pkg_info_markers
    assert any("poetry-core's template" in e["why"] for e in found.evidence if e["name"] == "pkg_info_marker")
    handwritten = b"from setuptools import setup\n\nsetup(name='pkg', version='1.0')\n"
    assert "poetry-setup-py" not in fingerprint(sdist(tmp_path / "h.tar.gz", [*FILES, Entry("setup.py", handwritten)])).pkg_info_markers
    nested = fingerprint(sdist(tmp_path / "n.tar.gz", [*FILES, Entry("sub/setup.py", POETRY_SETUP_PY)]))
    assert "poetry-setup-py" not in nested.pkg_info_markers  # only the top-level setup.py is the sdist's


def test_a_console_script_named_after_a_python_is_a_weak_python_fingerprint(tmp_path: Path) -> None:
    pip = b"[console_scripts]\npip = pip._internal.cli.main:main\npip3 = pip._internal.cli.main:main\npip3.9 = pip._internal.cli.main:main\n"
    found = fingerprint(sdist(tmp_path / "p.tar.gz", [*FILES, Entry("src/pip.egg-info/entry_points.txt", pip)]))
    assert found.script_python == "3.9" and found.python is None
    assert any("'pip3.9'" in e["why"] for e in found.evidence if e["name"] == "script_python")
    old_setuptools = b"[console_scripts]\neasy_install = setuptools.command.easy_install:main\neasy_install-3.6 = setuptools.command.easy_install:main\n"
    assert fingerprint(sdist(tmp_path / "s.tar.gz", [*FILES, Entry("setuptools.egg-info/entry_points.txt", old_setuptools)])).script_python == "3.6"
    not_scripts = b"[distutils.commands]\nfoo3.9 = x:y\n\n[console_scripts]\ntool = x:main\ntool2 = x:main\n"
    assert fingerprint(sdist(tmp_path / "n.tar.gz", [*FILES, Entry("x.egg-info/entry_points.txt", not_scripts)])).script_python is None


def test_where_download_url_stands_dates_setuptools(tmp_path: Path) -> None:
    late = b"Metadata-Version: 2.1\nName: pkg\nVersion: 1.0\nHome-page: https://h\nAuthor: A\nLicense: MIT\nDownload-URL: https://d\n"
    early = b"Metadata-Version: 2.1\nName: pkg\nVersion: 1.0\nHome-page: https://h\nDownload-URL: https://d\nAuthor: A\nLicense: MIT\n"
    alone = b"Metadata-Version: 2.1\nName: pkg\nVersion: 1.0\nHome-page: https://h\nDownload-URL: https://d\n"
    assert "download-url-after-license" in fingerprint(sdist(tmp_path / "l.tar.gz", [Entry("PKG-INFO", late)])).pkg_info_markers
    assert "download-url-after-home-page" in fingerprint(sdist(tmp_path / "e.tar.gz", [Entry("PKG-INFO", early)])).pkg_info_markers
    markers = fingerprint(sdist(tmp_path / "a.tar.gz", [Entry("PKG-INFO", alone)])).pkg_info_markers
    assert not {"download-url-after-license", "download-url-after-home-page"} & set(markers)  # nothing to place it by
