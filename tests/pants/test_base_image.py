"""The mixed bookworm+bullseye base: its mmdebstrap command and the Pythons it records."""

from __future__ import annotations

from pathlib import Path

from verifier.pants.base_image import (
    PANTS_BASE_PACKAGES,
    PantsBase,
    pants_base_argv,
    pythons_in_dpkg_status,
)

STATUS = """\
Package: python3.11
Status: install ok installed
Version: 3.11.2-6+deb12u6

Package: python3.9
Status: install ok installed
Version: 3.9.2-1

Package: python3.9-minimal
Status: install ok installed
Version: 3.9.2-1

Package: python3.8
Status: deinstall ok config-files
Version: 3.8.10-1
"""


def test_two_sources_bookworm_first() -> None:
    argv = pants_base_argv(Path("/w/rootfs.tar"))
    assert argv[0] == "mmdebstrap" and "--variant=minbase" in argv
    assert f"--include={','.join(PANTS_BASE_PACKAGES)}" in argv and "python3.9" in PANTS_BASE_PACKAGES
    assert argv[-4:] == ["bookworm", "/w/rootfs.tar", "deb http://deb.debian.org/debian bookworm main",
                         "deb http://deb.debian.org/debian bullseye main"]
    assert any(arg.startswith("--customize-hook=") for arg in argv)  # the runtime's host-independence hooks


def test_installed_pythons_from_dpkg_status() -> None:
    assert pythons_in_dpkg_status(STATUS) == {"3.11": "3.11.2", "3.9": "3.9.2"}


def test_python_versions_are_sorted_numerically() -> None:
    base = PantsBase("sha256:" + "0" * 64, "ref", "key", "0" * 64, {"3.11": "3.11.2", "3.9": "3.9.2"}, 0)
    assert base.python_versions() == ("3.9.2", "3.11.2")
