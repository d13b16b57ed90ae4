"""The Pants builder image: builders/pants/Containerfile on the mixed base, cached by content.

    mmdebstrap bookworm+bullseye ──import──▶ localhost/verifier-pants-base:<key>      (base.py)
        ──builders/pants/Containerfile──▶ localhost/verifier-builder-pants:<key>      (here)

The key covers every file of the recipe directory, the base image id and the build arguments (Pants
version, the Python it runs on, the pex version, the build user), so an existing tag is a cache hit
and any change of input makes a new image. The image build has a network (PyPI: Pants' wheels, pex);
builds run later in it have one only in their prepare phase.

After a build the image is asked what it holds (the pex tool's known_versions line and whether it
has the bytes of the official release); the answer is recorded next to the base records.
"""

from __future__ import annotations

import hashlib
import json
import re
import tempfile
import time
from collections.abc import Callable
from dataclasses import asdict
from pathlib import Path

from verifier.logs import log_tail
from verifier.pants.base_image import PantsBase, bootstrap_pants_base
from verifier.pants.interface import BuildUser, PantsImage
from verifier.runtime.builders import CA_BUNDLE_TARGET, recipe_key
from verifier.runtime.cache import default_cache_dir, read_record, write_record
from verifier.runtime.interface import (
    ContainerRuntime,
    Mount,
    RunSpec,
    RuntimeUnavailable,
)

__all__ = [
    "PANTS_RECIPE_DIR",
    "bootstrap_pants_base",
    "ensure_pants_image",
    "pants_image_build_args",
    "pants_image_key",
]

#: verifier/builders/pants (package data).
PANTS_RECIPE_DIR = Path(__file__).resolve().parents[1] / "builders" / "pants"
_KEY_LENGTH = 24
_BUILD_TIMEOUT_S = 1800.0
_PEX_KNOWN_VERSION = re.compile(r"v[0-9][^|\s]*\|linux_[a-z0-9_]+\|[0-9a-f]{64}\|[0-9]+")


def pants_image_build_args(base: PantsBase, *, pants_version: str, pants_python: str, build_user: BuildUser,
                           pex_version: str | None = None, pants_wheel_sha256: str | None = None) -> dict[str, str]:
    """The Containerfile's build arguments (the CA bundle path aside)."""
    return {
        "PANTS_BASE": base.image_id.removeprefix("sha256:"),
        "PANTS_VERSION": pants_version,
        "PANTS_PYTHON": pants_python,
        "PANTS_WHEEL_SHA256": pants_wheel_sha256 or "",
        "PEX_VERSION": pex_version or "",
        "BUILD_UID": str(build_user.uid),
        "BUILD_GID": str(build_user.gid),
        "BUILD_USER": build_user.user,
        "BUILD_GROUP": build_user.group,
    }


def pants_image_key(recipe_dir: Path, base_image_id: str, build_args: dict[str, str]) -> str:
    """Content key of the image: the recipe files, the base id and the build arguments."""
    digest = hashlib.sha256(b"verifier-builder-pants/1\0")
    digest.update(recipe_key(recipe_dir, base_image_id).encode() + b"\0")
    digest.update(json.dumps(build_args, sort_keys=True).encode())
    return digest.hexdigest()[:_KEY_LENGTH]


def _inspect_image(runtime: ContainerRuntime, image_id: str, build_user: BuildUser) -> tuple[str, str, str]:
    """(pex known_versions line, same-as-official answer, `id` output) read from inside the image."""
    script = ("cat /opt/pex-tool/known_version; "
              "sed -n 's/^same_bytes_as_official=//p' /opt/pants-recipe/provenance/pex-official.txt; id")
    with tempfile.TemporaryDirectory(prefix="verifier-pants-inspect-") as scratch:
        log_path = Path(scratch) / "inspect.log"
        result = runtime.run(RunSpec(image=image_id, command=["sh", "-c", script], timeout_s=120.0,
                                     memory="256m", pids_limit=64), log_path)
        output = log_path.read_text(errors="replace")
    lines = output.strip().splitlines()
    if not result.ok or len(lines) < 3 or not _PEX_KNOWN_VERSION.fullmatch(lines[0]):
        raise RuntimeUnavailable(f"the Pants image {image_id[:19]} does not hold a usable pex tool: "
                                 f"{log_tail(output, 3, separator=' / ', default='no output')}")
    expected = f"uid={build_user.uid}({build_user.user}) gid={build_user.gid}({build_user.group})"
    if not lines[2].startswith(expected):
        raise RuntimeUnavailable(f"the Pants image {image_id[:19]} runs as {lines[2]!r}, not {expected}")
    return lines[0], lines[1], lines[2]


def ensure_pants_image(runtime: ContainerRuntime, base: PantsBase, *, pants_version: str, pants_python: str,
                       build_user: BuildUser, cache_dir: Path | None = None, pex_version: str | None = None,
                       pants_wheel_sha256: str | None = None, ca_bundle: Path | None = None,
                       recipe_dir: Path = PANTS_RECIPE_DIR,
                       progress: Callable[[str], None] | None = None) -> PantsImage:
    """The Pants image for these inputs: found by its key when the runtime has it, else built
    (about 30-60 s). `ca_bundle` is mounted over the image's CA file for the RUN steps only.
    Raises RuntimeUnavailable when the build fails or the image does not hold what it should."""
    say = progress or (lambda message: None)
    if f"{pants_python}" not in base.pythons:
        raise RuntimeUnavailable(f"Pants {pants_version} needs Python {pants_python}, the base has "
                                 f"{', '.join(sorted(base.pythons))}")
    cache = cache_dir or default_cache_dir()
    build_args = pants_image_build_args(base, pants_version=pants_version, pants_python=pants_python,
                                        build_user=build_user, pex_version=pex_version,
                                        pants_wheel_sha256=pants_wheel_sha256)
    key = pants_image_key(recipe_dir, base.image_id, build_args)
    tag = f"localhost/verifier-builder-pants:{key}"
    record_path = cache / "pants-images" / f"{key}.json"

    image_id = runtime.image_id(tag)
    record = read_record(record_path)
    if image_id is not None and record is not None and record.get("image", {}).get("image_id") == image_id:
        say(f"reusing Pants image {tag}")
        fields = dict(record["image"])
        fields["build_user"] = BuildUser(**fields["build_user"])
        fields["build_pythons"] = tuple(fields["build_pythons"])
        return PantsImage(**fields)

    seconds = 0.0
    if image_id is None:
        mounts = []
        if ca_bundle is not None:
            mounts.append(Mount(ca_bundle, CA_BUNDLE_TARGET))
            build_args = {**build_args, "PIP_CERT": CA_BUNDLE_TARGET}
        say(f"building {tag} (Pants {pants_version} on Python {pants_python}, user {build_user})")
        started = time.monotonic()
        image_id = runtime.build_image(recipe_dir, recipe_dir / "Containerfile", tag, build_args=build_args,
                                       network=True, mounts=mounts, log_path=cache / "image-logs" / f"pants-{key}.log",
                                       timeout_s=_BUILD_TIMEOUT_S)
        seconds = time.monotonic() - started
        say(f"built {tag} in {seconds:.1f} s")
    known_version, same_as_official, _ = _inspect_image(runtime, image_id, build_user)
    image = PantsImage(image_id=image_id, ref=tag, pants_version=pants_version, pants_python=pants_python,
                       build_pythons=base.python_versions(), pex_known_version=known_version,
                       pex_same_as_official=same_as_official, build_user=build_user)
    write_record(record_path, {"image": asdict(image), "base": asdict(base), "seconds": round(seconds, 1)})
    return image
