"""A real release with a pure wheel (itsdangerous 2.2.0, flit_core) fetched from PyPI once per
session, and helpers that rewrite wheels the way a tamperer would (RECORD kept consistent)."""

from __future__ import annotations

import base64
import hashlib
import zipfile
from pathlib import Path

import pytest

from verifier.upstream.cache import ArtifactCache
from verifier.upstream.index import IndexClient

RELEASE = ("itsdangerous", "2.2.0")


@pytest.fixture(scope="session")
def real_release(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    cache = ArtifactCache(tmp_path_factory.mktemp("wheel-cache"))
    found: dict[str, Path] = {}
    with IndexClient("https://pypi.org/simple/") as index:
        for published in index.files_for_version(*RELEASE):
            kind = "wheel" if published.filename.endswith(".whl") else "sdist"
            found[kind] = index.download(published, cache).path
            found[kind + "-name"] = Path(published.filename)
    return found


def _record_line(name: str, data: bytes) -> str:
    digest = base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=").decode()
    return f"{name},sha256={digest},{len(data)}"


def rewrite_wheel(source: Path, target: Path, changes: dict[str, bytes], *, fix_record: bool = True) -> Path:
    """A copy of ``source`` with ``changes`` (member -> new bytes; new names are added) and, with
    ``fix_record``, a RECORD that agrees with the new contents (a careful tamperer's wheel)."""
    with zipfile.ZipFile(source) as original:
        members = {info.filename: (info, original.read(info)) for info in original.infolist()}
    for name, data in changes.items():
        info = members[name][0] if name in members else zipfile.ZipInfo(name, (2024, 4, 16, 0, 0, 0))
        members[name] = (info, data)
    record_name = next(name for name in members if name.endswith(".dist-info/RECORD"))
    if fix_record:
        lines = [_record_line(name, data) for name, (_, data) in members.items() if name != record_name]
        members[record_name] = (members[record_name][0], ("\n".join(lines) + f"\n{record_name},,\n").encode())
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as out:
        for info, data in members.values():
            out.writestr(info, data)
    return target
