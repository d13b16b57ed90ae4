"""Finding the project and reading its static metadata: every file kind, monorepos, bad input."""

from __future__ import annotations

import os
import textwrap
from pathlib import Path

import pytest

from verifier.source.interface import DEFAULT_BUILD_REQUIRES, ProjectInfo, SourceError
from verifier.source.metadata import detect_project, find_projects
from verifier.source.treefiles import MAX_METADATA_BYTES


def write_tree(root: Path, files: dict[str, str]) -> Path:
    for relative, content in files.items():
        path = root / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(content))
    return root


# --- single projects ---------------------------------------------------------------------------


def test_pep621_static(tmp_path: Path) -> None:
    write_tree(tmp_path, {"pyproject.toml": """
        [build-system]
        requires = ["hatchling>=1.18", "hatch-vcs"]
        build-backend = "hatchling.build"
        backend-path = ["_build"]

        [project]
        name = "Demo_Pkg"
        version = "01.02.03"
    """})
    assert detect_project(tmp_path) == ProjectInfo(
        name="Demo_Pkg",
        version="1.2.3",
        subdir="",
        name_source="pyproject",
        build_backend="hatchling.build",
        build_requires=("hatchling>=1.18", "hatch-vcs"),
        backend_path=("_build",),
        dynamic_version=False,
    )


def test_pep621_dynamic_version_without_build_system(tmp_path: Path) -> None:
    write_tree(tmp_path, {"pyproject.toml": """
        [project]
        name = "demo"
        version = "9.9"
        dynamic = ["version"]
    """})
    info = detect_project(tmp_path)
    assert (info.name, info.version, info.dynamic_version) == ("demo", None, True)
    assert info.build_requires == DEFAULT_BUILD_REQUIRES == ("setuptools>=40.8.0",)
    assert info.build_backend is None
    assert info.backend_path == ()


def test_poetry(tmp_path: Path) -> None:
    write_tree(tmp_path, {"pyproject.toml": """
        [tool.poetry]
        name = "poetic"
        version = "1.0.0"

        [build-system]
        requires = ["poetry-core>=1.0.0"]
        build-backend = "poetry.core.masonry.api"
    """})
    info = detect_project(tmp_path)
    assert (info.name, info.version, info.name_source) == ("poetic", "1.0.0", "pyproject")
    assert info.build_backend == "poetry.core.masonry.api"
    assert not info.dynamic_version


def test_poetry_dynamic_versioning(tmp_path: Path) -> None:
    write_tree(tmp_path, {"pyproject.toml": """
        [tool.poetry]
        name = "poetic"
        version = "0.0.0"

        [tool.poetry-dynamic-versioning]
        enable = true
    """})
    info = detect_project(tmp_path)
    assert (info.name, info.version, info.dynamic_version) == ("poetic", None, True)


def test_old_flit(tmp_path: Path) -> None:
    write_tree(tmp_path, {"pyproject.toml": """
        [build-system]
        requires = ["flit_core >=2,<4"]
        build-backend = "flit_core.buildapi"
        [tool.flit.metadata]
        module = "flitted"
    """})
    info = detect_project(tmp_path)
    assert (info.name, info.dynamic_version, info.build_backend) == (
        "flitted", True, "flit_core.buildapi"
    )


def test_setup_cfg(tmp_path: Path) -> None:
    write_tree(tmp_path, {
        "pyproject.toml": "[tool.black]\nline-length = 100\n",
        "setup.cfg": "[metadata]\nname = cfgpkg\nversion = 2.0\n[flake8]\nmax-line-length = 1\n",
        "setup.py": "from setuptools import setup\nsetup(name='ignored')\n",
    })
    info = detect_project(tmp_path)
    assert (info.name, info.version, info.name_source) == ("cfgpkg", "2.0", "setup.cfg")
    assert info.build_requires == DEFAULT_BUILD_REQUIRES


