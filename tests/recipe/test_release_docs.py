"""A release checklist of the tree as the recipe when no workflow builds (verifier/recipe/release_docs.py)."""

from __future__ import annotations

from pathlib import Path

from verifier.recipe import infer_recipe
from verifier.recipe.release_docs import shell_lines

CHECKLIST = """\
# Release Checklist

* [ ] Start from a freshly cloned repo:

```bash
cd /tmp
rm -rf demo
git clone https://github.com/example/demo
cd demo
# Generate translation binaries
scripts/generate.sh
```

- [ ] Create a distribution:

```console
$ pip install -U pip build twine
$ rm -rf build dist
$ python -m build
$ twine upload dist/*
```

```python
print("not shell")
```
"""


def test_markdown_shell_blocks_give_the_build_and_the_steps_before_it(tmp_path: Path) -> None:
    (tmp_path / "RELEASING.md").write_text(CHECKLIST)
    (tmp_path / "scripts").mkdir()
    (tmp_path / "scripts" / "generate.sh").write_text("echo made > data.txt\n")
    found = infer_recipe(tmp_path)
    assert (found.frontend, found.build_command) == ("build", "python -m build")
    assert [command.text for command in found.prebuild] == [
        "rm -rf demo", "git clone https://github.com/example/demo", "scripts/generate.sh", "pip install -U pip build twine", "rm -rf build dist",
    ]
    assert found.prebuild[2].origin == "RELEASING.md:11" and all(command.working_directory == "" for command in found.prebuild)
    assert found.setting("release_doc") is not None and found.setting("build_command").origin == "RELEASING.md:19"  # type: ignore[union-attr]
    assert any("release checklist RELEASING.md" in note for note in found.notes)


def test_rest_code_blocks_and_continuations_are_read(tmp_path: Path) -> None:
    text = "Releasing\n=========\n\nRun::\n\n    make clean\n    python setup.py \\\n        sdist\n\nThen:\n\n.. code-block:: bash\n\n    twine upload dist/*\n"
    assert shell_lines(text, markdown=False) == [("make clean", 6), ("python setup.py sdist", 7), ("twine upload dist/*", 14)]
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "releasing.rst").write_text(text)
    found = infer_recipe(tmp_path)
    assert (found.frontend, found.build_command) == ("setup.py", "python setup.py sdist")


def test_a_workflow_build_wins_and_a_checklist_without_an_sdist_build_gives_nothing(tmp_path: Path) -> None:
    (tmp_path / "RELEASING.md").write_text("```\npython -m build --wheel\n```\n")
    assert not infer_recipe(tmp_path).found
    (tmp_path / "RELEASING.md").write_text(CHECKLIST)
    (tmp_path / ".github" / "workflows").mkdir(parents=True)
    (tmp_path / ".github" / "workflows" / "release.yml").write_text(
        "on: push\njobs:\n  build:\n    runs-on: ubuntu-latest\n    steps:\n      - run: flit build\n"
    )
    found = infer_recipe(tmp_path)
    assert found.frontend == "flit" and found.setting("release_doc") is None
