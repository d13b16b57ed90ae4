"""Every normalization, by name, and how a selection of them is chosen and ordered."""

from __future__ import annotations

from collections.abc import Iterable

from verifier.errors import UsageError
from verifier.normalize import frame, order, tar
from verifier.normalize.interface import STAGE_FINALIZE, Normalization

ALL: tuple[Normalization, ...] = (
    Normalization(
        name="mtime",
        summary="tar mtimes (header field, GNU atime/ctime, pax mtime/atime/ctime records) and zip times become 0",
        default=True,
        member=tar.mtime,
    ),
    Normalization(
        name="owner",
        summary="uid, gid, user and group names become 0 / empty (header fields and pax records)",
        default=True,
        member=tar.owner,
    ),
    Normalization(
        name="gzip-header",
        summary="compare decompressed streams: gzip mtime, file name, OS byte, extra flags, compression level and compressor are ignored",
        default=True,
        frame=frame.gzip_header,
    ),
    Normalization(
        name="order",
        summary="member order: members are sorted by name",
        default=False,
        sequence=order.by_name,
    ),
    Normalization(
        name="mode",
        summary="permission bits other than the executable bits become rw-r--r--",
        default=False,
        member=tar.mode,
    ),
    Normalization(
        name="tar-format",
        summary="header encoding (ustar, GNU, pax; field layout; end-of-archive padding) is re-encoded one fixed way",
        default=False,
        stage=STAGE_FINALIZE,
        member=tar.tar_format,
        frame=frame.tar_format_trailer,
    ),
)

BY_NAME: dict[str, Normalization] = {normalization.name: normalization for normalization in ALL}
DEFAULT_NAMES: tuple[str, ...] = tuple(n.name for n in ALL if n.default)


def select(names: Iterable[str]) -> tuple[Normalization, ...]:
    """The named normalizations in application order (stage, then registry order)."""
    wanted = []
    for name in names:
        name = name.strip()  # noqa: PLW2901 - the name, stripped
        if not name:
            continue
        if name not in BY_NAME:
            raise UsageError(f"unknown normalization {name!r}; known: {', '.join(BY_NAME)}")
        if name not in wanted:
            wanted.append(name)
    chosen = [n for n in ALL if n.name in wanted]
    return tuple(sorted(chosen, key=lambda n: n.stage))


def parse_option(value: str | None, strict: bool) -> tuple[Normalization, ...]:
    """The selection a `--normalize A,B` / `--strict` pair of options asks for."""
    if strict:
        if value:
            raise UsageError("--strict and --normalize do not go together")
        return ()
    if value is None:
        return select(DEFAULT_NAMES)
    if value.strip().lower() in ("none", ""):
        return ()
    return select(value.split(","))
