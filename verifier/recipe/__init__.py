"""How a release was built: read from the tagged tree's CI configuration and from the published file.

The public surface of the `recipe` stage; the types are in `interface.py`:
- `infer_recipe(tree, package)`: the build the release workflow most likely ran (`infer.py`);
- `fingerprint(published)`: what the published archive says about its build (`fingerprints.py`);
- `epoch.choose(...)`: the SOURCE_DATE_EPOCH of a rebuild (`epoch.py`);
- `candidates(...)` and `score(...)`: the recipes `--search` tries next, and how close an attempt
  came (`candidates.py`).
"""

from __future__ import annotations

from verifier.recipe import epoch
from verifier.recipe.candidates import DEFAULT_MAX_BUILDS, candidates, score
from verifier.recipe.fingerprints import fingerprint
from verifier.recipe.infer import infer_recipe
from verifier.recipe.interface import (
    Command,
    EpochChoice,
    Fingerprints,
    Frontend,
    InferredRecipe,
    Recipe,
    Setting,
)

__all__ = [
    "DEFAULT_MAX_BUILDS",
    "Command",
    "EpochChoice",
    "Fingerprints",
    "Frontend",
    "InferredRecipe",
    "Recipe",
    "Setting",
    "candidates",
    "epoch",
    "fingerprint",
    "infer_recipe",
    "score",
]
