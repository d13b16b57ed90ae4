"""`verifier normalize` through the real entry point: canonical outputs, never an overwrite."""

import gzip
import hashlib
from pathlib import Path

from tests.support.archives import raw_member, raw_tar


def test_normalize_outputs_agree_exactly_when_equivalent(cli, tmp_path: Path, pair) -> None:
    outputs = []
    for source in pair:
        target = tmp_path / f"{source.stem}.norm.tar.gz"
        result = cli("normalize", source, target)
        assert result.code == 0, result.stderr
        digest = hashlib.sha256(target.read_bytes()).hexdigest()
        assert result.stdout.split()[0] == digest
        outputs.append(digest)
    assert outputs[0] == outputs[1]
    strict = [cli("normalize", "--strict", source, tmp_path / f"{source.stem}.strict.tar.gz").stdout.split()[0] for source in pair]
    assert strict[0] != strict[1]


def test_normalize_never_overwrites_without_force(cli, tmp_path: Path, pair) -> None:
    target = tmp_path / "out.tar.gz"
    target.write_bytes(b"precious")
    result = cli("normalize", pair[0], target)
    assert result.code == 2 and target.read_bytes() == b"precious"
    assert cli("normalize", pair[0], target, "--force").code == 0
    assert target.read_bytes() != b"precious"


def test_normalize_of_a_bad_archive_writes_nothing(cli, tmp_path: Path) -> None:
    bad = tmp_path / "bad.tar.gz"
    bad.write_bytes(gzip.compress(raw_tar(raw_member(b"pkg/../../x", b"x"))))
    result = cli("normalize", bad, tmp_path / "out.tar.gz")
    assert result.code == 2
    assert sorted(p.name for p in tmp_path.iterdir()) == ["bad.tar.gz"]
