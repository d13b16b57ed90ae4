"""A wheel's name and the facts it carries, as frozen data."""

from __future__ import annotations

from dataclasses import dataclass

from packaging.utils import InvalidWheelFilename, parse_wheel_filename

from verifier.errors import BadInput

#: Why a platform wheel is listed but not verified.
PLATFORM_WHEEL_REASON = "platform wheel: compiled code needs the publisher's toolchain and platform"


@dataclass(frozen=True)
class WheelName:
    filename: str
    name: str  # canonical distribution name
    version: str
    tags: tuple[str, ...]  # "py3-none-any", ...

    @property
    def pure(self) -> bool:
        """Pure Python: every tag is ABI ``none`` on platform ``any`` (py3-none-any, py2.py3-none-any)."""
        return all(tag.endswith("-none-any") for tag in self.tags)


def parse_wheel_name(filename: str) -> WheelName:
    """The parts of a wheel file name (BadInput, exit 2, for a name that is not one)."""
    try:
        name, version, _build, tags = parse_wheel_filename(filename)
    except InvalidWheelFilename as exc:
        raise BadInput(f"{filename!r} is not a wheel file name: {exc}") from None
    return WheelName(filename=filename, name=str(name), version=str(version),
                     tags=tuple(sorted(str(tag) for tag in tags)))


@dataclass(frozen=True)
class WheelFile:
    """One file of a wheel: its path, sha256 (hex), size and zip time (seconds since the epoch, UTC)."""

    path: str
    sha256: str
    size: int
    mtime: int


@dataclass(frozen=True)
class WheelContents:
    """What a wheel holds: every file, and the text of its small metadata files."""

    files: tuple[WheelFile, ...]
    dist_info: str  # "name-1.0.dist-info"
    wheel_text: str  # the WHEEL file
    metadata_text: str  # METADATA
    record_text: str  # RECORD

    def by_path(self) -> dict[str, WheelFile]:
        return {file.path: file for file in self.files}

    @property
    def generator(self) -> str | None:
        """``Generator`` of the WHEEL file (which backend and version wrote it), e.g. "flit 3.9.0"."""
        for line in self.wheel_text.splitlines():
            key, _, value = line.partition(":")
            if key.strip().lower() == "generator":
                return value.strip()
        return None


@dataclass(frozen=True)
class WheelFinding:
    """One wheel-specific fact that explains (or is) a difference."""

    kind: str  # record-mismatch | not-in-sdist | module-differs-from-sdist | generator | unlisted
    path: str
    message: str
