"""Which published file a Linux x86_64 CPython container can install, best first."""

from __future__ import annotations

import re

from packaging.specifiers import InvalidSpecifier, SpecifierSet
from packaging.tags import Tag, compatible_tags, cpython_tags
from packaging.utils import InvalidWheelFilename, parse_wheel_filename

from verifier.errors import BadInput
from verifier.upstream.interface import PublishedFile

#: glibc of the builder image (Debian bookworm).
DEFAULT_GLIBC = (2, 36)
DEFAULT_ARCH = "x86_64"
#: glibc of each Debian suite a base image is made from (`ldd --version` in each image).
SUITE_GLIBC = {"bullseye": (2, 31), "bookworm": (2, 36), "trixie": (2, 41)}

_PYTHON_VERSION = re.compile(r"^3\.(\d+)$")
# manylinux_2_x spellings that have a legacy alias (PEP 600).
_LEGACY_MANYLINUX = {17: "manylinux2014", 12: "manylinux2010", 5: "manylinux1"}


def parse_python_version(python_version: str) -> tuple[int, int]:
    """``"3.11"`` -> ``(3, 11)``; :class:`BadInput` for anything but ``3.N``."""
    match = _PYTHON_VERSION.match(python_version.strip())
    if not match:
        raise BadInput(f"python version must look like 3.N, not {python_version!r}")
    return 3, int(match.group(1))


def linux_platforms(glibc: tuple[int, int] = DEFAULT_GLIBC, arch: str = DEFAULT_ARCH) -> list[str]:
    """Platform tags a glibc ``glibc`` Linux on ``arch`` accepts, most specific first."""
    major, newest = glibc
    platforms = []
    for minor in range(newest, 4, -1):
        platforms.append(f"manylinux_{major}_{minor}_{arch}")
        if minor in _LEGACY_MANYLINUX:
            platforms.append(f"{_LEGACY_MANYLINUX[minor]}_{arch}")
    platforms.append(f"linux_{arch}")
    return platforms


# The newest manylinux uv's `--python-platform` names (uv 0.13: x86_64-manylinux_2_40): a newer glibc
# (trixie's 2.41, Python 3.13) resolves as that one; it runs every wheel tagged up to it.
UV_NEWEST_MANYLINUX = (2, 40)


def uv_platform(glibc: tuple[int, int] = DEFAULT_GLIBC, arch: str = DEFAULT_ARCH) -> str:
    """uv's `--python-platform` for that Linux: ``x86_64-manylinux_2_31`` for glibc 2.31 (at most
    the newest manylinux uv knows)."""
    major, minor = min(glibc, UV_NEWEST_MANYLINUX)
    return f"{arch}-manylinux_{major}_{minor}"


def supported_tags(
    python_version: str, glibc: tuple[int, int] = DEFAULT_GLIBC, arch: str = DEFAULT_ARCH
) -> list[Tag]:
    """Wheel tags CPython ``python_version`` on that Linux accepts, in pip's preference order
    (binary for this interpreter, abi3, then pure ``py3-none-any`` and the like)."""
    version = parse_python_version(python_version)
    interpreter = f"cp{version[0]}{version[1]}"
    platforms = linux_platforms(glibc, arch)
    return [
        *cpython_tags(version, abis=[interpreter], platforms=platforms),
        *compatible_tags(version, interpreter=interpreter, platforms=platforms),
    ]


def fits_python(requires_python: str | None, python_version: str) -> bool:
    """True when a file's ``requires_python`` admits ``python_version`` (or says nothing usable)."""
    if not requires_python:
        return True
    try:
        return SpecifierSet(requires_python).contains(python_version, prereleases=True)
    except InvalidSpecifier:
        return True


def choose_installable(
    files: list[PublishedFile], python_version: str, tags: list[Tag] | None = None
) -> PublishedFile | None:
    """The best file among ``files`` to install: the wheel whose best tag ranks highest in
    ``tags`` (default :func:`supported_tags`), else an sdist (``.tar.gz`` first), else ``None``.
    Files whose ``requires_python`` excludes ``python_version`` are passed over."""
    ranking = {tag: rank for rank, tag in enumerate(tags or supported_tags(python_version))}
    best_wheel: tuple[int, str, PublishedFile] | None = None
    sdists = []
    for file in files:
        if not fits_python(file.requires_python, python_version):
            continue
        if file.packagetype == "sdist":
            sdists.append(file)
            continue
        try:
            _, _, _, file_tags = parse_wheel_filename(file.filename)
        except InvalidWheelFilename:
            continue
        ranks = [ranking[tag] for tag in file_tags if tag in ranking]
        if ranks:
            candidate = (min(ranks), file.filename, file)
            if best_wheel is None or candidate[:2] < best_wheel[:2]:
                best_wheel = candidate
    if best_wheel is not None:
        return best_wheel[2]
    if sdists:
        return min(sdists, key=lambda f: (not f.filename.endswith(".tar.gz"), f.filename))
    return None
