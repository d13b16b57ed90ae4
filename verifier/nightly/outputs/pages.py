"""What each dashboard page shows, worked out once in Python so that the templates only lay it out.

Every link is made here by `paths.href` (relative to the page being written) from slugs; counts,
orderings and choices (which banner, which rows) are made here too. The values stay raw: escaping
is the templates' job (see `html.py`).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal
from urllib.parse import urlsplit

from verifier.nightly.outputs.layout import (
    INDEX,
    JUNIT_XML,
    SUMMARY_JSON,
    SUMMARY_MD,
    Layout,
    PackageView,
    VersionView,
)
from verifier.nightly.outputs.model import (
    DIFFERENT,
    REPRODUCIBLE,
    UNVERIFIED,
    VERDICTS,
    Result,
    Run,
    count_verdicts,
)
from verifier.nightly.outputs.paths import href
from verifier.nightly.outputs.summary import EXIT_FAILED, EXIT_UNVERIFIED, exit_code
from verifier.nightly.outputs.text import run_duration, visible
from verifier.report.model.nightly import ArtifactLine, Problem, Skipped

MAX_DIFFERENCES_SHOWN = 500
NOT_VERIFIED = "not-verified"  # the state of a file of a release that has no verdict (a platform wheel)
PACKAGE_TREND = 60  # squares on a package page

LABELS = {
    "identical": "identical",
    "equivalent": "equivalent",
    "different": "different",
    "could-not-verify": "could not verify",
    "error": "error",
    "timeout": "timeout",
    NOT_VERIFIED: "not verified",
}
MEANINGS = {
    "identical": "the same bytes",
    "equivalent": "the same bytes once the selected normalizations are applied",
    "different": "not reproducible: the rebuilt file differs from the published one",
    "could-not-verify": "the verification could not be completed (build failed, index unreachable, ...)",
    "error": "the verifier failed",
    "timeout": "the verification took too long and was stopped",
    NOT_VERIFIED: "not verified: a platform wheel (compiled code needs the publisher's toolchain), or a file the run did not reach",
}

BannerKind = Literal["nothing-new", "failed", "unverified", "reproducible"]


# ------------------------------------------------------------------------------ on every page


@dataclass(frozen=True)
class Crumb:
    text: str
    href: str | None  # None: the page itself


@dataclass(frozen=True)
class Frame:
    """What surrounds every page's content: its title, the breadcrumbs, the run and the footer links."""

    title: str
    home: str
    crumbs: tuple[Crumb, ...]
    run_id: int
    run_time: str | None
    summary_json: str
    junit_xml: str
    summary_md: str


def frame(title: str, page: str, trail: tuple[tuple[str, str | None], ...], layout: Layout) -> Frame:
    """`trail`: (text, site path or None for the page itself) after the link to the index."""
    run = layout.history.run
    return Frame(
        title=title,
        home=href(page, INDEX),
        crumbs=tuple(Crumb(text, href(page, target) if target else None) for text, target in trail),
        run_id=run.id,
        run_time=run.finished_at or run.started_at,
        summary_json=href(page, SUMMARY_JSON),
        junit_xml=href(page, JUNIT_XML),
        summary_md=href(page, SUMMARY_MD),
    )


@dataclass(frozen=True)
class ResultRow:
    """A result as a table shows it, with the links from the page it is shown on."""

    result: Result
    package_href: str
    version_href: str
    report_href: str | None
    diffoscope_href: str | None


def result_row(result: Result, page: str, layout: Layout) -> ResultRow:
    report = layout.report(result)
    diffoscope = layout.diffoscope(result)
    return ResultRow(
        result=result,
        package_href=href(page, layout.package_of(result).page),
        version_href=href(page, layout.version_of(result).page),
        report_href=href(page, report) if report else None,
        diffoscope_href=href(page, diffoscope) if diffoscope else None,
    )


@dataclass(frozen=True)
class Trend:
    """A strip of verdict squares, oldest to newest; a short strip is padded on the left so that
    strips line up in a table."""

    squares: tuple[ResultRow, ...]
    pads: int
    long: bool


def trend(results: tuple[Result, ...], page: str, layout: Layout, length: int, *, long: bool = False) -> Trend:
    """The last `length` verdicts of `results` (newest first)."""
    recent = tuple(result_row(r, page, layout) for r in reversed(results[:length]))
    return Trend(recent, 0 if long else max(length - len(recent), 0), long)


# ------------------------------------------------------------------------------------- index


@dataclass(frozen=True)
class Banner:
    """The one-line verdict of the run at the top of the index."""

    kind: BannerKind
    results: int
    reproducible: int
    regressed: int
    different: int
    unverified: int


@dataclass(frozen=True)
class Regression:
    row: ResultRow
    previous: Result | None  # the package's latest result from an earlier run


@dataclass(frozen=True)
class PackageRow:
    package: PackageView
    href: str
    latest: ResultRow
    trend: Trend
    reproducible: int
    different: int
    unverified: int


@dataclass(frozen=True)
class IndexPage:
    frame: Frame
    run: Run
    took: float | None
    banner: Banner
    problems: tuple[Problem, ...]
    tiles: tuple[tuple[str, int], ...]  # (verdict, results of this run)
    regressed: int
    regressions: tuple[Regression, ...]
    this_run: tuple[ResultRow, ...]
    skipped: tuple[Skipped, ...]
    trend_length: int
    packages: tuple[PackageRow, ...]


