"""Container runtimes (podman, docker CLI), the offline base image and builder images.

    runtime = detect_runtime(None, runtime_args_from_env())
    base = bootstrap_base(runtime, "bookworm", workdir=work)
    image = ensure_builder_image(runtime, Path("builders/pypa-build"), base.image_id)
    result = runtime.run(RunSpec(image=image, command=[...], mounts=[...]), work / "build.log")
"""

from __future__ import annotations

from verifier.runtime.detect import check_can_run, detect_runtime, runtime_args_from_env
from verifier.runtime.images import BaseImage, bootstrap_base, check_pinned, ensure_builder_image
from verifier.runtime.interface import (
    BuildError,
    ContainerRuntime,
    Mount,
    RunResult,
    RunSpec,
    RuntimeUnavailable,
)

__all__ = [
    "BaseImage",
    "BuildError",
    "ContainerRuntime",
    "Mount",
    "RunResult",
    "RunSpec",
    "RuntimeUnavailable",
    "bootstrap_base",
    "check_can_run",
    "check_pinned",
    "detect_runtime",
    "ensure_builder_image",
    "runtime_args_from_env",
]
