import gzip
import hashlib
import io
import random
import tarfile
from decimal import Decimal
from pathlib import Path

import pytest

from tests.support.archives import SAMPLE, Entry, Packing, raw_header, raw_member, raw_tar, tar_bytes
from verifier.archive.interface import ArchiveError, Limits, MemberKind
from verifier.archive.reader import ArchiveReader
from verifier.archive.tar import BlockStream


def members(path: Path, limits: Limits | None = None):
    reader = ArchiveReader(path, limits)
    return list(reader.members()), reader.info


def write(tmp_path: Path, data: bytes, name: str = "a.tar") -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


@pytest.mark.parametrize("fmt", [tarfile.USTAR_FORMAT, tarfile.GNU_FORMAT, tarfile.PAX_FORMAT])
def test_reads_each_tar_format(tmp_path: Path, fmt: int) -> None:
    found, info = members(write(tmp_path, tar_bytes(SAMPLE, packing=Packing(format=fmt, uid=1001, uname="runner"))))
    assert [m.name.rstrip("/") for m in found] == [f"pkg-1.0/{e.name}" for e in SAMPLE]
    assert info.top_level == "pkg-1.0"
    by_name = {m.name.split("/", 1)[1].rstrip("/"): m for m in found}
    assert by_name["src/pkg/cli.py"].mode == 0o755
    assert by_name["src"].kind is MemberKind.DIR
    assert by_name["docs/link.md"].kind is MemberKind.SYMLINK and by_name["docs/link.md"].linkname == "../README.md"
    assert by_name["README.md"].uid == 1001 and by_name["README.md"].uname == "runner"
    assert info.trailer_zero and info.trailer_size > 0


@pytest.mark.parametrize("fmt", [tarfile.GNU_FORMAT, tarfile.PAX_FORMAT])
def test_long_names_and_links_use_extended_headers(tmp_path: Path, fmt: int) -> None:
    long_dir = "d" * 120
    entries = [Entry(f"{long_dir}/file.txt", b"x"), Entry(f"{long_dir}/link", kind="symlink", target="f" * 150)]
    found, _ = members(write(tmp_path, tar_bytes(entries, packing=Packing(format=fmt))))
    assert found[0].name == f"pkg-1.0/{long_dir}/file.txt"
    assert len(found[0].headers) == 2  # an extended header, then the main one
    assert found[1].linkname == "f" * 150


def test_pax_fractional_mtime_and_global_header(tmp_path: Path) -> None:
    stream = io.BytesIO()
    with tarfile.open(fileobj=stream, mode="w", format=tarfile.PAX_FORMAT, pax_headers={"comment": "global"}) as archive:
        info = tarfile.TarInfo("pkg-1.0/a.py")
        info.mtime = 1685035838.165
        archive.addfile(info, io.BytesIO(b""))
    found, info = members(write(tmp_path, stream.getvalue()))
    assert found[0].kind is MemberKind.PAX_GLOBAL and dict(found[0].extra) == {"comment": "global"}
    assert found[1].mtime == Decimal("1685035838.165")
    assert info.top_level == "pkg-1.0"


def test_non_utf8_names_are_kept_exactly(tmp_path: Path) -> None:
    data = raw_tar(raw_member(b"pkg-1.0/caf\xe9.txt", b"hello"))
    found, _ = members(write(tmp_path, data))
    assert found[0].name.encode("utf-8", "surrogateescape") == b"pkg-1.0/caf\xe9.txt"


def test_nonzero_padding_is_recorded(tmp_path: Path) -> None:
    member = raw_header(b"pkg-1.0/a.txt", size=3) + b"abc" + b"HIDDEN" + bytes(512 - 9)
    found, _ = members(write(tmp_path, raw_tar(member)))
    assert found[0].padding.startswith(b"HIDDEN")


def test_data_after_end_marker_is_recorded(tmp_path: Path) -> None:
    _found, info = members(write(tmp_path, raw_tar(raw_member(b"pkg-1.0/a", b"a")) + b"secret" + bytes(506)))
    assert not info.trailer_zero
    assert any("after the tar end-of-archive" in warning for warning in info.warnings)


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (raw_tar(raw_member(b"pkg-1.0/../../etc/passwd", b"x")), "'..' component"),
        (raw_tar(raw_member(b"/etc/passwd", b"x")), "absolute path"),
        (raw_tar(raw_header(b"pkg-1.0/link", typeflag=b"2", linkname=b"../../../etc/shadow")), "points outside"),
        (raw_tar(raw_header(b"pkg-1.0/link", typeflag=b"2", linkname=b"/etc/shadow")), "absolute path"),
        (raw_tar(raw_header(b"pkg-1.0/hard", typeflag=b"1", linkname=b"../outside")), "points outside"),
        (raw_tar(raw_header(b"pkg-1.0/a", checksum=1)), "bad header checksum"),
        (raw_header(b"pkg-1.0/a", size=2000) + b"x" * 100, "truncated"),
        (raw_header(b"pkg-1.0/a", size=10)[:300], "not a recognised archive"),
        (raw_header(b"pkg-1.0/a", size=10) + raw_header(b"pkg-1.0/b")[:300], "truncated"),
        (raw_tar(raw_header(b"", size=0)), "empty name"),
        (raw_tar(raw_header(b"pkg-1.0/link", typeflag=b"2", size=10) + bytes(512)), "declares 10 bytes"),
        (raw_tar(raw_header(b"pkg-1.0/vol", typeflag=b"V")), "volume label"),
    ],
)
def test_hostile_members_are_refused_with_one_line(tmp_path: Path, data: bytes, message: str) -> None:
    with pytest.raises(ArchiveError, match=message) as raised:
        members(write(tmp_path, data))
    assert "\n" not in str(raised.value)


