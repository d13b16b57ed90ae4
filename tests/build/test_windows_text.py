"""The Windows text mode and chmod of the `--windows` recipe (builders/pypa-build/windows_text.py):
loaded by a .pth line into a Python that writes text files and sets modes, as build.sh loads it into
the build venv; without it the same writes keep LF and the modes are Linux'."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

from verifier.build.interface import recipes_dir

SHIM = recipes_dir() / "pypa-build" / "windows_text.py"

WRITER = r'''
import configparser, io, json, os, pathlib, sys
out = pathlib.Path(sys.argv[1])
with open(out / "open-w.txt", "w", encoding="utf-8") as handle:  # setuptools' PKG-INFO
    handle.write("Name: demo\nVersion: 1.0\n")
with io.open(out / "io-open-a.txt", "a") as handle:
    handle.write("one\n")
(out / "write-text.txt").write_text("a\nb\n")
with (out / "path-open.txt").open("w") as handle:
    handle.write("x\n")
with os.fdopen(os.open(out / "fdopen.txt", os.O_WRONLY | os.O_CREAT, 0o666), "w") as handle:
    handle.write("fd\n")
parser = configparser.ConfigParser()
parser["egg_info"] = {"tag_build": "", "tag_date": "0"}
with open(out / "setup.cfg", "w") as handle:  # what setuptools' sdist does to setup.cfg
    parser.write(handle)
with open(out / "newline-empty.txt", "w", newline="") as handle:
    handle.write("kept\n")
with open(out / "newline-lf.txt", "w", newline="\n") as handle:
    handle.write("kept\n")
with open(out / "binary.txt", "wb") as handle:  # SOURCES.txt: written in binary
    handle.write(b"raw\n")
(out / "crlf.txt").write_bytes(b"r1\r\nr2\r\n")
modes = {}
for name, mode in (("tmp-0600", 0o600), ("read-only", 0o444), ("Make.BAT", 0o644)):  # setuptools' PKG-INFO: a 0600 temporary file, chmodded
    fd = os.open(out.parent / name, os.O_WRONLY | os.O_CREAT, 0o600)
    os.close(fd)
    os.chmod(out.parent / name, mode)
    modes[name] = oct(os.stat(out.parent / name).st_mode & 0o7777)
with open(out / "crlf.txt") as handle:
    read = handle.read()
print(json.dumps({"read": read, "active": open.__module__ + "." + open.__name__, "modes": modes}))
'''


def _run(tmp_path: Path, *, with_shim: bool) -> tuple[dict[str, bytes], dict[str, str]]:
    site = tmp_path / "site"
    site.mkdir()
    if with_shim:  # what build.sh puts in the build venv's site-packages
        shutil.copyfile(SHIM, site / "_verifier_windows_text.py")
        (site / "00-verifier-windows-text.pth").write_text("import _verifier_windows_text\n")
    out = tmp_path / "out"
    out.mkdir()
    script = f"import site; site.addsitedir({str(site)!r})\n" + WRITER
    done = subprocess.run([sys.executable, "-I", "-c", script, str(out)], capture_output=True, text=True, check=True, timeout=60)
    return {path.name: path.read_bytes() for path in out.iterdir()}, json.loads(done.stdout)


def test_text_mode_writes_end_lines_with_crlf_when_the_shim_is_loaded(tmp_path: Path) -> None:
    files, seen = _run(tmp_path, with_shim=True)
    assert files["open-w.txt"] == b"Name: demo\r\nVersion: 1.0\r\n"
    assert files["io-open-a.txt"] == b"one\r\n"
    assert files["write-text.txt"] == b"a\r\nb\r\n"
    assert files["path-open.txt"] == b"x\r\n"
    assert files["fdopen.txt"] == b"fd\r\n"
    assert files["setup.cfg"] == b"[egg_info]\r\ntag_build = \r\ntag_date = 0\r\n\r\n"
    # An explicit newline, binary writes and reading stay as they are (reading translates CRLF, as it always does).
    assert files["newline-empty.txt"] == files["newline-lf.txt"] == b"kept\n"
    assert files["binary.txt"] == b"raw\n"
    assert seen["read"] == "r1\nr2\n"
    assert seen["active"] == "_verifier_windows_text.windows_open"
    # os.chmod sets only Windows' read-only attribute: os.stat there reports 0666, 0444, 0777 for a batch file.
    assert seen["modes"] == {"tmp-0600": "0o666", "read-only": "0o444", "Make.BAT": "0o777"}


def test_without_the_shim_the_same_writes_keep_lf(tmp_path: Path) -> None:
    files, seen = _run(tmp_path, with_shim=False)
    assert files["open-w.txt"] == b"Name: demo\nVersion: 1.0\n"
    assert files["setup.cfg"] == b"[egg_info]\ntag_build = \ntag_date = 0\n\n"
    assert all(b"\r" not in data for name, data in files.items() if name != "crlf.txt")
    assert seen["active"] != "_verifier_windows_text.windows_open"
    assert seen["modes"] == {"tmp-0600": "0o600", "read-only": "0o444", "Make.BAT": "0o644"}
