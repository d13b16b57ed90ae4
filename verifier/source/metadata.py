"""Finding the Python project in a source tree and reading its static metadata.

A directory is a project when it has a ``pyproject.toml`` with ``[build-system]``, ``[project]``,
``[tool.poetry]`` or ``[tool.flit.metadata]``, a ``setup.cfg`` with ``[metadata]``, or a
``setup.py``. The name comes from the first of ``pyproject.toml``, ``setup.cfg``, ``setup.py``
that gives it (``setup.py`` is parsed, never run). In a monorepo the directory whose metadata names
the wanted package is searched for, a few levels deep.
"""

from __future__ import annotations

import os
from collections import deque
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from packaging.utils import canonicalize_name

from verifier.source.declared import BuildSystem, Declared
from verifier.source.interface import (
    DEFAULT_BUILD_REQUIRES,
    NameSource,
    ProjectInfo,
    SourceError,
)
from verifier.source.pyproject import parse_pyproject
from verifier.source.setup_cfg import parse_setup_cfg
from verifier.source.setup_py import parse_setup_py
from verifier.source.treefiles import read_tree_file

__all__ = ["MAX_SEARCH_DEPTH", "detect_project", "find_projects", "read_project_dir"]

#: How many directory levels below the root a monorepo search looks.
MAX_SEARCH_DEPTH = 4

#: Directory names never searched (besides hidden ones): not where a released package lives.
SKIPPED_DIRECTORIES = frozenset(
    {"node_modules", "tests", "test", "__pycache__", "site-packages", "venv"}
)

# A bound on the directories a search visits, against hostile or huge trees.
_MAX_SEARCHED_DIRECTORIES = 50_000

# How many projects an error message names.
_LISTED_PROJECTS = 12


@dataclass(frozen=True)
class SearchResult:
    """Projects found below a tree's root, and the errors met reading the others."""

    projects: tuple[ProjectInfo, ...]
    errors: tuple[str, ...]


def detect_project(
    tree: Path, package: str | None = None, subdir: str | None = None
) -> ProjectInfo:
    """The project in ``tree``: at ``subdir`` if given, else the root or the one naming ``package``.

    Without ``subdir``, the root's project is taken when it names ``package`` (or no package is
    given). Otherwise directories up to :data:`MAX_SEARCH_DEPTH` levels down are searched for
    the one whose metadata names ``package`` (PEP 503 comparison). Raises SourceError when no
    project or several fit (listing what was found), and for malformed metadata files.
    """
    tree = Path(tree)
    if not tree.is_dir():
        raise SourceError(f"source tree {tree} is not a directory")
    if subdir is not None:
        return _project_at_subdir(tree, _clean_subdir(subdir), package)

    root = read_project_dir(tree, "")
    if root is not None and (package is None or _same_name(root.name, package)):
        return root
    found = find_projects(tree)
    if package is None:
        return _the_only_project(tree, found)
    matches = [project for project in found.projects if _same_name(project.name, package)]
    if len(matches) == 1:
        return matches[0]
    if matches:
        raise SourceError(
            f"{len(matches)} projects in {tree} are named {package}: "
            f"{_listing(matches)}; choose one with subdir"
        )
    if root is not None and root.name is None:
        return root  # the root's name is computed: it may well be the package
    candidates = ([root] if root is not None else []) + list(found.projects)
    raise SourceError(
        f"no project named {package} in {tree}; "
        + (f"found {_listing(candidates)}" if candidates else "found no Python project")
        + _errors_note(found.errors)
    )


def read_project_dir(tree: Path, subdir: str) -> ProjectInfo | None:
    """The project whose files are in ``tree/subdir``, or None when that directory holds none."""
    def display(filename: str) -> str:
        return str(PurePosixPath(subdir, filename)) if subdir else filename

    pyproject_bytes = read_tree_file(tree, display("pyproject.toml"))
    pyproject = (
        parse_pyproject(pyproject_bytes, display("pyproject.toml"))
        if pyproject_bytes is not None
        else None
    )
    setup_cfg_bytes = read_tree_file(tree, display("setup.cfg"))
    setup_cfg = (
        parse_setup_cfg(setup_cfg_bytes, display("setup.cfg"))
        if setup_cfg_bytes is not None
        else None
    )
    has_setup_py = os.path.lexists(tree / display("setup.py"))
    if not (has_setup_py or setup_cfg is not None or (pyproject and pyproject.is_project)):
        return None

    sources: list[tuple[NameSource, Declared]] = []
    if pyproject is not None and pyproject.declared is not None:
        sources.append(("pyproject", pyproject.declared))
    else:
        # setuptools without [project]: setup.cfg, then setup.py (read only when needed).
        if setup_cfg is not None:
            sources.append(("setup.cfg", setup_cfg))
        cfg_complete = setup_cfg is not None and setup_cfg.name and setup_cfg.version
        if has_setup_py and not cfg_complete:
            setup_py_bytes = read_tree_file(tree, display("setup.py"))
            if setup_py_bytes is not None:
                sources.append(("setup.py", parse_setup_py(setup_py_bytes, display("setup.py"))))
    name_source, name = next(
        ((source, declared.name) for source, declared in sources if declared.name), (None, None)
    )
    version = next((declared.version for _, declared in sources if declared.version), None)
    build_system = pyproject.build_system if pyproject is not None else None
    return _project_info(subdir, name, name_source, version, build_system)


