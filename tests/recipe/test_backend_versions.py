"""Which backend versions could have written the published PKG-INFO (verifier/recipe/backend_versions.py)."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from packaging.specifiers import SpecifierSet

from verifier.recipe.backend_versions import (
    RULES,
    BackendHistory,
    Release,
    backend_project,
    bounds,
    choose,
    fingerprints_of,
    releases_from,
    satisfies,
)


def day(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=UTC)


# setuptools releases and their first upload (PyPI), around the bounds the rules draw.
SETUPTOOLS = (
    Release("56.0.0", day("2021-04-25")), Release("56.1.0", day("2021-05-04")), Release("56.2.0", day("2021-05-09")),
    Release("57.0.0", day("2021-05-23")), Release("58.2.0", day("2021-10-02")), Release("62.1.0", day("2022-04-10")),
    Release("62.2.0", day("2022-05-10")), Release("67.8.0", day("2023-05-19")), Release("68.0.0b1", day("2023-06-01")),
    Release("75.7.0", day("2025-01-05")), Release("75.8.0", day("2025-01-08")), Release("77.0.3", day("2025-03-20")),
)


def history(*fingerprints: str) -> BackendHistory:
    return BackendHistory("setuptools", bounds("setuptools", fingerprints), SETUPTOOLS)


def test_every_rule_is_a_valid_specifier_with_evidence() -> None:
    for rule in RULES:
        assert SpecifierSet(rule.specifier) and rule.evidence and rule.shown_as


@pytest.mark.parametrize(
    ("version", "writes"),
    [("56.1.0", {"1.2", "2.1"}), ("56.2.0", {"2.1"}), ("75.7.0", {"2.1"}), ("75.8.0", {"2.2"}), ("76.1.0", {"2.2"}), ("77.0.3", {"2.4"})],
)
def test_metadata_versions_follow_setuptools_own_sdists(version: str, writes: set[str]) -> None:
    """Measured on setuptools' own sdists (and a setup.py project for 1.2): the versions each writes."""
    admitted = {rule.fingerprint.removeprefix("metadata-version-") for rule in RULES if rule.project == "setuptools" and rule.fingerprint.startswith("metadata-version-") and version in SpecifierSet(rule.specifier)}
    assert writes <= admitted <= writes | {"1.0", "1.1", "1.2"}


def test_requests_2_31_0_pkg_info_dates_setuptools_62_1_0() -> None:
    """Metadata-Version 2.1, Platform: UNKNOWN and License-File: 57.0.0 <= setuptools < 62.2.0."""
    found = history(*fingerprints_of("2.1", ("platform-unknown", "license-file")))
    choice = choose(found, day("2023-05-22"))
    assert choice is not None and choice.pin == "setuptools==62.1.0"
    assert "Platform: UNKNOWN → setuptools<62.2.0" in choice.why and "2023-05-22" in choice.why
    assert "changelog #3299" in choice.evidence


def test_certifi_2021_10_8_pkg_info_dates_setuptools_56_1_0() -> None:
    found = history(*fingerprints_of("1.2", ("description-header", "platform-unknown")))
    choice = choose(found, day("2021-10-08"))
    assert choice is not None and choice.version == "56.1.0"


def test_the_cutoff_and_prereleases_bound_the_choice() -> None:
    found = history(*fingerprints_of("2.1", ()))
    assert (choice := choose(found, day("2023-07-01"))) is not None and choice.version == "67.8.0"  # not 68.0.0b1
    assert (choice := choose(found, day("2021-05-05"))) is not None and choice.version == "56.1.0"


def test_no_bound_or_contradicting_ones_choose_nothing() -> None:
    assert choose(history(), day("2030-01-01")) is None
    assert choose(history("metadata-version-2.4", "platform-unknown"), day("2030-01-01")) is None
    assert choose(history("metadata-version-1.2"), day("2021-01-01")) is None  # 56.0.0 and older are not listed


def test_a_version_within_the_bounds_needs_no_other_pin() -> None:
    found = history("platform-unknown")
    assert satisfies(found, "62.1.0") and not satisfies(found, "62.2.0") and not satisfies(found, "not a version")


def test_unknown_backends_have_no_rules_and_absent_fields_give_no_bound() -> None:
    assert backend_project(None) == backend_project("setuptools.build_meta:__legacy__") == "setuptools"
    assert backend_project("pdm.backend") is None
    assert bounds("setuptools", ["license-file"])[0].specifier == ">=57.0.0"
    assert bounds("setuptools", ["no-such-marker"]) == ()


def test_releases_are_first_uploads_of_files_not_yanked() -> None:
    files = [("1.0", day("2021-01-02"), False), ("1.0", day("2021-01-01"), False), ("2.0", day("2021-02-01"), True), ("3.0", None, False)]
    assert releases_from(files) == (Release("1.0", day("2021-01-01")),)


@pytest.mark.parametrize(
    ("project", "version", "writes"),
    [
        ("hatchling", "1.21.1", "2.1"), ("hatchling", "1.22.0", "2.2"), ("hatchling", "1.22.1", "2.3"), ("hatchling", "1.26.3", "2.3"),
        ("hatchling", "1.27.0", "2.4"), ("hatchling", "1.32.0", "2.5"),
        ("flit-core", "3.9.0", "2.1"), ("flit-core", "3.10.1", "2.3"), ("flit-core", "3.12.0", "2.4"), ("flit-core", "4.0.1", "2.5"),
        ("poetry-core", "1.9.1", "2.1"), ("poetry-core", "2.1.3", "2.3"), ("poetry-core", "2.2.0", "2.4"),
    ],
)
def test_each_version_of_the_other_backends_writes_one_metadata_version(project: str, version: str, writes: str) -> None:
    """Measured: their own sdists (hatchling, poetry-core) and flit_core/common.py's constant."""
    admitted = [rule.fingerprint for rule in RULES if rule.project == project and version in SpecifierSet(rule.specifier)]
    assert admitted == [f"metadata-version-{writes}"]


def test_a_hatchling_release_is_dated_by_its_metadata_version() -> None:
    releases = (Release("1.26.3", day("2024-11-17")), Release("1.27.0", day("2024-12-15")), Release("1.21.1", day("2024-01-10")))
    found = BackendHistory("hatchling", bounds("hatchling", fingerprints_of("2.3", ())), releases)
    choice = choose(found, day("2025-06-01"))
    assert backend_project("hatchling.build") == "hatchling"
    assert choice is not None and choice.pin == "hatchling==1.26.3"


def test_an_unnormalized_sdist_name_dates_flit_core_before_3_9() -> None:
    """more-itertools 10.1.0 (2023-08-03): `more-itertools-10.1.0/`, made after flit_core 3.9.0 normalized names."""
    releases = (Release("3.8.0", day("2022-11-13")), Release("3.9.0", day("2023-05-14")), Release("3.10.0", day("2024-10-31")))
    found = BackendHistory("flit-core", bounds("flit-core", fingerprints_of("2.1", ("unnormalized-sdist-name",))), releases)
    choice = choose(found, day("2023-08-03"))
    assert choice is not None and choice.pin == "flit-core==3.8.0"
    assert "PR #628" in choice.evidence
    assert bounds("setuptools", ["unnormalized-sdist-name"]) == ()  # no measured rule for setuptools
