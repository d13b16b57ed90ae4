"""Windows text mode in a Linux build venv (the `--windows` recipe): loaded by a .pth line build.sh
writes into the build venv as `_verifier_windows_text`, before any backend code runs.

On Windows, a file opened in a text mode with `newline=None` (the default) translates every "\\n"
written to "\\r\\n" (os.linesep): that is why setuptools' PKG-INFO and setup.cfg built there end
their lines with CRLF, while files written in binary (SOURCES.txt) keep LF. Here `open` and
`io.open` (hence pathlib's write_text and open, os.fdopen, tempfile) do the same for the text
*write*, *append* and *exclusive-create* modes ("w", "a", "x", not "+"): `newline=None` becomes
`newline="\\r\\n"`. Reading, binary modes, the "+" modes (whose reads CPython would translate back)
and an explicit `newline=` are untouched.

And `os.chmod` sets only what it sets on Windows, the read-only attribute: what CPython's os.stat
then reports there is 0666 (0444 without the owner's write bit), 0777 for a directory or an
.exe/.bat/.cmd/.com file. setuptools writes PKG-INFO to a temporary file (0600) and chmods it to add
read bits: on Windows that file stats 0666, and so it does here.
"""

from __future__ import annotations

import builtins
import io
import os
import stat
from typing import Any

WINDOWS_LINE_END = "\r\n"
EXECUTABLE = (".exe", ".bat", ".cmd", ".com")  # the extensions CPython's os.stat gives exec bits on Windows
_original_open = io.open
_original_chmod = os.chmod


def _writes_text(mode: object) -> bool:
    return isinstance(mode, str) and "b" not in mode and "+" not in mode and any(letter in mode for letter in "wax")


def windows_open(file: Any, mode: str = "r", buffering: int = -1, encoding: str | None = None, errors: str | None = None,
                 newline: str | None = None, closefd: bool = True, opener: Any = None) -> Any:
    """`open` as on Windows: text written with newline=None ends its lines with CRLF."""
    if newline is None and _writes_text(mode):
        newline = WINDOWS_LINE_END
    return _original_open(file, mode, buffering, encoding, errors, newline, closefd, opener)


def windows_chmod(path: Any, mode: int, *, dir_fd: int | None = None, follow_symlinks: bool = True) -> None:
    """`os.chmod` as on Windows: the owner's write bit decides read-only or not; the rest is Windows' own."""
    status = os.stat(path, dir_fd=dir_fd, follow_symlinks=follow_symlinks)
    name = os.fsdecode(path).lower() if isinstance(path, (str, bytes, os.PathLike)) else ""
    windows = 0o777 if stat.S_ISDIR(status.st_mode) or name.endswith(EXECUTABLE) else 0o666
    if not mode & stat.S_IWRITE:
        windows &= ~0o222
    _original_chmod(path, windows, dir_fd=dir_fd, follow_symlinks=follow_symlinks)


windows_open.__wrapped__ = _original_open  # type: ignore[attr-defined]
windows_chmod.__wrapped__ = _original_chmod  # type: ignore[attr-defined]
builtins.open = io.open = windows_open
os.chmod = windows_chmod
