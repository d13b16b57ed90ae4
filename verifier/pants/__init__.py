"""The Pants builder: rebuild the sdists of a Pants monorepo (backend.ai and the like) in a container.

    if detect(tree):
        target = select_distribution(find_distributions(tree), "backend.ai-common")
        with IndexClient() as index:
            release = find_pants_release(pants_version(tree), index, ["3.9", "3.11"])
        runner = PantsRecipeRunner()
        runner.ensure_image(runtime, cache, release.python, release.version, BuildUser.parse("1001:123:runner:docker"),
                             pants_wheel_sha256=release.wheel_sha256)
        sdists = runner.build(runtime, tree, target.address, out, cache / "pants", sde, user, logs)
        changes = runner.deviations(tree)
        proof = transplant_timestamps(published, sdists[0], work / "transplanted.tar.gz")

Modules: config (pants.toml), build_files (BUILD parsing, target selection), pythons (which Pythons),
deviations (what the rebuild changes), base_image + image (the container images), runner (the runs),
transplant (the timestamp proof). The recipe itself is builders/pants/.
"""

from __future__ import annotations

from verifier.pants.build_files import find_distributions, select_distribution
from verifier.pants.config import detect, pants_version, read_pants_config
from verifier.pants.deviations import deviations
from verifier.pants.interface import BuildUser, Deviation, PantsDistribution, PantsImage
from verifier.pants.pythons import PantsRelease, find_pants_release
from verifier.pants.runner import PantsRecipeRunner
from verifier.pants.transplant import TransplantResult, transplant_timestamps

__all__ = [
    "BuildUser",
    "Deviation",
    "PantsDistribution",
    "PantsImage",
    "PantsRecipeRunner",
    "PantsRelease",
    "TransplantResult",
    "detect",
    "deviations",
    "find_distributions",
    "find_pants_release",
    "pants_version",
    "read_pants_config",
    "select_distribution",
    "transplant_timestamps",
]
