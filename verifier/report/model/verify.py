"""The verify report: what one `verifier verify` found, as frozen dataclasses.

Field names are the JSON keys and field order is the key order (see `serialize`), so the JSON
report keeps the shape it always had (`verifier/verify-report/v1`). Where a part has two shapes
(an index's file or a local one; a bootstrapped base image or one named by an option; a transplant
that ran or could not), it is a union of two dataclasses. A stage the run never reached is null.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Annotated, Any, Literal, TypeVar

from pydantic import BeforeValidator

from verifier.report.model.compare import CompareReport, DifferenceReport
from verifier.report.model.serialize import OMIT_NONE
from verifier.report.model.verdict import Verdict

VERIFY_REPORT_SCHEMA: Literal["verifier/verify-report/v1"] = "verifier/verify-report/v1"

# Free-form facts reported as found (a builder's environment.json, an explanation's evidence).
Facts = dict[str, Any]
T = TypeVar("T")


def _empty_is_none(value: object) -> object:
    """Reports written before the model held `{}` for a stage the run did not reach; now null."""
    return None if value == {} else value


# A part of the report that a run may not reach (reads the `{}` older reports wrote as null).
MaybeReached = Annotated[T | None, BeforeValidator(_empty_is_none)]


@dataclass(frozen=True)
class Submodule:
    name: str
    path: str
    url: str
    commit: str
    fetched_from: str


@dataclass(frozen=True)
class Source:
    """The tagged source; the SOURCE_DATE_EPOCH fields are those of the recipe the verdict comes from."""

    repo: str
    tag: str
    commit: str
    commit_time: int
    version_from_tag: str | None
    submodules: tuple[Submodule, ...] | None = None  # None: the checkout was not reached
    subdir: str | None = None
    build_backend: str | None = None
    source_date_epoch: int | None = None
    source_date_epoch_origin: str | None = None  # None: no build was reached
    source_date_epoch_detail: str | None = None
    # NAME==VERSION or --repo URL: what was cloned, where the URL came from, the insteadOf rule that applied
    url: str | None = field(default=None, metadata=OMIT_NONE)
    url_found_in: str | None = field(default=None, metadata=OMIT_NONE)
    url_rewrite: str | None = field(default=None, metadata=OMIT_NONE)


@dataclass(frozen=True)
class BuildRequirement:
    name: str
    version: str
    filename: str | None
    sha256: str | None


@dataclass(frozen=True)
class Deviation:
    """A change the builder made to the tagged configuration (Pants)."""

    what: str
    original: str
    replacement: str
    why: str


@dataclass(frozen=True)
class BootstrappedBase:
    """A base image `verifier image bootstrap` made from Debian packages."""

    image_id: str | None
    suite: str | None
    rootfs_sha256: str | None
    python_version: str | None
    origin: str


@dataclass(frozen=True)
class NamedBase:
    """A base image an option or the configuration named, or the Dockerfile's pinned default."""

    origin: str


BaseImage = BootstrappedBase | NamedBase


@dataclass(frozen=True)
class Builder:
    name: str
    image: str
    base_image: str | None
    python: str | None
    build_requirements: tuple[BuildRequirement, ...]
    environment: Facts
    network: bool
    deviations: tuple[Deviation, ...]
    notes: tuple[str, ...]
    log: str | None  # None once a reproducible run's work directory is deleted
    base: BaseImage
    runtime: str
    pins: tuple[str, ...]


@dataclass(frozen=True)
class PublishedOnIndex:
    """The sdist as the index publishes it, downloaded into the artifact cache."""

    url: str
    filename: str
    sha256: str | None  # None: the index gives no digest
    size: int
    upload_time: str | None
    index: str
    path: str


@dataclass(frozen=True)
class LocalArtifact:
    """A published sdist given as a local file (`--artifact`); the index, if it knows the release, dates it."""

    path: str
    sha256: str
    size: int
    url: None = None
    upload_time: str | None = None
    index_sha256: str | None = None  # the sha256 the index lists for this release (None: not found)


Published = PublishedOnIndex | LocalArtifact


@dataclass(frozen=True)
class Rebuilt:
    filename: str
    sha256: str
    size: int
    path: str | None  # None once a reproducible run's work directory is deleted


@dataclass(frozen=True)
class Explanation:
    """A probable cause of a difference, with the facts that support it."""

    path: str
    cause: str
    message: str
    evidence: Facts = field(default_factory=dict)


@dataclass(frozen=True)
class Check:
    """A check of the published file beyond the comparison (its mtimes, what stays different)."""

    name: str
    ok: bool
    message: str
    evidence: Facts = field(default_factory=dict)


@dataclass(frozen=True)
class EpochChoice:
    value: int | None  # None: built without SOURCE_DATE_EPOCH
    origin: str  # "tag", "infer:<how>", "unset", "given"
    detail: str = ""


