"""The Pants image key: it follows every input."""

from __future__ import annotations

import shutil
from pathlib import Path

from verifier.pants.base_image import PantsBase
from verifier.pants.image import (
    PANTS_RECIPE_DIR,
    pants_image_build_args,
    pants_image_key,
)
from verifier.pants.interface import BuildUser

BASE = PantsBase("sha256:" + "a" * 64, "ref", "key", "0" * 64, {"3.9": "3.9.2", "3.11": "3.11.2"}, 0)


def _args(**changes: object) -> dict[str, str]:
    inputs: dict[str, object] = {"pants_version": "2.16.0rc2", "pants_python": "3.9",
                                     "build_user": BuildUser(1001, 123, "runner", "docker")}
    inputs.update(changes)
    return pants_image_build_args(BASE, **inputs)  # type: ignore[arg-type]


def test_build_arguments() -> None:
    assert _args() == {
        "PANTS_BASE": "a" * 64, "PANTS_VERSION": "2.16.0rc2", "PANTS_PYTHON": "3.9", "PANTS_WHEEL_SHA256": "",
        "PEX_VERSION": "", "BUILD_UID": "1001", "BUILD_GID": "123", "BUILD_USER": "runner", "BUILD_GROUP": "docker",
    }


def test_key_follows_recipe_base_and_arguments(tmp_path: Path) -> None:
    recipe = tmp_path / "pants"
    shutil.copytree(PANTS_RECIPE_DIR, recipe)
    key = pants_image_key(recipe, BASE.image_id, _args())
    assert pants_image_key(recipe, BASE.image_id, _args()) == key
    assert pants_image_key(recipe, "sha256:" + "b" * 64, _args()) != key
    assert pants_image_key(recipe, BASE.image_id, _args(build_user=BuildUser())) != key
    assert pants_image_key(recipe, BASE.image_id, _args(pex_version="v2.1.137")) != key
    (recipe / "build.sh").write_text((recipe / "build.sh").read_text() + "\n")
    assert pants_image_key(recipe, BASE.image_id, _args()) != key
