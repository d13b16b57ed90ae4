"""The "identical after transplanting the published timestamps" proof for a Pants-built sdist.

Pants runs ``setup.py sdist`` at build time and does not pass SOURCE_DATE_EPOCH to it, so member
mtimes and the gzip header mtime are wall-clock times of the build. Everything else can be equal.
`transplant_timestamps` rewrites the rebuilt archive the way the publisher's setuptools wrote it
(Python `tarfile`, PAX format, gzip level 9) but with the published archive's times:

* each member gets the published member's mtime; its pax time records (mtime, atime, ctime) are
  dropped and the published member's copied in, so the pax mtime record is written with the
  published text (a float ``1685035838.1650524`` stays exactly that) and the ustar field with
  ``round()`` of it, as tarfile does;
* the gzip layer is ``gzip.GzipFile(filename=<published FNAME>, compresslevel=9, mtime=<published
  gzip mtime>)``.

If the result has the published bytes exactly, the rebuilt sdist differs from the published one in
those times only. If not, the result says why: different member sets, members that differ (and in
which fields), member order, the tar stream's end, or the compression.
"""

from __future__ import annotations

import gzip
import hashlib
import tarfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO

from verifier.archive.compression import parse_gzip_header
from verifier.archive.interface import GzipMemberHeader
from verifier.errors import ArchiveError
from verifier.fsutil import file_sha256

__all__ = ["TransplantResult", "transplant_timestamps"]

_TIME_KEYS = ("mtime", "atime", "ctime")
_MAX_MEMBERS = 200_000
_MAX_TOTAL_BYTES = 8 * 1024**3
_CHUNK = 1 << 20


@dataclass(frozen=True, slots=True)
class TransplantResult:
    """What `transplant_timestamps` found. `identical` is the proof; the rest explains a failure."""

    identical: bool
    out: Path
    published_sha256: str
    transplanted_sha256: str
    only_in_published: tuple[str, ...] = ()
    only_in_rebuilt: tuple[str, ...] = ()
    differing_members: tuple[str, ...] = ()  # "name: field, field" after the transplant
    reason: str = ""  # empty when identical

    def __bool__(self) -> bool:
        return self.identical


@dataclass(frozen=True, slots=True)
class _MemberRecord:
    """A tar member's header fields and content digest, for saying what differs."""

    name: str
    fields: tuple[tuple[str, object], ...]
    sha256: str


def _gzip_header(path: Path) -> GzipMemberHeader:
    with open(path, "rb") as stream:
        head = stream.read(64 * 1024)
    parsed = parse_gzip_header(head, 0)
    if parsed is None:
        raise ArchiveError(f"{path.name}: truncated gzip header")
    return parsed[0]


def _members(path: Path) -> Iterator[tuple[tarfile.TarInfo, tarfile.TarFile]]:
    """The members of a .tar.gz, bounded in number and total size (untrusted input)."""
    total = 0
    try:
        with tarfile.open(path, "r:gz") as archive:
            for count, member in enumerate(archive, start=1):
                total += member.size
                if count > _MAX_MEMBERS or total > _MAX_TOTAL_BYTES:
                    raise ArchiveError(f"{path.name}: more than {_MAX_MEMBERS} members or {_MAX_TOTAL_BYTES} bytes")
                yield member, archive
    except (tarfile.TarError, OSError, EOFError, gzip.BadGzipFile) as exc:
        raise ArchiveError(f"{path.name}: not a readable .tar.gz: {exc}") from exc


def _content_digest(archive: tarfile.TarFile, member: tarfile.TarInfo) -> str:
    digest = hashlib.sha256()
    if member.isfile():
        stream = archive.extractfile(member)
        if stream is not None:
            for block in iter(lambda: stream.read(_CHUNK), b""):
                digest.update(block)
    return digest.hexdigest()


def _records(path: Path) -> list[_MemberRecord]:
    records = []
    for member, archive in _members(path):
        fields = (("type", member.type), ("mode", member.mode), ("uid", member.uid), ("gid", member.gid),
                  ("uname", member.uname), ("gname", member.gname), ("size", member.size),
                  ("mtime", member.mtime), ("linkname", member.linkname),
                  ("pax", tuple(sorted(member.pax_headers.items()))))
        records.append(_MemberRecord(member.name, fields, _content_digest(archive, member)))
    return records


