"""Which versions of the build backend could have written the published PKG-INFO.

A backend dates the metadata it writes: its `Metadata-Version` and a few fields it wrote, or stopped
writing, from one release on. Each `Rule` below turns one such fingerprint of the published PKG-INFO
(and the top-level directory's name) into a version bound on the backend, with the evidence for it (the backend's changelog, checked
against the PKG-INFO of its own sdists on PyPI, which it builds with itself; measured 2026-12-06).
`choose` then picks the newest release of the backend uploaded before the cut-off that satisfies
every bound: what a publisher with a not quite current backend most likely had. setuptools has
the most rules; flit_core, hatchling and poetry-core have their Metadata-Version history.

Trust: only fingerprints a backend writes whatever the project configures are used: the
Metadata-Version (always written), and fields present in the published file that the backend wrote
on its own (`Description:` as a header, `Platform: UNKNOWN`, `License: UNKNOWN`, `License-File`).
The absence of a field proves nothing (a project without a license file has no `License-File`
under any version), so no rule reads an absence.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime

from packaging.specifiers import InvalidSpecifier, SpecifierSet
from packaging.version import InvalidVersion, Version

# The distribution of each PEP 517 backend the rules know ("" for no `[build-system]`: setuptools).
BACKEND_PROJECTS = {
    "": "setuptools",
    "setuptools.build_meta": "setuptools",
    "setuptools.build_meta:__legacy__": "setuptools",
    "flit_core.buildapi": "flit-core",
    "hatchling.build": "hatchling",
    "poetry.core.masonry.api": "poetry-core",
}

# Fingerprints (as `pkg_info_markers` in recipe/fingerprints.py names them, plus "metadata-version-X.Y").
DESCRIPTION_HEADER = "description-header"
PLATFORM_UNKNOWN = "platform-unknown"
LICENSE_UNKNOWN = "license-unknown"
LICENSE_FILE = "license-file"
UNNORMALIZED_NAME = "unnormalized-sdist-name"  # the top-level directory, not PKG-INFO (recipe/fingerprints.py)
POETRY_SETUP_PY = "poetry-setup-py"  # a top-level setup.py from poetry-core's template (recipe/fingerprints.py)
DOWNLOAD_URL_LATE = "download-url-after-license"  # PKG-INFO's field order (recipe/fingerprints.py)
DOWNLOAD_URL_EARLY = "download-url-after-home-page"


@dataclass(frozen=True)
class Rule:
    """A fingerprint of the published PKG-INFO and the backend versions that write it."""

    project: str  # the backend's distribution
    fingerprint: str  # a marker or "metadata-version-X.Y"
    shown_as: str  # how the fingerprint reads in PKG-INFO
    specifier: str  # the versions that write it
    evidence: str


RULES = (
    # setuptools 56.2.0 (#2641): "always try to use the latest supported metadata version for
    # PKG-INFO"; before, the version followed the features used (1.0/1.1/1.2, 2.1 only with a
    # long_description_content_type or extras). Measured: a setup.py with project_urls and a plain
    # long_description gives 1.2 with 56.1.0, 2.1 with 56.2.0.
    *(
        Rule("setuptools", f"metadata-version-{version}", f"Metadata-Version: {version}", "<56.2.0",
             "setuptools 56.2.0 always writes the newest metadata version it knows (2.1; changelog #2641)")
        for version in ("1.0", "1.1", "1.2")
    ),
    # setuptools 38.6.0 (#1286): "Add support for Metadata 2.1 (PEP 566)". setuptools 75.8.0 (#4698)
    # implements `Dynamic` (PEP 643, metadata 2.2): its own sdists are 2.1 up to 75.7.0, 2.2 from 75.8.0.
    Rule("setuptools", "metadata-version-2.1", "Metadata-Version: 2.1", ">=38.6.0,<75.8.0",
         "setuptools writes 2.1 from 38.6.0 (changelog #1286) until 75.8.0 (2.2, #4698)"),
    # setuptools 77.0.0 (#4830): "Bump core metadata version to 2.4"; its own sdists: 76.1.0 2.2, 77.0.3 2.4.
    Rule("setuptools", "metadata-version-2.2", "Metadata-Version: 2.2", ">=75.8.0,<77.0.0",
         "setuptools writes 2.2 from 75.8.0 (changelog #4698) until 77.0.0 (2.4, #4830)"),
    Rule("setuptools", "metadata-version-2.4", "Metadata-Version: 2.4", ">=77.0.0",
         "setuptools writes 2.4 from 77.0.0 (changelog #4830)"),
    # setuptools 57.0.0 (#2628): "Write long description in message payload of PKG-INFO file";
    # its own sdists: 56.2.0 has a `Description:` header, 57.0.0 a body.
    Rule("setuptools", DESCRIPTION_HEADER, "a Description: header (not a body)", "<57.0.0",
         "setuptools writes the description as the message body from 57.0.0 (changelog #2628)"),
    # setuptools 62.2.0 (#3299): "Optional metadata fields are now truly optional"; its own
    # sdists: 62.1.0 has `Platform: UNKNOWN` and `License: UNKNOWN`, 62.2.0 neither.
    Rule("setuptools", PLATFORM_UNKNOWN, "Platform: UNKNOWN", "<62.2.0",
         "setuptools leaves unset optional fields out from 62.2.0 (changelog #3299)"),
    Rule("setuptools", LICENSE_UNKNOWN, "License: UNKNOWN", "<62.2.0",
         "setuptools leaves unset optional fields out from 62.2.0 (changelog #3299)"),
    # setuptools 60.6.0 moved Download-URL from after License to right after Home-page (dist.py
    # write_pkg_file: write_field after License up to 60.5.0, a ('Download-URL', 'download_url')
    # pair after Home-page from 60.6.0; read in its wheels). websocket-client 1.6.4 has it after License.
    Rule("setuptools", DOWNLOAD_URL_LATE, "Download-URL after the author and license fields", "<60.6.0",
         "setuptools writes Download-URL right after Home-page from 60.6.0 (dist.py write_pkg_file)"),
    Rule("setuptools", DOWNLOAD_URL_EARLY, "Download-URL before the author and license fields", ">=60.6.0",
         "setuptools writes Download-URL after License until 60.5.0 (dist.py write_pkg_file)"),
    # setuptools 57.0.0 (#2645): "Added License-File (multiple) to the output package metadata";
    # its own sdists: 56.2.0 has none, 57.0.0 has it.
    Rule("setuptools", LICENSE_FILE, "License-File", ">=57.0.0",
         "setuptools writes License-File from 57.0.0 (changelog #2645)"),
    # flit_core writes the constant `metadata_version` of flit_core/common.py: "2.1" from 2.0 to
    # 3.9.x, "2.3" in 3.10.x, "2.4" from 3.11.0 through 3.12, "2.5" in 4.0.1 (4.0.0 is not on PyPI).
    # (Its own sdists before 3.3.0 say 1.1: they were made by another tool, so the code decides.)
    Rule("flit-core", "metadata-version-2.1", "Metadata-Version: 2.1", "<3.10.0",
         "flit_core/common.py sets metadata_version 2.1 until 3.10.0 (2.3)"),
    Rule("flit-core", "metadata-version-2.3", "Metadata-Version: 2.3", ">=3.10.0,<3.11.0",
         "flit_core/common.py sets metadata_version 2.3 in 3.10.x"),
    Rule("flit-core", "metadata-version-2.4", "Metadata-Version: 2.4", ">=3.11.0,<4",
         "flit_core/common.py sets metadata_version 2.4 from 3.11.0 to 3.12 (2.5 in 4.0.1)"),
    Rule("flit-core", "metadata-version-2.5", "Metadata-Version: 2.5", ">=4",
         "flit_core/common.py sets metadata_version 2.5 in 4.0.1"),
    # flit 3.9.0 (PR #628): "Sdist file names, and the name of the top-level folder in an sdist, are
    # now normalised, in accordance with PEP 625" (more-itertools 10.1.0, made with an older flit
    # after 3.9.0's release, has `more-itertools-10.1.0/`; flit_core 3.9.0 writes `more_itertools-10.1.0/`).
    Rule("flit-core", UNNORMALIZED_NAME, "a top-level directory with the project name unnormalized", "<3.9.0",
         "flit_core names the sdist's top-level folder by PEP 625 (normalized) from 3.9.0 (changelog, PR #628)"),
    # hatchling's default core metadata version, as its own sdists (built by itself) show: 2.1 up to
    # 1.21.x, 2.2 in 1.22.0, 2.3 from 1.22.1, 2.4 from 1.27.0, 2.5 from 1.32.0. A project can set
    # `core-metadata-version`: then these rules are not read (verify/stages/backend.py).
    Rule("hatchling", "metadata-version-2.1", "Metadata-Version: 2.1", "<1.22.0",
         "hatchling's own sdists are 2.1 until 1.22.0 (2.2)"),
    Rule("hatchling", "metadata-version-2.2", "Metadata-Version: 2.2", "==1.22.0",
         "hatchling's own sdists are 2.2 in 1.22.0 only (2.3 from 1.22.1)"),
    Rule("hatchling", "metadata-version-2.3", "Metadata-Version: 2.3", ">=1.22.1,<1.27.0",
         "hatchling's own sdists are 2.3 from 1.22.1 until 1.27.0 (2.4)"),
    Rule("hatchling", "metadata-version-2.4", "Metadata-Version: 2.4", ">=1.27.0,<1.32.0",
         "hatchling's own sdists are 2.4 from 1.27.0 until 1.32.0 (2.5)"),
    Rule("hatchling", "metadata-version-2.5", "Metadata-Version: 2.5", ">=1.32.0",
         "hatchling's own sdists are 2.5 from 1.32.0"),
    # poetry-core's own sdists (built by itself): 2.1 from 1.0.0, 2.3 from 2.0.0, 2.4 from 2.2.0.
    Rule("poetry-core", "metadata-version-2.1", "Metadata-Version: 2.1", "<2.0.0",
         "poetry-core's own sdists are 2.1 until 2.0.0 (2.3)"),
    Rule("poetry-core", "metadata-version-2.3", "Metadata-Version: 2.3", ">=2.0.0,<2.2.0",
         "poetry-core's own sdists are 2.3 from 2.0.0 until 2.2.0 (2.4)"),
    Rule("poetry-core", "metadata-version-2.4", "Metadata-Version: 2.4", ">=2.2.0",
         "poetry-core's own sdists are 2.4 from 2.2.0"),
    # poetry-core 1.5.0: `generate-setup-file` defaults to false (ProjectPackage.build_should_generate_setup:
    # `build_config.get("generate-setup-file", True)` in 1.0.0-1.4.x, `False` from 1.5.0; read in the
    # wheels on PyPI). isort 5.13.2 (poetry 1.3.1, which requires poetry-core 1.4.0) has one. Not read
    # when the project sets generate-setup-file itself (verify/stages/backend.py).
    Rule("poetry-core", POETRY_SETUP_PY, "a setup.py from poetry-core's template", "<1.5.0",
         "poetry-core generates setup.py by default until 1.5.0 (generate-setup-file defaults to false from 1.5.0)"),
)


@dataclass(frozen=True)
class Release:
    """One release of the backend on the build index: its version and first upload."""

    version: str
    uploaded: datetime


@dataclass(frozen=True)
class BackendHistory:
    """The backend, the bounds the published file puts on its version, and its releases."""

    project: str
    bounds: tuple[Rule, ...]
    releases: tuple[Release, ...]


@dataclass(frozen=True)
class BackendChoice:
    """The backend version a recipe pins, and why."""

    project: str
    version: str
    uploaded: datetime
    bounds: tuple[Rule, ...]
    cutoff: datetime

    @property
    def pin(self) -> str:
        return f"{self.project}=={self.version}"

    @property
    def specifier(self) -> str:
        return ",".join(dict.fromkeys(rule.specifier for rule in self.bounds))

    @property
    def why(self) -> str:
        shown = "; ".join(f"{rule.shown_as} → {rule.project}{rule.specifier}" for rule in self.bounds)
        return (
            f"the published file dates its backend ({shown}): {self.pin}, the newest release "
            f"satisfying {self.specifier} uploaded before {self.cutoff:%Y-%m-%d %H:%M} UTC"
        )

    @property
    def evidence(self) -> str:
        return "; ".join(f"{rule.shown_as}: {rule.evidence}" for rule in self.bounds)


def backend_project(build_backend: str | None) -> str | None:
    """The distribution of a build backend the rules know (None: no rules for it)."""
    return BACKEND_PROJECTS.get(build_backend or "")


def fingerprints_of(metadata_version: str | None, markers: Iterable[str]) -> list[str]:
    """The fingerprint names the rules read: the markers and "metadata-version-X.Y"."""
    found = [f"metadata-version-{metadata_version}"] if metadata_version else []
    return found + [marker for marker in markers if marker not in found]


def bounds(project: str, fingerprints: Iterable[str]) -> tuple[Rule, ...]:
    """The rules of `project` the fingerprints match, in the table's order."""
    present = set(fingerprints)
    return tuple(rule for rule in RULES if rule.project == project and rule.fingerprint in present)


