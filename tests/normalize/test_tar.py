"""Each normalization on its own: what it changes, and that it changes nothing else."""

import tarfile
from decimal import Decimal
from pathlib import Path

import pytest

from tests.support.archives import SAMPLE, Entry, Packing, raw_header, raw_tar, tar_bytes
from verifier.archive import tarheader as th
from verifier.archive.interface import Member
from verifier.archive.reader import ArchiveReader
from verifier.normalize import tar as n


def read(tmp_path: Path, data: bytes) -> list[Member]:
    path = tmp_path / "a.tar"
    path.write_bytes(data)
    return list(ArchiveReader(path).members())


def fields_except(member: Member, *names: str) -> dict:
    return {key: value for key, value in member._asdict().items() if key not in names}


def test_mtime_zeroes_the_field_and_removes_time_records(tmp_path: Path) -> None:
    packing = Packing(mtime=1685035838.165, extra_pax={"atime": "1.5", "ctime": "2.5", "comment": "kept"})
    member = read(tmp_path, tar_bytes([Entry("a.py", b"x")], packing=packing))[0]
    assert member.mtime == Decimal("1685035838.165")
    out = n.mtime(member)
    assert out.mtime == 0 and dict(out.extra) == {"comment": "kept"}
    pax = th.split_pax(out.headers[0][512:])
    assert [key for key, _ in pax] == ["path", "comment"] or [key for key, _ in pax] == ["comment"]
    assert out.headers[-1][136:148] == th.octal(0, 12)
    assert fields_except(out, "mtime", "extra", "headers") == fields_except(member, "mtime", "extra", "headers")


def test_mtime_drops_a_pax_header_left_empty(tmp_path: Path) -> None:
    member = read(tmp_path, tar_bytes([Entry("a.py", b"x")], packing=Packing(mtime=1.5)))[0]
    assert len(member.headers) == 2
    assert len(n.mtime(member).headers) == 1


def test_mtime_gives_equal_bytes_for_different_times(tmp_path: Path) -> None:
    a = read(tmp_path, tar_bytes([Entry("a.py", b"x")], packing=Packing(mtime=1)))[0]
    b = read(tmp_path, tar_bytes([Entry("a.py", b"x")], packing=Packing(mtime=99999.25)))[0]
    assert a.headers != b.headers
    assert n.mtime(a).headers == n.mtime(b).headers


def test_gnu_atime_ctime_are_cleared(tmp_path: Path) -> None:
    header = bytearray(raw_header(b"pkg-1.0/a", magic=b"ustar  \0"))
    header[345:357] = b"%011o\0" % 5
    header[148:156] = b" " * 8
    header[148:156] = b"%06o\0 " % sum(header)
    member = read(tmp_path, raw_tar(bytes(header)))[0]
    assert n.mtime(member).headers[0][345:369] == bytes(24)


def test_owner_clears_ids_and_names(tmp_path: Path) -> None:
    member = read(tmp_path, tar_bytes([Entry("a.py", b"x")], packing=Packing(uid=1001, gid=123, uname="runner", gname="docker")))[0]
    out = n.owner(member)
    assert (out.uid, out.gid, out.uname, out.gname) == (0, 0, "", "")
    assert out.headers[-1][th.UNAME[0] : th.GNAME[1]] == bytes(64)
    root = read(tmp_path, tar_bytes([Entry("a.py", b"x")], packing=Packing(uid=0, gid=0, uname="root", gname="root")))[0]
    assert n.owner(root).headers == out.headers
    assert fields_except(out, "uid", "gid", "uname", "gname", "headers") == fields_except(member, "uid", "gid", "uname", "gname", "headers")


def test_owner_removes_pax_owner_records(tmp_path: Path) -> None:
    member = read(tmp_path, tar_bytes([Entry("a.py", b"x")], packing=Packing(uname="ü" * 40)))[0]
    assert any(b"uname=" in block for block in member.headers)
    assert not any(b"uname=" in block for block in n.owner(member).headers)


@pytest.mark.parametrize(("mode", "expected"), [(0o664, 0o644), (0o600, 0o644), (0o775, 0o755), (0o700, 0o744), (0o4755, 0o4755)])
def test_mode_keeps_executable_and_special_bits(tmp_path: Path, mode: int, expected: int) -> None:
    member = read(tmp_path, tar_bytes([Entry("a.py", b"x", mode=mode)]))[0]
    out = n.mode(member)
    assert out.mode == expected
    assert int(out.headers[-1][100:108].rstrip(b"\0"), 8) & 0o7777 == expected


def test_tar_format_makes_encodings_equal(tmp_path: Path) -> None:
    entries = [Entry("d" * 120 + "/a.py", b"x"), Entry("b.py", b"y")]
    gnu = read(tmp_path, tar_bytes(entries, packing=Packing(format=tarfile.GNU_FORMAT)))
    pax = read(tmp_path, tar_bytes(entries, packing=Packing(format=tarfile.PAX_FORMAT)))
    assert [m.headers for m in gnu] != [m.headers for m in pax]
    assert [n.tar_format(m).headers for m in gnu] == [n.tar_format(m).headers for m in pax]


def test_checksums_stay_valid_after_rewriting(tmp_path: Path) -> None:
    for member in read(tmp_path, tar_bytes(SAMPLE, packing=Packing(uid=5, mtime=3.5))):
        for step in (n.mtime, n.owner, n.mode, n.tar_format):
            for block in step(member).headers:
                header = block[:512]
                assert int(header[148:154], 8) == th.checksum_of(header)


def test_checksum_layout_is_kept() -> None:
    header = bytearray(raw_header(b"pkg-1.0/a"))
    header[148:156] = b"0" + b"%06o" % sum(header) + b"\0"  # 7 digits, then NUL
    rewritten = th.fix_checksum(th.set_field(bytes(header), th.MTIME, th.octal(0, 12)))
    assert rewritten[148] == ord("0") and rewritten[155] == 0 and len(rewritten[148:155].rstrip(b"\0")) == 7
