"""Writing output files safely.

A regular file (or a new path) is replaced atomically: a temporary file beside it, then a rename,
so a reader never sees half a report and a failure leaves the old file whole. A path that exists
and is not a regular file (a device such as /dev/null or /dev/stdout, a fifo) is written into,
never replaced; a symlink is followed to the file it names. New files get the usual permissions
(0666 minus the umask), not mkstemp's 0600.
"""

from __future__ import annotations

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
        fd, temporary = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    except OSError as exc:
        raise BadInput(f"cannot write {destination}: {exc.strerror or exc}") from exc
    try:
        with os.fdopen(fd, "wb") as handle:
            yield handle
        mode = stat.S_IMODE(existing.st_mode) if existing is not None else 0o666 & ~_umask()
        os.chmod(temporary, mode)
        os.replace(temporary, path)
    except OSError as exc:
        Path(temporary).unlink(missing_ok=True)
        raise BadInput(f"cannot write {destination}: {exc.strerror or exc}") from exc
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def write_output(destination: Path | str, data: bytes) -> None:
    with open_output(destination) as handle:
        handle.write(data)
