"""The nightly job's reports: the record of one verification (worker -> history store) and
summary.json (the run, counts per verdict, every result with its links, the exit code).

Field names are the JSON keys, in order. The dashboard's in-memory view of a stored result
(`verifier.nightly.outputs.model.Result`) turns into `ResultRecord` for summary.json.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Final, Literal

from verifier.report.model.compare import NormalizationReport
from verifier.report.model.verdict import Verdict

SUMMARY_SCHEMA: Final = "verifier/nightly-summary/v1"
RECORD_SCHEMA: Final = "verifier/nightly-record/v1"

# Display order everywhere (counts, legends): reproducible first, then the failures.
NIGHTLY_VERDICTS: tuple[Verdict, ...] = (
    Verdict.IDENTICAL,
    Verdict.EQUIVALENT,
    Verdict.DIFFERENT,
    Verdict.COULD_NOT_VERIFY,
    Verdict.ERROR,
    Verdict.TIMEOUT,
)


@dataclass(frozen=True)
class DifferenceLine:
    """One difference of a comparison, as the nightly outputs list it."""

    path: str
    kind: str
    message: str


@dataclass(frozen=True)
class ExplanationLine:
    """One probable cause of a difference."""

    path: str
    cause: str
    message: str


@dataclass(frozen=True)
class ArtifactLine:
    """One file of the release (the verify report's `artifacts`) as the nightly job keeps it.

    `verdict` None: not verified (a platform wheel), `not_verified` says why (also why a file could
    not be verified: its `could-not-verify` verdict's error). `regressed`: it was
    reproducible in an earlier result (this release before, or the same kind of file of the release
    before it) and is different now."""

    filename: str
    kind: str  # "sdist" or "wheel"
    verdict: Verdict | None
    sha256: str | None = None
    rebuilt_sha256: str | None = None
    built_from: str | None = None
    not_verified: str | None = None
    differences: tuple[DifferenceLine, ...] = ()  # the listed ones (they name the members)
    regressed: bool = False


@dataclass(frozen=True, kw_only=True)
class NightlyRecord:
    """What one verification of one release leaves in the history store (the worker's result)."""

    package: str
    version: str
    verdict: Verdict
    regressed: bool = False
    tag: str | None = None
    commit: str | None = None
    published_url: str | None = None
    published_sha256: str | None = None
    upload_time: str | None = None
    rebuilt_sha256: str | None = None
    builder: str | None = None
    builder_image: str | None = None
    base_image: str | None = None
    build_requirements: tuple[dict[str, Any], ...] = ()  # as the verify report's builder lists them
    normalizations: dict[str, NormalizationReport] = field(default_factory=dict)
    differences: tuple[DifferenceLine, ...] = ()
    explanations: tuple[dict[str, Any], ...] = ()  # as the verify report's explanations
    timings: dict[str, float] = field(default_factory=dict)
    error: str | None = None
    started_at: str | None = None
    finished_at: str | None = None
    duration_s: float = 0.0
    report_path: str | None = None
    log_path: str | None = None
    diffoscope_html: str | None = None
    command: str | None = None
    host: str | None = None  # the machine that verified it (set when the result is stored)
    environment: dict[str, Any] = field(default_factory=dict)  # its build environment: base rootfs, builder image, uv, Python
    artifacts: tuple[ArtifactLine, ...] = ()  # every file of the release, the sdist first (empty: sdist only)


@dataclass(frozen=True)
class NormalizationCount:
    """One normalization applied to one comparison, and how much it changed."""

    reference: int  # members (or the frame) whose bytes it changed in the published sdist
    candidate: int  # ... in the rebuilt sdist
    pairs: int  # paired members that differed in what it covers before it was applied
    summary: str
    scope: str


@dataclass(frozen=True)
class Skipped:
    """A release the scheduler chose not to verify in this run (already verified, given up on)."""

    package: str
    version: str
    why: str


@dataclass(frozen=True)
class Problem:
    """A configured package the scheduler could not even plan (unknown on the index, no sdist)."""

    package: str
    error: str


@dataclass(frozen=True)
class RunRecord:
    id: int
    started_at: str | None
    finished_at: str | None
    config: str | None
    status: str | None  # e.g. "finished", "interrupted"
    skipped: tuple[Skipped, ...]
    problems: tuple[Problem, ...]


@dataclass(frozen=True, kw_only=True)
class ResultRecord:
    """A stored result as the nightly outputs read it (plus the run it belongs to)."""

    package: str
    version: str
    verdict: Verdict
    tag: str | None
    commit: str | None
    published_url: str | None
    published_sha256: str | None
    upload_time: str | None
    rebuilt_sha256: str | None
    builder: str | None
    builder_image: str | None
    normalizations: dict[str, NormalizationCount]
    differences: tuple[DifferenceLine, ...]
    explanations: tuple[ExplanationLine, ...]
    error: str | None
    started_at: str | None
    finished_at: str | None
    duration_s: float | None
    report_path: str | None
    diffoscope_html: str | None
    log_path: str | None
    command: str | None
    regressed: bool
    run_id: int | None
    artifacts: tuple[ArtifactLine, ...] = ()


@dataclass(frozen=True)
class ResultLinks:
    """Site-relative paths (None when absent)."""

    package_page: str
    version_page: str
    report: str | None
    diffoscope: str | None


@dataclass(frozen=True, kw_only=True)
class SummaryResult(ResultRecord):
    reproducible: bool
    links: ResultLinks


@dataclass(frozen=True)
class PreviousResult:
    version: str
    verdict: Verdict
    run_id: int | None


@dataclass(frozen=True)
class Regression:
    package: str
    version: str
    verdict: Verdict
    previous: PreviousResult | None
    version_page: str


@dataclass(frozen=True)
class PackageEntry:
    package: str
    page: str
    latest_version: str
    latest_verdict: Verdict
    last_verified: str | None


@dataclass(frozen=True)
class SiteFiles:
    dashboard: str
    junit: str
    markdown: str
    report_name: str
    diffoscope_name: str


@dataclass(frozen=True, kw_only=True)
class NightlySummary:
    """summary.json."""

    schema: Literal["verifier/nightly-summary/v1"] = SUMMARY_SCHEMA
    run: RunRecord
    total: int
    counts: dict[str, int]  # every verdict of `verdicts`, in that order
    reproducible: int
    unverified: int
    regressed: int
    exit_code: int
    exit_reason: str
    verdicts: tuple[Verdict, ...] = NIGHTLY_VERDICTS
    regressions: tuple[Regression, ...]
    results: tuple[SummaryResult, ...]
    packages: tuple[PackageEntry, ...]
    files: SiteFiles
