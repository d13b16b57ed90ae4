"""Windows text mode in a Linux build venv (the `--windows` recipe): loaded by a .pth line build.sh
writes into the build venv as `_verifier_windows_text`, before any backend code runs.

On Windows, a file opened in a text mode with `newline=None` (the default) translates every "\\n"
written to "\\r\\n" (os.linesep): that is why setuptools' PKG-INFO and setup.cfg built there end
their lines with CRLF, while files written in binary (SOURCES.txt) keep LF. Here `open` and
`io.open` (hence pathlib's write_text and open, os.fdopen, tempfile) do the same for the text
*write*, *append* and *exclusive-create* modes ("w", "a", "x", not "+"): `newline=None` becomes
`newline="\\r\\n"`. Reading, binary modes, the "+" modes (whose reads CPython would translate back)
and an explicit `newline=` are untouched.
"""

from __future__ import annotations

import builtins
import io
from typing import Any

WINDOWS_LINE_END = "\r\n"
_original_open = io.open


def _writes_text(mode: object) -> bool:
    return isinstance(mode, str) and "b" not in mode and "+" not in mode and any(letter in mode for letter in "wax")


def windows_open(file: Any, mode: str = "r", buffering: int = -1, encoding: str | None = None, errors: str | None = None,
                 newline: str | None = None, closefd: bool = True, opener: Any = None) -> Any:
    """`open` as on Windows: text written with newline=None ends its lines with CRLF."""
    if newline is None and _writes_text(mode):
        newline = WINDOWS_LINE_END
    return _original_open(file, mode, buffering, encoding, errors, newline, closefd, opener)


windows_open.__wrapped__ = _original_open  # type: ignore[attr-defined]
builtins.open = io.open = windows_open