@pytest.mark.parametrize("directive", ["attr: cfgpkg.__version__", "file: VERSION"])
def test_setup_cfg_computed_version(tmp_path: Path, directive: str) -> None:
    write_tree(tmp_path, {"setup.cfg": f"[metadata]\nname = cfgpkg\nversion = {directive}\n"})
    info = detect_project(tmp_path)
    assert (info.name, info.version, info.dynamic_version) == ("cfgpkg", None, True)


@pytest.mark.parametrize(
    ("source", "name", "version"),
    [
        ("from setuptools import setup\nsetup(name='lit', version='1.0')\n", "lit", "1.0"),
        ("import setuptools\nsetuptools.setup(name=\"attr\", version='2')\n", "attr", "2"),
        ("NAME = 'const'\nVERSION: str = '3.0'\nfrom setuptools import setup\n"
         "setup(name=NAME, version=VERSION)\n", "const", "3.0"),
        ("A = B = 'chained'\nsetup(name=B)\n", "chained", None),
        ("META = {'name': 'dicted', 'version': '4'}\nsetup(**META)\n", "dicted", "4"),
        ("NAME = 'inner'\nMETA = dict(name=NAME)\nsetup(**META)\n", "inner", None),
        ("if __name__ == '__main__':\n    setup(name='nested')\n", "nested", None),
        ("setup(name=compute(), version=get_version())\n", None, None),
        ("NAME = 'a'\nNAME = 'b'\nsetup(name=NAME)\n", None, None),
        ("setup(name='scm', version='1.0', use_scm_version=True)\n", "scm", None),
        ("# -*- coding: latin-1 -*-\nsetup(name='caf\xe9')\n", "caf\xe9", None),
        ("from distutils.core import setup\nsetup(name='old')\n", "old", None),
    ],
)
def test_setup_py(tmp_path: Path, source: str, name: str | None, version: str | None) -> None:
    encoding = "latin-1" if "latin-1" in source else "utf-8"
    (tmp_path / "setup.py").write_bytes(source.encode(encoding))
    info = detect_project(tmp_path)
    assert (info.name, info.version, info.dynamic_version) == (name, version, version is None)
    assert info.name_source == ("setup.py" if name else None)


def test_setup_py_is_never_run(tmp_path: Path) -> None:
    write_tree(tmp_path, {"setup.py": """
        open(__file__ + ".ran", "w").write("ran")
        raise SystemExit(1)
        setup(name="quiet")
    """})
    assert detect_project(tmp_path).name == "quiet"
    assert not (tmp_path / "setup.py.ran").exists()


# --- monorepos ---------------------------------------------------------------------------------


@pytest.fixture
def monorepo(tmp_path: Path) -> Path:
    """Three packages below a root that holds only tool settings, plus decoys that are skipped."""
    return write_tree(tmp_path, {
        "pyproject.toml": "[tool.ruff]\nline-length = 100\n",
        "packages/alpha/pyproject.toml": '[project]\nname = "alpha"\nversion = "1.0"\n',
        "packages/beta/setup.cfg": "[metadata]\nname = Beta\n",
        "packages/beta/setup.py": "from setuptools import setup\nsetup()\n",
        "libs/gamma-core/setup.py": "NAME = 'gamma.core'\nsetup(name=NAME, version='0.1')\n",
        "tests/fixtures/pyproject.toml": '[project]\nname = "alpha"\n',
        ".hidden/pyproject.toml": '[project]\nname = "alpha"\n',
        "node_modules/x/pyproject.toml": '[project]\nname = "alpha"\n',
        "docs/conf.py": "project = 'alpha'\n",
    })


@pytest.mark.parametrize(
    ("package", "subdir", "name_source"),
    [
        ("alpha", "packages/alpha", "pyproject"),
        ("BETA", "packages/beta", "setup.cfg"),
        ("gamma_core", "libs/gamma-core", "setup.py"),
        ("Gamma.Core", "libs/gamma-core", "setup.py"),
    ],
)
def test_monorepo_finds_the_package(
    monorepo: Path, package: str, subdir: str, name_source: str
) -> None:
    info = detect_project(monorepo, package)
    assert (info.subdir, info.name_source) == (subdir, name_source)


