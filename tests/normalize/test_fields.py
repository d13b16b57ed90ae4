"""The one-pass mtime/owner/mode gives the bytes and the change list of the normalizations in turn."""

from __future__ import annotations

import itertools
import tarfile
from pathlib import Path

import pytest

from tests.support.archives import SAMPLE, Packing, raw_header, raw_tar, tar_bytes
from verifier.archive.reader import ArchiveReader
from verifier.normalize import tar as n
from verifier.normalize.fields import fields_only, fused_form, fused_header

STEPS = {"mtime": n.mtime, "owner": n.owner, "mode": n.mode}


def one_by_one(member, names):
    changed = []
    for name in names:
        new = STEPS[name](member)
        if new.headers != member.headers:
            changed.append(name)
        member = new
    return member, changed


ORDERS = [list(order) for size in range(1, 4) for order in itertools.permutations(STEPS, size)]


@pytest.mark.parametrize("fmt", [tarfile.USTAR_FORMAT, tarfile.GNU_FORMAT])
@pytest.mark.parametrize("packing", [Packing(uid=1001, uname="runner", mtime=1_700_000_000), Packing(uid=0, gid=0, uname="", gname="", mtime=0)])
def test_one_pass_equals_the_normalizations_in_turn(tmp_path: Path, fmt: int, packing: Packing) -> None:
    packing.format = fmt
    path = tmp_path / "a.tar"
    path.write_bytes(tar_bytes(SAMPLE, packing=packing))
    path_raw = tmp_path / "raw.tar"
    path_raw.write_bytes(raw_tar(raw_header(b"pkg-1.0/odd", mode=0o4777), raw_header(b"pkg-1.0/v7", mode=0o600)))
    members = [m for p in (path, path_raw) for m in ArchiveReader(p).members() if len(m.headers) == 1]
    assert members
    for member in members:
        for names in ORDERS:
            fused = fields_only(member, names)
            assert fused is not None
            assert fused == one_by_one(member, names), (member.name, names)


def test_other_selections_take_the_general_path(tmp_path: Path) -> None:
    path = tmp_path / "a.tar"
    path.write_bytes(tar_bytes(SAMPLE))
    member = next(iter(ArchiveReader(path).members()))
    assert fields_only(member, ["mtime", "tar-format"]) is None


def test_fused_form_is_equal_exactly_when_the_fused_headers_are(tmp_path: Path) -> None:
    """Two headers' digest forms are equal exactly when their stabilized headers are, with the same
    change list, for every selection among mtime, owner and mode."""
    headers = []
    for fmt in (tarfile.USTAR_FORMAT, tarfile.GNU_FORMAT):
        for packing in (Packing(uid=1001, uname="runner", mtime=1_700_000_000), Packing(uid=0, gid=0, uname="", gname="", mtime=0)):
            packing.format = fmt
            path = tmp_path / "a.tar"
            path.write_bytes(tar_bytes(SAMPLE, packing=packing))
            headers += [m.headers[0] for m in ArchiveReader(path).members() if len(m.headers) == 1]
    headers += [raw_header(b"pkg-1.0/README.md", mode=mode, mtime=mtime) for mode in (0o600, 0o644, 0o755) for mtime in (0, 5)]
    headers.append(raw_header(b"pkg-1.0/signed", checksum=sum(raw_header(b"pkg-1.0/signed")) - 256))  # not the unsigned sum
    for names in ORDERS:
        form = fused_form(names)
        assert form is not None
        taken = []
        for header in headers:
            fast = form(header, "where")
            reference = fused_header(header, names, "where", with_checksum=False)
            assert reference is not None
            if fast is None:
                continue
            assert fast[0].startswith(b"f")
            assert list(fast[1]) == reference[1]
            taken.append((fast[0], fused_header(header, names, "where")[0]))  # type: ignore[index]
        assert len(taken) >= len(headers) - 1
        for (form_a, fused_a), (form_b, fused_b) in itertools.combinations(taken, 2):
            assert (form_a == form_b) == (fused_a == fused_b), names
    assert fused_form(["mtime", "tar-format"]) is None
