"""Builder images: the verifier's builder base (verifier/builders/Dockerfile) with a recipe layered on top
(builders/<name>/Containerfile), each tagged by a hash of what it is made from.

    base image ──Dockerfile──▶ localhost/verifier-builder-base:<key>
               ──builders/<name>/Containerfile──▶ localhost/verifier-builder-<name>:<key>

A key covers the Containerfile's bytes, every file of its build context and the id of the image it
is built on, so an existing tag is a cache hit (two `image inspect` calls) and any change of input
makes a new image. Only the recipe layer gets a network (`--network=host`), to pip-install its
hash-pinned tools; builds themselves later run without one.
"""

from __future__ import annotations

import hashlib
import time
from collections.abc import Callable, Mapping
from pathlib import Path

from verifier.runtime.cache import default_cache_dir
from verifier.runtime.interface import ContainerRuntime, Mount, RuntimeUnavailable
from verifier.runtime.pinning import check_pinned

__all__ = ["CA_BUNDLE_TARGET", "builder_base_key", "ensure_builder_image", "recipe_key"]

#: Where a host CA bundle is mounted during the recipe build (PIP_CERT points there). It must be a
#: file the image already has: an engine creates a missing mount point and leaves it, empty, in the layer.
CA_BUNDLE_TARGET = "/etc/ssl/certs/ca-certificates.crt"
_KEY_LENGTH = 24  # hex digits of the sha256 used in a tag
_BUILD_TIMEOUT_S = 1800.0


def _hash_tree(digest: hashlib._Hash, root: Path) -> None:
    """Feed every file under `root` (relative path, executable bit, bytes) into `digest`, sorted."""
    for path in sorted(p for p in root.rglob("*") if "__pycache__" not in p.parts):
        relative = path.relative_to(root).as_posix()
        if path.is_symlink():
            digest.update(b"L\0" + relative.encode() + b"\0" + str(path.readlink()).encode() + b"\0")
        elif path.is_file():
            executable = b"x" if path.stat().st_mode & 0o111 else b"-"
            data = path.read_bytes()
            digest.update(b"F\0" + relative.encode() + b"\0" + executable
                          + len(data).to_bytes(8, "big") + data)


def builder_base_key(dockerfile: Path, base_image: str | None) -> str:
    """Content key of the builder base: the Dockerfile's bytes and the image it starts FROM."""
    digest = hashlib.sha256(b"verifier-builder-base/1\0")
    digest.update(dockerfile.read_bytes() + b"\0" + (base_image or "(Dockerfile default)").encode())
    return digest.hexdigest()


def recipe_key(builder_dir: Path, builder_base_id: str) -> str:
    """Content key of a recipe layer: every file in its directory and the builder base's id."""
    digest = hashlib.sha256(b"verifier-builder-recipe/1\0" + builder_base_id.encode() + b"\0")
    _hash_tree(digest, builder_dir)
    return digest.hexdigest()


def _ensure(runtime: ContainerRuntime, tag: str, say: Callable[[str], None], *, context_dir: Path,
            containerfile: Path, build_args: Mapping[str, str], network: bool, mounts: list[Mount],
            log_path: Path) -> str:
    existing = runtime.image_id(tag)
    if existing is not None:
        return existing
    say(f"building {tag}")
    started = time.monotonic()
    image_id = runtime.build_image(context_dir, containerfile, tag, build_args=build_args, network=network,
                                   mounts=mounts, log_path=log_path, timeout_s=_BUILD_TIMEOUT_S)
    say(f"built {tag} in {time.monotonic() - started:.1f} s")
    return image_id


def ensure_builder_image(runtime: ContainerRuntime, builder_dir: Path, base_image: str | None,
                         cache_dir: Path | None = None, *, dockerfile: Path | None = None,
                         ca_bundle: Path | None = None, allow_unpinned_base: bool = False,
                         progress: Callable[[str], None] | None = None) -> str:
    """The image id of recipe `builder_dir` on the builder base made from `base_image`.

    `base_image` is an image id or a digest-pinned reference (a mutable tag only with
    `allow_unpinned_base`); None builds FROM the Dockerfile's own pinned default. `dockerfile`
    defaults to the Dockerfile beside the recipes (verifier/builders/Dockerfile). `ca_bundle` is
    a CA file mounted for the recipe's pip (hosts behind a TLS-intercepting proxy). Raises BadInput
    for an unpinned base, RuntimeUnavailable when an image cannot be built.
    """
    say = progress or (lambda message: None)
    builder_dir = builder_dir.resolve()
    dockerfile = (dockerfile or builder_dir.parent / "Dockerfile").resolve()
    containerfile = builder_dir / "Containerfile"
    for required in (dockerfile, containerfile):
        if not required.is_file():
            raise RuntimeUnavailable(f"cannot build the builder image: {required} does not exist")
    if base_image is not None:
        check_pinned(base_image, allow_unpinned_base)
    cache = cache_dir or default_cache_dir()
    logs = cache / "image-logs"

    # The builder base COPYs nothing: build it from an empty context, not the whole repository.
    base_key = builder_base_key(dockerfile, base_image)
    empty_context = cache / "empty-context"
    empty_context.mkdir(parents=True, exist_ok=True)
    try:
        builder_base_id = _ensure(
            runtime, f"localhost/verifier-builder-base:{base_key[:_KEY_LENGTH]}", say,
            context_dir=empty_context, containerfile=dockerfile,
            build_args={"BASE_IMAGE": base_image.removeprefix("sha256:")} if base_image else {},
            network=False, mounts=[], log_path=logs / f"builder-base-{base_key[:_KEY_LENGTH]}.log")
    except RuntimeUnavailable as exc:
        if base_image is not None:
            raise
        # The Dockerfile's default base comes from a registry; `image bootstrap` needs none.
        raise RuntimeUnavailable(f"{exc}; no base image is bootstrapped here: run `verifier image bootstrap` "
                                 "once (it makes the base from Debian packages, without a registry)") from exc

    key = recipe_key(builder_dir, builder_base_id)
    build_args = {"VERIFIER_BASE": builder_base_id.removeprefix("sha256:")}
    mounts = []
    if ca_bundle is not None:
        mounts.append(Mount(ca_bundle, CA_BUNDLE_TARGET))
        build_args["PIP_CERT"] = CA_BUNDLE_TARGET
    return _ensure(
        runtime, f"localhost/verifier-builder-{builder_dir.name}:{key[:_KEY_LENGTH]}", say,
        context_dir=builder_dir, containerfile=containerfile, build_args=build_args, network=True,
        mounts=mounts, log_path=logs / f"builder-{builder_dir.name}-{key[:_KEY_LENGTH]}.log")
