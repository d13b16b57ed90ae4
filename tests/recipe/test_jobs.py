"""A job's commands, with tox/nox/make calls followed only inside the tree (verifier/recipe/jobs.py)."""

from __future__ import annotations

import os
from pathlib import Path

from tests.recipe.helpers import GOOD, write_workflow
from verifier.recipe import infer_recipe


def test_called_files_outside_the_tree_are_not_read(tmp_path: Path) -> None:
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "Makefile").write_text("dist:\n\tpython -m build\n")
    tree = tmp_path / "tree"
    write_workflow(tree, "release.yml", GOOD.replace("python -m build", "make -C ../outside dist"))
    os.symlink(outside / "Makefile", tree / "Makefile")
    write_workflow(tree, "tox.yml", "on: push\njobs:\n  t:\n    steps:\n      - run: tox -e build -c ../outside/tox.ini\n")
    (outside / "tox.ini").write_text("[testenv:build]\ncommands = python -m build\n")
    recipe = infer_recipe(tree)
    assert recipe.build_command is None
    write_workflow(tree, "release.yml", GOOD.replace("python -m build", "make dist"))
    recipe = infer_recipe(tree)
    assert recipe.build_command is None
    assert any("Makefile: outside the tree" in note for note in recipe.notes)

def test_unparsable_tox_nox_and_makefile_become_notes(tmp_path: Path) -> None:
    write_workflow(tmp_path, "release.yml", """\
on: push
jobs:
  b:
    steps:
      - run: tox -e build
      - run: nox -s build
      - run: make
      - run: twine upload dist/*
""")
    (tmp_path / "tox.ini").write_text("[testenv:build\ncommands = python -m build\n")
    (tmp_path / "noxfile.py").write_text("def build(session):\n    session.run('python', '-m', 'build'\n")
    (tmp_path / "Makefile").write_text("\tpython -m build\nall: all\n\t$(MAKE) all\n")
    recipe = infer_recipe(tmp_path)
    assert recipe.build_command is None
    assert any("`tox -e build` not followed: tox.ini: cannot be parsed" in note for note in recipe.notes)
    assert any("`nox -s build` not followed: noxfile.py: cannot be parsed" in note for note in recipe.notes)
