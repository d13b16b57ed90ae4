"""The recipe package's public surface and types (verifier/recipe/__init__.py, interface.py)."""

from __future__ import annotations

import dataclasses

import pytest

import verifier.recipe
from verifier.recipe import EpochChoice, Fingerprints, InferredRecipe, Recipe, Setting


def test_the_public_surface_is_importable() -> None:
    assert all(hasattr(verifier.recipe, name) for name in verifier.recipe.__all__)


@pytest.mark.parametrize("kind", [Setting, InferredRecipe, EpochChoice, Fingerprints, Recipe])
def test_the_types_between_stages_are_frozen(kind: type) -> None:
    assert dataclasses.is_dataclass(kind) and kind.__dataclass_params__.frozen  # type: ignore[attr-defined]
