#!/usr/bin/env python3
"""Fail when a module of verifier/ is over 500 lines or one of its functions over 80 lines.

Usage: check-sizes.py [PACKAGE_DIR]  (default: the verifier/ package next to this script)
Prints one line per offender; exits 1 when there is any, 0 otherwise.
"""

from __future__ import annotations

import ast
import sys
from collections.abc import Iterator
from pathlib import Path

MAX_MODULE_LINES = 500
MAX_FUNCTION_LINES = 80


def _functions(tree: ast.AST) -> Iterator[ast.FunctionDef | ast.AsyncFunctionDef]:
    for node in ast.walk(tree):
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            yield node


def _function_lines(node: ast.FunctionDef | ast.AsyncFunctionDef) -> int:
    """Lines from the `def` to the last line of the body (ast's own extent: decorators, such as a
    click command's options, are declarations and do not count)."""
    return (node.end_lineno or node.lineno) - node.lineno + 1


def offenders(package: Path) -> list[str]:
    """One message per module or function over its limit, paths relative to the package's parent."""
    found: list[str] = []
    for path in sorted(package.rglob("*.py")):
        text = path.read_text(encoding="utf-8")
        name = path.relative_to(package.parent)
        lines = len(text.splitlines())
        if lines > MAX_MODULE_LINES:
            found.append(f"{name}: {lines} lines (limit {MAX_MODULE_LINES})")
        for function in _functions(ast.parse(text, filename=str(path))):
            length = _function_lines(function)
            if length > MAX_FUNCTION_LINES:
                found.append(f"{name}:{function.lineno}: {function.name}() is {length} lines (limit {MAX_FUNCTION_LINES})")
    return found


def main(argv: list[str]) -> int:
    package = Path(argv[1]) if len(argv) > 1 else Path(__file__).resolve().parent.parent / "verifier"
    found = offenders(package)
    for line in found:
        print(line)
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
