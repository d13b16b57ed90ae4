"""The pinned-reference policy: content-addressed references pass, mutable tags are refused."""

from __future__ import annotations

import re

import pytest

from verifier.errors import EXIT_BAD_INPUT, BadInput
from verifier.runtime.pinning import check_pinned, is_pinned

from .conftest import RECIPES

HEX = "0123456789abcdef" * 4

PINNED = [
    f"debian@sha256:{HEX}",
    f"docker.io/library/debian@sha256:{HEX}",
    f"docker.io/library/python:3.11-bookworm@sha256:{HEX}",
    f"registry.example.org:5000/team/builder@sha256:{HEX}",
    f"localhost/verifier-base@sha256:{HEX}",
    f"sha256:{HEX}",
    HEX,
]
MUTABLE = [
    "python:3.11-slim",
    "debian",
    "debian:bookworm",
    "localhost/x:tag",
    "docker.io/library/python:latest",
    f"{HEX[:12]}",  # a short image id: ambiguous, and could become another image
]
NOT_REFERENCES = ["", " ", "python:3.11 slim", "-rm", f"python@sha256:{HEX[:63]}", "a;b"]


@pytest.mark.parametrize("ref", PINNED)
def test_digest_and_id_references_are_accepted(ref: str) -> None:
    assert is_pinned(ref)
    assert check_pinned(ref) == ref


@pytest.mark.parametrize("ref", MUTABLE)
def test_mutable_tags_are_refused_with_a_one_line_bad_input(ref: str) -> None:
    assert not is_pinned(ref)
    with pytest.raises(BadInput, match="mutable tag") as caught:
        check_pinned(ref)
    assert "\n" not in caught.value.message
    assert caught.value.exit_code == EXIT_BAD_INPUT


@pytest.mark.parametrize("ref", MUTABLE)
def test_mutable_tags_pass_when_explicitly_allowed(ref: str) -> None:
    assert check_pinned(ref, allow_unpinned=True) == ref


@pytest.mark.parametrize("ref", NOT_REFERENCES)
def test_garbage_is_refused_even_when_unpinned_is_allowed(ref: str) -> None:
    with pytest.raises(BadInput):
        check_pinned(ref, allow_unpinned=True)


def test_the_dockerfile_default_base_is_pinned() -> None:
    dockerfile = (RECIPES / "Dockerfile").read_text()
    default = re.search(r"^ARG BASE_IMAGE=(\S+)$", dockerfile, re.MULTILINE)
    assert default is not None
    assert is_pinned(default.group(1))