@dataclass(frozen=True)
class Recipe:
    """The settings of one rebuild."""

    source_date_epoch: EpochChoice
    requirements_cutoff: str
    requirements_cutoff_origin: str
    umask: str
    python: str | None
    env: dict[str, str]
    frontend: str
    why: str
    tar_writer: str | None = None  # None: the build image Python's tarfile; "cpython-3.8": that CPython's
    pins: tuple[str, ...] = ()  # build requirements the recipe pinned (a backend version the file dates)
    prebuild: tuple[str, ...] = ()  # release-workflow commands run in the build container before the build
    extra_requirements: tuple[str, ...] = ()  # requirements the release installed for the build tool
    windows: str | None = None  # "lf-checkout"/"crlf-checkout": the build emulated a Windows release machine


@dataclass(frozen=True, kw_only=True)
class Attempt(Recipe):
    """One build of `--search` (or the only one), and how close it came."""

    verdict: Verdict  # could-not-verify: the build could not run (`error` says why)
    differences: int  # listed and not listed
    rebuilt_sha256: str  # "" when the build could not run
    error: str = ""


@dataclass(frozen=True)
class TransplantResult:
    """The rebuild with the published timestamps copied onto it, against the published file."""

    identical: bool
    transplanted_sha256: str | None
    published_sha256: str | None
    reason: str
    differing_members: tuple[str, ...]


@dataclass(frozen=True)
class TransplantFailed:
    identical: bool
    reason: str


Transplant = TransplantResult | TransplantFailed


@dataclass(frozen=True)
class Fingerprint:
    """One thing the published file says about how it was built."""

    name: str
    value: int | bool | str
    why: str


@dataclass(frozen=True)
class InferredSetting:
    name: str
    value: str
    origin: str  # file:line
    note: str = ""


@dataclass(frozen=True)
class InferredCommand:
    text: str
    origin: str
    working_directory: str | None = None


@dataclass(frozen=True)
class Inferred:
    """What the release workflow (CI configuration) says about the build."""

    frontend: str | None
    python: str | None
    env: dict[str, str]
    prebuild: tuple[InferredCommand, ...]
    build_command: str | None
    settings: tuple[InferredSetting, ...]
    notes: tuple[str, ...]


ArtifactKind = Literal["sdist", "wheel"]


@dataclass(frozen=True)
class Artifact:
    """One file the index publishes for the release, and what verifying it found.

    `verdict` None: the file was not verified (a platform wheel: compiled code needs the publisher's
    toolchain), and `not_verified` says why. `built_from` says what the rebuilt file was made from:
    "tag" (an sdist from the tagged tree), "rebuilt sdist" (a wheel from the rebuilt sdist, the route pip
    takes) or "tagged tree" (a wheel built straight from the tree when the sdist route differs)."""

    filename: str
    kind: ArtifactKind
    sha256: str | None
    url: str | None
    verdict: Verdict | None
    not_verified: str | None = field(default=None, metadata=OMIT_NONE)
    built_from: str | None = None
    normalizations: tuple[str, ...] = ()  # the normalizations that erased something
    differences: tuple[DifferenceReport, ...] = ()
    differences_not_listed: int = 0
    explanations: tuple[Explanation, ...] = ()
    recipe: Recipe | None = None
    rebuilt_sha256: str | None = None
    error: str | None = field(default=None, metadata=OMIT_NONE)  # why no verdict was reached


@dataclass(frozen=True, kw_only=True)
class VerifyReport:
    """Everything a verification found; `serialize.to_json(report)` is the JSON report."""

    schema: Literal["verifier/verify-report/v1"] = VERIFY_REPORT_SCHEMA
    kind: Literal["verify"] = "verify"
    verdict: Verdict
    package: str | None = None
    version: str | None = None
    source: MaybeReached[Source] = None
    builder: MaybeReached[Builder] = None
    published: MaybeReached[Published] = None
    rebuilt: MaybeReached[Rebuilt] = None
    comparison: CompareReport | None = None
    explanations: tuple[Explanation, ...] = ()
    checks: tuple[Check, ...] = ()
    attempts: tuple[Attempt, ...] = ()
    notes: tuple[str, ...] = ()
    transplant: Transplant | None = None
    recipe: Recipe | None = None  # the settings of the build the verdict comes from
    fingerprints: tuple[Fingerprint, ...] = ()
    inferred: Inferred | None = None
    timings: dict[str, float] = field(default_factory=dict)
    reproduce: str = ""  # the command that runs this verification again
    workdir: str | None = None
    error: str | None = None
    error_details: str = ""  # e.g. the tail of a failed build's log
    tool_version: str = ""
    tools: dict[str, str] = field(default_factory=dict)  # versions of what decides verdicts: uv (build requirements)
    # Every file of the release on the index (the sdist first); the verdict above is the weakest of
    # the verified ones. Empty in reports written before wheels were verified, and with --sdist-only.
    artifacts: tuple[Artifact, ...] = ()

    @property
    def reproducible(self) -> bool:
        return self.verdict.reproducible
