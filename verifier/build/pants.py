"""The `pants` builder: sdists of Pants monorepos (`pants.toml` at the root), through builders/pants/.

The Pants version comes from the tagged `pants.toml`; the target is the `python_distribution`
whose `python_artifact(name=...)` is the package. The image runs Pants on the Python its PyPI
wheel is built for, beside the Python the build needs; a prepare phase (with network) fills the
caches, the package phase runs with no network and no local cache (see verifier/pants/runner.py).
Every change from the tagged configuration is reported as a deviation.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

from packaging.utils import canonicalize_name

from verifier.build.interface import Builder, BuildRequest, BuildResult, Progress
from verifier.errors import BadInput, BuildError
from verifier.pants.build_files import find_distributions, select_distribution
from verifier.pants.ci_config import ci_config_files
from verifier.pants.config import detect, pants_version
from verifier.pants.interface import BuildUser
from verifier.pants.pythons import find_pants_release
from verifier.pants.runner import PantsRecipeRunner
from verifier.runtime.interface import ContainerRuntime
from verifier.upstream.index import IndexClient

PANTS_PYTHONS = ("3.9", "3.11")


def build_user(text: str | None) -> BuildUser:
    """UID:GID:USER:GROUP, or UID:GID (then named builder:builder), or the default 1000:1000."""
    if not text:
        return BuildUser()
    parts = text.split(":")
    if len(parts) == 2 and all(part.isdigit() for part in parts):
        return BuildUser(int(parts[0]), int(parts[1]), "builder", "builder")
    return BuildUser.parse(text)


def distribution_names(tree: Path) -> list[str]:
    return sorted({d.artifact_name for d in find_distributions(tree) if d.artifact_name})


class PantsBuilder(Builder):
    name = "pants"

    @classmethod
    def detects(cls, tree: Path) -> bool:
        return detect(tree)

    def build(self, request: BuildRequest, runtime: ContainerRuntime, progress: Progress) -> BuildResult:
        if request.target != "sdist":
            raise BadInput("the pants builder rebuilds sdists only")
        if request.tar_writer or request.prebuild or request.extra_requirements or request.windows:
            raise BadInput("--tar-writer, --windows, --prebuild-step and --with-requirement are for the pypa-build builder")
        checkout = request.checkout
        target = select_distribution(find_distributions(checkout), request.package)
        version = pants_version(checkout)
        user = build_user(request.build_user)
        progress(f"Pants {version}: target {target.address} builds {target.artifact_name}; build user {user}")
        with IndexClient(request.build_index_url) as index:
            release = find_pants_release(version, index, PANTS_PYTHONS)
        runner = PantsRecipeRunner(progress=progress, prepare_timeout_s=request.timeout_s, package_timeout_s=request.timeout_s)
        image = runner.ensure_image(runtime, request.cache_dir, release.python, version, user, pants_wheel_sha256=release.wheel_sha256)
        # Pants' caches (content store, named caches) are kept per repository and Pants version.
        repo_key = hashlib.sha256(str(request.checkout).encode() + version.encode()).hexdigest()[:16]
        caches = request.cache_dir / "pants-caches" / f"{canonicalize_name(request.package)}-{repo_key}"
        logs = request.workdir / "logs"
        ci = ci_config_files(checkout)
        if ci is not None:
            progress(f"applying {', '.join(ci.files)} as CI does (PANTS_CONFIG_FILES at {ci.origin})")
        sdists = runner.build(
            runtime, checkout, target.address, request.workdir / "out", caches, request.source_date_epoch, user, logs,
            extra_options=request.builder_options, config_files=ci.value if ci else None,
        )
        wanted = canonicalize_name(request.package)
        mine = [s for s in sdists if canonicalize_name(s.name.rsplit("-", 1)[0]) == wanted] or sdists
        if len(mine) != 1:
            raise BuildError(f"Pants wrote {len(sdists)} sdists, none clearly {request.package}: {', '.join(s.name for s in sdists)}")
        deviations = [
            {"what": d.what, "original": d.original, "replacement": d.replacement, "why": d.why}
            for d in runner.deviations(checkout)
        ]
        return BuildResult(
            sdist=mine[0],
            builder=self.name,
            image_id=image.image_id,
            base_image=None,
            log_path=logs / "package.log",
            python="3.11",
            requirements=[
                {"name": "pantsbuild.pants", "version": version, "filename": release.wheel_filename, "sha256": release.wheel_sha256},
            ],
            environment={"pants_python": release.python, "build_user": str(user), "pex": image.pex_known_version,
                         "pants_config_files": ci.value if ci else None},
            network=False,
            deviations=deviations,
            notes=[
                ("the prepare phase (pants package with network) filled Pants' caches; the sdist comes from the "
                "package phase, run with no network and --no-local-cache"),
                "Pants does not pass SOURCE_DATE_EPOCH to setup.py: member mtimes are the build's clock",
            ] + ([f"read {', '.join(ci.files)} on top of pants.toml, as CI does (PANTS_CONFIG_FILES={ci.value} at {ci.origin})"] if ci else []),
        )


def check_package_given(tree: Path, package: str | None) -> str:
    if package:
        return package
    names = distribution_names(tree)
    raise BadInput(f"a Pants repository with {len(names)} distributions: give --package (one of {', '.join(names)})")
