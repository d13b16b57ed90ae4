"""What the published file itself says about how it was built, read once before any rebuild.

Each fingerprint names its evidence. They rank the few recipes `--search` tries:
- `build_time`: the newest member mtime that is no fixed backend stamp (or the gzip mtime): when the
  sdist was made; build requirements as of then, rather than as of the upload;
- `umask`: group-writable files (664/775) say the publisher's umask was 002;
- `metadata_version`: PKG-INFO's Metadata-Version, which follows the backend's version;
- `pkg_info_markers`: fields of PKG-INFO the backend wrote on its own, which date it too (a
  `Description:` header, `Platform: UNKNOWN`, `License: UNKNOWN`, `License-File`), and a top-level
  directory whose project name is not PEP 625's normalized form, and a top-level setup.py written by
  poetry-core's template (its default until 1.5.0);
- `windows`: CRLF line ends in PKG-INFO, or every file mode 666/777;
- `python`: bytecode in the sdist names the publisher's Python (recipe/interpreter.py);
- `script_python`: a console script in the egg-info's entry_points.txt named after a Python X.Y
  (`pip3.9`, `easy_install-3.9`: a setup.py that names scripts after the Python running it);
- `tar_writer`: every tar header carries the device fields of CPython 3.8's (or 3.7's) tarfile;
- `source_date_epoch`: see recipe/epoch.py.
"""

from __future__ import annotations

import re
from email.parser import HeaderParser
from pathlib import Path
from typing import Any

from packaging.utils import canonicalize_name

from verifier.archive.interface import Limits, Member, MemberKind
from verifier.archive.members import read_members
from verifier.archive.reader import ArchiveReader
from verifier.recipe import interpreter
from verifier.recipe.backend_versions import DOWNLOAD_URL_EARLY, DOWNLOAD_URL_LATE, POETRY_SETUP_PY, UNNORMALIZED_NAME
from verifier.recipe.epoch import FIXED_BACKEND_STAMPS
from verifier.recipe.interface import Fingerprints

_PKG_INFO_LIMIT = 1 << 20

Evidence = list[dict[str, Any]]


def _top_level_file(name: str, file_name: str) -> bool:
    parts = [part for part in name.split("/") if part not in ("", ".")]
    return len(parts) == 2 and parts[1] == file_name


def _egg_info_entry_points(name: str) -> bool:
    """An egg-info's entry_points.txt at most two directories below the top level (`src/x.egg-info/`)."""
    parts = [part for part in name.split("/") if part not in ("", ".")]
    return 3 <= len(parts) <= 4 and parts[-1] == "entry_points.txt" and parts[-2].endswith(".egg-info")


def _top_pkg_info(name: str) -> bool:
    return _top_level_file(name, "PKG-INFO")


def _add(evidence: Evidence, name: str, value: object, why: str) -> None:
    evidence.append({"name": name, "value": value, "why": why})


def fingerprint(published: Path, limits: Limits | None = None) -> Fingerprints:
    """The fingerprints of the published archive, each with its evidence."""
    evidence: Evidence = []
    reader = ArchiveReader(published, limits)
    files: list[tuple[int, int]] = []  # (mtime, mode)
    pkg_info_index = setup_py_index = entry_points_index = None
    members = []
    for member in reader.members():
        members.append(member)
        if member.kind is MemberKind.FILE:
            files.append((int(member.mtime), member.mode))
            if pkg_info_index is None and _top_pkg_info(member.name):
                pkg_info_index = member.index
            if setup_py_index is None and _top_level_file(member.name, "setup.py"):
                setup_py_index = member.index
            if entry_points_index is None and _egg_info_entry_points(member.name):
                entry_points_index = member.index
    pkg_info = _read_member(published, limits, pkg_info_index)
    times = [mtime for mtime, _ in files if mtime not in FIXED_BACKEND_STAMPS]
    single_stamp = bool(files) and len(set(times)) <= 1
    if single_stamp:
        _add(evidence, "single_stamp", times[0] if times else "a fixed backend stamp", "every file has the same mtime: the backend stamped them (SOURCE_DATE_EPOCH or its fixed date)")
    container = reader.info.container
    gzip_mtime = container.gzip_members[0].mtime if container and container.gzip_members else 0
    build_time = _build_time(times, gzip_mtime, evidence)
    modes = [mode for _, mode in files]
    umask, windows = _from_modes(modes, evidence)
    metadata_version = None
    markers: tuple[str, ...] = ()
    if pkg_info:
        windows = _from_pkg_info_line_ends(pkg_info, evidence) or windows
        metadata_version = _metadata_version(pkg_info, evidence)
        markers = _markers(pkg_info, evidence)
    markers += _sdist_name(reader.info.top_level, evidence)
    markers += _poetry_setup_py(_read_member(published, limits, setup_py_index), evidence)
    python = _python(published, limits, [member for member in members if interpreter.is_bytecode(member)], evidence)
    script_python = _script_python(_read_member(published, limits, entry_points_index), evidence)
    tar_writer = interpreter.old_tar_writer(members)
    if tar_writer is not None:
        _add(evidence, "tar_writer", tar_writer.value, tar_writer.why)
    return Fingerprints(
        build_time=build_time,
        umask=umask,
        metadata_version=metadata_version,
        windows=windows,
        single_stamp=single_stamp,
        file_mtimes=[mtime for mtime, _ in files],
        evidence=evidence,
        python=python,
        script_python=script_python,
        tar_writer=tar_writer.value if tar_writer else None,
        pkg_info_markers=markers,
    )


