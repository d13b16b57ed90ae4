"""Setting every modification time in a checkout to one value (the tag's commit time).

A clone stamps files with the time of the clone; a build backend that reads file mtimes (setuptools,
flit_core and pdm-backend without SOURCE_DATE_EPOCH) then writes that time into the sdist.
"""

from __future__ import annotations

import os
from pathlib import Path

from verifier.source.interface import SourceError

__all__ = ["set_tree_mtimes"]


def set_tree_mtimes(path: Path, epoch: int) -> int:
    """Set the mtime and atime of ``path`` and everything under it to ``epoch``; return the count.

    Files, directories and symlinks alike (a symlink's own time, never its target's), ``.git``
    included. Symlinks to directories are not followed. Directories are stamped after their
    contents, although stamping a child does not change its directory's mtime anyway.
    """
    root = Path(path)
    times = (epoch, epoch)
    count = 0
    try:
        for directory, dirnames, filenames in os.walk(root, topdown=False, onerror=_raise):
            for name in (*filenames, *dirnames):
                os.utime(os.path.join(directory, name), times, follow_symlinks=False)
                count += 1
        os.utime(root, times, follow_symlinks=False)
    except OSError as exc:
        raise SourceError(f"cannot set file times under {root}: {exc}") from exc
    return count + 1


def _raise(error: OSError) -> None:
    raise error
