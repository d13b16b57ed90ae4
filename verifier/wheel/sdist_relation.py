"""How a wheel's files relate to the sdist it should come from: each module a byte copy of the
sdist's file at the same package path, or named as differing, or as absent from the sdist."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

from verifier.archive.interface import Limits, MemberKind
from verifier.archive.reader import ArchiveReader
from verifier.wheel.interface import WheelContents, WheelFinding

COPY = "copy"
DIFFERS = "differs"
NOT_IN_SDIST = "not-in-sdist"
METADATA = "metadata"  # .dist-info/: written by the backend, checked through RECORD


@dataclass(frozen=True)
class FileRelation:
    path: str  # in the wheel
    status: str  # copy | differs | not-in-sdist | metadata
    sdist_path: str | None  # the sdist file it was matched with (below the top-level directory)


def sdist_digests(sdist: Path, limits: Limits | None = None) -> dict[str, str]:
    """sha256 (hex) of every regular file of the sdist, by its path below the top-level directory."""
    digests: dict[str, str] = {}
    for member in ArchiveReader(sdist, limits).members():
        if member.kind is MemberKind.FILE and "/" in member.name.strip("/"):
            digests[member.name.strip("/").split("/", 1)[1]] = member.content_sha256.hex()
    return digests


def relate(wheel: WheelContents, sdist: dict[str, str]) -> list[FileRelation]:
    """For each wheel file: the sdist file at the same package path (``src/`` layouts and monorepo
    subdirectories included, by path suffix), and whether the bytes are the same."""
    by_suffix: dict[str, list[str]] = defaultdict(list)
    for path in sdist:
        parts = path.split("/")
        for start in range(len(parts)):
            by_suffix["/".join(parts[start:])].append(path)
    relations = []
    for file in wheel.files:
        if file.path.startswith(wheel.dist_info + "/"):
            relations.append(FileRelation(file.path, METADATA, None))
            continue
        candidates = by_suffix.get(package_path(file.path), [])
        same = [path for path in candidates if sdist[path] == file.sha256]
        if same:
            relations.append(FileRelation(file.path, COPY, min(same, key=len)))
        elif candidates:
            relations.append(FileRelation(file.path, DIFFERS, min(candidates, key=len)))
        else:
            relations.append(FileRelation(file.path, NOT_IN_SDIST, None))
    return relations


def package_path(path: str) -> str:
    """Where a wheel file lands below its install scheme: ``x.data/purelib/pkg/m.py`` -> ``pkg/m.py``."""
    top, _, rest = path.partition("/")
    if top.endswith(".data") and "/" in rest:
        return rest.split("/", 1)[1]
    return path


def relation_findings(relations: list[FileRelation]) -> list[WheelFinding]:
    findings = []
    for relation in relations:
        if relation.status == DIFFERS:
            findings.append(WheelFinding("module-differs-from-sdist", relation.path,
                                         f"{relation.path} is not a copy of the sdist's {relation.sdist_path}"))
        elif relation.status == NOT_IN_SDIST:
            findings.append(WheelFinding("not-in-sdist", relation.path,
                                         f"{relation.path} is in the wheel but in no file of the sdist"))
    return findings
