"""Reading a project's name and static version from ``setup.py`` without running it.

The file is parsed with :mod:`ast`. A keyword of a ``setup(...)`` call (``setuptools.setup``,
``distutils.core.setup`` ...) counts when its value is a string literal, a module-level constant
holding one (``NAME = "x"`` ... ``name=NAME``), or an entry of a literal dict passed as
``**kwargs`` (``setup(**META)`` with ``META = {"name": "x"}`` or ``dict(name="x")``). Anything
computed is unknown: a computed version is reported as no static version.
"""

from __future__ import annotations

import ast

from verifier.source.declared import Declared, normalize_version
from verifier.source.interface import SourceError

__all__ = ["parse_setup_py"]

# Keywords that make setuptools compute the version from the VCS.
_VCS_VERSION_KEYWORDS = frozenset({"use_scm_version", "version_config", "pbr"})

_Unknown = object()  # a value that is not a static string


def parse_setup_py(data: bytes, filename: str) -> Declared:
    """The static ``name`` and ``version`` given to ``setup()`` in a ``setup.py``.

    ``data`` is the file's bytes (a PEP 263 coding line is honoured). Raises SourceError naming
    ``filename`` when it is not valid Python 3.
    """
    try:
        module = ast.parse(data, filename=filename)
    except SyntaxError as exc:
        raise SourceError(f"{filename}: cannot parse: {exc.msg} (line {exc.lineno})") from exc
    except (ValueError, RecursionError, MemoryError) as exc:
        raise SourceError(f"{filename}: cannot parse: {type(exc).__name__}: {exc}") from exc
    constants = _ModuleConstants(module)
    names: set[str] = set()
    versions: set[str] = set()
    version_computed = False
    for call in _setup_calls(module):
        keywords = _call_keywords(call, constants)
        name = keywords.get("name")
        if isinstance(name, str):
            names.add(name.strip())
        version = keywords.get("version")
        if version is _Unknown or _VCS_VERSION_KEYWORDS & keywords.keys():
            version_computed = True  # a VCS plugin overrides even a literal version
        elif isinstance(version, str):
            versions.add(version.strip())
    return Declared(
        name=names.pop() if len(names) == 1 else None,
        version=(
            normalize_version(versions.pop())
            if len(versions) == 1 and not version_computed
            else None
        ),
    )


class _ModuleConstants:
    """Module-level names bound exactly once (or always to the same value) to a literal."""

    def __init__(self, module: ast.Module) -> None:
        bound: dict[str, list[ast.expr]] = {}
        for target, value in _module_assignments(module):
            bound.setdefault(target, []).append(value)
        self.strings: dict[str, str] = {}
        for target, values in bound.items():
            literals = {_string(value) for value in values}
            if len(literals) == 1 and None not in literals:
                self.strings[target] = str(literals.pop())
        # Dicts may refer to the string constants, so they are read second.
        self.dicts: dict[str, dict[str, object]] = {}
        for target, values in bound.items():
            table = _literal_dict(values[0], self) if len(values) == 1 else None
            if table is not None:
                self.dicts[target] = table

    def value(self, node: ast.expr) -> object:
        """The static string ``node`` stands for, or ``_Unknown``."""
        literal = _string(node)
        if literal is not None:
            return literal
        if isinstance(node, ast.Name) and node.id in self.strings:
            return self.strings[node.id]
        return _Unknown


def _module_assignments(module: ast.Module) -> list[tuple[str, ast.expr]]:
    """``NAME = value`` and ``NAME: T = value`` at module level, including ``A = B = value``."""
    pairs: list[tuple[str, ast.expr]] = []
    for statement in module.body:
        if isinstance(statement, ast.Assign):
            for target in statement.targets:
                if isinstance(target, ast.Name):
                    pairs.append((target.id, statement.value))
        elif (
            isinstance(statement, ast.AnnAssign)
            and statement.value is not None
            and isinstance(statement.target, ast.Name)
        ):
            pairs.append((statement.target.id, statement.value))
    return pairs


def _setup_calls(module: ast.Module) -> list[ast.Call]:
    """Every call of a function named ``setup`` (bare or as an attribute), anywhere in the file."""
    calls: list[ast.Call] = []
    for node in ast.walk(module):
        if isinstance(node, ast.Call):
            func = node.func
            if (isinstance(func, ast.Name) and func.id == "setup") or (
                isinstance(func, ast.Attribute) and func.attr == "setup"
            ):
                calls.append(node)
    return calls


def _call_keywords(call: ast.Call, constants: _ModuleConstants) -> dict[str, object]:
    """The keywords of a call with their static values (``_Unknown`` when computed)."""
    keywords: dict[str, object] = {}
    for keyword in call.keywords:
        if keyword.arg is not None:
            keywords[keyword.arg] = constants.value(keyword.value)
            continue
        unpacked = _literal_dict(keyword.value, constants)
        if unpacked is None and isinstance(keyword.value, ast.Name):
            unpacked = constants.dicts.get(keyword.value.id)
        if unpacked is not None:
            keywords.update(unpacked)
    return keywords


def _literal_dict(node: ast.expr, constants: _ModuleConstants) -> dict[str, object] | None:
    """``{"name": "x", ...}`` or ``dict(name="x", ...)`` with static string keys, else None."""
    if isinstance(node, ast.Dict):
        entries: dict[str, object] = {}
        for key, value in zip(node.keys, node.values, strict=True):
            key_text = _string(key) if key is not None else None
            if key_text is None:
                return None
            entries[key_text] = constants.value(value)
        return entries
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "dict":
        if node.args or any(keyword.arg is None for keyword in node.keywords):
            return None
        return {
            keyword.arg: constants.value(keyword.value)
            for keyword in node.keywords
            if keyword.arg
        }
    return None


def _string(node: ast.expr | None) -> str | None:
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    return None
