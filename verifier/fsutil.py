"""Writing output files safely, and hashing files.

`atomic_write` replaces a regular file (or creates one) atomically: a temporary file beside it,
flushed and fsynced, then renamed over it, so a reader never sees half a file and a failure leaves
the old file whole. `open_output` adds the rules for paths a user names: a path that exists and is
not a regular file (a device such as /dev/null or /dev/stdout, a fifo) is written into, never
replaced; a symlink is followed to the file it names; a replaced file keeps its mode. New files get
the usual permissions (0666 minus the umask), not mkstemp's 0600, unless the caller asks for a mode.
"""

from __future__ import annotations

import hashlib
import os
import stat
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import BinaryIO

from verifier.errors import BadInput


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def file_sha256(path: Path | str) -> str:
    """The hex sha256 of the file at `path`."""
    with open(path, "rb") as handle:
        return hashlib.file_digest(handle, "sha256").hexdigest()


@contextmanager
def atomic_write(path: Path | str, *, mode: int | None = None) -> Iterator[BinaryIO]:
    """A binary file that replaces `path` when the block ends without an exception.

    The temporary file sits in `path`'s directory (so the rename is atomic) and is removed when the
    block raises; `path` is then untouched. `mode` defaults to 0666 minus the umask. `path` is taken
    as it is: deciding about symlinks and non-regular files is the caller's (see `open_output`).
    """
    target = Path(path)
    fd, temporary = tempfile.mkstemp(prefix=f".{target.name}.", dir=target.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            yield handle
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(temporary, mode if mode is not None else 0o666 & ~_umask())
        os.replace(temporary, target)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


@contextmanager
def open_output(destination: Path | str) -> Iterator[BinaryIO]:
    """A binary file to write `destination` through, replaced or written into as described above."""
    path = Path(destination)
    try:
        if path.is_symlink():
            path = path.resolve()
        existing = path.stat() if path.exists() else None
        if existing is not None and stat.S_ISDIR(existing.st_mode):
            raise BadInput(f"{destination} is a directory")
        if existing is not None and not stat.S_ISREG(existing.st_mode):
            with open(path, "wb") as handle:
                yield handle
            return
        path.parent.mkdir(parents=True, exist_ok=True)
        with atomic_write(path, mode=stat.S_IMODE(existing.st_mode) if existing is not None else None) as handle:
            yield handle
    except OSError as exc:
        raise BadInput(f"cannot write {destination}: {exc.strerror or exc}") from exc


def write_output(destination: Path | str, data: bytes) -> None:
    with open_output(destination) as handle:
        handle.write(data)
