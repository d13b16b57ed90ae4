"""Fixtures for the runtime stage: the real container runtime of this host, the offline base image
(made once with mmdebstrap, then reused from the cache record), the pypa-build builder image.

Host-specific runtime options come from VERIFIER_RUNTIME_ARGS, as for the verifier itself; on a host
whose podman needs them and has no /etc/containers/containers.conf (scripts/setup-host.sh), e.g.
    VERIFIER_RUNTIME_ARGS="--runtime runc --ulimit nofile=1024:1024 --ulimit nproc=1024:1024"
"""

from __future__ import annotations

import importlib.util
import os
import sys
from pathlib import Path

import pytest

# Make the checkout importable when the project is not installed into the venv.
if importlib.util.find_spec("verifier") is None:
    sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from verifier.hostenv import host_ca_bundle
from verifier.runtime.cache import default_cache_dir
from verifier.runtime.detect import check_can_run, detect_runtime, runtime_args_from_env
from verifier.runtime.images import BaseImage, bootstrap_base, ensure_builder_image
from verifier.runtime.interface import ContainerRuntime, RuntimeUnavailable

REPOSITORY = Path(__file__).resolve().parents[2]
RECIPES = REPOSITORY / "verifier" / "builders"
PYPA_BUILD = RECIPES / "pypa-build"


@pytest.fixture(scope="session")
def runtime() -> ContainerRuntime:
    try:
        return detect_runtime(os.environ.get("VERIFIER_RUNTIME") or None, runtime_args_from_env())
    except RuntimeUnavailable as exc:
        pytest.fail(f"these tests need a container runtime: {exc}")


@pytest.fixture(scope="session")
def cache_dir() -> Path:
    """The real cache (VERIFIER_CACHE_DIR or ~/.cache/verifier), so the base image is made once."""
    return default_cache_dir()


@pytest.fixture(scope="session")
def base_image(runtime: ContainerRuntime, cache_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> BaseImage:
    base = bootstrap_base(runtime, "bookworm", workdir=tmp_path_factory.mktemp("base"), cache_dir=cache_dir)
    try:
        check_can_run(runtime, base.image_id)
    except RuntimeUnavailable as exc:
        pytest.fail(str(exc))
    return base


@pytest.fixture(scope="session")
def builder_image(runtime: ContainerRuntime, base_image: BaseImage, cache_dir: Path) -> str:
    ca_bundle = host_ca_bundle() if runtime.name == "podman" else None
    return ensure_builder_image(runtime, PYPA_BUILD, base_image.image_id, cache_dir, ca_bundle=ca_bundle)


def readable_by_all(root: Path) -> Path:
    """Let the container's non-root user read `root` (pytest makes its temporary dirs 0700)."""
    for path in [root, *root.rglob("*")]:
        if not path.is_symlink():
            path.chmod(path.stat().st_mode | 0o444 | (0o111 if path.is_dir() else 0))
    return root


def writable_by_builder(directory: Path) -> Path:
    """An output directory the image's `builder` user (uid 1000) can write."""
    directory.mkdir(parents=True, exist_ok=True)
    if os.geteuid() == 0:
        os.chown(directory, 1000, 1000)
    else:
        directory.chmod(0o777)
    return directory
