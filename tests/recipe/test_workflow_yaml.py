"""Hostile workflow YAML gives notes, never exceptions (verifier/recipe/workflow_yaml.py)."""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest
import yaml

from tests.recipe.helpers import GOOD, get, write_workflow
from verifier.recipe import infer_recipe, workflow_yaml

BOMB = "\n".join(
    ['a0: &a0 ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    + [f"a{n}: &a{n} [" + ", ".join([f"*a{n - 1}"] * 9) + "]" for n in range(1, 10)]
    + ["jobs:\n  b:\n    steps: [*a9]"]
)

HOSTILE = {
    "bomb.yml": (BOMB, "more than 100000 YAML nodes"),
    "big.yml": ("x: '" + "y" * (2 << 20) + "'\n", "larger than 1048576 bytes"),
    "invalid.yml": ("jobs: [unclosed\n  - : :\n", "invalid YAML"),
    "list.yml": ("- run: python -m build\n- uses: pypa/gh-action-pypi-publish@release/v1\n", "not a mapping"),
    "deep.yml": ("x: " + "[" * 50_000 + "]" * 50_000 + "\n", "YAML"),
    "deep-block.yml": ("".join(" " * depth + f"k{depth}:\n" for depth in range(400)), "nested deeper"),
    "recursive.yml": ("a: &a [*a]\njobs: *a\n", "alias"),
    "many-nodes.yml": ("jobs:\n" + "".join(f"  j{n}: [a, b, c]\n" for n in range(25_000)), "more than 100000 YAML nodes"),
    "two-documents.yml": (GOOD + "---\n" + GOOD, "more than one YAML document"),
    "python-tag.yml": ("jobs: !!python/object/apply:os.system ['touch pwned']\n", "no workflow step builds"),
}

@pytest.mark.parametrize("name", sorted(HOSTILE))
@pytest.mark.parametrize("loader", [yaml.SafeLoader, getattr(yaml, "CSafeLoader", yaml.SafeLoader)], ids=["python", "libyaml"])
def test_hostile_workflow_gives_notes_not_exceptions(tmp_path: Path, name: str, loader: type, monkeypatch: pytest.MonkeyPatch) -> None:
    text, expected = HOSTILE[name]
    monkeypatch.setattr(workflow_yaml, "default_loader", lambda: loader)
    write_workflow(tmp_path, name, text)
    started = time.process_time()  # CPU time: bounded work, whatever else the machine is doing
    recipe = infer_recipe(tmp_path)
    assert time.process_time() - started < 6
    assert recipe.build_command is None and recipe.env == {} and recipe.prebuild == []
    assert any(expected in note for note in recipe.notes), recipe.notes
    assert not (tmp_path / "pwned").exists()

def test_hostile_files_beside_a_good_workflow_give_a_partial_recipe(tmp_path: Path) -> None:
    for name, (text, _) in HOSTILE.items():
        write_workflow(tmp_path, name, text)
    write_workflow(tmp_path, "zz-release.yml", GOOD)
    (tmp_path / ".github" / "workflows" / "binary.yml").write_bytes(b"\xff\xfe\x00\x81 not text")
    os.symlink("/dev/zero", tmp_path / ".github" / "workflows" / "zero.yml")
    os.symlink("/etc/passwd", tmp_path / ".github" / "workflows" / "passwd.yaml")
    started = time.process_time()
    recipe = infer_recipe(tmp_path)
    assert time.process_time() - started < 10
    assert recipe.build_command == "python -m build"
    assert get(recipe, "build_command").origin == ".github/workflows/zz-release.yml:5"
    for expected in ("not UTF-8", "zero.yml: outside the tree", "passwd.yaml: outside the tree", "invalid YAML"):
        assert any(expected in note for note in recipe.notes), expected
