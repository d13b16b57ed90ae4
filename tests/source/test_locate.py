"""Which repository a release's metadata names (table cases), and the one-line error when none."""

from __future__ import annotations

import email.parser

import pytest

from verifier.errors import SourceError
from verifier.source.locate import clone_url, repository_url


def _metadata(text: str) -> email.message.Message:
    return email.parser.Parser().parsestr(text)


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        ("https://github.com/pallets/itsdangerous", "https://github.com/pallets/itsdangerous"),
        ("https://github.com/pallets/itsdangerous/", "https://github.com/pallets/itsdangerous"),
        ("https://github.com/psf/requests/tree/main", "https://github.com/psf/requests"),
        ("https://github.com/pypa/packaging.git", "https://github.com/pypa/packaging"),
        ("git+https://github.com/owner/name.git", "https://github.com/owner/name"),
        ("http://www.github.com/Owner/Name", "https://github.com/Owner/Name"),
        ("https://gitlab.com/group/sub/project/-/tree/main", "https://gitlab.com/group/sub/project"),
        ("https://codeberg.org/a/b", "https://codeberg.org/a/b"),
        ("https://git.example.org/project.git", "https://git.example.org/project.git"),
        ("https://github.com/pallets", None),
        ("https://palletsprojects.com/p/itsdangerous/", None),
        ("https://docs.example.org/", None),
        ("file:///etc/passwd", None),
        ("not a url", None),
    ],
)
def test_clone_url(given: str, expected: str | None) -> None:
    assert clone_url(given) == expected


def test_source_label_wins_over_homepage() -> None:
    found = repository_url(
        _metadata(
            "Name: demo\nHome-page: https://github.com/wrong/home\n"
            "Project-URL: Homepage, https://github.com/wrong/homepage\n"
            "Project-URL: Documentation, https://demo.readthedocs.io/\n"
            "Project-URL: Source Code, https://github.com/right/demo\n"
        ),
        "demo",
    )
    assert (found.url, found.field) == ("https://github.com/right/demo", "Project-URL: Source Code")


def test_homepage_then_home_page_field() -> None:
    found = repository_url(_metadata("Name: demo\nHome-page: https://github.com/a/demo\n"), "demo")
    assert (found.url, found.field) == ("https://github.com/a/demo", "Home-page")
    found = repository_url(
        _metadata("Name: demo\nProject-URL: Homepage, https://docs.example.org/\nHome-page: https://github.com/a/b\n"),
        "demo",
    )
    assert found.url == "https://github.com/a/b"


def test_no_repository_names_the_fields_read() -> None:
    with pytest.raises(SourceError) as caught:
        repository_url(_metadata("Name: demo\nHome-page: UNKNOWN\nProject-URL: Docs, https://docs.example.org/\n"), "demo")
    message = str(caught.value)
    assert "names no source repository" in message and "Project-URL" in message and "Home-page" in message
    assert "\n" not in message
    assert caught.value.exit_code == 2
