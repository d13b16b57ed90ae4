"""Where everything goes in the output directory, and the history grouped for the pages.

    index.html  summary.json  junit.xml  summary.md
    packages/<package>.html                         one page per package
    packages/<package>/<version>.html               one page per version
    packages/<package>/<version>/run-<id>/report.json       copied JSON report
    packages/<package>/<version>/run-<id>/diffoscope.html   copied diffoscope page

<package> and <version> are slugs (see `paths.py`). All paths here are site-relative POSIX paths.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from packaging.version import InvalidVersion, Version

from verifier.nightly.outputs.model import History, Result, normalize_name
from verifier.nightly.outputs.paths import package_slug, version_slug

INDEX = "index.html"
SUMMARY_JSON = "summary.json"
JUNIT_XML = "junit.xml"
SUMMARY_MD = "summary.md"
REPORT_NAME = "report.json"
DIFFOSCOPE_NAME = "diffoscope.html"


@dataclass
class VersionView:
    version: str  # as published
    slug: str
    page: str
    attempts: tuple[Result, ...]  # newest first

    @property
    def latest(self) -> Result:
        return self.attempts[0]


@dataclass
class PackageView:
    key: str  # PEP 503 normalized name
    name: str  # as spelled by its newest result
    slug: str
    page: str
    results: tuple[Result, ...]  # newest first
    versions: list[VersionView]  # newest release first (PEP 440 order; unparseable ones after)

    @property
    def latest(self) -> VersionView:
        return self.versions[0]

    @property
    def last_verified(self) -> str | None:
        return next((r.when for r in self.results if r.when), None)


@dataclass
class Layout:
    history: History
    packages: list[PackageView]
    by_key: dict[str, PackageView]
    # id(result) -> site path of its copy; filled by `write_all` for the copies that succeeded.
    reports: dict[int, str] = field(default_factory=dict)
    diffoscopes: dict[int, str] = field(default_factory=dict)
    _artifact_dirs: dict[int, str] = field(default_factory=dict)

    @classmethod
    def of(cls, history: History) -> Layout:
        packages: list[PackageView] = []
        for key, results in history.by_package().items():
            slug = package_slug(key)
            grouped: dict[str, list[Result]] = {}
            for result in results:
                grouped.setdefault(result.version, []).append(result)
            versions = [
                VersionView(version, version_slug(version), f"packages/{slug}/{version_slug(version)}.html", tuple(attempts))
                for version, attempts in grouped.items()
            ]
            versions.sort(key=_release_order)
            packages.append(PackageView(key, results[0].package, slug, f"packages/{slug}.html", results, versions))
        layout = cls(history, packages, {p.key: p for p in packages})
        layout._plan_artifacts()
        return layout

    def _plan_artifacts(self) -> None:
        taken: set[str] = set()
        for package in self.packages:
            for version in package.versions:
                for result in version.attempts:
                    base = f"packages/{package.slug}/{version.slug}/run-{result.run_id if result.run_id is not None else 'unknown'}"
                    directory, n = base, 1
                    while directory in taken:  # the same release twice in one run: keep both
                        n += 1
                        directory = f"{base}-{n}"
                    taken.add(directory)
                    self._artifact_dirs[id(result)] = directory

    def package_of(self, result: Result) -> PackageView:
        return self.by_key[normalize_name(result.package)]

    def version_of(self, result: Result) -> VersionView:
        return next(v for v in self.package_of(result).versions if v.version == result.version)

    def planned_report(self, result: Result) -> str:
        return f"{self._artifact_dirs[id(result)]}/{REPORT_NAME}"

    def planned_diffoscope(self, result: Result) -> str:
        return f"{self._artifact_dirs[id(result)]}/{DIFFOSCOPE_NAME}"

    def report(self, result: Result) -> str | None:
        return self.reports.get(id(result))

    def diffoscope(self, result: Result) -> str | None:
        return self.diffoscopes.get(id(result))


def _release_order(view: VersionView) -> tuple[int, object, str]:
    """Newest release first: by PEP 440 version, then versions that do not parse, newest verified first."""
    try:
        parsed = Version(view.version)
    except InvalidVersion:
        return (1, _Reversed(view.latest.when or ""), view.version)
    return (0, _Reversed(parsed), view.version)


class _Reversed:  # noqa: PLW1641 - only sorted, never hashed (defining __eq__ already makes it unhashable)
    """Sorts in the opposite order of the value it wraps."""

    __slots__ = ("value",)

    def __init__(self, value: object) -> None:
        self.value = value

    def __lt__(self, other: _Reversed) -> bool:
        return bool(other.value < self.value)  # type: ignore[operator]

    def __eq__(self, other: object) -> bool:
        return isinstance(other, _Reversed) and self.value == other.value