def find_projects(tree: Path, max_depth: int = MAX_SEARCH_DEPTH) -> SearchResult:
    """Projects in directories 1 to ``max_depth`` levels below ``tree``, breadth first.

    Hidden directories and :data:`SKIPPED_DIRECTORIES` are not entered, nor are symlinks.
    A directory whose metadata cannot be read is left out and its error recorded.
    """
    projects: list[ProjectInfo] = []
    errors: list[str] = []
    queue: deque[tuple[str, int]] = deque([("", 0)])
    visited = 0
    while queue:
        subdir, depth = queue.popleft()
        if depth > 0:
            try:
                project = read_project_dir(tree, subdir)
            except SourceError as exc:
                errors.append(str(exc))
                project = None
            if project is not None:
                projects.append(project)
        if depth == max_depth:
            continue
        for child in _child_directories(tree, subdir):
            visited += 1
            if visited > _MAX_SEARCHED_DIRECTORIES:
                raise SourceError(
                    f"more than {_MAX_SEARCHED_DIRECTORIES} directories to search in {tree}; "
                    "choose the project's directory with subdir"
                )
            queue.append((child, depth + 1))
    return SearchResult(tuple(projects), tuple(errors))


def _child_directories(tree: Path, subdir: str) -> list[str]:
    try:
        with os.scandir(tree / subdir if subdir else tree) as entries:
            names = sorted(
                entry.name
                for entry in entries
                if entry.is_dir(follow_symlinks=False)
                and not entry.name.startswith(".")
                and entry.name not in SKIPPED_DIRECTORIES
            )
    except OSError:
        return []
    return [str(PurePosixPath(subdir, name)) if subdir else name for name in names]


def _project_at_subdir(tree: Path, subdir: str, package: str | None) -> ProjectInfo:
    if not (tree / subdir).is_dir():
        raise SourceError(f"{subdir!r} is not a directory of {tree}")
    project = read_project_dir(tree, subdir)
    where = repr(subdir) if subdir else "the root"
    if project is None:
        raise SourceError(
            f"no Python project at {where} of {tree}: no pyproject.toml, setup.cfg or setup.py"
        )
    if package is not None and project.name is not None and not _same_name(project.name, package):
        raise SourceError(f"the project at {where} of {tree} is {project.name}, not {package}")
    return project


def _the_only_project(tree: Path, found: SearchResult) -> ProjectInfo:
    if len(found.projects) == 1:
        return found.projects[0]
    if not found.projects:
        raise SourceError(
            f"no Python project in {tree}: no pyproject.toml, setup.cfg or setup.py at the root "
            f"or up to {MAX_SEARCH_DEPTH} levels below" + _errors_note(found.errors)
        )
    raise SourceError(
        f"{len(found.projects)} projects in {tree} and no package named: "
        f"{_listing(list(found.projects))}; name the package or choose a subdir"
    )


def _project_info(
    subdir: str,
    name: str | None,
    name_source: NameSource | None,
    version: str | None,
    build_system: BuildSystem | None,
) -> ProjectInfo:
    return ProjectInfo(
        name=name,
        version=version,
        subdir=subdir,
        name_source=name_source,
        build_backend=build_system.backend if build_system else None,
        build_requires=build_system.requires if build_system else DEFAULT_BUILD_REQUIRES,
        backend_path=build_system.backend_path if build_system else (),
        dynamic_version=version is None,
    )


def _clean_subdir(subdir: str) -> str:
    """``subdir`` as a normalized relative POSIX path ("" for the root); no ``..``, not absolute."""
    pure = PurePosixPath(subdir.replace(os.sep, "/"))
    if pure.is_absolute() or ".." in pure.parts:
        raise SourceError(f"subdir {subdir!r} must be a relative path inside the repository")
    text = str(pure)
    return "" if text == "." else text


def _same_name(name: str | None, package: str) -> bool:
    return name is not None and canonicalize_name(name) == canonicalize_name(package)


def _listing(projects: list[ProjectInfo]) -> str:
    shown = [f"{project.name or '(name not static)'} ({project.subdir or 'root'})"
             for project in projects[:_LISTED_PROJECTS]]
    more = len(projects) - len(shown)
    return ", ".join(shown) + (f" and {more} more" if more > 0 else "")


def _errors_note(errors: tuple[str, ...]) -> str:
    if not errors:
        return ""
    return f"; {len(errors)} unreadable: " + "; ".join(errors[:3])
