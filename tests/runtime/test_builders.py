"""Builder images: built once, then found by their content key."""

from __future__ import annotations

import shutil
import time
from pathlib import Path

from verifier.hostenv import host_ca_bundle
from verifier.runtime.builders import builder_base_key, recipe_key
from verifier.runtime.images import BaseImage, ensure_builder_image
from verifier.runtime.interface import ContainerRuntime

from .conftest import PYPA_BUILD, RECIPES


def test_second_ensure_is_a_cache_hit(runtime: ContainerRuntime, base_image: BaseImage, builder_image: str,
                                      cache_dir: Path) -> None:
    started = time.monotonic()
    again = ensure_builder_image(runtime, PYPA_BUILD, base_image.image_id, cache_dir, ca_bundle=host_ca_bundle())
    assert time.monotonic() - started < 1.0
    assert again == builder_image


def test_builder_image_layout(runtime: ContainerRuntime, builder_image: str, tmp_path: Path) -> None:
    from verifier.runtime.interface import RunSpec

    script = ("id; ls /opt/verifier-tools/recipe; /opt/verifier-tools/bin/python -c "
              "'import build, pyproject_hooks; print(build.__version__)'; "
              "ls /etc/pip.conf /etc/xdg/pip/pip.conf 2>&1 | grep -c 'No such'; "
              "echo $PYTHONDONTWRITEBYTECODE $PIP_DISABLE_PIP_VERSION_CHECK $PIP_NO_INPUT; "
              "ls -d /src /out /wheelhouse /build")
    result = runtime.run(RunSpec(image=builder_image, command=["sh", "-c", script]), tmp_path / "layout.log")
    lines = (tmp_path / "layout.log").read_text().splitlines()
    assert result.ok, lines
    assert lines[0].startswith("uid=1000(builder) gid=1000(builder)")
    assert lines[1:4] == ["build.sh", "frontend.py", "windows_text.py"]
    assert lines[4:7] == ["1.2.2.post1", "2", "1 1 1"]
    assert lines[7:] == ["/build", "/out", "/src", "/wheelhouse"]


def test_keys_follow_the_inputs(tmp_path: Path) -> None:
    recipe = tmp_path / "pypa-build"
    shutil.copytree(PYPA_BUILD, recipe, ignore=shutil.ignore_patterns("__pycache__"))
    key = recipe_key(recipe, "sha256:" + "0" * 64)
    assert recipe_key(recipe, "sha256:" + "0" * 64) == key
    assert recipe_key(recipe, "sha256:" + "1" * 64) != key
    (recipe / "build.sh").write_text((recipe / "build.sh").read_text() + "\n")
    changed_content = recipe_key(recipe, "sha256:" + "0" * 64)
    assert changed_content != key
    (recipe / "build.sh").chmod(0o644)
    assert recipe_key(recipe, "sha256:" + "0" * 64) != changed_content

    dockerfile = RECIPES / "Dockerfile"
    assert builder_base_key(dockerfile, "a" * 64) != builder_base_key(dockerfile, "b" * 64)
    assert builder_base_key(dockerfile, None) == builder_base_key(dockerfile, None)