def choose(history: BackendHistory, cutoff: datetime) -> BackendChoice | None:
    """The newest final release uploaded before `cutoff` that satisfies every bound (None: no bound,
    or none fits: the fingerprints contradict each other or the cut-off)."""
    if not history.bounds:
        return None
    allowed = _specifiers(history.bounds)
    fitting: list[tuple[Version, Release]] = []
    for release in history.releases:
        version = _version(release.version)
        if version is None or version.is_prerelease or release.uploaded > cutoff:
            continue
        if all(specifier.contains(version) for specifier in allowed):
            fitting.append((version, release))
    if not fitting:
        return None
    _, newest = max(fitting, key=lambda pair: pair[0])
    return BackendChoice(history.project, newest.version, newest.uploaded, history.bounds, cutoff)


def satisfies(history: BackendHistory, version: str) -> bool:
    """Whether `version` of the backend meets every bound (then pinning another gains nothing)."""
    parsed = _version(version)
    return parsed is not None and all(specifier.contains(parsed) for specifier in _specifiers(history.bounds))


def releases_from(files: Sequence[tuple[str, datetime | None, bool]]) -> tuple[Release, ...]:
    """Releases from an index's files (version, upload time, yanked): each version's first upload,
    yanked files and files without an upload time left out."""
    first: dict[str, datetime] = {}
    for version, uploaded, yanked in files:
        if yanked or uploaded is None:
            continue
        if version not in first or uploaded < first[version]:
            first[version] = uploaded
    return tuple(Release(version, uploaded) for version, uploaded in first.items())


def _specifiers(rules: Iterable[Rule]) -> list[SpecifierSet]:
    found = []
    for rule in rules:
        try:
            found.append(SpecifierSet(rule.specifier))
        except InvalidSpecifier:  # pragma: no cover - the table is checked by the tests
            continue
    return found


def _version(text: str) -> Version | None:
    try:
        return Version(text)
    except InvalidVersion:
        return None
