"""Finding the sdists a Pants repository can build: ``python_distribution`` targets in BUILD files.

BUILD files are Python syntax; they are parsed with :mod:`ast` and never executed. A target is

    python_distribution(
        name="dist",
        provides=python_artifact(name="backend.ai-common", version="1.0", ...),   # or setup_py(...)
        ...
    )

A string argument counts when it is a literal or a module-level name bound once to a literal
(``NAME = "x"`` ... ``name=NAME``). Directories matched by ``[GLOBAL] pants_ignore`` (a subset of
gitignore syntax: ``*``/``?`` globs, a leading ``/`` anchors, a trailing ``/`` means directories;
``!`` negations are not supported and are skipped) and hidden directories are not searched.
"""

from __future__ import annotations

import ast
import fnmatch
import os
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path, PurePosixPath

from packaging.utils import canonicalize_name

from verifier.pants.config import DEFAULT_BUILD_PATTERNS, DEFAULT_PANTS_IGNORE, PANTS_TOML, read_pants_config
from verifier.pants.interface import BadInput, ConfigError, PantsDistribution

__all__ = ["find_distributions", "parse_build_file", "select_distribution"]

_TARGET_TYPES = frozenset({"python_distribution"})
_ARTIFACT_TYPES = frozenset({"python_artifact", "setup_py"})
_MAX_BUILD_FILE_BYTES = 4 * 1024 * 1024


class _IgnorePatterns:
    """pants_ignore patterns, matched against paths relative to the build root."""

    def __init__(self, patterns: Iterable[str]) -> None:
        self._patterns: list[tuple[str, bool, bool]] = []  # (glob, anchored, directories only)
        for raw in patterns:
            pattern = raw.strip()
            if not pattern or pattern.startswith(("#", "!")):
                continue
            directories_only = pattern.endswith("/")
            pattern = pattern.rstrip("/")
            anchored = pattern.startswith("/") or "/" in pattern
            self._patterns.append((pattern.lstrip("/"), anchored, directories_only))

    def ignores(self, relative: PurePosixPath, is_dir: bool) -> bool:
        text = relative.as_posix()
        for pattern, anchored, directories_only in self._patterns:
            if directories_only and not is_dir:
                continue
            if anchored:
                if fnmatch.fnmatchcase(text, pattern):
                    return True
            elif fnmatch.fnmatchcase(relative.name, pattern):
                return True
        return False


def _build_files(tree: Path, build_patterns: Sequence[str], ignore: _IgnorePatterns) -> Iterator[Path]:
    """BUILD files below `tree`, in sorted order, skipping ignored and hidden directories."""
    for root, dirs, files in os.walk(tree):
        here = PurePosixPath(Path(root).relative_to(tree).as_posix())  # "." at the top
        dirs[:] = sorted(name for name in dirs
                         if not name.startswith(".") and not ignore.ignores(here / name, True))
        for name in sorted(files):
            if any(fnmatch.fnmatchcase(name, pattern) for pattern in build_patterns) \
                    and not ignore.ignores(here / name, False):
                yield Path(root) / name


class _Constants:
    """Module-level names bound exactly once to a string literal."""

    def __init__(self, module: ast.Module) -> None:
        values: dict[str, list[ast.expr]] = {}
        for statement in module.body:
            if isinstance(statement, ast.Assign):
                for target in statement.targets:
                    if isinstance(target, ast.Name):
                        values.setdefault(target.id, []).append(statement.value)
            elif isinstance(statement, ast.AnnAssign) and isinstance(statement.target, ast.Name) \
                    and statement.value is not None:
                values.setdefault(statement.target.id, []).append(statement.value)
        self.strings = {
            name: bound[0].value for name, bound in values.items()
            if len(bound) == 1 and isinstance(bound[0], ast.Constant) and isinstance(bound[0].value, str)
        }

    def string(self, node: ast.expr | None) -> str | None:
        if isinstance(node, ast.Constant) and isinstance(node.value, str):
            return node.value
        if isinstance(node, ast.Name):
            return self.strings.get(node.id)
        return None


def _called_name(call: ast.Call) -> str | None:
    return call.func.id if isinstance(call.func, ast.Name) else None


def _keywords(call: ast.Call) -> dict[str, ast.expr]:
    return {keyword.arg: keyword.value for keyword in call.keywords if keyword.arg is not None}


