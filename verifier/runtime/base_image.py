"""The verifier base image, made offline: mmdebstrap a Debian root filesystem, import it.

With SOURCE_DATE_EPOCH set, mmdebstrap's tarball is bit-identical from run to run as long as the
mirror serves the same packages (measured: two runs a minute apart gave the same sha256). Two files
would still carry the host into it, /etc/resolv.conf and /etc/hostname (mmdebstrap copies the
host's); hooks write fixed contents instead. The import itself is not reproducible (the engine
stamps the image config with the current time), so a base is identified by the sha256 of its
rootfs tarball, which is also the digest of the image's single layer.

A record in the cache directory (base-images/<suite>.json) lets later runs reuse the image.
"""

from __future__ import annotations

import os
import re
import subprocess
import tarfile
import time
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import TypeVar

from verifier.fsutil import file_sha256
from verifier.logs import log_tail
from verifier.runtime.cache import default_cache_dir, read_record, write_record
from verifier.runtime.cli_runtime import client_environment
from verifier.runtime.interface import ContainerRuntime, RuntimeUnavailable

__all__ = [
    "BASE_PACKAGES",
    "DEFAULT_SOURCE_DATE_EPOCH",
    "BaseImage",
    "bootstrap_base",
    "mmdebstrap_argv",
    "packages_current",
]

# make and gettext's msgfmt: what release checklists and workflows run before the build (a Makefile
# target, compiling translations: humanize 4.9.0), run in the build container by --search.
BASE_PACKAGES = ("python3", "python3-venv", "python3-pip", "git", "ca-certificates", "make", "gettext")
DEFAULT_SOURCE_DATE_EPOCH = 1704067200  # 2024-01-01T00:00:00Z: a fixed clock for the rootfs
_MMDEBSTRAP_TIMEOUT_S = 1800.0
_IMPORT_TIMEOUT_S = 600.0
T = TypeVar("T")
# Files mmdebstrap copies from the host: given fixed contents so the tarball does not depend on it.
# apt gives its partial/ directories to _apt only when _apt can reach the host's work directory
# (not under /root, mode 0700): they are given to _apt whatever the host path.
_HOST_INDEPENDENCE_HOOKS = (
    ': > "$1/etc/resolv.conf"',
    'echo localhost > "$1/etc/hostname"',
    'chroot "$1" chown _apt:root /var/cache/apt/archives/partial /var/lib/apt/lists/partial',
)


@dataclass(frozen=True, slots=True)
class MadeRootfs:
    image_id: str
    rootfs_sha256: str
    seconds: dict[str, float]


def packages_current(record: dict[str, object], packages: Sequence[str] = BASE_PACKAGES) -> bool:
    """Whether a base image record was made with `packages` (a verifier that adds a package to
    the base makes it again rather than build in an image without it)."""
    inputs = record.get("inputs")
    argv = inputs.get("mmdebstrap") if isinstance(inputs, dict) else None
    return isinstance(argv, list) and "--include=" + ",".join(packages) in argv


def reusable_image(runtime: ContainerRuntime, record_path: Path, inputs: dict[str, object]) -> dict[str, object] | None:
    """The recorded image made from exactly `inputs`, if the runtime still has it."""
    record = read_record(record_path)
    if record is not None and record.get("inputs") == inputs:
        image = record.get("image")
        image_id = image.get("image_id") if isinstance(image, dict) else None
        if isinstance(image, dict) and isinstance(image_id, str) and runtime.image_id(image_id) == image_id:
            return image
    return None


def make_rootfs_image(
    runtime: ContainerRuntime,
    argv: list[str],
    rootfs: Path,
    ref: str,
    *,
    workdir: Path,
    source_date_epoch: int,
    log_name: str,
    keep_rootfs: bool,
    say: Callable[[str], None],
    inspect: Callable[[Path], T],
) -> tuple[MadeRootfs, T]:
    """mmdebstrap the rootfs tarball, hash it, `inspect` it, import it as `ref`."""
    workdir.mkdir(parents=True, exist_ok=True)
    say(f"making the root filesystem for {ref} with mmdebstrap")
    started = time.monotonic()
    _run_mmdebstrap(argv, workdir, source_date_epoch, workdir / log_name)
    mmdebstrap_s = time.monotonic() - started
    rootfs_sha256 = file_sha256(rootfs)
    inspected = inspect(rootfs)
    say(f"importing {rootfs.name} (sha256 {rootfs_sha256[:12]}) as {ref}")
    started = time.monotonic()
    image_id = runtime.import_rootfs(rootfs, ref, timeout_s=_IMPORT_TIMEOUT_S)
    import_s = time.monotonic() - started
    if not keep_rootfs:
        os.unlink(rootfs)
    return MadeRootfs(image_id, rootfs_sha256, {"mmdebstrap": round(mmdebstrap_s, 1), "import": round(import_s, 1)}), inspected


@dataclass(frozen=True, slots=True)
class BaseImage:
    """A base image made by `bootstrap_base`."""

    image_id: str  # sha256:<64 hex>
    ref: str  # the tag it was imported as, e.g. localhost/verifier-base:bookworm
    suite: str
    rootfs_sha256: str  # of the mmdebstrap tarball = the digest of the image's only layer
    python_version: str  # of the Debian python3.X package, e.g. "3.11.2"
    source_date_epoch: int