def _python(published: Path, limits: Limits | None, bytecode: list[Member], evidence: Evidence) -> str | None:
    """The Python X.Y the first .pyc member names (its magic number, else its file name)."""
    if not bytecode:
        return None
    first = bytecode[0]
    found = interpreter.python_of_bytecode(first.name, read_members(published, {first.index}, 16, limits).get(first.index, b""))
    if found is None:
        return None
    more = f" ({len(bytecode)} .pyc members in all)" if len(bytecode) > 1 else ""
    _add(evidence, "python", found.value, found.why + more + ": the publisher built with that Python")
    return found.value


def _read_member(published: Path, limits: Limits | None, wanted: int | None) -> bytes:
    """The first `_PKG_INFO_LIMIT` bytes of member `wanted` (b"" when None)."""
    if wanted is None:
        return b""
    return read_members(published, {wanted}, _PKG_INFO_LIMIT, limits).get(wanted, b"")


def _sdist_name(top_level: str | None, evidence: Evidence) -> tuple[str, ...]:
    """"unnormalized-sdist-name" when the top-level directory's project name is not PEP 625's form."""
    if not top_level or "-" not in top_level:
        return ()
    name = top_level.rstrip("/").rsplit("-", 1)[0]
    normalized = canonicalize_name(name).replace("-", "_")
    if name == normalized:
        return ()
    _add(evidence, "pkg_info_marker", UNNORMALIZED_NAME, f"the top-level directory {top_level!r} has the project name unnormalized (PEP 625: {normalized!r})")
    return (UNNORMALIZED_NAME,)


# poetry-core's sdist builder's SETUP template (masonry/builders/sdist.py, the same from 1.0.0 to 1.9).
_POETRY_SETUP_HEAD = b"# -*- coding: utf-8 -*-\nfrom setuptools import setup\n"
_POETRY_SETUP_PARTS = (b"\nsetup_kwargs = {\n    'name': ", b"\nsetup(**setup_kwargs)\n")


def _poetry_setup_py(setup_py: bytes, evidence: Evidence) -> tuple[str, ...]:
    """"poetry-setup-py" when the top-level setup.py is poetry-core's template (written by default until 1.5.0)."""
    if not setup_py.startswith(_POETRY_SETUP_HEAD) or not all(part in setup_py for part in _POETRY_SETUP_PARTS):
        return ()
    _add(evidence, "pkg_info_marker", POETRY_SETUP_PY, "the top-level setup.py is poetry-core's template (setup_kwargs = {…}; setup(**setup_kwargs))")
    return (POETRY_SETUP_PY,)


# A console script named after the Python X.Y that ran setup.py: `pip3.9 = …`, `easy_install-3.9 = …`.
_VERSIONED_SCRIPT = re.compile(rb"^\s*([A-Za-z][A-Za-z0-9_.]*?[A-Za-z_-]-?)(3\.(?:[6-9]|1[0-9]))\s*=", re.MULTILINE)


def _script_python(entry_points: bytes, evidence: Evidence) -> str | None:
    """The Python X.Y a console script of the egg-info's entry_points.txt is named after, or None."""
    scripts = entry_points.split(b"[console_scripts]", 1)
    found = _VERSIONED_SCRIPT.search(scripts[1].split(b"\n[", 1)[0]) if len(scripts) == 2 else None
    if found is None:
        return None
    value = found.group(2).decode("ascii")
    script = (found.group(1) + found.group(2)).decode("ascii", "replace")
    _add(evidence, "script_python", value, f"the egg-info's entry_points.txt names the console script {script!r}, "
         f"as a setup.py that names scripts after the Python running it writes it under Python {value}")
    return value


