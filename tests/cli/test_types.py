"""The click parameter types: what each accepts, what it gives the command, what it refuses."""

from datetime import UTC, datetime

import click
import pytest

from verifier.cli import types


@pytest.mark.parametrize(
    ("text", "size"),
    [("8G", 8 * 2**30), ("500M", 500 * 2**20), ("1.5GiB", 3 * 2**29), ("2kb", 2048), ("1024", 1024), ("1T", 2**40)],
)
def test_byte_size(text: str, size: int) -> None:
    assert types.BYTE_SIZE.convert(text, None, None) == size


@pytest.mark.parametrize("text", ["8X", "abc", "", "G"])
def test_byte_size_refuses(text: str) -> None:
    with pytest.raises(click.BadParameter, match="not a size"):
        types.BYTE_SIZE.convert(text, None, None)


@pytest.mark.parametrize("text", ["mtime", "mtime,owner", "none", "NONE", "order,mode,tar-format"])
def test_normalization_names_are_kept_as_given(text: str) -> None:
    assert types.NORMALIZATION_NAMES.convert(text, None, None) == text


def test_normalization_names_refuse_an_unknown_name() -> None:
    with pytest.raises(click.BadParameter, match="unknown normalization 'mtimes'; known: mtime"):
        types.NORMALIZATION_NAMES.convert("mtime,mtimes", None, None)


@pytest.mark.parametrize("text", ["tag", "infer", "unset", "0", "1704067200", " TAG "])
def test_source_date_epoch(text: str) -> None:
    assert types.SOURCE_DATE_EPOCH.convert(text, None, None) == text


@pytest.mark.parametrize(("text", "message"), [("soon", "takes a number of seconds"), ("-5", "must not be negative")])
def test_source_date_epoch_refuses(text: str, message: str) -> None:
    with pytest.raises(click.BadParameter, match=message):
        types.SOURCE_DATE_EPOCH.convert(text, None, None)


@pytest.mark.parametrize(("text", "pair"), [("A=1", ("A", "1")), ("_X_2=a=b", ("_X_2", "a=b")), ("EMPTY=", ("EMPTY", ""))])
def test_env_pair(text: str, pair: tuple[str, str]) -> None:
    assert types.ENV_PAIR.convert(text, None, None) == pair


@pytest.mark.parametrize("text", ["FOO", "=x", "1FOO=x", "A-B=x", "A B=x"])
def test_env_pair_refuses(text: str) -> None:
    with pytest.raises(click.BadParameter, match="expected KEY=VALUE"):
        types.ENV_PAIR.convert(text, None, None)


@pytest.mark.parametrize("text", ["1001:123", "1001:123:runner:docker", "0:0"])
def test_build_user(text: str) -> None:
    assert types.BUILD_USER.convert(text, None, None) == text


@pytest.mark.parametrize("text", ["1001", "a:b", "1:2:3", "1:2:3:4:5", ":1"])
def test_build_user_refuses(text: str) -> None:
    with pytest.raises(click.BadParameter, match="expected UID:GID or UID:GID:USER:GROUP"):
        types.BUILD_USER.convert(text, None, None)


@pytest.mark.parametrize(("text", "umask"), [("2", "002"), ("002", "002"), ("0022", "022"), ("027", "027"), ("7777", "777")])
def test_umask_becomes_three_digits(text: str, umask: str) -> None:
    assert types.UMASK.convert(text, None, None) == umask


@pytest.mark.parametrize("text", ["9", "12345", "abc", "", "-1", "0o22"])
def test_umask_refuses(text: str) -> None:
    with pytest.raises(click.BadParameter, match="not an octal umask"):
        types.UMASK.convert(text, None, None)


@pytest.mark.parametrize("text", ["2024-05-01T12:00:00Z", "2024-05-01", "2024-05-01T12:00:00+02:00"])
def test_iso_time_is_kept_as_given(text: str) -> None:
    assert types.ISO_TIME.convert(text, None, None) == text


@pytest.mark.parametrize("text", ["yesterday", "2024-13-01", "1714564800"])
def test_iso_time_refuses(text: str) -> None:
    with pytest.raises(click.BadParameter, match="not an ISO 8601 time"):
        types.ISO_TIME.convert(text, None, None)


def test_utc_date_time_is_aware() -> None:
    since = types.UtcDateTime(formats=["%Y-%m-%d"]).convert("2026-01-02", None, None)
    assert since == datetime(2026, 1, 2, tzinfo=UTC)


@pytest.mark.parametrize("text", ["flit-core==3.12.0", "setuptools>=70,<80", "hatchling~=1.25"])
def test_pin(text: str) -> None:
    assert types.PIN.convert(text, None, None) == text


@pytest.mark.parametrize(("text", "message"), [("flit-core", "pins no version"), ("not a req!!", "not a requirement")])
def test_pin_refuses(text: str, message: str) -> None:
    with pytest.raises(click.BadParameter, match=message):
        types.PIN.convert(text, None, None)


@pytest.mark.parametrize("text", ["3.9", "3.11", "3.13", "3.12", "3.11.4"])
def test_python_version(text: str) -> None:
    assert types.PYTHON_VERSION.convert(text, None, None) == text


@pytest.mark.parametrize("text", ["3", "python3.11", "3.x", "3.11-dev", ""])
def test_python_version_refuses(text: str) -> None:
    with pytest.raises(click.BadParameter, match="not a Python version"):
        types.PYTHON_VERSION.convert(text, None, None)