def _published_times(path: Path) -> dict[str, tuple[float, dict[str, str]]]:
    times: dict[str, tuple[float, dict[str, str]]] = {}
    for member, _ in _members(path):
        pax_times = {key: member.pax_headers[key] for key in _TIME_KEYS if key in member.pax_headers}
        times[member.name] = (member.mtime, pax_times)
    return times


def _write_transplanted(rebuilt: Path, out: Path, times: dict[str, tuple[float, dict[str, str]]],
                        header: GzipMemberHeader) -> None:
    filename = header.filename.decode("latin-1") if header.filename is not None else ""
    partial = out.with_name(out.name + ".partial")
    with open(partial, "wb") as raw, \
            gzip.GzipFile(filename=filename, mode="wb", compresslevel=9, fileobj=raw, mtime=header.mtime) as packed, \
            tarfile.open(fileobj=packed, mode="w", format=tarfile.PAX_FORMAT) as writer:
        for member, archive in _members(rebuilt):
            if member.name in times:
                mtime, pax_times = times[member.name]
                pax = {key: value for key, value in member.pax_headers.items() if key not in _TIME_KEYS}
                pax.update(pax_times)
                member.pax_headers = pax
                member.mtime = mtime
            content: IO[bytes] | None = archive.extractfile(member) if member.isfile() else None
            writer.addfile(member, content)
    partial.replace(out)


def _tar_stream_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with gzip.open(path, "rb") as stream:
        for block in iter(lambda: stream.read(_CHUNK), b""):
            digest.update(block)
    return digest.hexdigest()


def _explain(published: Path, out: Path, header: GzipMemberHeader) -> tuple[tuple[str, ...], str]:
    """(differing members, reason) for a transplanted archive that is not the published one."""
    left, right = _records(published), _records(out)
    by_name = {record.name: record for record in right}
    differing = []
    for record in left:
        other = by_name.get(record.name)
        if other is None:
            continue
        pairs = zip(record.fields, other.fields, strict=True)
        fields = [name for (name, value), (_, other_value) in pairs if value != other_value]
        if record.sha256 != other.sha256:
            fields.append("content")
        if fields:
            differing.append(f"{record.name}: {', '.join(fields)}")
    if differing:
        return tuple(differing), f"{len(differing)} member(s) differ after the transplant"
    if [r.name for r in left] != [r.name for r in right]:
        return (), "same members, different order"
    if _tar_stream_sha256(published) != _tar_stream_sha256(out):
        return (), "same members, but the tar streams differ (header encoding or end-of-archive padding)"
    if (header.os, header.xfl, header.extra, header.comment) != (255, 2, None, None):
        return (), (f"same tar stream; the published gzip header (os {header.os}, xfl {header.xfl}, extra/comment) "
                    "is not what gzip.GzipFile writes")
    return (), "same tar stream, different compression (another compressor or level than zlib level 9)"


def transplant_timestamps(published: Path, rebuilt: Path, out: Path) -> TransplantResult:
    """Write `rebuilt` to `out` with `published`'s member mtimes and gzip header, and say whether `out`
    has the published bytes exactly. Both must be .tar.gz sdists; ArchiveError otherwise.

    When the member sets differ nothing can be proven; `out` is still written (members only in the
    rebuilt archive keep their times) and the result lists the names on each side.
    """
    header = _gzip_header(published)
    _gzip_header(rebuilt)
    times = _published_times(published)
    rebuilt_names = [member.name for member, _ in _members(rebuilt)]
    only_in_published = tuple(sorted(set(times) - set(rebuilt_names)))
    only_in_rebuilt = tuple(sorted(set(rebuilt_names) - set(times)))
    out.parent.mkdir(parents=True, exist_ok=True)
    _write_transplanted(rebuilt, out, times, header)
    published_sha256, transplanted_sha256 = file_sha256(published), file_sha256(out)
    differing: tuple[str, ...] = ()
    if published_sha256 == transplanted_sha256:
        reason = ""
    elif only_in_published or only_in_rebuilt:
        reason = (f"member sets differ: {len(only_in_published)} only in the published sdist, "
                  f"{len(only_in_rebuilt)} only in the rebuilt one")
    else:
        differing, reason = _explain(published, out, header)
    return TransplantResult(identical=not reason, out=out, published_sha256=published_sha256,
                            transplanted_sha256=transplanted_sha256, only_in_published=only_in_published,
                            only_in_rebuilt=only_in_rebuilt, differing_members=differing, reason=reason)