def test_limits_bound_members_and_extended_headers(tmp_path: Path) -> None:
    many = raw_tar(*(raw_member(b"pkg-1.0/f%d" % i, b"x") for i in range(50)))
    with pytest.raises(ArchiveError, match="more than 10 members"):
        members(write(tmp_path, many), Limits(max_members=10))
    huge_pax = b"%d path=%s\n" % (len(b"path=") + 5000 + 7, b"p" * 5000)
    data = raw_tar(raw_member(b"././@PaxHeader", huge_pax, typeflag=b"x") + raw_member(b"pkg-1.0/a", b"a"))
    with pytest.raises(ArchiveError, match=r"over the limit|malformed"):
        members(write(tmp_path, data), Limits(max_extended_header_bytes=1000))


def test_malformed_pax_record_is_an_error(tmp_path: Path) -> None:
    data = raw_tar(raw_member(b"././@PaxHeader", b"99 path=x\n", typeflag=b"x") + raw_member(b"pkg-1.0/a", b"a"))
    with pytest.raises(ArchiveError, match="malformed pax"):
        members(write(tmp_path, data))


def test_hundreds_of_thousands_of_members_are_read(tmp_path: Path) -> None:
    member = raw_member(b"pkg-1.0/f", b"")
    path = write(tmp_path, gzip.compress(raw_tar(*([member] * 200_000)), 1), "many.tar.gz")
    reader = ArchiveReader(path)
    count = sum(1 for _ in reader.members())
    assert count == 200_000


@pytest.mark.parametrize(("typeflag", "kind"), [(b"3", MemberKind.CHARDEV), (b"4", MemberKind.BLOCKDEV), (b"6", MemberKind.FIFO)])
def test_devices_and_fifos_are_read_with_a_warning(tmp_path: Path, typeflag: bytes, kind: MemberKind) -> None:
    found, info = members(write(tmp_path, raw_tar(raw_header(b"pkg-1.0/dev", typeflag=typeflag), raw_member(b"pkg-1.0/a", b"a"))))
    assert [m.kind for m in found] == [kind, MemberKind.FILE]
    assert any("pkg-1.0/dev" in warning for warning in info.warnings)


def test_directory_size_is_kept_and_no_data_is_read_after_it(tmp_path: Path) -> None:
    # GNU tar and tarfile read the next header right after a directory's, whatever its size says.
    data = raw_tar(raw_header(b"pkg-1.0/d/", typeflag=b"5", size=255), raw_member(b"pkg-1.0/a", b"a"))
    found, _ = members(write(tmp_path, data))
    assert [m.name for m in found] == ["pkg-1.0/d/", "pkg-1.0/a"]
    assert found[0].size == 0 and ("VERIFIER.directory-size", "255") in found[0].extra


def test_every_field_of_a_member_as_read(tmp_path: Path) -> None:
    # tarfile writes the header; each field must land in its own Member field (built by position).
    stream = io.BytesIO()
    with tarfile.open(fileobj=stream, mode="w", format=tarfile.USTAR_FORMAT) as archive:
        info = tarfile.TarInfo("pkg-1.0/a.py")
        info.size, info.mode, info.uid, info.gid, info.uname, info.gname, info.mtime = 3, 0o640, 1001, 123, "runner", "docker", 1_700_000_000
        archive.addfile(info, io.BytesIO(b"abc"))
        link = tarfile.TarInfo("pkg-1.0/l")
        link.type, link.linkname = tarfile.SYMTYPE, "a.py"
        archive.addfile(link)
    (a, ln), _ = members(write(tmp_path, stream.getvalue()))
    assert (a.index, a.name, a.kind, a.mode, a.uid, a.gid, a.uname, a.gname, a.mtime, a.size, a.linkname) == (
        0, "pkg-1.0/a.py", MemberKind.FILE, 0o640, 1001, 123, "runner", "docker", 1_700_000_000, 3, ""
    )
    assert (a.extra, a.headers, a.padding, a.data_offset, a.git_blob_sha1, a.origin, a.device) == ((), (stream.getvalue()[:512],), b"", 512, None, "tar", None)
    assert a.content_sha256 == hashlib.sha256(b"abc").digest()
    assert (ln.index, ln.kind, ln.linkname, ln.data_offset) == (1, MemberKind.SYMLINK, "a.py", 1536)


@pytest.mark.parametrize("seed", range(20))
def test_block_stream_reads_exactly_across_any_chunking(seed: int) -> None:
    rng = random.Random(seed)
    data = rng.randbytes(rng.randint(0, 5000))
    cuts = sorted(rng.sample(range(len(data) + 1), min(len(data) + 1, rng.randint(0, 40))))
    chunks = [data[a:b] for a, b in zip([0, *cuts], [*cuts, len(data)], strict=True)]  # empty ones too
    stream = BlockStream(iter(chunks))
    position = 0
    while position < len(data) or rng.random() < 0.3:
        n = rng.choice([0, 1, 7, 512, rng.randint(0, 1200)])
        expected = data[position : position + n]
        operation = rng.choice(["read", "take", "feed"])
        if operation == "read":
            assert stream.read(n) == expected
        elif operation == "take":
            taken = stream.take(n)
            if taken is None:
                continue
            buffer, start = taken
            assert buffer[start : start + n] == expected and len(expected) == n
        else:
            sink = hashlib.sha256()
            assert stream.feed(n, (sink,)) == len(expected)
            assert sink.digest() == hashlib.sha256(expected).digest()
        position += len(expected)
        assert stream.offset == position
        if position >= len(data) and operation != "take":
            break