def mmdebstrap_argv(suite: str, output: Path, packages: Sequence[str] = BASE_PACKAGES,
                    mirror: str | None = None) -> list[str]:
    """The mmdebstrap command that makes the rootfs tarball (reproducible given SOURCE_DATE_EPOCH)."""
    argv = ["mmdebstrap", "--variant=minbase", "--format=tar", "--include=" + ",".join(packages)]
    argv += [f"--customize-hook={hook}" for hook in _HOST_INDEPENDENCE_HOOKS]
    argv += [suite, str(output)]
    if mirror is not None:
        argv.append(mirror)
    return argv


def dpkg_status_of_rootfs(tar_path: Path) -> str:
    """The rootfs tarball's var/lib/dpkg/status."""
    with tarfile.open(tar_path, "r|") as archive:
        for member in archive:
            if member.name.lstrip("./") == "var/lib/dpkg/status" and member.isfile():
                stream = archive.extractfile(member)
                return stream.read().decode("utf-8", "replace") if stream else ""
    raise RuntimeUnavailable(f"{tar_path.name} has no var/lib/dpkg/status")


def pythons_in_dpkg_status(status: str) -> dict[str, str]:
    """Every installed ``python3.X`` interpreter package in a dpkg status file: {"3.11": "3.11.2"}."""
    found: dict[str, str] = {}
    for paragraph in status.split("\n\n"):
        name = re.search(r"^Package: python(3\.\d+)$", paragraph, re.MULTILINE)
        version = re.search(r"^Version: (?:\d+:)?([0-9][0-9.]*)", paragraph, re.MULTILINE)
        installed = re.search(r"^Status: install ok installed$", paragraph, re.MULTILINE)
        if name and version and installed:
            found[name.group(1)] = version.group(1).rstrip(".")
    return found


def pythons_in_rootfs(tar_path: Path) -> dict[str, str]:
    pythons = pythons_in_dpkg_status(dpkg_status_of_rootfs(tar_path))
    if not pythons:
        raise RuntimeUnavailable(f"no python3.X package is installed in {tar_path.name}")
    return pythons


def _python_version_in_rootfs(tar_path: Path) -> str:
    """The upstream version of the (newest) python3.X package installed in the rootfs."""
    pythons = pythons_in_rootfs(tar_path)
    return pythons[max(pythons, key=lambda minor: tuple(int(part) for part in minor.split(".")))]


def _run_mmdebstrap(argv: list[str], workdir: Path, source_date_epoch: int, log_path: Path) -> None:
    env = client_environment()
    env.update(SOURCE_DATE_EPOCH=str(source_date_epoch), TMPDIR=str(workdir))
    try:
        with open(log_path, "wb") as log:
            completed = subprocess.run(argv, env=env, stdin=subprocess.DEVNULL, stdout=log,
                                       stderr=subprocess.STDOUT, timeout=_MMDEBSTRAP_TIMEOUT_S, check=False)
    except FileNotFoundError as exc:
        raise RuntimeUnavailable("mmdebstrap is not installed (apt-get install mmdebstrap)") from exc
    except subprocess.TimeoutExpired as exc:
        raise RuntimeUnavailable(f"mmdebstrap took longer than {_MMDEBSTRAP_TIMEOUT_S:.0f} s") from exc
    except OSError as exc:
        raise RuntimeUnavailable(f"cannot run mmdebstrap: {exc}") from exc
    if completed.returncode != 0:
        raise RuntimeUnavailable(f"mmdebstrap failed with exit {completed.returncode}: "
                                 f"{log_tail(log_path, 1, separator=' / ', default='no output')} (log: {log_path})")


def bootstrap_base(runtime: ContainerRuntime, suite: str = "bookworm", *, workdir: Path,
                   source_date_epoch: int = DEFAULT_SOURCE_DATE_EPOCH, cache_dir: Path | None = None,
                   mirror: str | None = None, keep_rootfs: bool = False,
                   progress: Callable[[str], None] | None = None) -> BaseImage:
    """The base image for `suite`: reused when the cache records one made the same way that the
    runtime still has, else made with mmdebstrap (about 20-40 s) and imported (about 5 s).

    `workdir` holds the tarball (about 300 MB; deleted after the import unless `keep_rootfs`) and
    mmdebstrap's temporary root. Raises RuntimeUnavailable when either step fails.
    """
    say = progress or (lambda message: None)
    record_path = (cache_dir or default_cache_dir()) / "base-images" / f"{suite}.json"
    rootfs = workdir / f"rootfs-{suite}.tar"
    argv = mmdebstrap_argv(suite, rootfs, mirror=mirror)
    # What makes the image what it is (the output path aside): a record made otherwise is not reused.
    inputs = {"mmdebstrap": [arg for arg in argv if arg != str(rootfs)],
              "source_date_epoch": source_date_epoch}

    image = reusable_image(runtime, record_path, inputs)
    if image is not None:
        say(f"reusing base image {str(image['image_id'])[:19]} ({suite})")
        return BaseImage(**image)  # type: ignore[arg-type]

    ref = f"localhost/verifier-base:{suite}"
    made, python_version = make_rootfs_image(
        runtime, argv, rootfs, ref, workdir=workdir, source_date_epoch=source_date_epoch,
        log_name=f"mmdebstrap-{suite}.log", keep_rootfs=keep_rootfs, say=say, inspect=_python_version_in_rootfs,
    )
    image_id, rootfs_sha256 = made.image_id, made.rootfs_sha256
    base = BaseImage(image_id=image_id, ref=ref, suite=suite, rootfs_sha256=rootfs_sha256,
                     python_version=python_version, source_date_epoch=source_date_epoch)
    write_record(record_path, {"inputs": inputs, "image": asdict(base), "seconds": made.seconds})
    return base
