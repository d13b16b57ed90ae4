"""Small but valid artifacts (wheels, sdists) and the directory layout LocalIndex serves."""

from __future__ import annotations

import base64
import hashlib
import io
import json
import tarfile
import zipfile
from collections.abc import Sequence
from pathlib import Path
from typing import Literal

from verifier.testing.index_server import INDEX_META_FILENAME

WRONG_SHA256 = "0" * 64


def sha256_hex(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def wheel_bytes(
    name: str, version: str, requires: Sequence[str] = (), requires_python: str | None = None
) -> bytes:
    """A minimal valid pure wheel (``py3-none-any``) for ``name`` ``version``."""
    dist = name.replace("-", "_")
    info = f"{dist}-{version}.dist-info"
    metadata = f"Metadata-Version: 2.1\nName: {name}\nVersion: {version}\n"
    if requires_python:
        metadata += f"Requires-Python: {requires_python}\n"
    metadata += "".join(f"Requires-Dist: {requirement}\n" for requirement in requires)
    members = {
        f"{dist}/__init__.py": f"VERSION = {version!r}\n".encode(),
        f"{info}/METADATA": metadata.encode(),
        f"{info}/WHEEL": (
            b"Wheel-Version: 1.0\nGenerator: tests\nRoot-Is-Purelib: true\nTag: py3-none-any\n"
        ),
    }
    record = ""
    for member, data in members.items():
        digest = base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=").decode()
        record += f"{member},sha256={digest},{len(data)}\n"
    record += f"{info}/RECORD,,\n"
    members[f"{info}/RECORD"] = record.encode()
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for member, data in members.items():
            archive.writestr(zipfile.ZipInfo(member, (2020, 2, 2, 0, 0, 0)), data)
    return buffer.getvalue()


def sdist_bytes(stem: str, compression: Literal["gz", "bz2"] = "gz") -> bytes:
    """A small tar sdist (``stem/PKG-INFO``) compressed with ``compression``."""
    buffer = io.BytesIO()
    mode: Literal["w:gz", "w:bz2"] = "w:gz" if compression == "gz" else "w:bz2"
    with tarfile.open(fileobj=buffer, mode=mode) as archive:
        data = f"Metadata-Version: 2.1\nName: {stem}\n".encode()
        member = tarfile.TarInfo(f"{stem}/PKG-INFO")
        member.size = len(data)
        archive.addfile(member, io.BytesIO(data))
    return buffer.getvalue()


def zip_sdist_bytes(stem: str) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr(f"{stem}/PKG-INFO", f"Metadata-Version: 2.1\nName: {stem}\n")
    return buffer.getvalue()


def put(root: Path, project: str, filename: str, data: bytes) -> Path:
    path = root / project / filename
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    return path


def write_meta(root: Path, meta: dict[str, dict[str, object]]) -> None:
    (root / INDEX_META_FILENAME).write_text(json.dumps(meta), encoding="utf-8")
