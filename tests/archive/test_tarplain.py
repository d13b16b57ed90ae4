"""The plain-member fast path reads exactly what the general path reads, or leaves the header to it."""

from __future__ import annotations

import hashlib
import random
import tarfile
from pathlib import Path

import pytest

from tests.support.archives import SAMPLE, Packing, raw_header, raw_member, raw_tar, tar_bytes
from verifier.archive import tar as tar_module
from verifier.archive.interface import ArchiveError, Limits
from verifier.archive.reader import ArchiveReader
from verifier.archive.tarplain import plain_fields


def outcome(path: Path, *, sink: bool) -> tuple[object, ...]:
    """Every member, the archive's facts and the contents' digest; or the error's message."""
    contents = hashlib.sha256() if sink else None
    reader = ArchiveReader(path, Limits(max_name_bytes=200), content_sink=contents)
    try:
        members = list(reader.members())
    except ArchiveError as exc:
        return ("error", str(exc))
    return (members, reader.info, contents.digest() if contents else None)


def both_paths(path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    for sink in (True, False):
        fast = outcome(path, sink=sink)
        with monkeypatch.context() as patch:
            patch.setattr(tar_module, "plain_fields", lambda header, limits: None)
            general = outcome(path, sink=sink)
        assert fast == general


def mutated(base: bytes, rng: random.Random) -> bytes:
    """`base` with a few header bytes changed (checksum fixed up, or not), as a fuzzer would."""
    data = bytearray(base)
    headers = [offset for offset in range(0, len(data) - 1024, 512) if data[offset + 257 : offset + 262] == b"ustar"]
    for _ in range(rng.randint(1, 3)):
        offset = rng.choice(headers)
        position = rng.choice([*range(100, 157), *range(257, 265), 0, 1, 99, 345, 346, 499, 265, 297])
        data[offset + position] = rng.choice([0, 32, 0x30, 0x37, 0x38, 0x2D, 0x2B, 0x5F, 0x35, 0x80, 0xFF, ord("/"), ord("."), rng.randrange(256)])
        if rng.random() < 0.8:
            header = data[offset : offset + 512]
            header[148:156] = b" " * 8
            data[offset + 148 : offset + 156] = b"%06o\0 " % sum(header)
    return bytes(data)


@pytest.mark.parametrize("fmt", [tarfile.USTAR_FORMAT, tarfile.GNU_FORMAT, tarfile.PAX_FORMAT])
def test_fuzzed_archives_read_the_same_both_ways(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, fmt: int) -> None:
    base = tar_bytes(SAMPLE, packing=Packing(format=fmt, uid=1001, gid=123, uname="runner", gname="docker"))
    rng = random.Random(fmt)
    path = tmp_path / "a.tar"
    for _ in range(150):
        path.write_bytes(mutated(base, rng))
        both_paths(path, monkeypatch)


ODD = {
    "signed checksum": raw_member(b"pkg-1.0/\xe9t\xe9", b"x", checksum=sum(b - 256 if b > 127 else b for b in raw_header(b"pkg-1.0/\xe9t\xe9", size=1)[:148]) + 256 + sum(raw_header(b"pkg-1.0/\xe9t\xe9", size=1)[156:])),
    "not utf-8 name": raw_member(b"pkg-1.0/\xff\xfe", b"data"),
    "directory with a size": raw_member(b"pkg-1.0/d/", b"x" * 10, typeflag=b"5"),
    "v7 header": raw_member(b"pkg-1.0/v7", b"v", magic=bytes(8)),
    "old ustar version": raw_member(b"pkg-1.0/u", b"u", magic=b"ustar\0  "),
    "name with ..": raw_member(b"pkg-1.0/../x", b"x"),
    "absolute name": raw_member(b"/etc/x", b"x"),
    "empty name": raw_member(b"", b"x"),
    "bad checksum": raw_member(b"pkg-1.0/a", b"a", checksum=1),
    "mode with the file type bits": raw_member(b"pkg-1.0/m", b"m", mode=0o100755),
    "content over a chunk": raw_member(b"pkg-1.0/big", bytes(range(256)) * 5000),
}


@pytest.mark.parametrize("case", sorted(ODD))
def test_odd_members_read_the_same_both_ways(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, case: str) -> None:
    path = tmp_path / "odd.tar"
    path.write_bytes(raw_tar(raw_member(b"pkg-1.0/first", b"1"), ODD[case], raw_member(b"pkg-1.0/last", b"2" * 513)))
    both_paths(path, monkeypatch)


def test_plain_fields_leaves_unusual_headers_to_the_general_path() -> None:
    limits = Limits()
    assert plain_fields(raw_header(b"pkg-1.0/a", size=3), limits) == ("pkg-1.0/a", tar_module.MemberKind.FILE, 0o644, 0, 0, 1_700_000_000, 3)
    assert plain_fields(raw_header(b"pkg-1.0/l", typeflag=b"2", linkname=b"a"), limits) is None
    assert plain_fields(raw_header(b"pkg-1.0/a", checksum=7), limits) is None
    assert plain_fields(raw_header(b"pkg-1.0/d/", size=1, typeflag=b"5"), limits) is None
