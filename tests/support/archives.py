"""Build archives for tests: well-formed ones with tarfile/zipfile, hostile ones byte by byte."""

from __future__ import annotations

import gzip
import io
import tarfile
import zipfile
from dataclasses import dataclass, field
from pathlib import Path


@dataclass
class Entry:
    name: str  # below the top-level directory
    data: bytes = b""
    kind: str = "file"  # file, dir, symlink, hardlink
    mode: int = 0o644
    target: str = ""


@dataclass
class Packing:
    """The honest noise of packing: what a rebuild on another machine changes."""

    format: int = tarfile.PAX_FORMAT
    uid: int = 0
    gid: int = 0
    uname: str = "root"
    gname: str = "root"
    mtime: float = 1_700_000_000
    mtime_step: float = 0.0  # added per member
    gzip_level: int = 9
    gzip_mtime: int = 0
    gzip_name: str = ""
    compressor: str = "zlib"  # or "zlib-ng"
    extra_pax: dict[str, str] = field(default_factory=dict)


def tar_bytes(entries: list[Entry], top: str = "pkg-1.0", packing: Packing | None = None) -> bytes:
    packing = packing or Packing()
    stream = io.BytesIO()
    with tarfile.open(fileobj=stream, mode="w", format=packing.format) as archive:
        for position, entry in enumerate(entries):
            name = f"{top}/{entry.name}" if top else entry.name
            info = tarfile.TarInfo(name)
            info.mode = entry.mode
            info.uid, info.gid, info.uname, info.gname = packing.uid, packing.gid, packing.uname, packing.gname
            info.mtime = packing.mtime + position * packing.mtime_step
            if packing.extra_pax:
                info.pax_headers = dict(packing.extra_pax)
            if entry.kind == "dir":
                info.type = tarfile.DIRTYPE
                archive.addfile(info)
            elif entry.kind == "symlink":
                info.type = tarfile.SYMTYPE
                info.linkname = entry.target
                archive.addfile(info)
            elif entry.kind == "hardlink":
                info.type = tarfile.LNKTYPE
                info.linkname = f"{top}/{entry.target}" if top else entry.target
                archive.addfile(info)
            else:
                info.size = len(entry.data)
                archive.addfile(info, io.BytesIO(entry.data))
    return stream.getvalue()


def gzip_bytes(payload: bytes, packing: Packing | None = None) -> bytes:
    packing = packing or Packing()
    out = io.BytesIO()
    if packing.compressor == "zlib-ng":
        from zlib_ng import gzip_ng

        with gzip_ng.GzipNGFile(
            filename=packing.gzip_name, mode="wb", fileobj=out, compresslevel=packing.gzip_level, mtime=packing.gzip_mtime
        ) as handle:
            handle.write(payload)
        return out.getvalue()
    with gzip.GzipFile(filename=packing.gzip_name, mode="wb", fileobj=out, compresslevel=packing.gzip_level, mtime=packing.gzip_mtime) as handle:
        handle.write(payload)
    return out.getvalue()


def sdist(path: Path, entries: list[Entry], top: str = "pkg-1.0", packing: Packing | None = None) -> Path:
    path.write_bytes(gzip_bytes(tar_bytes(entries, top, packing), packing))
    return path


def zip_sdist(path: Path, entries: list[Entry], top: str = "pkg-1.0", date: tuple[int, ...] = (2020, 1, 1, 0, 0, 0)) -> Path:
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for entry in entries:
            info = zipfile.ZipInfo(f"{top}/{entry.name}" + ("/" if entry.kind == "dir" else ""), date_time=date)
            info.external_attr = ((0o40000 if entry.kind == "dir" else 0o100000) | entry.mode) << 16
            info.create_system = 3
            info.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(info, entry.data)
    return path


SAMPLE = [
    Entry("PKG-INFO", b"Metadata-Version: 2.1\nName: pkg\nVersion: 1.0\n"),
    Entry("pyproject.toml", b"[build-system]\nrequires = ['flit_core']\n"),
    Entry("src", kind="dir", mode=0o755),
    Entry("src/pkg", kind="dir", mode=0o755),
    Entry("src/pkg/__init__.py", b"__version__ = '1.0'\n" * 40),
    Entry("src/pkg/cli.py", b"def main():\n    return 0\n", mode=0o755),
    Entry("README.md", b"# pkg\n" + bytes(range(256)) * 8),
    Entry("docs/link.md", kind="symlink", target="../README.md"),
]


# -- raw tar headers, for inputs tarfile will not write -------------------------------------


def raw_header(
    name: bytes,
    *,
    size: int = 0,
    typeflag: bytes = b"0",
    linkname: bytes = b"",
    mode: int = 0o644,
    mtime: int = 1_700_000_000,
    magic: bytes = b"ustar\x0000",
    checksum: int | None = None,
) -> bytes:
    header = bytearray(512)
    header[0 : len(name)] = name[:100]
    header[100:108] = b"%07o\0" % mode
    header[108:116] = b"%07o\0" % 0
    header[116:124] = b"%07o\0" % 0
    header[124:136] = b"%011o\0" % size
    header[136:148] = b"%011o\0" % mtime
    header[148:156] = b" " * 8
    header[156:157] = typeflag
    header[157 : 157 + len(linkname)] = linkname[:100]
    header[257:265] = magic
    value = sum(header) if checksum is None else checksum
    header[148:156] = b"%06o\0 " % value
    return bytes(header)


def raw_member(name: bytes, data: bytes = b"", **kwargs: object) -> bytes:
    return raw_header(name, size=len(data), **kwargs) + data + bytes(-len(data) % 512)  # type: ignore[arg-type]


def raw_tar(*members: bytes, end: bool = True) -> bytes:
    body = b"".join(members)
    if end:
        body += bytes(1024)
        body += bytes(-len(body) % 10240)
    return body
