"""Reading versions out of tag names: a table of spellings."""

from __future__ import annotations

import pytest
from packaging.version import Version

from verifier.source.tagnames import (
    TagReading,
    names_package,
    parse_version,
    read_tag_name,
    reading_fits_package,
)


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("1.2.3", [(None, "1.2.3")]),
        ("v1.2.3", [(None, "1.2.3")]),
        ("V1.2.3", [(None, "1.2.3")]),
        ("23.03.3", [(None, "23.3.3")]),
        ("2025.01.31", [(None, "2025.1.31")]),
        ("1.0rc1", [(None, "1.0rc1")]),
        ("1.0-1", [(None, "1.0.post1")]),
        ("foo-1.0", [("foo", "1.0")]),
        ("Foo_Bar-1.0", [("foo-bar", "1.0")]),
        ("foo_1.0", [("foo", "1.0")]),
        ("foo/1.0", [("foo", "1.0")]),
        ("foo/v1.0", [("foo", "1.0")]),
        ("foo-v1.0", [("foo", "1.0")]),
        ("foo-bar-v2", [("foo-bar", "2")]),
        ("release-1.0", [(None, "1.0")]),
        ("release/1.0", [(None, "1.0")]),
        ("release-v1.0", [(None, "1.0")]),
        ("foo-1.0-1", [("foo", "1.0.post1"), ("foo-1-0", "1")]),
        ("python/foo/v1.0", [("python/foo", "1.0")]),
        ("3to2-1.0", [("3to2", "1.0")]),
        ("latest", []),
        ("foo-bar", []),
        ("nightly-build", []),
        ("v", []),
    ],
)
def test_readings(name: str, expected: list[tuple[str | None, str]]) -> None:
    assert read_tag_name(name) == tuple(TagReading(p, Version(v)) for p, v in expected)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("1.0", "1.0"), ("v1.0", "1.0"), ("V01.02", "1.2"),
        ("x1.0", None), ("", None), ("1.0+", None),
    ],
)
def test_parse_version(text: str, expected: str | None) -> None:
    version = parse_version(text)
    assert (str(version) if version else None) == expected


@pytest.mark.parametrize(
    ("prefix", "package", "fits", "names"),
    [
        (None, "foo", True, False),
        (None, None, True, False),
        ("foo", None, True, False),
        ("foo", "foo", True, True),
        ("foo-bar", "Foo.Bar", True, True),
        ("foo", "bar", False, False),
        ("python/foo", "foo", True, True),
        ("python-ecdsa", "ecdsa", True, True),  # tlsfuzzer/python-ecdsa tags python-ecdsa-0.19.0
        ("pyfoo", "foo", True, True),
        ("foo-python", "foo", True, True),
        ("python-bar", "foo", False, False),
    ],
)
def test_package_fit(prefix: str | None, package: str | None, fits: bool, names: bool) -> None:
    reading = TagReading(prefix, Version("1.0"))
    assert reading_fits_package(reading, package) is fits
    assert names_package(reading, package) is names


def test_versions_spelled_with_underscores_and_generic_prefixes() -> None:
    from verifier.source.tagnames import package_named_by_tag, read_tag_name

    readings = read_tag_name("rel_2_0_36")
    assert any(r.prefix is None and str(r.version) == "2.0.36" for r in readings)
    assert package_named_by_tag("rel_2_0_36", "2.0.36") is None
    assert package_named_by_tag("hatchling-v1.32.0", "1.32.0") == "hatchling"
