"""The build user: parsing and validation."""

from __future__ import annotations

import pytest

from verifier.pants.interface import BuildUser, UsageError


def test_parse_and_render() -> None:
    user = BuildUser.parse("1001:123:runner:docker")
    assert user == BuildUser(1001, 123, "runner", "docker")
    assert (user.ids, user.home, str(user)) == ("1001:123", "/home/runner", "1001:123:runner:docker")
    assert BuildUser() == BuildUser.parse("1000:1000:builder:builder")


@pytest.mark.parametrize("text", ["1001:123", "a:b:c:d", "0:0:root:root", "1001:123:Run Ner:docker",
                                  "1001:123:runner:docker:x"])
def test_bad_users_are_refused(text: str) -> None:
    with pytest.raises(UsageError):
        BuildUser.parse(text)
