"""PantsRecipeRunner's checks before anything runs (no container is started by these tests)."""

from __future__ import annotations

from pathlib import Path

import pytest

from verifier.pants.interface import BuildUser, PantsImage, UsageError
from verifier.pants.runner import PantsRecipeRunner
from verifier.runtime.podman import PodmanRuntime

from .conftest import WriteTree
from .test_config import BACKEND_AI_LIKE

CI_USER = BuildUser(1001, 123, "runner", "docker")
IMAGE = PantsImage("sha256:" + "0" * 64, "localhost/verifier-builder-pants:x", "2.16.0rc2", "3.9",
                   ("3.9.2", "3.11.2"), "v2.1.134|linux_x86_64|" + "1" * 64 + "|1", "no", CI_USER)


def _build(builder: PantsRecipeRunner, tree: Path, tmp_path: Path, user: BuildUser = CI_USER, **options: object) -> None:
    builder.build(PodmanRuntime(executable="/nonexistent/podman"), tree, "src/a:dist", tmp_path / "out",
                  tmp_path / "cache", None, user, tmp_path / "logs", **options)  # type: ignore[arg-type]


def test_build_needs_an_image(write_tree: WriteTree, tmp_path: Path) -> None:
    with pytest.raises(UsageError, match="ensure_image first"):
        _build(PantsRecipeRunner(), write_tree({"pants.toml": BACKEND_AI_LIKE}), tmp_path)


def test_image_user_and_pants_version_must_match(write_tree: WriteTree, tmp_path: Path) -> None:
    builder = PantsRecipeRunner()
    builder.image = IMAGE
    with pytest.raises(UsageError, match="made for user 1001:123:runner:docker"):
        _build(builder, write_tree({"pants.toml": BACKEND_AI_LIKE}), tmp_path, BuildUser())
    other = write_tree({"pants.toml": BACKEND_AI_LIKE.replace("2.16.0rc2", "2.17.0")})
    with pytest.raises(UsageError, match=r"pins Pants 2.17.0, the image has 2.16.0rc2"):
        _build(builder, other, tmp_path)


def test_extra_options_and_a_used_output_are_refused(write_tree: WriteTree, tmp_path: Path) -> None:
    builder = PantsRecipeRunner()
    builder.image = IMAGE
    tree = write_tree({"pants.toml": BACKEND_AI_LIKE})
    with pytest.raises(UsageError, match="must start with --"):
        _build(builder, tree, tmp_path, extra_options=["package"])
    (tmp_path / "out" / "dist").mkdir(parents=True)
    (tmp_path / "out" / "dist" / "old.tar.gz").write_bytes(b"")
    with pytest.raises(UsageError, match="already holds files"):
        _build(builder, tree, tmp_path)


def test_deviations_use_the_image(write_tree: WriteTree) -> None:
    builder = PantsRecipeRunner(ca_bundle=None, indexes=None)
    builder.image = IMAGE
    whats = [d.what for d in builder.deviations(write_tree({"pants.toml": BACKEND_AI_LIKE}))]
    assert "[python-repos].indexes" not in whats
    assert whats[0] == "[python].interpreter_constraints"
