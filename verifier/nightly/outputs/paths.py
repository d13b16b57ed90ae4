"""File names from untrusted names, and the only code that writes into the output directory.

Package names and versions come from package indexes: a name like `../../x` or `<script>` must not
choose where a file goes, nor what a link means. Every file name is a *slug*:
- a package: its PEP 503 normalized name, when that is only `[a-z0-9-]`, starts with a letter or
  digit and is not a Windows device name; otherwise the safe characters that are left, then `_`,
  then 16 hex digits of the name's sha256;
- a version: the version, when it is only `[a-z0-9.-]` and starts with a letter or digit; otherwise
  the same `_` + hash treatment.
A clean slug never holds `_`, and a hashed one always does, so two different names never share a
slug (short of a sha256 collision); every slug is a single path segment of safe characters.

`Site` writes each file atomically (a temporary file in the same directory, then rename) and
refuses any path that resolves outside the output directory (`..`, absolute paths, a directory
replaced by a symlink pointing elsewhere).
"""

from __future__ import annotations

import hashlib
import os
import re
import stat
from collections.abc import Callable
from pathlib import Path, PurePosixPath
from typing import BinaryIO
from urllib.parse import quote

from verifier.fsutil import atomic_write
from verifier.nightly.outputs.model import normalize_name

MAX_SLUG = 80
# Copies of reports and diffoscope pages larger than this are not made (the page says so).
MAX_COPY_BYTES = 512 * 1024 * 1024

_WINDOWS_DEVICES = {"con", "prn", "aux", "nul", *(f"com{i}" for i in range(10)), *(f"lpt{i}" for i in range(10))}


def _digest(value: str) -> str:
    return hashlib.sha256(value.encode("utf-8", "surrogatepass")).hexdigest()[:16]


def _slug(raw: str, candidate: str, clean: re.Pattern[str], unsafe: re.Pattern[str]) -> str:
    device = candidate.split(".", 1)[0] in _WINDOWS_DEVICES
    if clean.fullmatch(candidate) and len(candidate) <= MAX_SLUG and not device:
        return candidate
    kept = unsafe.sub("-", candidate.lower()).strip("-.")[:MAX_SLUG].strip("-.")
    if kept.split(".", 1)[0] in _WINDOWS_DEVICES:  # `nul.txt_…` is still the device NUL on Windows
        kept = f"_{kept}"
    return f"{kept}_{_digest(raw)}" if kept else f"_{_digest(raw)}"


_PACKAGE_CLEAN = re.compile(r"[a-z0-9][a-z0-9-]*")
_PACKAGE_UNSAFE = re.compile(r"[^a-z0-9]+")
_VERSION_CLEAN = re.compile(r"[a-z0-9][a-z0-9.-]*")
_VERSION_UNSAFE = re.compile(r"[^a-z0-9.]+|\.{2,}")


def package_slug(name: str) -> str:
    """The file-name-safe, injective form of a package name (after PEP 503 normalization)."""
    normalized = normalize_name(name)
    return _slug(normalized, normalized, _PACKAGE_CLEAN, _PACKAGE_UNSAFE)


def version_slug(version: str) -> str:
    """The file-name-safe, injective form of a version string (case is kept apart by the hash)."""
    return _slug(version, version, _VERSION_CLEAN, _VERSION_UNSAFE)


def href(from_page: str, to_path: str) -> str:
    """A relative URL from one site file to another (both site-relative POSIX paths), %-quoted."""
    start = from_page.split("/")[:-1]
    target = to_path.split("/")
    common = 0
    while common < len(start) and common < len(target) - 1 and start[common] == target[common]:
        common += 1
    segments = [".."] * (len(start) - common) + target[common:]
    return "/".join(quote(segment, safe="") for segment in segments)


class UnsafePath(ValueError):
    """A path that would leave the output directory."""


class Site:
    """The output directory: atomic writes, containment checks, and the list of files written."""

    def __init__(self, root: Path) -> None:
        root.mkdir(parents=True, exist_ok=True)
        self.root = root.resolve(strict=True)
        self.written: dict[str, Path] = {}

    def _target(self, relative: str) -> Path:
        segments = relative.split("/")
        if any(segment in ("", ".", "..") or "\\" in segment or "\0" in segment for segment in segments):
            raise UnsafePath(f"refusing to write {relative!r}: not a plain relative path")
        pure = PurePosixPath(*segments)
        target = self.root.joinpath(*pure.parts)
        # Create each directory ourselves and check where it really is: a symlink planted in an
        # old output directory must not redirect a write.
        current = self.root
        for part in pure.parts[:-1]:
            current = current / part
            if not current.exists() and not current.is_symlink():
                current.mkdir()
            resolved = current.resolve(strict=True)
            if resolved != self.root and self.root not in resolved.parents:
                raise UnsafePath(f"refusing to write {relative!r}: {current} leads outside {self.root}")
            if not resolved.is_dir():
                raise UnsafePath(f"refusing to write {relative!r}: {current} is not a directory")
        if target.is_symlink() or (target.exists() and not target.is_file()):
            raise UnsafePath(f"refusing to write {relative!r}: it exists and is not a regular file")
        return target

    def _commit(self, relative: str, target: Path, fill: Callable[[BinaryIO], object]) -> Path:
        with atomic_write(target, mode=0o644) as handle:  # a static site: readable by the web server
            fill(handle)
        self.written[relative] = target
        return target

    def write_bytes(self, relative: str, data: bytes) -> Path:
        return self._commit(relative, self._target(relative), lambda handle: handle.write(data))

    def write_text(self, relative: str, text: str) -> Path:
        # Every writer escapes lone surrogates itself; should one slip through, it is shown, not fatal.
        return self.write_bytes(relative, text.encode("utf-8", "backslashreplace"))

    def copy_in(self, source: str | os.PathLike[str], relative: str) -> Path | None:
        """Copy a regular file into the site; None when it is missing, not a file or too large."""
        try:
            # O_NONBLOCK: opening a FIFO planted where a report should be must not hang the run.
            fd = os.open(source, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0))
        except (OSError, ValueError, TypeError):
            return None
        try:
            info = os.fstat(fd)
        except OSError:
            os.close(fd)
            return None
        if not stat.S_ISREG(info.st_mode) or info.st_size > MAX_COPY_BYTES:
            os.close(fd)
            return None
        with os.fdopen(fd, "rb") as original:
            target = self._target(relative)

            def fill(handle: BinaryIO) -> None:
                while chunk := original.read(1 << 20):
                    handle.write(chunk)

            try:
                return self._commit(relative, target, fill)
            except OSError:
                return None
