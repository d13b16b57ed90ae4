"""Detection against the real host: the runtime answers and can run the sandbox, or says why not."""

from __future__ import annotations

import pytest

from verifier.runtime.detect import check_can_run, detect_runtime, runtime_args_from_env
from verifier.runtime.images import BaseImage
from verifier.runtime.interface import ContainerRuntime, RuntimeUnavailable
from verifier.runtime.podman import PodmanRuntime


def test_detect_with_a_probe_run(runtime: ContainerRuntime, base_image: BaseImage) -> None:
    found = detect_runtime(runtime.name, runtime_args_from_env(), probe_image=base_image.image_id)
    assert found.name == runtime.name


def test_a_run_that_cannot_start_names_the_engine_error(runtime: ContainerRuntime, base_image: BaseImage) -> None:
    if runtime.name != "podman":
        pytest.skip("the broken option below is podman's")
    broken = PodmanRuntime(extra_args=[*runtime_args_from_env(), "--ulimit", "nofile=bogus"])
    with pytest.raises(RuntimeUnavailable, match=r"cannot run a container.*VERIFIER_RUNTIME_ARGS"):
        check_can_run(broken, base_image.image_id)
