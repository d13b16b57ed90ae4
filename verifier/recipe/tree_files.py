"""Files of an untrusted source tree, read safely: only inside the tree, only regular files, bounded.

Every path here is relative to the tree (POSIX separators); `join_relative` keeps it so and refuses
what would leave the tree. Nothing raises for the content of a file: a problem is returned as a note.
"""

from __future__ import annotations

import posixpath
import stat
from pathlib import Path

MAX_FILE_BYTES = 1 << 20


def one_line(error: BaseException) -> str:
    """An exception's message on one short line."""
    text = " ".join(str(error).split())
    return text[:200]


def inside(tree: Path, relative: str) -> Path | None:
    """`relative` resolved under `tree`, or None when it leaves the tree (`..`, absolute, symlinks)."""
    if not relative or relative.startswith(("/", "\\")) or "\x00" in relative:
        return None
    root = tree.resolve()
    try:
        path = (root / relative).resolve()
    except (OSError, RuntimeError):
        return None
    return path if path == root or path.is_relative_to(root) else None


def read_tree_file(tree: Path, relative: str) -> tuple[str | None, str | None]:
    """The text of the regular file `relative` in `tree`, or (None, why not); None, None if absent."""
    path = inside(tree, relative)
    if path is None:
        return None, f"{relative}: outside the tree, not read"
    try:
        info = path.stat()
    except FileNotFoundError:
        return None, None
    except OSError as error:
        return None, f"{relative}: cannot be read ({one_line(error)})"
    if not stat.S_ISREG(info.st_mode):
        return None, f"{relative}: not a regular file, not read"
    if info.st_size > MAX_FILE_BYTES:
        return None, f"{relative}: larger than {MAX_FILE_BYTES} bytes ({info.st_size}), skipped"
    try:
        with path.open("rb") as handle:
            data = handle.read(MAX_FILE_BYTES + 1)
    except OSError as error:
        return None, f"{relative}: cannot be read ({one_line(error)})"
    if len(data) > MAX_FILE_BYTES:
        return None, f"{relative}: larger than {MAX_FILE_BYTES} bytes, skipped"
    try:
        return data.decode("utf-8-sig"), None
    except UnicodeDecodeError:
        return None, f"{relative}: not UTF-8, skipped"


def read_project_file(tree: Path, subdir: str, name: str) -> str | None:
    """The text of the project's file `name` (in `subdir` of `tree`), or None when absent, outside
    the tree or unreadable (`read_tree_file`'s reasons are dropped)."""
    relative = join_relative(subdir, name)
    return read_tree_file(tree, relative)[0] if relative is not None else None


def join_relative(base: str | None, target: str) -> str | None:
    """`base/target` normalized, relative to the tree; None when unknown or outside it."""
    if base is None or target == "?" or target.startswith(("/", "~")) or "$" in target:
        return None
    joined = posixpath.normpath(posixpath.join(base or ".", target))
    if joined == ".." or joined.startswith("../"):
        return None
    return "" if joined == "." else joined
