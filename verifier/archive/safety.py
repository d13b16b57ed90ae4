"""Checks on member names and link targets: what no sdist may hold.

An sdist holds regular files, directories and links inside its own tree. A member whose name is
absolute or climbs out with `..`, a link that points outside the archive, a device file or a fifo is
refused with an `ArchiveError` naming the member (pip's own extraction refuses the same things).
"""

from __future__ import annotations

from verifier.archive.interface import ArchiveError, Limits, display_name


def check_name(name: str, limits: Limits, *, backslash_is_separator: bool = False) -> None:
    """Refuse names that are empty, absolute, climb with '..', hold NUL, or are too long."""
    if not name:
        raise ArchiveError("member with an empty name")
    if len(name) * 4 > limits.max_name_bytes and len(name.encode("utf-8", "surrogateescape")) > limits.max_name_bytes:
        raise ArchiveError(f"member name longer than {limits.max_name_bytes} bytes: {display_name(name)[:80]!r}...")
    if "\0" in name:
        raise ArchiveError(f"member name holds a NUL byte: {display_name(name)!r}")
    path = name.replace("\\", "/") if backslash_is_separator else name
    if path.startswith("/") or (len(path) > 1 and path[1] == ":" and path[0].isalpha()):
        raise ArchiveError(f"member {display_name(name)!r} has an absolute path")
    if ".." in path and ".." in path.split("/"):
        raise ArchiveError(f"member {display_name(name)!r} has a '..' component")


def check_link(name: str, target: str, *, hard: bool) -> None:
    """Refuse link targets that are empty, absolute, or resolve outside the archive root."""
    shown = display_name(name)
    kind = "hard link" if hard else "symlink"
    if not target:
        raise ArchiveError(f"{kind} {shown!r} has an empty target")
    if "\0" in target:
        raise ArchiveError(f"{kind} {shown!r} has a target holding a NUL byte")
    if target.startswith("/"):
        raise ArchiveError(f"{kind} {shown!r} points to an absolute path {display_name(target)!r}")
    # Hard link targets are archive paths; symlink targets are relative to the link's directory.
    base = [] if hard else [part for part in name.split("/")[:-1] if part not in ("", ".")]
    depth = len(base)
    for part in target.split("/"):
        if part in ("", "."):
            continue
        depth += -1 if part == ".." else 1
        if depth < 0:
            raise ArchiveError(f"{kind} {shown!r} points outside the archive: {display_name(target)!r}")
