import pytest

from verifier.errors import UsageError
from verifier.normalize.registry import ALL, DEFAULT_NAMES, parse_option, select


def test_defaults_are_exactly_the_mission_set() -> None:
    assert DEFAULT_NAMES == ("mtime", "owner", "gzip-header")
    assert {n.name for n in ALL} == {"mtime", "owner", "gzip-header", "order", "mode", "tar-format"}
    assert all(n.summary for n in ALL)


def test_selection_orders_by_stage_and_refuses_unknown_names() -> None:
    assert [n.name for n in select(["tar-format", "mtime"])] == ["mtime", "tar-format"]
    with pytest.raises(UsageError, match="unknown normalization 'mtimes'"):
        select(["mtimes"])


def test_option_parsing() -> None:
    assert [n.name for n in parse_option(None, False)] == list(DEFAULT_NAMES)
    assert parse_option(None, True) == ()
    assert parse_option("none", False) == ()
    with pytest.raises(UsageError):
        parse_option("mtime", True)
