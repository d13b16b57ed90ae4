"""Whether the project's setup.py reads its command line (verifier/recipe/setup_py.py)."""

from __future__ import annotations

from pathlib import Path

from verifier.recipe.setup_py import setup_py_reads_argv


def test_the_line_that_reads_sys_argv_is_named(tmp_path: Path) -> None:
    (tmp_path / "setup.py").write_text("import sys\n# sys.argv == ['sdist'] in a comment is not read\nif sys.argv[1:] == ['sdist']:\n    pass\n")
    assert setup_py_reads_argv(tmp_path, "") == "setup.py:3: if sys.argv[1:] == ['sdist']:"


def test_from_sys_import_argv_counts_and_a_subdirectory_is_read(tmp_path: Path) -> None:
    (tmp_path / "pkg").mkdir()
    (tmp_path / "pkg" / "setup.py").write_text("from sys import argv\nif 'sdist' in argv:\n    pass\n")
    assert setup_py_reads_argv(tmp_path, "pkg") == "pkg/setup.py:2: if 'sdist' in argv:"


def test_argv_tests_for_other_commands_do_not_count(tmp_path: Path) -> None:
    (tmp_path / "setup.py").write_text('import sys\nif sys.argv[-1] == "publish":\n    sys.exit()\nif "bdist_wheel" in sys.argv:\n    pass\n')
    assert setup_py_reads_argv(tmp_path, "") is None


def test_no_setup_py_or_one_that_does_not_read_argv_or_one_outside_the_tree(tmp_path: Path) -> None:
    assert setup_py_reads_argv(tmp_path, "") is None
    (tmp_path / "setup.py").write_text("from setuptools import setup\nsetup()\n")
    assert setup_py_reads_argv(tmp_path, "") is None
    outside = tmp_path.parent / "outside-setup"
    outside.mkdir(exist_ok=True)
    (outside / "setup.py").write_text("import sys\nprint(sys.argv == ['sdist'])\n")
    assert setup_py_reads_argv(tmp_path, "../outside-setup") is None
    (tmp_path / "link").symlink_to(outside, target_is_directory=True)
    assert setup_py_reads_argv(tmp_path, "link") is None
