"""Which file of a release the builder container (CPython 3.N, glibc 2.36, x86_64) installs."""

from __future__ import annotations

import pytest

from verifier.errors import BadInput
from verifier.upstream.compatibility import (
    choose_installable,
    linux_platforms,
    parse_python_version,
)
from verifier.upstream.interface import PublishedFile


def _file(filename: str, requires_python: str | None = None) -> PublishedFile:
    return PublishedFile(
        project="p", version="1.0", filename=filename, url=f"http://127.0.0.1/files/{filename}",
        sha256="a" * 64, upload_time=None, size=None, yanked=False, requires_python=requires_python,
        packagetype="wheel" if filename.endswith(".whl") else "sdist",
    )  # fmt: skip


def _choose(*filenames: str, python: str = "3.11") -> str | None:
    chosen = choose_installable([_file(name) for name in filenames], python)
    return chosen.filename if chosen else None


def test_platforms_run_from_glibc_2_36_down_with_legacy_aliases() -> None:
    platforms = linux_platforms()
    assert platforms[0] == "manylinux_2_36_x86_64"
    assert platforms.index("manylinux2014_x86_64") == platforms.index("manylinux_2_17_x86_64") + 1
    assert "manylinux1_x86_64" in platforms and platforms[-1] == "linux_x86_64"
    assert "manylinux_2_37_x86_64" not in platforms


def test_binary_wheel_for_this_python_beats_pure_and_sdist() -> None:
    assert (
        _choose(
            "p-1.0.tar.gz",
            "p-1.0-py3-none-any.whl",
            "p-1.0-cp311-cp311-manylinux_2_17_x86_64.manylinux2014_x86_64.whl",
        )
        == "p-1.0-cp311-cp311-manylinux_2_17_x86_64.manylinux2014_x86_64.whl"
    )


def test_pure_wheel_beats_sdist() -> None:
    assert _choose("p-1.0.tar.gz", "p-1.0-py3-none-any.whl") == "p-1.0-py3-none-any.whl"
    assert _choose("p-1.0.tar.gz", "p-1.0-py2.py3-none-any.whl") == "p-1.0-py2.py3-none-any.whl"


@pytest.mark.parametrize(
    "wheel",
    [
        "p-1.0-cp312-cp312-manylinux_2_17_x86_64.whl",  # another Python
        "p-1.0-cp311-cp311-manylinux_2_38_x86_64.whl",  # newer glibc than bookworm's
        "p-1.0-cp311-cp311-musllinux_1_1_x86_64.whl",
        "p-1.0-cp311-cp311-manylinux_2_17_aarch64.whl",
        "p-1.0-cp311-cp311-macosx_11_0_arm64.whl",
        "p-1.0-py2-none-any.whl",
    ],
)
def test_incompatible_wheels_fall_back_to_the_sdist(wheel: str) -> None:
    assert _choose(wheel, "p-1.0.zip", "p-1.0.tar.gz") == "p-1.0.tar.gz"
    assert _choose(wheel) is None


def test_abi3_wheel_of_an_older_python_is_accepted() -> None:
    assert (
        _choose("p-1.0.tar.gz", "p-1.0-cp38-abi3-manylinux2014_x86_64.whl")
        == "p-1.0-cp38-abi3-manylinux2014_x86_64.whl"
    )


def test_requires_python_excludes_files() -> None:
    files = [_file("p-1.0-py3-none-any.whl", ">=3.12"), _file("p-1.0.tar.gz")]
    chosen = choose_installable(files, "3.11")
    assert chosen is not None and chosen.filename == "p-1.0.tar.gz"


@pytest.mark.parametrize("text", ["3", "3.11.2", "2.7", "py311", ""])
def test_python_version_must_be_3_n(text: str) -> None:
    with pytest.raises(BadInput):
        parse_python_version(text)


def test_a_bullseye_container_takes_the_wheel_its_glibc_runs() -> None:
    from verifier.upstream.compatibility import SUITE_GLIBC, supported_tags, uv_platform

    wheels = [_file(f"bcrypt-4.3.0-cp39-abi3-manylinux_2_{minor}_x86_64.whl") for minor in (34, 28)]
    chosen = choose_installable(wheels, "3.9", supported_tags("3.9", SUITE_GLIBC["bullseye"]))
    assert chosen is not None and chosen.filename.endswith("manylinux_2_28_x86_64.whl")
    default = choose_installable(wheels, "3.9")
    assert default is not None and default.filename.endswith("manylinux_2_34_x86_64.whl")
    assert uv_platform(SUITE_GLIBC["bullseye"]) == "x86_64-manylinux_2_31" and uv_platform() == "x86_64-manylinux_2_36"


def test_trixies_glibc_resolves_as_the_newest_manylinux_uv_names() -> None:
    """uv 0.13 refuses `x86_64-manylinux_2_41` (trixie, Python 3.13): resolution uses 2_40, and the
    wheels downloaded still follow the container's own glibc."""
    import subprocess
    import sys
    from pathlib import Path

    from verifier.upstream.compatibility import SUITE_GLIBC, supported_tags, uv_platform

    assert uv_platform(SUITE_GLIBC["trixie"]) == "x86_64-manylinux_2_40"
    assert any(str(tag).endswith("manylinux_2_41_x86_64") for tag in supported_tags("3.13", SUITE_GLIBC["trixie"]))
    uv = Path(sys.executable).with_name("uv")
    completed = subprocess.run([str(uv), "pip", "compile", "--help"], capture_output=True, text=True, check=True)
    assert "--python-platform" in completed.stdout
    refused = subprocess.run(
        [str(uv), "pip", "compile", "-", "--no-config", "--offline", "--python-version", "3.13", "--python-platform", uv_platform(SUITE_GLIBC["trixie"])],
        input="", capture_output=True, text=True, check=False,
    )
    assert "invalid value" not in refused.stderr, refused.stderr
