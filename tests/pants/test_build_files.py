"""BUILD files: python_distribution targets found by parsing (never executing) them, and selection."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from verifier.pants.build_files import find_distributions, parse_build_file, select_distribution
from verifier.pants.interface import BadInput, ConfigError, PantsDistribution

from .conftest import WriteTree

PANTS_TOML = '[GLOBAL]\npants_version = "2.16.0rc2"\npants_ignore = ["scripts", "tools/pants-plugins"]\n'

COMMON_BUILD = """\
    python_sources(name="src")

    python_distribution(
        name="dist",
        dependencies=[":src"],
        provides=python_artifact(
            name="backend.ai-common",
            description="Backend.AI commons library",
            license="LGPLv3",
        ),
        generate_setup=True,
        tags=["wheel"],
    )
"""


def _by_address(tree: Path) -> dict[str, PantsDistribution]:
    return {d.address: d for d in find_distributions(tree)}


def test_finds_distributions_across_the_tree(write_tree: WriteTree) -> None:
    tree = write_tree({
        "pants.toml": PANTS_TOML,
        "src/ai/backend/common/BUILD": COMMON_BUILD,
        "src/ai/backend/helpers/BUILD": """\
            NAME = "backend.ai-kernel-helper"
            python_distribution(name="dist", provides=python_artifact(name=NAME, version="23.3.3"))
        """,
        "src/legacy/BUILD.pants": """\
            python_distribution(provides=setup_py(name="legacy_Pkg", version=VERSION))
        """,
        "BUILD": 'python_distribution(name="root", provides=python_artifact(name="rooted"))\n',
        "src/nothing/BUILD": 'python_sources()\n',
    })
    found = _by_address(tree)
    assert sorted(found) == ["//:root", "src/ai/backend/common:dist", "src/ai/backend/helpers:dist",
                             "src/legacy:legacy"]
    assert found["src/ai/backend/common:dist"] == PantsDistribution(
        "src/ai/backend/common:dist", "backend.ai-common", None, Path("src/ai/backend/common/BUILD"))
    assert found["src/ai/backend/helpers:dist"].artifact_name == "backend.ai-kernel-helper"
    assert found["src/ai/backend/helpers:dist"].version_expr == "'23.3.3'"
    assert found["src/legacy:legacy"].artifact_name == "legacy_Pkg"
    assert found["src/legacy:legacy"].version_expr == "VERSION"
    assert found["src/legacy:legacy"].path == Path("src/legacy/BUILD.pants")


def test_ignored_and_hidden_directories_are_not_searched(write_tree: WriteTree) -> None:
    tree = write_tree({
        "pants.toml": PANTS_TOML,
        "src/kept/BUILD": COMMON_BUILD,
        "scripts/BUILD": COMMON_BUILD,
        "tools/pants-plugins/setupgen/BUILD": COMMON_BUILD,
        "src/tools/pants-plugins/BUILD": COMMON_BUILD,  # anchored pattern: not this one
        ".hidden/BUILD": COMMON_BUILD,
        "BUILDING.md": "not a BUILD file",
    })
    assert sorted(_by_address(tree)) == ["src/kept:dist", "src/tools/pants-plugins:dist"]


def test_build_patterns_come_from_pants_toml(write_tree: WriteTree) -> None:
    tree = write_tree({
        "pants.toml": '[GLOBAL]\npants_version = "2.16.0"\nbuild_patterns = ["BUILD.pants"]\n',
        "a/BUILD": COMMON_BUILD,
        "b/BUILD.pants": COMMON_BUILD,
    })
    assert sorted(_by_address(tree)) == ["b:dist"]


def test_computed_names_are_kept_but_never_match(write_tree: WriteTree) -> None:
    tree = write_tree({
        "pants.toml": PANTS_TOML,
        "a/BUILD": 'python_distribution(name=f"d{1}", provides=python_artifact(name="x" + "y"))\n',
    })
    (only,) = find_distributions(tree)
    assert only.address == "a:<computed>" and only.artifact_name is None
    with pytest.raises(BadInput, match=r"\(name not a literal\) \(a:<computed>\)"):
        select_distribution([only], "xy")


def test_build_files_are_parsed_not_executed(write_tree: WriteTree, tmp_path: Path) -> None:
    marker = tmp_path / "executed"
    tree = write_tree({
        "pants.toml": PANTS_TOML,
        "a/BUILD": f'open({str(marker)!r}, "w").write("x")\nraise SystemExit(3)\n' + textwrap.dedent(COMMON_BUILD),
    })
    assert [d.address for d in find_distributions(tree)] == ["a:dist"]
    assert not marker.exists()


def test_a_build_file_that_is_not_python_is_a_config_error() -> None:
    with pytest.raises(ConfigError, match=r"src/BUILD: cannot parse"):
        parse_build_file(b"python_distribution(\n", Path("src/BUILD"))


def _dist(address: str, name: str | None) -> PantsDistribution:
    return PantsDistribution(address, name, None, Path(address.split(":", maxsplit=1)[0]) / "BUILD")


DISTS = [_dist("src/common:dist", "backend.ai-common"), _dist("src/helpers:dist", "backend.ai-kernel-helper"),
         _dist("src/odd:dist", None)]


@pytest.mark.parametrize("package", ["backend.ai-common", "Backend.AI_Common", "backend-ai-common",
                                     "BACKEND__AI..COMMON"])
def test_selection_is_pep503_normalized(package: str) -> None:
    assert select_distribution(DISTS, package).address == "src/common:dist"


def test_no_match_lists_the_candidates() -> None:
    with pytest.raises(BadInput) as raised:
        select_distribution(DISTS, "backend.ai-manager")
    message = str(raised.value)
    assert "no python_distribution target provides 'backend.ai-manager'" in message
    assert "backend.ai-common (src/common:dist)" in message
    assert "backend.ai-kernel-helper (src/helpers:dist)" in message


def test_several_matches_are_an_error() -> None:
    twice = [*DISTS, _dist("src/common2:dist", "backend_ai_common")]
    with pytest.raises(BadInput, match=r"several .*src/common:dist.*src/common2:dist"):
        select_distribution(twice, "backend.ai-common")
