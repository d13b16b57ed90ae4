"""Verdicts and differences, on archives built for each case."""

import tarfile
from pathlib import Path

from tests.support.archives import SAMPLE, Entry, Packing, raw_header, raw_member, raw_tar, sdist, zip_sdist
from verifier.archive.interface import Limits
from verifier.compare.interface import Verdict
from verifier.compare.run import run_compare
from verifier.normalize.registry import parse_option, select

DEFAULT = parse_option(None, False)
PUBLISHER = Packing(uid=1001, gid=123, uname="runner", gname="docker", mtime=1685035837, mtime_step=0.25, gzip_level=9, gzip_mtime=1685035838, gzip_name="pkg-1.0.tar")
REBUILD = Packing(uid=0, gid=0, uname="root", gname="root", mtime=1764000000, gzip_level=6, gzip_mtime=0)


def compare(tmp_path: Path, left: list[Entry], right: list[Entry], normalizations=DEFAULT, *, left_packing=PUBLISHER, right_packing=REBUILD, left_top="pkg-1.0", right_top="pkg-1.0"):
    a = sdist(tmp_path / "ref.tar.gz", left, left_top, left_packing)
    b = sdist(tmp_path / "cand.tar.gz", right, right_top, right_packing)
    return run_compare(a, b, normalizations, Limits(), workdir=tmp_path / "work")


def kinds(comparison) -> set[tuple[str, str]]:
    return {(d.kind, d.path) for d in comparison.differences}


def test_identical_files(tmp_path: Path) -> None:
    result = compare(tmp_path, SAMPLE, SAMPLE, right_packing=PUBLISHER)
    assert result.verdict is Verdict.IDENTICAL and result.differences == []


def test_honest_noise_is_equivalent_and_counted(tmp_path: Path) -> None:
    result = compare(tmp_path, SAMPLE, SAMPLE)
    assert result.verdict is Verdict.EQUIVALENT
    effects = {e.name: e for e in result.effects}
    assert effects["mtime"].pairs == len(SAMPLE)
    assert effects["owner"].pairs == len(SAMPLE)
    assert effects["owner"].reference_members == len(SAMPLE)
    assert effects["gzip-header"].pairs == 1
    assert result.gzip is not None and "mtime" in result.gzip.header_fields_differing


def test_strict_is_bit_for_bit(tmp_path: Path) -> None:
    result = compare(tmp_path, SAMPLE, SAMPLE, ())
    assert result.verdict is Verdict.DIFFERENT
    found = {d.kind for d in result.differences}
    assert {"owner", "mtime", "compression"} <= found


def test_without_gzip_header_the_compression_layer_differs(tmp_path: Path) -> None:
    result = compare(tmp_path, SAMPLE, SAMPLE, select(["mtime", "owner"]))
    assert result.verdict is Verdict.DIFFERENT
    assert {d.kind for d in result.differences} == {"compression"}


def test_content_difference_names_member_and_first_byte(tmp_path: Path) -> None:
    changed = [Entry(e.name, e.data.replace(b"1.0", b"1.1"), e.kind, e.mode, e.target) for e in SAMPLE]
    result = compare(tmp_path, SAMPLE, changed)
    content = [d for d in result.differences if d.path == "pkg-1.0/src/pkg/__init__.py"]
    assert content and content[0].kind == "content"
    assert content[0].reference["first_difference_offset"] == len("__version__ = '1.")
    assert content[0].reference["sha256"] != content[0].candidate["sha256"]


def test_every_kind_of_difference(tmp_path: Path) -> None:
    right = [e for e in SAMPLE if e.name != "README.md"] + [Entry("extra.txt", b"new")]
    right = [Entry(e.name, e.data, e.kind, 0o600 if e.name == "pyproject.toml" else e.mode, "../x.md" if e.kind == "symlink" else e.target) for e in right]
    right = [Entry("src/pkg/cli.py", kind="dir", mode=0o755) if e.name == "src/pkg/cli.py" else e for e in right]
    result = compare(tmp_path, SAMPLE, right)
    found = kinds(result)
    assert ("only-in-reference", "pkg-1.0/README.md") in found
    assert ("only-in-candidate", "pkg-1.0/extra.txt") in found
    assert ("mode", "pkg-1.0/pyproject.toml") in found
    assert ("link-target", "pkg-1.0/docs/link.md") in found
    assert ("type", "pkg-1.0/src/pkg/cli.py") in found


def test_size_difference(tmp_path: Path) -> None:
    right = [Entry(e.name, e.data + b"!" if e.name == "PKG-INFO" else e.data, e.kind, e.mode, e.target) for e in SAMPLE]
    result = compare(tmp_path, SAMPLE, right)
    assert ("size", "pkg-1.0/PKG-INFO") in kinds(result)