def _build_time(times: list[int], gzip_mtime: int, evidence: Evidence) -> int | None:
    """The newest member mtime, else the gzip header's (fixed backend stamps left out)."""
    if times:
        _add(evidence, "build_time", max(times), "the newest member mtime: when the sdist was made")
        return max(times)
    if gzip_mtime and gzip_mtime not in FIXED_BACKEND_STAMPS:
        _add(evidence, "build_time", gzip_mtime, "the gzip header's mtime: when the sdist was compressed")
        return gzip_mtime
    return None


def _from_modes(modes: list[int], evidence: Evidence) -> tuple[str | None, bool]:
    """(umask, windows) as the file modes show them."""
    umask = None
    windows = False
    if modes and any(mode & 0o020 for mode in modes) and all(mode & 0o002 == 0 for mode in modes):
        umask = "002"
        _add(evidence, "umask", "002", f"{sum(1 for m in modes if m & 0o020)} of {len(modes)} files are group-writable (664/775)")
    if modes and all(mode & 0o666 == 0o666 for mode in modes):
        windows = True
        _add(evidence, "windows", True, "every file is world-writable (666/777): typical of an archive made on Windows")
    return umask, windows


def _from_pkg_info_line_ends(pkg_info: bytes, evidence: Evidence) -> bool:
    """Whether PKG-INFO has CRLF line ends."""
    if b"\r\n" not in pkg_info:
        return False
    _add(evidence, "windows", True, "PKG-INFO has CRLF line ends: typical of a build on Windows")
    return True


def _metadata_version(pkg_info: bytes, evidence: Evidence) -> str | None:
    """PKG-INFO's Metadata-Version, stripped."""
    version = HeaderParser().parsestr(pkg_info.decode("utf-8", "replace")).get("Metadata-Version")
    if not version:
        return None
    _add(evidence, "metadata_version", version.strip(), "PKG-INFO's Metadata-Version follows the backend's version")
    return version.strip()


_MARKERS = (  # (marker, header, value or None for any, how it reads)
    ("description-header", "Description", None, "a Description: header (newer setuptools write a body)"),
    ("platform-unknown", "Platform", "UNKNOWN", "Platform: UNKNOWN (newer setuptools leave unset fields out)"),
    ("license-unknown", "License", "UNKNOWN", "License: UNKNOWN (newer setuptools leave unset fields out)"),
    ("license-file", "License-File", None, "License-File (setuptools writes it from 57.0.0)"),
)


def _markers(pkg_info: bytes, evidence: Evidence) -> tuple[str, ...]:
    """The fields of PKG-INFO's headers that date the backend which wrote them."""
    message = HeaderParser().parsestr(pkg_info.decode("utf-8", "replace"), headersonly=True)
    found = []
    for marker, header, value, why in _MARKERS:
        values = [str(text).strip() for text in message.get_all(header) or []]
        if values and (value is None or value in values):
            found.append(marker)
            _add(evidence, "pkg_info_marker", marker, f"PKG-INFO has {why}")
    order = _download_url_order([str(key) for key in message])
    if order is not None:
        found.append(order)
        _add(evidence, "pkg_info_marker", order, f"PKG-INFO has Download-URL {'after' if order == DOWNLOAD_URL_LATE else 'before'} the author and license fields")
    return tuple(found)


# setuptools 60.6.0 moved Download-URL from after License to right after Home-page (dist.py write_pkg_file).
_BETWEEN_HOME_PAGE_AND_DOWNLOAD_URL = {"author", "author-email", "maintainer", "maintainer-email", "license"}


def _download_url_order(keys: list[str]) -> str | None:
    """Where the backend put Download-URL: after the author/license fields (older setuptools) or
    before them (newer); None without Download-URL or those fields."""
    lowered = [key.lower() for key in keys]
    if "download-url" not in lowered:
        return None
    position = lowered.index("download-url")
    around = [index for index, key in enumerate(lowered) if key in _BETWEEN_HOME_PAGE_AND_DOWNLOAD_URL]
    if not around:
        return None
    return DOWNLOAD_URL_LATE if position > max(around) else DOWNLOAD_URL_EARLY if position < min(around) else None
