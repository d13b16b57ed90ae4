"""Stage 4, build: the container runtime and base image, then one rebuild of the tag per recipe.

The builder (pypa-build, Pants, or one a test passes in) is the only part that runs containers;
it gets a `BuildRequest` and hands back the rebuilt sdist."""

from __future__ import annotations

import dataclasses
import shutil
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from verifier.build.interface import BuildRequest, BuildResult
from verifier.config import Settings
from verifier.errors import BadInput
from verifier.recipe.interface import Recipe
from verifier.runtime.base_image import bootstrap_base, packages_current
from verifier.runtime.cache import read_record
from verifier.runtime.detect import detect_runtime
from verifier.runtime.interface import ContainerRuntime
from verifier.upstream.compatibility import DEFAULT_GLIBC, SUITE_GLIBC
from verifier.verify.interface import VerifyRequest
from verifier.verify.stages.context import Progress, Run
from verifier.verify.stages.recipe import RecipeStage
from verifier.verify.stages.source import SourceStage

PYTHON_SUITES = {"3.9": "bullseye", "3.11": "bookworm", "3.13": "trixie"}
DEFAULT_PYTHON = "3.11"
BASE_FACTS = ("image_id", "suite", "rootfs_sha256", "python_version")

Base = tuple[str | None, str, dict[str, object]]  # (image or None for the Dockerfile's default, Python X.Y, facts)


def base_image_for(request: VerifyRequest, settings: Settings, runtime: ContainerRuntime, progress: Progress) -> Base:
    """(base image, python version X.Y, facts about the base) from the option, environment, config,
    or the image `verifier image bootstrap` made; None means the Dockerfile's pinned default."""
    python = request.python or DEFAULT_PYTHON
    if request.base_image:
        return request.base_image, python, {"origin": "--base-image"}
    if settings.base_image:
        return settings.base_image, python, {"origin": settings.source}
    suite = PYTHON_SUITES.get(python)
    if suite is None:
        raise BadInput(f"no base image for Python {python}: known {', '.join(PYTHON_SUITES)}; or give --base-image")
    recorded = read_record(settings.cache_dir / "base-images" / f"{suite}.json") or {}
    record = recorded.get("image") or {}
    present = bool(record.get("image_id") and runtime.image_id(str(record["image_id"])))
    can_make = shutil.which("mmdebstrap") is not None
    stale = present and can_make and not packages_current(recorded)
    if not present or stale:
        if not can_make or (request.python is None and not stale):
            return None, python, {"origin": f"the Dockerfile's pinned default (no `verifier image bootstrap --suite {suite}` image here)"}
        # An explicit --python with no base for it yet, or a base made with other packages: make one from Debian packages, once.
        why = "the recorded one was made with other packages" if stale else "none yet"
        progress(f"base image for Python {python}: {why}: making one from Debian {suite} (once, ~1 min)")
        with tempfile.TemporaryDirectory(prefix="verifier-bootstrap-") as scratch:
            made = bootstrap_base(runtime, suite, workdir=Path(scratch), cache_dir=settings.cache_dir, progress=progress)
        record = {"image_id": made.image_id, "suite": made.suite, "rootfs_sha256": made.rootfs_sha256, "python_version": made.python_version}
    facts: dict[str, object] = {key: record.get(key) for key in BASE_FACTS}
    facts["origin"] = f"verifier image bootstrap --suite {suite}"
    version = str(record.get("python_version") or python)
    return str(record["image_id"]), ".".join(version.split(".")[:2]), facts


@dataclass
class BuildEnvironment:
    """The runtime and the base image of each Python a recipe asks for (made once each)."""

    runtime: ContainerRuntime
    request: VerifyRequest  # with the workflow's Python when no --python was given
    bases: dict[str | None, Base] = field(default_factory=dict)

    @property
    def default(self) -> Base:
        return self.bases[None]

    def base(self, run: Run, python: str | None) -> Base:
        if python not in self.bases:
            wanted = dataclasses.replace(self.request, python=python)
            self.bases[python] = base_image_for(wanted, run.settings, self.runtime, run.say)
        return self.bases[python]


def prepare(run: Run, workflow: RecipeStage, runtime: ContainerRuntime | None = None) -> BuildEnvironment:
    """Find the container runtime (unless given) and the base image of the default Python."""
    request = run.request
    with run.phase("image", "preparing the container runtime and images"):
        if runtime is None:
            runtime = detect_runtime(request.runtime or run.settings.runtime, run.settings.runtime_args)
        if workflow.python and not request.python and workflow.python != DEFAULT_PYTHON:
            named = workflow.inferred.python if workflow.inferred else workflow.python
            run.note(f"building with Python {workflow.python}: the release workflow uses {named}")
            request = dataclasses.replace(request, python=workflow.python)
        environment = BuildEnvironment(runtime, request)
        environment.bases[None] = base_image_for(request, run.settings, runtime, run.say)
    return environment


def base_glibc(base: Base) -> tuple[int, int]:
    """The glibc of a base image: its Debian suite's, else that of the suite of its Python."""
    _, python, facts = base
    suite = str(facts.get("suite") or PYTHON_SUITES.get(python, ""))
    return SUITE_GLIBC.get(suite, DEFAULT_GLIBC)


def build_request(run: Run, source: SourceStage, recipe: Recipe, base: Base, workdir: Path) -> BuildRequest:
    request, settings = run.request, run.settings
    image, python, _ = base
    return BuildRequest(
        package=source.package,
        checkout=source.checkout.path,
        project=source.project,
        source_date_epoch=recipe.epoch.value,
        python_version=python,
        cutoff=recipe.cutoff,
        build_index_url=request.build_index_url or settings.build_index_url,
        pins=settings.pins + request.pins + recipe.pins,
        workdir=workdir,
        cache_dir=settings.cache_dir,
        base_image=image,
        allow_unpinned=request.allow_unpinned,
        timeout_s=request.timeout_s or settings.build_timeout,
        build_user=request.build_user,
        labels=request.labels,
        umask=recipe.umask,
        env=recipe.env,
        builder_options=request.builder_options,
        frontend=recipe.frontend,
        tar_writer=recipe.tar_writer,
        windows=recipe.windows,
        prebuild=recipe.prebuild,
        extra_requirements=recipe.extra_requirements,
        glibc=base_glibc(base),
    )


def rebuild(run: Run, source: SourceStage, environment: BuildEnvironment, recipe: Recipe, workdir: Path) -> BuildResult:
    """Rebuild the sdist with one recipe (raises CouldNotVerify when the build fails)."""
    base = environment.default if recipe.python is None else environment.base(run, recipe.python)
    epoch_text = recipe.epoch.value if recipe.epoch.value is not None else "unset"
    builder = source.builder
    with run.phase("build", f"building {source.package} {source.version} with {builder.name} (SOURCE_DATE_EPOCH: {epoch_text})"):
        return builder.build(build_request(run, source, recipe, base, workdir), environment.runtime, run.say)