def test_duplicates_are_never_resolved_last_one_wins(tmp_path: Path) -> None:
    duplicated = [*SAMPLE, Entry("PKG-INFO", SAMPLE[0].data)]
    result = compare(tmp_path, SAMPLE, duplicated)
    assert result.verdict is Verdict.DIFFERENT
    assert ("duplicate", "pkg-1.0/PKG-INFO") in kinds(result)
    shadowing = [*SAMPLE, Entry("PKG-INFO", b"Name: evil\n")]
    assert ("duplicate", "pkg-1.0/PKG-INFO") in kinds(compare(tmp_path, SAMPLE, shadowing))
    both = compare(tmp_path, duplicated, duplicated)
    assert both.verdict is Verdict.EQUIVALENT
    assert any("appears 2 times" in warning for warning in both.warnings)


def test_order_difference_and_order_normalization(tmp_path: Path) -> None:
    reordered = list(reversed(SAMPLE))
    result = compare(tmp_path, SAMPLE, reordered)
    assert result.verdict is Verdict.DIFFERENT and {d.kind for d in result.differences} == {"order"}
    assert compare(tmp_path, SAMPLE, reordered, select(["mtime", "owner", "gzip-header", "order"])).verdict is Verdict.EQUIVALENT


def test_mode_normalization(tmp_path: Path) -> None:
    umask = [Entry(e.name, e.data, e.kind, e.mode | 0o020, e.target) for e in SAMPLE]
    assert compare(tmp_path, SAMPLE, umask).verdict is Verdict.DIFFERENT
    assert compare(tmp_path, SAMPLE, umask, select(["mtime", "owner", "gzip-header", "mode"])).verdict is Verdict.EQUIVALENT


def test_tar_format_normalization(tmp_path: Path) -> None:
    gnu = Packing(format=tarfile.GNU_FORMAT)
    long_names = [*SAMPLE, Entry("n" * 150, b"long")]
    plain = compare(tmp_path, long_names, long_names, left_packing=gnu, right_packing=Packing(format=tarfile.PAX_FORMAT))
    assert plain.verdict is Verdict.DIFFERENT and {d.kind for d in plain.differences} == {"tar-header"}
    normalized = compare(
        tmp_path, long_names, long_names, select(["mtime", "owner", "gzip-header", "tar-format"]),
        left_packing=gnu, right_packing=Packing(format=tarfile.PAX_FORMAT),
    )
    assert normalized.verdict is Verdict.EQUIVALENT


def test_another_release_is_paired_below_the_top_level(tmp_path: Path) -> None:
    newer = [Entry(e.name, e.data.replace(b"1.0", b"1.1"), e.kind, e.mode, e.target) for e in SAMPLE]
    result = compare(tmp_path, SAMPLE, newer, right_top="pkg-1.1")
    found = kinds(result)
    assert ("top-level-directory", "") in found
    assert ("content", "pkg-1.0/PKG-INFO") in found
    assert not any(kind.startswith("only-in") for kind, _ in found)


def test_zip_against_itself_repacked(tmp_path: Path) -> None:
    entries = [e for e in SAMPLE if e.kind == "file"]
    a = zip_sdist(tmp_path / "a.zip", entries, date=(2020, 1, 1, 0, 0, 0))
    b = zip_sdist(tmp_path / "b.zip", entries, date=(2024, 5, 5, 10, 0, 0))
    assert run_compare(a, b, DEFAULT, Limits()).verdict is Verdict.EQUIVALENT
    assert run_compare(a, b, (), Limits()).verdict is Verdict.DIFFERENT
    c = zip_sdist(tmp_path / "c.zip", entries[:-1])
    assert run_compare(a, c, DEFAULT, Limits()).verdict is Verdict.DIFFERENT


def test_large_pair_uses_a_second_process_and_agrees(tmp_path: Path) -> None:
    import os

    blobs = [Entry(f"data/{i}.bin", os.urandom(300_000)) for i in range(20)]
    result = compare(tmp_path, blobs, blobs)
    assert result.verdict is Verdict.EQUIVALENT
    changed = [*blobs[:-1], Entry(blobs[-1].name, blobs[-1].data[:-1] + b"!")]
    result = compare(tmp_path, blobs, changed)
    assert result.verdict is Verdict.DIFFERENT
    assert [(d.kind, d.path) for d in result.differences] == [("content", "pkg-1.0/data/19.bin")]
    assert result.differences[0].reference["first_difference_offset"] == 299_999


def test_a_directorys_declared_size_is_compared_not_dropped(tmp_path: Path) -> None:
    # GNU tar reads no data after a directory header; the size it declares is still part of the
    # archive, so two archives that differ only there are different, the directory named.
    def archive(path: Path, size: int) -> Path:
        path.write_bytes(raw_tar(raw_header(b"pkg-1.0/d/", typeflag=b"5", size=size, mode=0o755), raw_member(b"pkg-1.0/d/a", b"a")))
        return path

    result = run_compare(archive(tmp_path / "a.tar", 255), archive(tmp_path / "b.tar", 0), parse_option(None, False), Limits())
    assert result.verdict is Verdict.DIFFERENT
    assert {d.path for d in result.differences} == {"pkg-1.0/d/"}
    assert "VERIFIER.directory-size" in result.differences[0].message
