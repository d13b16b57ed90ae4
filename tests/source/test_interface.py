"""The source stage's public surface: frozen values and re-exported errors."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest

import verifier.errors
import verifier.source
from verifier.source import interface
from verifier.source.interface import (
    Checkout,
    ProjectInfo,
    ResolvedTag,
    Submodule,
    TrackedFile,
)


def test_errors_are_the_stage_errors() -> None:
    assert interface.SourceError is verifier.errors.SourceError
    assert interface.SubmoduleError is verifier.errors.SubmoduleError
    assert interface.SourceError("x").exit_code == verifier.errors.EXIT_BAD_INPUT
    assert interface.SubmoduleError("x").exit_code == verifier.errors.EXIT_COULD_NOT_VERIFY


@pytest.mark.parametrize(
    "value",
    [
        ResolvedTag("v1", "a" * 40, 0, "1"),
        Submodule("n", "p", "u", "c" * 40, "f"),
        Checkout(Path("/x"), "a" * 40, ResolvedTag("v1", "a" * 40, 0, "1")),
        TrackedFile("p", 0o100644, "b" * 40, 1),
        ProjectInfo("n", None, "", None, None, ("setuptools>=40.8.0",), (), True),
    ],
)
def test_values_are_frozen(value: object) -> None:
    field = dataclasses.fields(value)[0].name  # type: ignore[arg-type]
    with pytest.raises(dataclasses.FrozenInstanceError):
        setattr(value, field, "changed")


def test_gitlink() -> None:
    assert TrackedFile("sub", 0o160000, "c" * 40, 0).is_gitlink
    assert not TrackedFile("f", 0o100644, "b" * 40, 0).is_gitlink


def test_package_exports() -> None:
    for name in verifier.source.__all__:
        assert hasattr(verifier.source, name)
