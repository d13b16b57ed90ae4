"""The audit report (`verifier audit --json`): every file of the published sdist judged against the
tree at the tag, the tracked files it leaves out, and the commit search's best match.

Field names are the JSON keys, in order. `source` and `published` are `{}` until the audit got
that far (an `Empty` value), so a report that stopped early keeps the shape it always had.
"""

from __future__ import annotations

import enum
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any, Final, Literal

from pydantic import ConfigDict

from verifier.report.model.serialize import OMIT_NONE, to_data
from verifier.report.model.verdict import Verdict

SCHEMA: Final = "verifier/audit-report/v1"


class FileStatus(enum.StrEnum):
    FROM_SOURCE = "from-source"  # a copy of a file tracked at the tag
    RELOCATED = "relocated"  # the same bytes as a tracked file at another path
    GENERATED = "generated"  # written by the build backend, and its check passed
    GENERATED_UNCHECKED = "generated-unchecked"  # written by the build backend; no check exists
    INCONSISTENT = "generated-inconsistent"  # a generated file whose check failed
    NOT_FROM_SOURCE = "not-from-source"

    @property
    def flagged(self) -> bool:
        """Makes the release not-from-source."""
        return self in (FileStatus.NOT_FROM_SOURCE, FileStatus.INCONSISTENT)

    @property
    def generated(self) -> bool:
        return self in (FileStatus.GENERATED, FileStatus.GENERATED_UNCHECKED)


# Display order of the counts in the text report.
STATUS_ORDER = (
    FileStatus.FROM_SOURCE,
    FileStatus.GENERATED,
    FileStatus.GENERATED_UNCHECKED,
    FileStatus.RELOCATED,
    FileStatus.NOT_FROM_SOURCE,
    FileStatus.INCONSISTENT,
)


@dataclass(frozen=True)
class FileFinding:
    path: str  # as stored in the sdist
    status: FileStatus
    note: str = ""
    source_path: str | None = field(default=None, metadata=OMIT_NONE)  # the tracked file it copies
    generator: str | None = field(default=None, metadata=OMIT_NONE)  # what writes a generated file


@dataclass(frozen=True)
class Empty:
    """A part the audit did not reach: `{}` in the JSON."""

    __pydantic_config__ = ConfigDict(extra="forbid")  # `{}` only: never a partial part


@dataclass(frozen=True)
class AuditSource:
    repo: str
    tag: str
    commit: str
    subdir: str


@dataclass(frozen=True)
class IndexSdist:
    """The published sdist, fetched from the package index."""

    url: str
    filename: str
    sha256: str
    upload_time: str | None
    path: str  # where the artifact cache holds it


@dataclass(frozen=True)
class LocalSdist:
    """The published sdist, given as a file (--artifact)."""

    path: str
    sha256: str
    url: None = None


@dataclass(frozen=True)
class WheelFindingReport:
    kind: str  # record-mismatch | unlisted | module-differs-from-sdist | not-in-sdist
    path: str
    message: str


@dataclass(frozen=True)
class AuditedWheel:
    """One wheel of the release: pure ones checked against the sdist, platform ones listed with why not."""

    filename: str
    sha256: str | None
    verdict: Verdict | None  # from-source | not-from-source; None: not verified (see `reason`)
    reason: str | None = None  # why it was not verified (a platform wheel)
    copies: int = 0  # files that are byte copies of the sdist's
    metadata_files: int = 0  # .dist-info files (checked through RECORD)
    findings: tuple[WheelFindingReport, ...] = ()


@dataclass(frozen=True)
class CommitMatch:
    """The commit search's best match (see verifier.audit.commits.CommitMatch)."""

    commit: str
    distance: int  # commits from the tag: negative before it, positive after it
    summary: str
    matched: int
    total: int
    tag_matched: int
    exact: bool
    files_differing_from_tag: tuple[str, ...]
    files_matching_only_there: tuple[str, ...]
    files_differing_there: tuple[str, ...]
    searched: int
    complete: bool


def count_statuses(files: Iterable[FileFinding]) -> dict[str, int]:
    """Status -> files, in order of first appearance (the JSON's `counts`)."""
    return {str(status): count for status, count in Counter(finding.status for finding in files).items()}


@dataclass(frozen=True, kw_only=True)
class AuditReport:
    schema: Literal["verifier/audit-report/v1"] = SCHEMA
    kind: Literal["audit"] = "audit"
    verdict: Verdict  # from-source | not-from-source | could-not-verify | error
    package: str | None = None
    version: str | None = None
    source: AuditSource | Empty = Empty()
    published: IndexSdist | LocalSdist | Empty = Empty()
    counts: dict[str, int] = field(default_factory=dict)
    files: tuple[FileFinding, ...] = ()
    omitted: tuple[str, ...] = ()  # tracked at the tag, not in the sdist (not a failure)
    notes: tuple[str, ...] = ()
    timings: dict[str, float] = field(default_factory=dict)
    reproduce: str = ""
    error: str | None = None
    commit_match: CommitMatch | None = None  # the commit search's best match, when it found one
    tool_version: str = ""
    wheels: tuple[AuditedWheel, ...] = ()  # the release's wheels on the index, each against the sdist

    def files_with(self, *statuses: FileStatus) -> list[FileFinding]:
        return [finding for finding in self.files if finding.status in statuses]

    def as_dict(self) -> dict[str, Any]:
        """JSON-ready data (the serializer's; kept for callers that still pass dictionaries on)."""
        data: dict[str, Any] = to_data(self)
        return data