def _address(directory: str, arguments: dict[str, ast.expr], constants: _Constants) -> str:
    """The target's address: ``dir:name``, ``//:name`` at the root. Without ``name=`` Pants names a
    target after its directory; a name that is not a literal is shown as ``<computed>``."""
    if "name" in arguments:
        name = constants.string(arguments["name"]) or "<computed>"
    else:
        name = PurePosixPath(directory).name or "<build root name>"
    return f"{directory}:{name}" if directory else f"//:{name}"


def parse_build_file(source: bytes, relative_path: Path) -> list[PantsDistribution]:
    """The ``python_distribution`` targets of one BUILD file; `relative_path` is its path from the
    build root (it gives the target's directory). Raises ConfigError when it is not valid Python."""
    try:
        module = ast.parse(source, filename=str(relative_path))
    except SyntaxError as exc:
        raise ConfigError(f"{relative_path}: cannot parse: {exc.msg} (line {exc.lineno})") from exc
    except (ValueError, RecursionError, MemoryError) as exc:
        raise ConfigError(f"{relative_path}: cannot parse: {type(exc).__name__}") from exc
    constants = _Constants(module)
    directory = relative_path.parent.as_posix()
    directory = "" if directory == "." else directory
    found: list[PantsDistribution] = []
    for node in ast.walk(module):
        if not (isinstance(node, ast.Call) and _called_name(node) in _TARGET_TYPES):
            continue
        arguments = _keywords(node)
        address = _address(directory, arguments, constants)
        artifact_name: str | None = None
        version_expr: str | None = None
        provides = arguments.get("provides")
        if isinstance(provides, ast.Call) and _called_name(provides) in _ARTIFACT_TYPES:
            artifact_arguments = _keywords(provides)
            artifact_name = constants.string(artifact_arguments.get("name"))
            if "version" in artifact_arguments:
                version_expr = ast.unparse(artifact_arguments["version"])
        found.append(PantsDistribution(address=address, artifact_name=artifact_name,
                                       version_expr=version_expr, path=relative_path))
    return found


def find_distributions(tree: Path) -> list[PantsDistribution]:
    """Every ``python_distribution`` target of the Pants repository at `tree`, sorted by address.

    Uses ``[GLOBAL] build_patterns`` and ``pants_ignore`` from pants.toml when there is one (Pants'
    defaults otherwise). Raises ConfigError naming a BUILD file that is not valid Python.
    """
    if (tree / PANTS_TOML).is_file():
        config = read_pants_config(tree)
        build_patterns, ignore_patterns = config.build_patterns, config.pants_ignore
    else:
        build_patterns, ignore_patterns = DEFAULT_BUILD_PATTERNS, DEFAULT_PANTS_IGNORE
    ignore = _IgnorePatterns(ignore_patterns)
    found: list[PantsDistribution] = []
    for path in _build_files(tree, build_patterns, ignore):
        relative = path.relative_to(tree)
        try:
            if path.stat().st_size > _MAX_BUILD_FILE_BYTES:
                raise ConfigError(f"{relative}: larger than {_MAX_BUILD_FILE_BYTES} bytes: not a BUILD file")
            source = path.read_bytes()
        except OSError as exc:
            raise ConfigError(f"cannot read {relative}: {exc.strerror}") from exc
        found.extend(parse_build_file(source, relative))
    return sorted(found, key=lambda distribution: distribution.address)


def _describe(distributions: Iterable[PantsDistribution]) -> str:
    return ", ".join(f"{d.artifact_name or '(name not a literal)'} ({d.address})" for d in distributions) or "none"


def select_distribution(distributions: Sequence[PantsDistribution], package: str) -> PantsDistribution:
    """The one distribution whose artifact name is `package` (PEP 503-normalized on both sides:
    ``backend.ai-common`` matches ``Backend.AI_Common``). Raises BadInput listing the candidates
    when none or several match."""
    wanted = canonicalize_name(package)
    matches = [d for d in distributions
               if d.artifact_name is not None and canonicalize_name(d.artifact_name) == wanted]
    if len(matches) == 1:
        return matches[0]
    if not matches:
        raise BadInput(f"no python_distribution target provides {package!r}; candidates: {_describe(distributions)}")
    raise BadInput(f"several python_distribution targets provide {package!r}: {_describe(matches)}")
