"""The release workflow's steps before the build, sorted for a rebuild (verifier/recipe/prebuild.py)."""

from __future__ import annotations

import dataclasses
from datetime import UTC, datetime
from pathlib import Path

from verifier.compare.interface import ArtifactSummary, Comparison, Difference, Verdict
from verifier.recipe import EpochChoice, Fingerprints, Recipe, candidates
from verifier.recipe.interface import Command
from verifier.recipe.prebuild import ReleaseSteps, release_steps


def commands(*texts: str, directory: str | None = "") -> list[Command]:
    return [Command(text, f"w.yml:{number}", directory) for number, text in enumerate(texts, start=10)]


def test_generators_and_clean_ups_run_installers_and_downloads_do_not(tmp_path: Path) -> None:
    for script in ("scripts/generate.py", "tools/gen.sh"):
        (tmp_path / script).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / script).write_text("")
    steps = release_steps(commands(
        "python scripts/generate.py", "rm -rf dist build", "make generate", "./tools/gen.sh",
        "curl -O https://example.org/x", "npm ci", "python -c 'import x'", "python setup.py sdist",
        "echo v=1 >> $GITHUB_OUTPUT", "git fetch --tags",
        'echo "SOURCE_DATE_EPOCH=$(git log -1 --pretty=%ct)" >> $GITHUB_ENV', "export V=1",
    ), tmp_path)
    assert steps.prebuild == ("python scripts/generate.py", "rm -rf dist build", "make generate", "./tools/gen.sh")
    assert len(steps.skipped) == 6 and all("is not repeated" in why for why in steps.skipped)


def test_a_step_in_a_working_directory_runs_there(tmp_path: Path) -> None:
    (tmp_path / "pkg one").mkdir()
    (tmp_path / "pkg one" / "gen.py").write_text("")
    steps = release_steps(commands("python gen.py", directory="pkg one"), tmp_path)
    assert steps.prebuild == ("cd 'pkg one' && python gen.py",)


def test_a_script_an_earlier_step_downloaded_is_not_run(tmp_path: Path) -> None:
    steps = release_steps(commands("curl -o get-poetry.py https://example.org/get-poetry.py", "python get-poetry.py -y"), tmp_path)
    assert steps.commands == ()
    assert "get-poetry.py, which is not in the tagged tree" in steps.skipped[1]


def test_requirement_files_and_pinned_installs_become_build_requirements(tmp_path: Path) -> None:
    (tmp_path / "requirements").mkdir()
    (tmp_path / "requirements" / "build.txt").write_text(
        "# pinned\nbuild==1.0.3 \\\n    --hash=sha256:00\nsetuptools==68.0.0  # the backend\n-c constraints.txt\n"
    )
    steps = release_steps(commands(
        "python -m pip install --upgrade pip", "pip install -r requirements/build.txt",
        "pip install wheel==0.41.0 twine setuptools==70", "uv pip install --system hatchling==1.18.0",
    ), tmp_path)
    assert steps.requirements == ("build==1.0.3", "setuptools==68.0.0", "wheel==0.41.0", "hatchling==1.18.0")
    assert steps.requirement_origins == ("w.yml:11", "w.yml:12", "w.yml:13")
    assert steps.commands == ()
    assert any("-c constraints.txt" in why for why in steps.skipped) and any("twine" in why for why in steps.skipped)


def test_a_requirements_file_outside_the_tree_is_not_read(tmp_path: Path) -> None:
    steps = release_steps(commands("pip install -r ../../etc/passwd", "pip install -r $REQS"), tmp_path)
    assert steps.requirements == () and len(steps.skipped) == 2


FIRST = Recipe(epoch=EpochChoice(1_700_000_000, "tag"), cutoff=datetime(2026, 1, 1, tzinfo=UTC), cutoff_origin="upload time")
STEPS = ReleaseSteps(tuple(commands("python scripts/generate.py")), ("setuptools==68.0.0",), ("w.yml:9",))


def comparison(*differences: Difference) -> Comparison:
    summary = ArtifactSummary("", "", 0, "", 0, None, None)
    return Comparison(Verdict.DIFFERENT, summary, summary, (), [], list(differences))


def test_untracked_published_files_point_at_the_pre_build_steps(tmp_path: Path) -> None:
    generated = comparison(Difference("only-in-reference", "pkg-1.0/pkg/_generated.py", ""))
    found = candidates(FIRST, generated, {"untracked-at-tag"}, Fingerprints(), 1_700_000_000, tmp_path / "p", "pypa-build", None, steps=STEPS)
    assert found[0].prebuild == ("python scripts/generate.py",)
    assert "pkg-1.0/pkg/_generated.py" in found[0].why and "w.yml:10" in found[0].why
    assert found[1].extra_requirements == ("setuptools==68.0.0",)


def test_metadata_differences_point_at_the_release_build_requirements(tmp_path: Path) -> None:
    found = candidates(FIRST, comparison(), {"metadata-version"}, Fingerprints(), 1_700_000_000, tmp_path / "p", "pypa-build", None, steps=STEPS)
    assert [(recipe.prebuild, recipe.extra_requirements) for recipe in found] == [((), ("setuptools==68.0.0",))]


def test_steps_are_not_tried_without_a_difference_pointing_at_them_or_twice(tmp_path: Path) -> None:
    mode = comparison(Difference("mode", "pkg-1.0/x", ""))
    assert candidates(FIRST, mode, set(), Fingerprints(), 1_700_000_000, tmp_path / "p", "pypa-build", None, steps=STEPS) == []
    tried = dataclasses.replace(FIRST, prebuild=STEPS.prebuild, extra_requirements=STEPS.requirements)
    assert candidates(tried, comparison(), {"untracked-at-tag", "metadata-version"}, Fingerprints(), 1_700_000_000, tmp_path / "p", "pypa-build", None, steps=STEPS) == []
    assert candidates(FIRST, comparison(), {"untracked-at-tag"}, Fingerprints(), 1_700_000_000, tmp_path / "p", "pants", None, STEPS) == []


def test_a_constraints_file_pins_what_the_command_installs(tmp_path: Path) -> None:
    (tmp_path / ".github").mkdir()
    (tmp_path / ".github" / "poetry-constraints.txt").write_text("poetry==1.3.1\nvirtualenv==20.17.1\n")
    (tmp_path / ".github" / "constraints.txt").write_text("pip==22.3.1\n")
    steps = release_steps(commands(
        "pip install --constraint=.github/constraints.txt pip", "pip install -c .github/poetry-constraints.txt poetry nox",
    ), tmp_path)
    assert steps.requirements == ("poetry==1.3.1",)  # virtualenv is only constrained, not installed; pip is the installer
    assert steps.requirement_origins == ("w.yml:11",)
    assert any("upgrades the installer (pip==22.3.1)" in why for why in steps.skipped)
    assert any(why.endswith("not pinned from `pip install -c .github/poetry-constraints.txt poetry nox`: nox") for why in steps.skipped)
