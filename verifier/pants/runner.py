"""Runs the Pants recipe (builders/pants/), host side: make the image, then run build.sh twice.

    prepare  network on:  `pants package TARGET` once, filling the cache mounts (content store, named
                          caches, the build user's ~/.pex)
    package  network off: `pants --no-local-cache package TARGET`: every process runs again offline,
                          only downloads come from the caches; the sdists land in OUT/dist

Both runs get the checkout read-only at /src (build.sh works on a copy in a tmpfs), the cache
directory at /cache and its pex_root/ at ~/.pex (empty with the image's pex; see build.sh), and
run as the build user, whose names the image
records in /etc/passwd and /etc/group so that tar headers carry them. Timestamps inside the sdist
are those of the build (Pants does not pass SOURCE_DATE_EPOCH to setup.py); see transplant.py.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Literal

from verifier.hostenv import host_ca_bundle
from verifier.logs import log_tail
from verifier.pants.base_image import bootstrap_pants_base
from verifier.pants.config import detect, read_pants_config
from verifier.pants.deviations import (
    IMAGE_CA_BUNDLE,
    PYPI_SIMPLE,
    config_overrides,
    image_deviations,
)
from verifier.pants.image import PANTS_RECIPE_DIR, ensure_pants_image
from verifier.pants.interface import (
    BuildError,
    BuildUser,
    Deviation,
    PantsImage,
    UsageError,
)
from verifier.runtime.interface import ContainerRuntime, Mount, RunResult, RunSpec

__all__ = ["BUILD_SCRIPT", "PantsRecipeRunner"]

BUILD_SCRIPT = "/opt/pants-recipe/build.sh"
_EXIT_MEANINGS = {
    2: "unusable input (no pants.toml, an unwritable mount, a bad option)",
    5: "pants package failed",
    6: "Pants produced no sdist",
}
_CACHE_SUBDIRS = ("lmdb_store", "named_caches", "pex_root")


def _give_to(path: Path, user: BuildUser) -> None:
    """Make a bind-mounted directory writable by the build user: chown when we are root, else open it
    to all (a rootless engine maps the container's uid to an id this process cannot chown to)."""
    path.mkdir(parents=True, exist_ok=True)
    if os.geteuid() == 0:
        os.chown(path, user.uid, user.gid)
    else:
        path.chmod(0o777)


class PantsRecipeRunner:
    """Rebuilds sdists of a Pants repository (``pants.toml`` at its root) in the Pants image.

    `indexes` replace ``[python-repos].indexes`` (None keeps them); `ca_bundle` is the CA file mounted
    for the image build and the runs ("host": the host's, see verifier.hostenv; None: the image's
    own Debian bundle).
    """

    name = "pants"

    def __init__(self, *, recipe_dir: Path = PANTS_RECIPE_DIR, ca_bundle: Path | Literal["host"] | None = "host",
                 indexes: Sequence[str] | None = (PYPI_SIMPLE,), prepare_timeout_s: float = 1800.0,
                 package_timeout_s: float = 1800.0, memory: str = "4g", build_tmpfs_size: str = "4g",
                 progress: Callable[[str], None] | None = None) -> None:
        self.recipe_dir = recipe_dir
        self.ca_bundle = host_ca_bundle() if isinstance(ca_bundle, str) else ca_bundle
        self.indexes = tuple(indexes) if indexes is not None else None
        self.prepare_timeout_s = prepare_timeout_s
        self.package_timeout_s = package_timeout_s
        self.memory = memory
        self.build_tmpfs_size = build_tmpfs_size
        self._say = progress or (lambda message: None)
        self.image: PantsImage | None = None

    @staticmethod
    def detect(tree: Path) -> bool:
        """Whether `tree` is a Pants repository."""
        return detect(tree)

    # -- image ----------------------------------------------------------------------------------

    def ensure_image(self, runtime: ContainerRuntime, cache: Path, python_for_pants: str, pants_version: str,
                     build_user: BuildUser, *, pex_version: str | None = None,
                     pants_wheel_sha256: str | None = None) -> PantsImage:
        """Make (or find) the base and the Pants image for this release and build user; remember it for
        `build`. `python_for_pants` is "3.9" for the Pants 2.x wheels on PyPI (see pythons.py);
        `pex_version` None takes the release's default. Raises RuntimeUnavailable."""
        base = bootstrap_pants_base(runtime, workdir=cache / "pants-base-work", cache_dir=cache, progress=self._say)
        self.image = ensure_pants_image(runtime, base, pants_version=pants_version, pants_python=python_for_pants,
                                        build_user=build_user, cache_dir=cache, pex_version=pex_version,
                                        pants_wheel_sha256=pants_wheel_sha256, ca_bundle=self.ca_bundle,
                                        recipe_dir=self.recipe_dir, progress=self._say)
        return self.image

    def _require_image(self, build_user: BuildUser) -> PantsImage:
        if self.image is None:
            raise UsageError("PantsRecipeRunner.build needs ensure_image first")
        if self.image.build_user != build_user:
            raise UsageError(f"the Pants image was made for user {self.image.build_user}, not {build_user}")
        return self.image

    # -- what changes ---------------------------------------------------------------------------

    def deviations(self, tree: Path) -> list[Deviation]:
        """Every change from the tagged configuration a build of `tree` in the current image makes."""
        image = self.image
        config = read_pants_config(tree)
        pythons = image.build_pythons if image else ("3.9.2", "3.11.2")
        found = [override.deviation for override in config_overrides(config, pythons, indexes=self.indexes)]
        return found + image_deviations(config, pex_known_version=image.pex_known_version if image else None,
                                        pex_same_as_official=image.pex_same_as_official if image else "unknown",
                                        host_ca_bundle=self.ca_bundle is not None)

    # -- build ----------------------------------------------------------------------------------

    def build(self, runtime: ContainerRuntime, checkout: Path, target_address: str | Sequence[str], out_dir: Path,
              cache_dir: Path, source_date_epoch: int | None, build_user: BuildUser, log_dir: Path, *,
              extra_options: Sequence[str] = (), config_files: str | None = None) -> list[Path]:
        """Build the sdist(s) of `target_address` (one address or several) from `checkout`: prepare
        with network, then package offline. Returns the sdists in `out_dir`/dist, sorted.

        `extra_options` are Pants options of the publisher's own command line, passed as they are
        (backend.ai's release job: ``--platform-specific-resources-target=linux_arm64`` for the
        sdist it uploaded); they reproduce the publisher's build and are not deviations.
        `config_files`: PANTS_CONFIG_FILES as the publisher's CI set it (``pants.ci.toml``), read by
        Pants on top of pants.toml (see verifier.pants.ci_config).

        `out_dir`/dist must not hold files yet; `cache_dir` is kept between builds (the store, the
        named caches and the pex root live there). Logs: `log_dir`/prepare.log, package.log.
        Raises BuildError with the log's last lines when a phase fails or times out.
        """
        image = self._require_image(build_user)
        targets = [target_address] if isinstance(target_address, str) else list(target_address)
        if not targets or not all(isinstance(t, str) and t and not t.startswith("-") for t in targets):
            raise UsageError(f"not Pants target addresses: {targets!r}")
        if not all(option.startswith("--") for option in extra_options):
            raise UsageError(f"extra Pants options must start with --: {list(extra_options)!r}")
        config = read_pants_config(checkout)
        if config.pants_version != image.pants_version:
            raise UsageError(f"the repository pins Pants {config.pants_version}, the image has {image.pants_version}")
        options = [override.option for override in config_overrides(config, image.build_pythons,
                                                                    indexes=self.indexes)]
        options += extra_options
        dist = out_dir / "dist"
        if dist.is_dir() and any(dist.iterdir()):
            raise UsageError(f"{dist} already holds files")
        _give_to(out_dir, build_user)
        for name in _CACHE_SUBDIRS:
            _give_to(cache_dir / name, build_user)
        _give_to(cache_dir, build_user)
        log_dir.mkdir(parents=True, exist_ok=True)

        mounts = [Mount(checkout, "/src"), Mount(out_dir, "/out", read_only=False),
                  Mount(cache_dir, "/cache", read_only=False),
                  Mount(cache_dir / "pex_root", f"{build_user.home}/.pex", read_only=False)]
        if self.ca_bundle is not None:
            mounts.append(Mount(self.ca_bundle, IMAGE_CA_BUNDLE))
        env = {"HOME": build_user.home}
        if source_date_epoch is not None:
            env["SOURCE_DATE_EPOCH"] = str(source_date_epoch)
        if config_files:
            env["PANTS_CONFIG_FILES"] = config_files
        execution_root = config.execution_root_in_buildroot()
        if execution_root:
            env["EXECUTION_ROOT_DIR"] = execution_root

        for phase, network, timeout_s in (("prepare", True, self.prepare_timeout_s),
                                          ("package", False, self.package_timeout_s)):
            self._say(f"pants {phase} {' '.join(targets)} ({'network' if network else 'no network'})")
            spec = RunSpec(image=image.image_id, command=[BUILD_SCRIPT, phase, *options, "--", *targets],
                           mounts=mounts, env=env, workdir="/build", user=build_user.ids, network=network,
                           timeout_s=timeout_s, memory=self.memory,
                           tmpfs=("/tmp:exec", f"/build:exec,size={self.build_tmpfs_size}"),
                           labels={"org.verifier.phase": f"pants-{phase}"})
            result = runtime.run(spec, log_dir / f"{phase}.log")
            self._check(phase, result)
            self._say(f"pants {phase} took {result.duration_s:.1f} s")

        sdists = sorted(dist.glob("*.tar.gz")) if dist.is_dir() else []
        if not sdists:
            raise BuildError(f"pants package reported success but wrote no sdist to {dist} "
                             f"(log: {log_dir / 'package.log'})")
        return sdists

    @staticmethod
    def _check(phase: str, result: RunResult) -> None:
        if result.ok:
            return
        if result.timed_out:
            reason = f"timed out after {result.duration_s:.0f} s"
        else:
            reason = f"exit {result.exit_code}: {_EXIT_MEANINGS.get(result.exit_code, 'unexpected failure')}"
        raise BuildError(f"Pants {phase} failed ({reason}); log {result.log_path}: {log_tail(result.log_path, 12, separator=' | ', default='(no log)')}")
