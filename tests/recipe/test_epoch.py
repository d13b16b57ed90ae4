from pathlib import Path

import pytest

from tests.support.archives import SAMPLE, Packing, sdist
from verifier.errors import UsageError
from verifier.recipe.epoch import alternatives, choose, infer_from_archive, parse_option


def test_option_parsing() -> None:
    assert parse_option("tag") == "tag" and parse_option("UNSET") == "unset" and parse_option("123") == 123
    with pytest.raises(UsageError):
        parse_option("yesterday")
    with pytest.raises(UsageError):
        parse_option("-5")


def test_inference_from_a_shared_stamp_gzip_mtime_and_fixed_stamps(tmp_path: Path) -> None:
    files = [e for e in SAMPLE if e.kind == "file"]
    stamped = sdist(tmp_path / "a.tar.gz", files, packing=Packing(mtime=1_700_000_000, gzip_mtime=5))
    assert infer_from_archive(stamped).value == 1_700_000_000
    varied = sdist(tmp_path / "b.tar.gz", files, packing=Packing(mtime=1_700_000_000, mtime_step=10, gzip_mtime=1_700_000_500))
    choice = infer_from_archive(varied)
    assert (choice.value, choice.origin) == (1_700_000_500, "infer:gzip-mtime")
    hatchling_unset = sdist(tmp_path / "c.tar.gz", files, packing=Packing(mtime=1580601600))
    assert infer_from_archive(hatchling_unset).value is None


def test_choices_and_alternatives(tmp_path: Path) -> None:
    published = sdist(tmp_path / "a.tar.gz", [e for e in SAMPLE if e.kind == "file"], packing=Packing(mtime=1_600_000_000))
    first = choose("tag", 1_700_000_000, published)
    assert first.value == 1_700_000_000
    others = alternatives(first, 1_700_000_000, published)
    assert [choice.value for choice in others] == [1_600_000_000, None]
