"""Sdists as a Windows release machine writes them, made with Python's tarfile from a Linux build of
the same tag, independently of the verifier's Windows emulation. The measured facts (sniffio 1.3.1,
tabulate 0.9.0, built with setuptools on Windows): every file 0666 but .exe/.bat/.cmd/.com 0777
(CPython's os.stat there), directories 0777, owners empty and 0 (no pwd module), PKG-INFO files and
setup.cfg with CRLF (setuptools writes them in text mode), SOURCES.txt and the tracked sources LF."""

from __future__ import annotations

import gzip
import io
import tarfile
from pathlib import Path

EXECUTABLE = (".exe", ".bat", ".cmd", ".com")
TEXT_MODE_WRITTEN = ("PKG-INFO", "setup.cfg")  # by setuptools, in text mode


def as_windows_wrote_it(sdist: Path, crlf_checkout: tuple[str, ...] = ()) -> Path:
    """Rewrite a Linux-built setuptools sdist in place as a Windows build would have made it.
    `crlf_checkout`: members (below the top directory) that git's autocrlf checkout converted."""
    with tarfile.open(sdist) as source:
        members = [(info, source.extractfile(info).read() if info.isfile() else None) for info in source.getmembers()]  # type: ignore[union-attr]
    assert any(info.isdir() for info, _ in members), "setuptools adds directory members"
    out = io.BytesIO()
    with tarfile.open(fileobj=out, mode="w", format=tarfile.PAX_FORMAT) as archive:
        for info, data in members:
            info.uid = info.gid = 0
            info.uname = info.gname = ""
            if info.isdir():
                info.mode = 0o777
            elif info.isfile() and data is not None:
                info.mode = 0o777 if info.name.lower().endswith(EXECUTABLE) else 0o666
                below = info.name.split("/", 1)[1]
                if below.rsplit("/", 1)[-1] in TEXT_MODE_WRITTEN or below in crlf_checkout:
                    data = data.replace(b"\r\n", b"\n").replace(b"\n", b"\r\n")  # noqa: PLW2901 - Windows' text mode
                    info.size = len(data)
            archive.addfile(info, io.BytesIO(data) if data is not None else None)
    sdist.write_bytes(gzip.compress(out.getvalue(), 9))
    return sdist
