"""SOURCE_DATE_EPOCH as a wheel records it: backends that honour it (flit, hatchling, setuptools'
bdist_wheel, poetry-core, pdm-backend) stamp every zip entry with it, as UTC, to 2-second precision.

One stamp shared by every file is that epoch (or the second after it: zip keeps even seconds);
several stamps mean the wheel was made from file times, which no recipe reproduces exactly.
"""

from __future__ import annotations

from verifier.wheel.interface import WheelContents

#: A wheel's zip times cannot be earlier than 1980 (the DOS epoch); hatchling without SOURCE_DATE_EPOCH
#: uses 2020-02-02 00:00:00 UTC (its own fixed default), which says nothing about the build.
DOS_EPOCH = 315532800
HATCHLING_DEFAULT = 1580601600


def single_stamp(wheel: WheelContents) -> int | None:
    stamps = {file.mtime for file in wheel.files}
    return stamps.pop() if len(stamps) == 1 else None


def epoch_candidates(wheel: WheelContents) -> list[int]:
    """The SOURCE_DATE_EPOCH values that give the wheel's zip times, most likely first."""
    stamp = single_stamp(wheel)
    if stamp is None or stamp <= DOS_EPOCH or stamp == HATCHLING_DEFAULT:
        return []
    return [stamp, stamp + 1] if stamp % 2 == 0 else [stamp]
