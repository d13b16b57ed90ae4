"""The offline base image: made once with mmdebstrap, found again through the cache record."""

from __future__ import annotations

import io
import subprocess
import tarfile
import time
from pathlib import Path

import pytest

from verifier.runtime.base_image import _python_version_in_rootfs, mmdebstrap_argv, packages_current
from verifier.runtime.cache import read_record
from verifier.runtime.images import BaseImage, bootstrap_base
from verifier.runtime.interface import ContainerRuntime, RunSpec, RuntimeUnavailable


def test_base_image_facts(runtime: ContainerRuntime, base_image: BaseImage, cache_dir: Path) -> None:
    assert base_image.suite == "bookworm"
    assert base_image.python_version.startswith("3.11.")
    assert runtime.image_id(base_image.image_id) == base_image.image_id
    record = read_record(cache_dir / "base-images" / "bookworm.json")
    assert record is not None and record["image"]["image_id"] == base_image.image_id
    # The image's only layer is the rootfs tarball itself: its digest pins the content.
    layers = subprocess.run([runtime.executable, "image", "inspect", "--format",  # type: ignore[attr-defined]
                             "{{range .RootFS.Layers}}{{.}} {{end}}", base_image.image_id],
                            capture_output=True, text=True, timeout=60, check=True).stdout.split()
    assert layers == [f"sha256:{base_image.rootfs_sha256}"]


def test_second_bootstrap_reuses_the_recorded_image(runtime: ContainerRuntime, base_image: BaseImage,
                                                    cache_dir: Path, tmp_path: Path) -> None:
    started = time.monotonic()
    again = bootstrap_base(runtime, "bookworm", workdir=tmp_path, cache_dir=cache_dir)
    assert time.monotonic() - started < 5
    assert again == base_image
    assert list(tmp_path.iterdir()) == []  # nothing was made


def test_the_base_has_the_tools_release_steps_run(runtime: ContainerRuntime, base_image: BaseImage, cache_dir: Path, tmp_path: Path) -> None:
    """make and gettext's msgfmt (a release checklist's translation step), and a record made with
    other packages is not current (verify makes the base again)."""
    spec = RunSpec(image=base_image.image_id, command=["sh", "-c", "msgfmt --version && make --version"], timeout_s=60)
    result = runtime.run(spec, tmp_path / "tools.log")
    assert result.exit_code == 0, (tmp_path / "tools.log").read_text()
    assert "GNU gettext" in (tmp_path / "tools.log").read_text()
    record = read_record(cache_dir / "base-images" / "bookworm.json")
    assert record is not None and packages_current(record)
    older = {**record, "inputs": {**record["inputs"], "mmdebstrap": [
        arg if not arg.startswith("--include=") else "--include=python3,python3-venv,python3-pip,git,ca-certificates"
        for arg in record["inputs"]["mmdebstrap"]]}}
    assert not packages_current(older) and not packages_current({})


def test_mmdebstrap_command_is_host_independent() -> None:
    argv = mmdebstrap_argv("bookworm", Path("/w/rootfs.tar"))
    assert argv[:3] == ["mmdebstrap", "--variant=minbase", "--format=tar"]
    assert "--include=python3,python3-venv,python3-pip,git,ca-certificates,make,gettext" in argv
    assert any("etc/resolv.conf" in arg for arg in argv) and any("etc/hostname" in arg for arg in argv)
    assert argv[-2:] == ["bookworm", "/w/rootfs.tar"]


def _tar_with(path: Path, members: dict[str, bytes]) -> Path:
    with tarfile.open(path, "w") as archive:
        for name, data in members.items():
            info = tarfile.TarInfo(name)
            info.size = len(data)
            archive.addfile(info, io.BytesIO(data))
    return path


def test_python_version_comes_from_dpkg_status(tmp_path: Path) -> None:
    status = (b"Package: python3\nVersion: 3.11.2-1+b1\n\n"
              b"Package: python3.11\nStatus: install ok installed\nVersion: 3.11.2-6+deb12u6\n\n")
    assert _python_version_in_rootfs(_tar_with(tmp_path / "r.tar", {"./var/lib/dpkg/status": status})) == "3.11.2"
    with pytest.raises(RuntimeUnavailable):
        _python_version_in_rootfs(_tar_with(tmp_path / "e.tar", {"./etc/os-release": b"x"}))


def test_rootfs_is_bit_reproducible(tmp_path: Path, base_image) -> None:
    """A second mmdebstrap run with the same inputs gives the rootfs the base image was made from
    (recorded when it was bootstrapped, earlier in this run or before)."""
    from verifier.fsutil import file_sha256
    from verifier.runtime.base_image import _run_mmdebstrap

    argv = mmdebstrap_argv("bookworm", tmp_path / "rootfs.tar")
    _run_mmdebstrap(argv, tmp_path, base_image.source_date_epoch, tmp_path / "mmdebstrap.log")
    assert file_sha256(tmp_path / "rootfs.tar") == base_image.rootfs_sha256
