"""The Pants base root filesystem: Debian bookworm with bullseye's Python 3.9 added, made offline.

Pants 2.x as published on PyPI runs only on CPython <= 3.9 (its wheels are cp37..cp39), while the
sdists it builds need the project's Python (3.11 for backend.ai 23.03). One image holds both:
mmdebstrap with two sources, bookworm first (python3 = 3.11, git, ...) and bullseye (python3.9 with
libssl1.1 and libffi7). apt takes every other package from bookworm, the higher version.

The mmdebstrap and import steps are those of `verifier.runtime.base_image` (same hooks, same
SOURCE_DATE_EPOCH handling), plus two hooks (see _REPRODUCIBILITY_HOOKS): Python 3.9's bytecode
caches are removed, and apt's partial/ directories get one owner whatever the host work directory.
Then the tarball is bit-identical from run to run while the mirror serves the same packages
(checked: runs in /work/... and under /root/.cache gave the same sha256).
The image is tagged by a hash of everything that goes into the mmdebstrap command, and a record
(base-images/pants-<key>.json) lets later runs reuse it.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Mapping, Sequence
from dataclasses import asdict, dataclass
from pathlib import Path

from verifier.runtime.base_image import (
    BASE_PACKAGES,
    DEFAULT_SOURCE_DATE_EPOCH,
    make_rootfs_image,
    mmdebstrap_argv,
    pythons_in_dpkg_status,
    pythons_in_rootfs,
    reusable_image,
)
from verifier.runtime.cache import default_cache_dir, write_record
from verifier.runtime.interface import ContainerRuntime

__all__ = [
    "DEBIAN_MIRROR",
    "PANTS_BASE_PACKAGES",
    "PANTS_BASE_SUITES",
    "PantsBase",
    "bootstrap_pants_base",
    "pants_base_argv",
    "pythons_in_dpkg_status",
]

DEBIAN_MIRROR = "http://deb.debian.org/debian"
#: Debian suites, in apt's order: the first is the system, the others only add packages.
PANTS_BASE_SUITES = ("bookworm", "bullseye")
#: The verifier base packages plus the interpreter Pants runs on.
PANTS_BASE_PACKAGES = (*BASE_PACKAGES, "python3.9")
_KEY_LENGTH = 24
# Two things make the tarball differ from run to run without them:
# - bullseye's python3.9 byte-compiles its standard library at install time, and Python 3.9 bytecode
#   is not deterministic (two runs gave 21 different .pyc files): the caches are left out;
# - apt chowns its two partial/ directories to _apt only when _apt can reach the host's work
#   directory (not under /root, mode 0700): they are given to _apt whatever the host path.
_REPRODUCIBILITY_HOOKS = (
    '--customize-hook=find "$1"/usr/lib/python3.9 -depth -type d -name __pycache__ -exec rm -rf {} +',
    '--customize-hook=chroot "$1" chown _apt:root /var/cache/apt/archives/partial /var/lib/apt/lists/partial',
)
_IMPORT_TIMEOUT_S = 600.0


@dataclass(frozen=True, slots=True)
class PantsBase:
    """A mixed-suite base image made by `bootstrap_pants_base`."""

    image_id: str  # sha256:<64 hex>
    ref: str  # localhost/verifier-pants-base:<key>
    key: str  # hash of the mmdebstrap inputs (command without output path, SOURCE_DATE_EPOCH)
    rootfs_sha256: str  # of the mmdebstrap tarball = the digest of the image's only layer
    pythons: dict[str, str]  # "3.11" -> "3.11.2": every python3.X package in the rootfs
    source_date_epoch: int

    def python_versions(self) -> tuple[str, ...]:
        """The full versions of the image's Pythons, e.g. ("3.9.2", "3.11.2")."""
        return tuple(self.pythons[minor] for minor in sorted(self.pythons, key=_minor_key))


def _minor_key(minor: str) -> tuple[int, ...]:
    return tuple(int(part) for part in minor.split("."))


def pants_base_argv(output: Path, *, suites: Sequence[str] = PANTS_BASE_SUITES,
                    packages: Sequence[str] = PANTS_BASE_PACKAGES, mirror: str = DEBIAN_MIRROR) -> list[str]:
    """The mmdebstrap command for the mixed rootfs: the runtime's command for the first suite with
    one ``deb MIRROR SUITE main`` source line per suite."""
    if not suites:
        raise ValueError("at least one Debian suite is needed")
    sources = [f"deb {mirror} {suite} main" for suite in suites]
    argv = mmdebstrap_argv(suites[0], output, packages, mirror=sources[0])
    options_end = argv.index(suites[0])
    return [*argv[:options_end], *_REPRODUCIBILITY_HOOKS, *argv[options_end:], *sources[1:]]


def _pythons_in_rootfs(tar_path: Path) -> dict[str, str]:
    return pythons_in_rootfs(tar_path)


def _inputs_key(inputs: Mapping[str, object]) -> str:
    encoded = json.dumps(inputs, sort_keys=True, separators=(",", ":")).encode()
    return hashlib.sha256(b"verifier-pants-base/1\0" + encoded).hexdigest()[:_KEY_LENGTH]


def bootstrap_pants_base(runtime: ContainerRuntime, *, workdir: Path, cache_dir: Path | None = None,
                         source_date_epoch: int = DEFAULT_SOURCE_DATE_EPOCH,
                         suites: Sequence[str] = PANTS_BASE_SUITES,
                         packages: Sequence[str] = PANTS_BASE_PACKAGES, mirror: str = DEBIAN_MIRROR,
                         keep_rootfs: bool = False,
                         progress: Callable[[str], None] | None = None) -> PantsBase:
    """The mixed bookworm+bullseye base image: reused when the cache records one made from the same
    inputs that the runtime still has, else made with mmdebstrap (about a minute) and imported.

    `workdir` holds the tarball (about 330 MB; deleted after the import unless `keep_rootfs`).
    Raises RuntimeUnavailable when mmdebstrap or the import fails.
    """
    say = progress or (lambda message: None)
    rootfs = workdir / "rootfs-pants.tar"
    argv = pants_base_argv(rootfs, suites=suites, packages=packages, mirror=mirror)
    inputs = {"mmdebstrap": [arg for arg in argv if arg != str(rootfs)], "source_date_epoch": source_date_epoch}
    key = _inputs_key(inputs)
    record_path = (cache_dir or default_cache_dir()) / "base-images" / f"pants-{key}.json"

    image = reusable_image(runtime, record_path, inputs)
    if image is not None:
        say(f"reusing Pants base image {str(image['image_id'])[:19]}")
        return PantsBase(**image)  # type: ignore[arg-type]

    ref = f"localhost/verifier-pants-base:{key}"
    made, pythons = make_rootfs_image(
        runtime, argv, rootfs, ref, workdir=workdir, source_date_epoch=source_date_epoch,
        log_name="mmdebstrap-pants.log", keep_rootfs=keep_rootfs, say=say, inspect=_pythons_in_rootfs,
    )
    image_id, rootfs_sha256 = made.image_id, made.rootfs_sha256
    base = PantsBase(image_id=image_id, ref=ref, key=key, rootfs_sha256=rootfs_sha256, pythons=pythons,
                     source_date_epoch=source_date_epoch)
    write_record(record_path, {"inputs": inputs, "image": asdict(base), "seconds": made.seconds})
    return base
