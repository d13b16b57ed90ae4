"""Recipes: the settings of one rebuild, and the few others worth trying when it is not identical.

A recipe is SOURCE_DATE_EPOCH, the cut-off time for build requirements, the umask, the Python
and the environment the release process set. `--search` tries, within a budget of builds, the
candidates that the differences and the published file's fingerprints point at, greedily from the
best attempt so far: `flit build` when a flit project's tracked files are missing, a umask when the
published files are group-writable, build requirements as of the build time when metadata or file
lists differ, the other SOURCE_DATE_EPOCH choices when times differ and the files share one stamp.
Candidates never change the normalizations: a tampered artifact stays `different` under every one
of them.
"""

from __future__ import annotations

import dataclasses
from datetime import UTC, datetime
from pathlib import Path

from verifier.compare.interface import Comparison, Verdict
from verifier.recipe import epoch as epochs
from verifier.recipe.backend_versions import BackendChoice
from verifier.recipe.interface import Fingerprints, Recipe

STRENGTH = {Verdict.IDENTICAL: 2, Verdict.EQUIVALENT: 1, Verdict.DIFFERENT: 0}
DEFAULT_MAX_BUILDS = 4
# Differences in metadata or file lists: another version of the backend (or of a plugin) made them.
LISTING_CAUSES = frozenset({"metadata-version", "metadata-fields", "omitted-by-rebuild", "added-by-rebuild", "egg-info", "vcs-version-file"})


def score(comparison: Comparison) -> tuple[int, int, int]:
    """Higher is closer to the published bytes: verdict, then fewer differences, then less normalized."""
    erased = sum(effect.pairs for effect in comparison.effects)
    listed = len(comparison.differences) + comparison.differences_not_listed
    return (STRENGTH.get(comparison.verdict, -1), -listed, -erased)


def candidates(
    best: Recipe,
    comparison: Comparison,
    causes: set[str],
    fingerprints: Fingerprints,
    commit_time: int,
    published: Path,
    builder: str,
    backend: str | None = None,
    *,
    backend_pin: BackendChoice | None = None,
) -> list[Recipe]:
    """The recipes worth trying next, most promising first. `backend_pin`: the backend version the
    published PKG-INFO dates (when the best attempt's differs)."""
    kinds = {difference.kind for difference in comparison.differences}
    erased = {effect.name for effect in comparison.effects if effect.pairs}
    found: list[Recipe] = []
    if "omitted-by-rebuild" in causes and best.frontend is None and builder == "pypa-build" and backend == "flit_core.buildapi":
        found.append(dataclasses.replace(best, frontend="flit", why="tracked files the backend leaves out are published: `flit build` adds every file git tracks"))
    if "mode" in kinds and fingerprints.umask and best.umask is None and builder == "pypa-build":
        found.append(dataclasses.replace(best, umask=fingerprints.umask, why=f"the published files are group-writable: umask {fingerprints.umask}"))
    listing = LISTING_CAUSES
    pinned = {pin.split("==")[0] for pin in best.pins}
    if causes & listing and backend_pin is not None and backend_pin.project not in pinned:
        found.append(dataclasses.replace(best, pins=(*best.pins, backend_pin.pin), why=backend_pin.why))
    if causes & listing and fingerprints.build_time and best.cutoff_origin != "build time":
        built = datetime.fromtimestamp(fingerprints.build_time, UTC)
        if (best.cutoff - built).total_seconds() > 600:
            found.append(dataclasses.replace(
                best, cutoff=built, cutoff_origin="build time",
                why=f"build requirements as of when the sdist was built ({built:%Y-%m-%d %H:%M} UTC, its newest member), not its upload",
            ))
    # Tar header encodings (devmajor "0000000" vs NULs) come from the publisher's Python's tarfile;
    # Debian's Pythons (3.9, 3.11, 3.13) all carry the newer encoding, so another Python here would
    # not bring the old one back: the report says instead what `tar-format` would make of it.
    # SOURCE_DATE_EPOCH can only bring back times a backend stamped; a tree's checkout times (what
    # setuptools keeps) no choice reproduces.
    if (erased & {"mtime", "gzip-header"} or "mtime" in kinds) and fingerprints.single_stamp:
        for choice in epochs.alternatives(best.epoch, commit_time, published):
            found.append(dataclasses.replace(best, epoch=choice, why=f"SOURCE_DATE_EPOCH {choice.value if choice.value is not None else 'unset'} ({choice.origin})"))
    return found
