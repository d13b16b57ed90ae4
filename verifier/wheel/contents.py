"""Read a wheel (untrusted zip) with the engine's reader and limits: every file's digest and time,
and the text of WHEEL, METADATA and RECORD (each at most a few MB)."""

from __future__ import annotations

from pathlib import Path

from verifier.archive.interface import Limits, MemberKind
from verifier.archive.members import read_members
from verifier.archive.reader import ArchiveReader
from verifier.errors import ArchiveError
from verifier.wheel.interface import WheelContents, WheelFile

MAX_METADATA_FILE_BYTES = 8 << 20
_WANTED = ("WHEEL", "METADATA", "RECORD")


def read_wheel(path: Path, limits: Limits | None = None) -> WheelContents:
    """The files of the wheel at ``path``; ArchiveError for a zip that is not a wheel."""
    names: dict[int, str] = {}
    sizes: dict[int, int] = {}
    files: list[WheelFile] = []
    reader = ArchiveReader(path, limits)
    for member in reader.members():
        if reader.info.format != "zip":
            raise ArchiveError(f"{path.name} is not a zip archive, so not a wheel")
        if member.kind is MemberKind.FILE:
            files.append(WheelFile(member.name, member.content_sha256.hex(), member.size, int(member.mtime)))
            names[member.index] = member.name
            sizes[member.index] = member.size
    dist_info = _dist_info(path, [file.path for file in files])
    wanted = {index: name for index, name in names.items() if name in {f"{dist_info}/{w}" for w in _WANTED}}
    for index, name in wanted.items():
        if sizes[index] > MAX_METADATA_FILE_BYTES:
            raise ArchiveError(f"{path.name}: {name} is larger than {MAX_METADATA_FILE_BYTES} bytes: too large for wheel metadata")
    texts = {wanted[index]: data.decode("utf-8", "replace")
             for index, data in read_members(path, wanted, MAX_METADATA_FILE_BYTES, limits).items()}
    return WheelContents(
        files=tuple(files),
        dist_info=dist_info,
        wheel_text=texts.get(f"{dist_info}/WHEEL", ""),
        metadata_text=texts.get(f"{dist_info}/METADATA", ""),
        record_text=texts.get(f"{dist_info}/RECORD", ""),
    )


def _dist_info(path: Path, names: list[str]) -> str:
    found = sorted({name.split("/", 1)[0] for name in names
                    if name.count("/") == 1 and name.split("/", 1)[0].endswith(".dist-info")})
    if len(found) != 1:
        raise ArchiveError(f"{path.name}: a wheel has exactly one .dist-info directory, found {len(found)}")
    if f"{found[0]}/WHEEL" not in names or f"{found[0]}/RECORD" not in names:
        raise ArchiveError(f"{path.name}: {found[0]} lacks WHEEL or RECORD")
    return found[0]