def test_monorepo_unknown_package_lists_what_was_found(monorepo: Path) -> None:
    with pytest.raises(SourceError) as caught:
        detect_project(monorepo, "delta")
    message = caught.value.message
    assert "no project named delta" in message
    for shown in ("alpha (packages/alpha)", "Beta (packages/beta)", "gamma.core (libs/gamma-core)"):
        assert shown in message


def test_monorepo_without_package_is_ambiguous(monorepo: Path) -> None:
    with pytest.raises(SourceError, match="3 projects"):
        detect_project(monorepo)


def test_monorepo_subdir_overrides_the_search(monorepo: Path) -> None:
    assert detect_project(monorepo, subdir="packages/beta").name == "Beta"
    assert detect_project(monorepo, "beta", subdir="./packages/beta/").subdir == "packages/beta"
    with pytest.raises(SourceError, match="is Beta, not alpha"):
        detect_project(monorepo, "alpha", subdir="packages/beta")
    with pytest.raises(SourceError, match="no Python project at 'docs'"):
        detect_project(monorepo, subdir="docs")
    with pytest.raises(SourceError, match="inside the repository"):
        detect_project(monorepo, subdir="../elsewhere")
    with pytest.raises(SourceError, match="not a directory"):
        detect_project(monorepo, subdir="missing")


def test_two_projects_with_one_name(monorepo: Path) -> None:
    write_tree(monorepo, {"legacy/alpha/setup.py": "setup(name='alpha')\n"})
    with pytest.raises(SourceError, match=r"2 projects .* named alpha") as caught:
        detect_project(monorepo, "alpha")
    assert "legacy/alpha" in caught.value.message and "packages/alpha" in caught.value.message


def test_root_naming_the_package_wins(monorepo: Path) -> None:
    write_tree(monorepo, {"setup.py": "setup(name='alpha')\n"})
    assert detect_project(monorepo, "alpha").subdir == ""


def test_root_naming_another_package_leads_to_a_search(monorepo: Path) -> None:
    write_tree(monorepo, {"setup.py": "setup(name='umbrella')\n"})
    assert detect_project(monorepo, "alpha").subdir == "packages/alpha"
    assert detect_project(monorepo).name == "umbrella"


def test_root_with_computed_name_is_the_fallback(tmp_path: Path) -> None:
    write_tree(tmp_path, {"setup.py": "setup(name=read_name())\n"})
    assert detect_project(tmp_path, "whatever").subdir == ""


def test_single_project_below_an_empty_root(tmp_path: Path) -> None:
    write_tree(tmp_path, {"python/pyproject.toml": '[project]\nname = "solo"\n'})
    assert detect_project(tmp_path).subdir == "python"


def test_search_depth_is_bounded(tmp_path: Path) -> None:
    write_tree(tmp_path, {
        "a/b/c/d/pyproject.toml": '[project]\nname = "four"\n',
        "a/b/c/d/e/pyproject.toml": '[project]\nname = "five"\n',
    })
    assert detect_project(tmp_path, "four").subdir == "a/b/c/d"
    with pytest.raises(SourceError, match="no project named five"):
        detect_project(tmp_path, "five")


def test_search_does_not_follow_symlinks(tmp_path: Path) -> None:
    write_tree(tmp_path / "outside", {"pyproject.toml": '[project]\nname = "far"\n'})
    (tmp_path / "tree").mkdir()
    os.symlink(tmp_path / "outside", tmp_path / "tree" / "link")
    assert find_projects(tmp_path / "tree").projects == ()


def test_no_project_at_all(tmp_path: Path) -> None:
    write_tree(tmp_path, {"README": "nothing\n"})
    with pytest.raises(SourceError, match="no Python project"):
        detect_project(tmp_path)
    with pytest.raises(SourceError, match="found no Python project"):
        detect_project(tmp_path, "x")


