"""CPython's tarfile test corpus: what GNU tar reads, this tool reads; what is malformed stays an error."""

from __future__ import annotations

import gzip
import shutil
import subprocess
from pathlib import Path

import pytest

from tests.support.tarfile_corpus import corpus_dir
from verifier.archive.canonical import write_canonical
from verifier.archive.interface import ArchiveError, Limits, MemberKind
from verifier.archive.reader import ArchiveReader
from verifier.compare.interface import Verdict
from verifier.compare.run import run_compare
from verifier.normalize.registry import ALL, parse_option


@pytest.fixture(scope="module")
def corpus(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Path:
    cache = getattr(request.config, "cache", None)  # pytest's cache when enabled, else this run's tmp
    return corpus_dir(cache.mkdir("backports-tarfile") if cache is not None else tmp_path_factory.mktemp("backports-tarfile"))


def names(path: Path) -> list[str]:
    return [m.name for m in ArchiveReader(path).members() if m.kind is not MemberKind.PAX_GLOBAL]


@pytest.mark.parametrize("archive", ["testtar.tar", "testtar.tar.xz"])
def test_every_member_gnu_tar_lists_is_read(corpus: Path, archive: str) -> None:
    gnu_tar = shutil.which("tar")
    assert gnu_tar is not None
    listed = subprocess.run([gnu_tar, "--quoting-style=literal", "-tf", str(corpus / archive)], capture_output=True, check=True).stdout
    expected = [line.decode("utf-8", "surrogateescape") for line in listed.split(b"\n") if line]
    assert names(corpus / archive) == expected


def test_unusual_members_are_read_as_what_they_are(corpus: Path) -> None:
    reader = ArchiveReader(corpus / "testtar.tar")
    by_name = {m.name: m for m in reader.members()}
    assert by_name["ustar/blktype"].kind is MemberKind.BLOCKDEV and by_name["ustar/blktype"].device == (3, 0)
    assert by_name["ustar/chrtype"].kind is MemberKind.CHARDEV and by_name["ustar/chrtype"].device == (1, 3)
    assert by_name["ustar/fifotype"].kind is MemberKind.FIFO
    assert by_name["gnu/sparse"].kind is MemberKind.SPARSE
    for version in ("0.0", "0.1", "1.0"):
        assert any(key.startswith("GNU.sparse.") for key, _ in by_name[f"gnu/sparse-{version}"].extra)
    directory = by_name["ustar/dirtype-with-size/"]
    assert directory.kind is MemberKind.DIR and ("VERIFIER.directory-size", "255") in directory.extra
    assert any("block device" in warning for warning in reader.info.warnings)


def test_another_gzip_header_is_equivalent(corpus: Path, tmp_path: Path) -> None:
    data = (corpus / "testtar.tar").read_bytes()
    reference, candidate = tmp_path / "a.tar.gz", tmp_path / "b.tar.gz"
    reference.write_bytes(gzip.compress(data, 9, mtime=0))
    with gzip.GzipFile(filename="testtar.tar", mode="wb", fileobj=open(candidate, "wb"), compresslevel=1, mtime=1716915685) as out:
        out.write(data)
    result = run_compare(reference, candidate, parse_option(None, False), Limits(), workdir=tmp_path / "work")
    assert result.verdict is Verdict.EQUIVALENT, [d.message for d in result.differences]


@pytest.mark.parametrize("selection", ["default", "strict", "all"])
def test_normalize_works_and_is_idempotent(corpus: Path, tmp_path: Path, selection: str) -> None:
    normalizations = {"default": parse_option(None, False), "strict": (), "all": ALL}[selection]
    outputs = [corpus / "testtar.tar"]
    for step in range(3):
        outputs.append(tmp_path / f"n{step}.tar.gz")
        write_canonical(outputs[-2], outputs[-1], normalizations, Limits())
    assert outputs[1].read_bytes() == outputs[2].read_bytes() == outputs[3].read_bytes()
    assert names(outputs[1]) == names(corpus / "testtar.tar") or selection == "all"


def test_normalized_output_is_read_by_gnu_tar(corpus: Path, tmp_path: Path) -> None:
    output = tmp_path / "n.tar.gz"
    write_canonical(corpus / "testtar.tar", output, parse_option(None, False), Limits())
    listed = subprocess.run(["tar", "--quoting-style=literal", "-tzf", str(output)], capture_output=True, check=True).stdout
    assert [line.decode("utf-8", "surrogateescape") for line in listed.split(b"\n") if line] == names(corpus / "testtar.tar")


@pytest.mark.parametrize("cut", [100, 20_000, 200_000, 434_000])
def test_truncated_streams_are_one_line_errors(corpus: Path, tmp_path: Path, cut: int) -> None:
    path = tmp_path / "cut.tar"
    path.write_bytes((corpus / "testtar.tar").read_bytes()[:cut])
    with pytest.raises(ArchiveError) as raised:
        names(path)
    assert "\n" not in str(raised.value)


def test_recursive_pax_header_is_a_one_line_error_exit_2(corpus: Path, cli) -> None:
    with pytest.raises(ArchiveError) as raised:
        names(corpus / "recursion.tar")
    assert "\n" not in str(raised.value)
    result = cli("compare", corpus / "recursion.tar", corpus / "testtar.tar")
    assert result.code == 2 and len(result.stderr.strip().splitlines()) == 1


def test_zip_directory_archive_is_read(corpus: Path) -> None:
    assert names(corpus / "zipdir.zip") == ["a/", "a/b/", "a/b/c"]


@pytest.mark.parametrize("compressed", [False, True])
def test_a_truncated_stream_is_exit_2_with_one_line(corpus: Path, tmp_path: Path, cli, compressed: bool) -> None:  # type: ignore[no-untyped-def]
    data = (corpus / "testtar.tar").read_bytes()
    cut = tmp_path / ("cut.tar.gz" if compressed else "cut.tar")
    cut.write_bytes(gzip.compress(data, mtime=0)[:10_000] if compressed else data[:200_000])
    result = cli("compare", corpus / "testtar.tar", cut)
    assert result.code == 2 and len(result.stderr.strip().splitlines()) == 1 and "truncated" in result.stderr