def _banner(results: tuple[Result, ...]) -> Banner:
    counts = count_verdicts(results)
    code = exit_code(results)
    kind: BannerKind
    if not results:
        kind = "nothing-new"
    elif code == EXIT_FAILED:
        kind = "failed"
    elif code == EXIT_UNVERIFIED:
        kind = "unverified"
    else:
        kind = "reproducible"
    return Banner(
        kind=kind,
        results=len(results),
        reproducible=sum(counts[v] for v in REPRODUCIBLE),
        regressed=sum(r.regressed for r in results),
        different=counts[DIFFERENT],
        unverified=sum(counts[v] for v in UNVERIFIED),
    )


def _package_row(package: PackageView, layout: Layout, trend_length: int) -> PackageRow:
    verdicts = [v.latest.verdict for v in package.versions]
    return PackageRow(
        package=package,
        href=href(INDEX, package.page),
        latest=result_row(package.latest.latest, INDEX, layout),
        trend=trend(package.results, INDEX, layout, trend_length),
        reproducible=sum(v in REPRODUCIBLE for v in verdicts),
        different=verdicts.count(DIFFERENT),
        unverified=sum(v in UNVERIFIED for v in verdicts),
    )


def _this_run_order(result: Result) -> tuple[bool, bool, str, str]:
    """Regressions first, then the failures, then by name and version."""
    return (not result.regressed, result.verdict in REPRODUCIBLE, result.package.lower(), result.version)


def index_page(layout: Layout, trend_length: int) -> IndexPage:
    history = layout.history
    run, results = history.run, history.results
    counts = count_verdicts(results)
    return IndexPage(
        frame=frame(f"verifier nightly — run #{run.id}", INDEX, (), layout),
        run=run,
        took=run_duration(run.started_at, run.finished_at),
        banner=_banner(results),
        problems=run.problems,
        tiles=tuple((verdict, counts[verdict]) for verdict in VERDICTS),
        regressed=sum(r.regressed for r in results),
        regressions=tuple(
            Regression(result_row(r, INDEX, layout), history.previous(r)) for r in results if r.regressed
        ),
        this_run=tuple(result_row(r, INDEX, layout) for r in sorted(results, key=_this_run_order)),
        skipped=run.skipped,
        trend_length=trend_length,
        packages=tuple(_package_row(p, layout, trend_length) for p in layout.packages),
    )


# ----------------------------------------------------------------------------------- package


@dataclass(frozen=True)
class VersionRow:
    version: VersionView
    latest: ResultRow


@dataclass(frozen=True)
class PackagePage:
    frame: Frame
    package: PackageView
    latest: Result
    counts: tuple[tuple[str, int], ...]  # (verdict, versions whose latest result has it), non-zero only
    trend: Trend
    versions: tuple[VersionRow, ...]


def package_page(package: PackageView, layout: Layout) -> PackagePage:
    page = package.page
    verdicts = [v.latest.verdict for v in package.versions]
    return PackagePage(
        frame=frame(f"{visible(package.name)} — verifier nightly", page, ((package.name, None),), layout),
        package=package,
        latest=package.latest.latest,
        counts=tuple((v, verdicts.count(v)) for v in VERDICTS if verdicts.count(v)),
        trend=trend(package.results, page, layout, PACKAGE_TREND, long=True),
        versions=tuple(VersionRow(v, result_row(v.latest, page, layout)) for v in package.versions),
    )


# ----------------------------------------------------------------------------------- version


@dataclass(frozen=True)
class FileRow:
    """One file of the release on its version page: its verdict, or why it was not verified."""

    artifact: ArtifactLine
    state: str  # its verdict, or NOT_VERIFIED
    sha256_match: bool | None  # rebuilt == published; None when either is unknown


def state(artifact: ArtifactLine) -> str:
    return str(artifact.verdict) if artifact.verdict is not None else NOT_VERIFIED


def file_rows(result: Result) -> tuple[FileRow, ...]:
    return tuple(
        FileRow(a, state(a), a.sha256.lower() == a.rebuilt_sha256.lower() if a.sha256 and a.rebuilt_sha256 else None)
        for a in result.artifacts
    )


@dataclass(frozen=True)
class VersionPage:
    frame: Frame
    package: PackageView
    version: VersionView
    row: ResultRow  # the latest verification of this version
    previous: Result | None  # for a regression: the package's latest result from an earlier run
    sha256_match: bool | None  # rebuilt == published; None when either is unknown
    published_link: bool  # the published URL is http(s), so it is shown as a link
    differences_hidden: int  # beyond MAX_DIFFERENCES_SHOWN
    attempts: tuple[ResultRow, ...]  # every verification of this version, newest first
    files: tuple[FileRow, ...]  # every file of the release (empty: a result stored with its sdist only)


def _is_web_url(url: str | None) -> bool:
    if not url:
        return False
    try:
        return urlsplit(url).scheme.lower() in ("http", "https")
    except ValueError:
        return False


def version_page(version: VersionView, package: PackageView, layout: Layout) -> VersionPage:
    page = version.page
    result = version.latest
    published, rebuilt = result.published_sha256, result.rebuilt_sha256
    trail = ((package.name, package.page), (version.version, None))
    title = f"{visible(package.name)} {visible(version.version)} — verifier nightly"
    return VersionPage(
        frame=frame(title, page, trail, layout),
        package=package,
        version=version,
        row=result_row(result, page, layout),
        previous=layout.history.previous(result) if result.regressed else None,
        sha256_match=published.lower() == rebuilt.lower() if published and rebuilt else None,
        published_link=_is_web_url(result.published_url),
        differences_hidden=max(len(result.differences) - MAX_DIFFERENCES_SHOWN, 0),
        attempts=tuple(result_row(a, page, layout) for a in version.attempts),
        files=file_rows(result),
    )