# --- malformed and hostile files ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("files", "message"),
    [
        ({"pyproject.toml": "[project\nname = 1\n"}, "pyproject.toml: invalid TOML"),
        ({"pyproject.toml": "[project]\nname = 3\n"}, "project.name must be a string"),
        ({"pyproject.toml": "project = 1\n"}, "pyproject.toml: project must be a table"),
        ({"pyproject.toml": "[project]\ndynamic = 'version'\n"}, "project.dynamic must be a list"),
        ({"pyproject.toml": "[build-system]\nbuild-backend = 'x'\n"}, "has no 'requires'"),
        ({"pyproject.toml": "[build-system]\nrequires = [1]\n"}, "build-system.requires must be"),
        ({"setup.cfg": "name = nosection\n"}, "setup.cfg: invalid configuration file"),
        ({"setup.py": "print 'python 2'\n"}, r"setup.py: cannot parse: .* \(line 1\)"),
        ({"setup.py": "setup(name='x'\n"}, "setup.py: cannot parse"),
    ],
)
def test_malformed_files(tmp_path: Path, files: dict[str, str], message: str) -> None:
    write_tree(tmp_path, files)
    with pytest.raises(SourceError, match=message) as caught:
        detect_project(tmp_path)
    assert "\n" not in caught.value.message


def test_malformed_bytes(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_bytes(b'[project]\nname = "\xff"\n')
    with pytest.raises(SourceError, match=r"pyproject.toml: not UTF-8"):
        detect_project(tmp_path)
    (tmp_path / "pyproject.toml").unlink()
    (tmp_path / "setup.py").write_bytes(b"setup(name='a')\0\n")
    with pytest.raises(SourceError, match=r"setup.py: cannot parse"):
        detect_project(tmp_path)


def test_deeply_nested_toml(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text("x = " + "[" * 100_000 + "]" * 100_000 + "\n")
    with pytest.raises(SourceError, match=r"pyproject.toml"):
        detect_project(tmp_path)


def test_oversized_file(tmp_path: Path) -> None:
    (tmp_path / "setup.py").write_bytes(b"#" * (MAX_METADATA_BYTES + 1))
    with pytest.raises(SourceError, match=r"setup.py: .*over the limit"):
        detect_project(tmp_path)


def test_symlink_out_of_the_tree(tmp_path: Path) -> None:
    (tmp_path / "secret").write_text('[project]\nname = "secret"\n')
    tree = tmp_path / "tree"
    tree.mkdir()
    os.symlink(tmp_path / "secret", tree / "pyproject.toml")
    with pytest.raises(SourceError, match=r"pyproject.toml: a symlink leading outside"):
        detect_project(tree)


def test_symlink_inside_the_tree_is_read(tmp_path: Path) -> None:
    write_tree(tmp_path, {"shared/pyproject.toml": '[project]\nname = "shared"\n'})
    os.symlink("shared/pyproject.toml", tmp_path / "pyproject.toml")
    assert detect_project(tmp_path).name == "shared"


def test_special_files_are_not_read(tmp_path: Path) -> None:
    os.mkfifo(tmp_path / "pyproject.toml")
    with pytest.raises(SourceError, match=r"pyproject.toml: not a regular file"):
        detect_project(tmp_path)
    os.unlink(tmp_path / "pyproject.toml")
    os.symlink("/dev/zero", tmp_path / "setup.py")
    with pytest.raises(SourceError, match=r"setup.py: a symlink leading outside"):
        detect_project(tmp_path)


def test_malformed_unrelated_project_does_not_stop_the_search(monorepo: Path) -> None:
    write_tree(monorepo, {"broken/pyproject.toml": "[project\n"})
    assert detect_project(monorepo, "alpha").subdir == "packages/alpha"
    with pytest.raises(SourceError, match=r"1 unreadable: broken/pyproject.toml: invalid TOML"):
        detect_project(monorepo, "delta")


def test_malformed_root_is_an_error(monorepo: Path) -> None:
    (monorepo / "pyproject.toml").write_text("[tool.ruff\n")
    with pytest.raises(SourceError, match=r"^pyproject.toml: invalid TOML"):
        detect_project(monorepo, "alpha")


def test_not_a_directory(tmp_path: Path) -> None:
    with pytest.raises(SourceError, match="not a directory"):
        detect_project(tmp_path / "missing")
