"""Open an archive file by what its bytes are, and stream its members."""

from __future__ import annotations

import hashlib
import os
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from verifier.archive.compression import Payload, detect_format
from verifier.archive.interface import ArchiveError, ArchiveInfo, Capture, ContainerInfo, Limits, Member, MemberKind
from verifier.archive.tar import TarReader
from verifier.archive.zip import ZipReader
from verifier.fsutil import file_sha256


def payload_sha256(path: Path, limits: Limits) -> str:
    """The sha256 of a tar archive's decompressed stream, without parsing it ("" for zip)."""
    try:
        handle = open(path, "rb")  # noqa: SIM115 - the `with handle:` below, once the open error is wrapped
    except OSError as exc:
        raise ArchiveError(f"cannot read {path}: {exc.strerror or exc}") from exc
    with handle:
        fmt = detect_format(handle.read(512))
        if fmt == "zip":
            return ""
        handle.seek(0)
        payload = Payload(handle, fmt, limits, lambda _: None)
        for _ in payload.chunks():
            pass
    return payload.container.payload_sha256 if payload.container is not None else ""


class ArchiveReader:
    """Streams the members of one archive file; `info` is complete once `members()` is exhausted.

    `payload_sink`, when given, receives every decompressed byte of a tar stream in order (the
    canonical writer spools it to copy contents from). `capture`, when given, is asked for each
    member index and may return a binary file to which that member's content is written. With
    `payload_digest=False` the decompressed stream is not hashed whole (`container.payload_sha256`
    stays ""): the comparison's fast path, which hashes contents and headers apart, does without.
    """

    def __init__(
        self,
        path: Path,
        limits: Limits | None = None,
        *,
        want_blob_sha1: bool = False,
        payload_sink: Callable[[bytes], object] | None = None,
        capture: Capture | None = None,
        content_sink: Any = None,
        payload_digest: bool = True,
    ) -> None:
        self.path = Path(path)
        self.limits = limits or Limits()
        self.want_blob_sha1 = want_blob_sha1
        self.payload_sink = payload_sink
        self.capture = capture
        # tar only: every member's content to content_sink.update(), in order, and no content
        # digest per member (content_sha256 b""); zip members keep theirs.
        self.content_sink = content_sink
        self.payload_digest = payload_digest
        try:
            size = os.stat(self.path).st_size
        except OSError as exc:
            raise ArchiveError(f"cannot read {self.path}: {exc.strerror or exc}") from exc
        if not self.path.is_file():
            raise ArchiveError(f"{self.path} is not a regular file")
        self.info = ArchiveInfo(path=str(self.path), size=size, sha256="", format="")

    def members(self) -> Iterator[Member]:
        """Every member in order; an ArchiveError names this file."""
        try:
            yield from self._members()
        except ArchiveError as exc:
            message = str(exc)
            if str(self.path) not in message:
                raise ArchiveError(f"{self.path}: {message}") from exc
            raise

    def _members(self) -> Iterator[Member]:
        info = self.info
        try:
            handle = open(self.path, "rb")  # noqa: SIM115 - the `with handle:` below, once the open error is wrapped
        except OSError as exc:
            raise ArchiveError(f"cannot read {self.path}: {exc.strerror or exc}") from exc
        with handle:
            head = handle.read(512)
            handle.seek(0)
            info.format = detect_format(head)
            tops: dict[str, None] = {}
            if info.format == "zip":
                info.sha256 = file_sha256(self.path)
                zip_reader = ZipReader(handle, self.limits, want_blob_sha1=self.want_blob_sha1, capture=self.capture)
                for member in zip_reader.members():
                    self._note(member, tops)
                    yield member
                info.container = ContainerInfo(
                    compression="zip",
                    payload_sha256="",
                    payload_size=0,
                    trailing_sha256=zip_reader.gaps_sha256,
                    compressed_sha256=zip_reader.compressed_sha256,
                )
                if zip_reader.comment:
                    info.warnings.append(f"zip archive comment: {zip_reader.comment[:200]!r}")
            else:
                raw_hash = hashlib.sha256()
                payload = Payload(handle, info.format, self.limits, raw_hash.update, digest=self.payload_digest)
                chunks = payload.chunks()
                if self.payload_sink is not None:
                    chunks = _tee(chunks, self.payload_sink)
                tar = TarReader(
                    chunks, self.limits, want_blob_sha1=self.want_blob_sha1, capture=self.capture, content_sink=self.content_sink
                )
                top = None  # the top-level directory of the previous member, whose name it starts with
                for member in tar.members():
                    name = member.name
                    if top is not None and name.startswith(top) and member.kind is not MemberKind.PAX_GLOBAL:
                        info.member_count += 1  # as _note counts it, without the call (per member)
                    else:
                        self._note(member, tops)
                        first = name.partition("/")[0]
                        top = first + "/" if first in tops else None
                    yield member
                for _ in chunks:  # drain: the compression layer is checked to its end
                    pass
                info.sha256 = raw_hash.hexdigest()
                info.container = payload.container
                info.trailer_offset = tar.trailer_offset
                info.trailer_size = tar.trailer_size
                info.trailer_sha256 = tar.trailer_sha256
                info.trailer_zero = tar.trailer_zero
                info.warnings.extend(tar.warnings)
                container = payload.container
                if container is not None and container.trailing_size and not container.trailing_zero:
                    info.warnings.append(
                        f"{container.trailing_size} bytes of data after the compressed stream"
                    )
                if not tar.trailer_zero:
                    info.warnings.append("non-zero data after the tar end-of-archive marker")
                if info.trailer_size == 0:
                    info.warnings.append("no tar end-of-archive marker")
        info.top_levels = tuple(tops)
        info.top_level = info.top_levels[0] if len(info.top_levels) == 1 else None

    def _note(self, member: Member, tops: dict[str, None]) -> None:
        self.info.member_count += 1
        if member.kind is not MemberKind.PAX_GLOBAL:
            first = member.name.partition("/")[0]
            if first in tops:  # the usual case: the one top-level directory, again
                return
            first = top_component(member.name)
            if first not in tops and len(tops) < 100:
                tops[first] = None


def top_component(name: str) -> str:
    first = name.partition("/")[0]
    if first and first != ".":
        return first
    parts = [part for part in name.split("/") if part not in ("", ".")]
    return parts[0] if parts else ""


def _tee(chunks: Iterator[bytes], sink: Callable[[bytes], object]) -> Iterator[bytes]:
    for chunk in chunks:
        sink(chunk)
        yield chunk
