"""What the nightly outputs are made from: one run, its results, and every stored result before it.

The scheduler and the store hand plain JSON-serialisable dictionaries over (see `docs/nightly.md`,
"Input"); `History.from_dicts` checks their shape once and turns them into frozen dataclasses, so
every writer works from the same validated data. Strings are kept exactly as given (package names,
versions, paths and messages come from package indexes and archives: untrusted); each writer
escapes them for its own format.
"""

from __future__ import annotations

import re
import shlex
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

from verifier.report.model.nightly import (
    NIGHTLY_VERDICTS,
    ArtifactLine,
    DifferenceLine,
    ExplanationLine,
    NormalizationCount,
    Problem,
    ResultRecord,
    RunRecord,
    Skipped,
)
from verifier.report.model.serialize import to_data
from verifier.report.model.verdict import Verdict

IDENTICAL = Verdict.IDENTICAL
EQUIVALENT = Verdict.EQUIVALENT
DIFFERENT = Verdict.DIFFERENT
COULD_NOT_VERIFY = Verdict.COULD_NOT_VERIFY
ERROR = Verdict.ERROR
TIMEOUT = Verdict.TIMEOUT

# Display order everywhere (counts, legends): reproducible first, then the failures.
VERDICTS: tuple[Verdict, ...] = NIGHTLY_VERDICTS
REPRODUCIBLE: frozenset[Verdict] = frozenset({IDENTICAL, EQUIVALENT})
UNVERIFIED: frozenset[Verdict] = frozenset({COULD_NOT_VERIFY, ERROR, TIMEOUT})
# The model's line types under the names the outputs use.
Difference = DifferenceLine
Explanation = ExplanationLine


def _text(value: Any) -> str | None:
    if value is None:
        return None
    return value if isinstance(value, str) else str(value)


def _int(value: Any, what: str) -> int:
    if isinstance(value, bool):
        return int(value)
    try:
        return int(value or 0)
    except (TypeError, ValueError):
        raise ValueError(f"{what}: expected an integer, got {value!r}") from None


def _float(value: Any, what: str) -> float | None:
    if value is None or value == "":
        return None
    try:
        return float(value)
    except (TypeError, ValueError):
        raise ValueError(f"{what}: expected a number, got {value!r}") from None


def _command(value: Any) -> str | None:
    """The re-run command as one shell line (a list of arguments is quoted and joined)."""
    if value is None:
        return None
    if isinstance(value, (list, tuple)):
        return shlex.join(str(part) for part in value)
    return str(value)


@dataclass(frozen=True)
class Normalization:
    """One normalization applied to one comparison, and how much it changed."""

    name: str
    reference: int = 0  # members (or the frame) whose bytes it changed in the published sdist
    candidate: int = 0  # ... in the rebuilt sdist
    pairs: int = 0  # paired members that differed in what it covers before it was applied
    summary: str = ""
    scope: str = "members"

    @classmethod
    def from_dict(cls, name: str, data: Mapping[str, Any] | None) -> Normalization:
        data = data or {}
        return cls(
            name=str(name),
            reference=_int(data.get("reference"), f"normalization {name!r}.reference"),
            candidate=_int(data.get("candidate"), f"normalization {name!r}.candidate"),
            pairs=_int(data.get("pairs"), f"normalization {name!r}.pairs"),
            summary=_text(data.get("summary")) or "",
            scope=_text(data.get("scope")) or "members",
        )

    def record(self) -> NormalizationCount:
        return NormalizationCount(self.reference, self.candidate, self.pairs, self.summary, self.scope)


def _difference(data: Mapping[str, Any]) -> DifferenceLine:
    return DifferenceLine(_text(data.get("path")) or "", _text(data.get("kind")) or "", _text(data.get("message")) or "")


def _explanation(data: Mapping[str, Any]) -> ExplanationLine:
    return ExplanationLine(_text(data.get("path")) or "", _text(data.get("cause")) or "", _text(data.get("message")) or "")


def _artifact(data: Any, where: str) -> ArtifactLine:
    """One file of the release; `verdict` null: not verified."""
    if not isinstance(data, Mapping) or not _text(data.get("filename")):
        raise ValueError(f"{where}: an artifact must be a mapping with a filename, got {data!r:.200}")
    verdict = _text(data.get("verdict"))
    if verdict is not None and verdict not in VERDICTS:
        raise ValueError(f"{where}: artifact {data['filename']!r}: unknown verdict {verdict!r}")
    return ArtifactLine(
        filename=_text(data.get("filename")) or "",
        kind=_text(data.get("kind")) or "sdist",
        verdict=None if verdict is None else Verdict(verdict),
        sha256=_text(data.get("sha256")),
        rebuilt_sha256=_text(data.get("rebuilt_sha256")),
        built_from=_text(data.get("built_from")),
        not_verified=_text(data.get("not_verified")),
        differences=tuple(_difference(d) for d in data.get("differences") or ()),
        regressed=bool(data.get("regressed", False)),
    )


@dataclass(frozen=True)
class Result:
    """One verification of one release (a package at a version) in one run."""

    package: str
    version: str
    verdict: Verdict
    tag: str | None = None
    commit: str | None = None
    published_url: str | None = None
    published_sha256: str | None = None
    upload_time: str | None = None
    rebuilt_sha256: str | None = None
    builder: str | None = None
    builder_image: str | None = None
    normalizations: tuple[Normalization, ...] = ()
    differences: tuple[Difference, ...] = ()
    explanations: tuple[Explanation, ...] = ()
    error: str | None = None
    started_at: str | None = None
    finished_at: str | None = None
    duration_s: float | None = None
    report_path: str | None = None
    diffoscope_html: str | None = None
    log_path: str | None = None
    command: str | None = None
    regressed: bool = False
    run_id: int | None = None
    artifacts: tuple[ArtifactLine, ...] = ()  # every file of the release, the sdist first (empty: sdist only)

    @property
    def reproducible(self) -> bool:
        return self.verdict in REPRODUCIBLE

    @property
    def difference_count(self) -> int:
        """The differences listed, of every file of the release when each was verified (else of the sdist)."""
        if self.artifacts:
            return sum(len(a.differences) for a in self.artifacts)
        return len(self.differences)

    @property
    def unverified(self) -> bool:
        return self.verdict in UNVERIFIED

    @property
    def failed(self) -> bool:
        """Counts as a failure: different, or a regression whatever its verdict now."""
        return self.verdict == DIFFERENT or self.regressed

    @property
    def when(self) -> str | None:
        """When this verification happened, for display and ordering."""
        return self.finished_at or self.started_at

    @classmethod
    def from_dict(cls, data: Mapping[str, Any], *, run_id: int | None = None) -> Result:
        if not isinstance(data, Mapping):
            raise ValueError(f"a result must be a mapping, got {type(data).__name__}")
        package = _text(data.get("package"))
        version = _text(data.get("version"))
        if not package:
            raise ValueError(f"a result has no package name: {dict(data)!r:.200}")
        if version is None:
            raise ValueError(f"result for {package!r} has no version")
        where = f"result {package!r} {version!r}"
        verdict = _text(data.get("verdict"))
        if verdict is None or verdict not in VERDICTS:
            raise ValueError(f"{where}: unknown verdict {verdict!r} (expected one of {', '.join(VERDICTS)})")
        normalizations = data.get("normalizations") or {}
        if not isinstance(normalizations, Mapping):
            raise ValueError(f"{where}: normalizations must be a mapping of name to effect")
        stored_run = data.get("run_id", run_id)
        return cls(
            package=package,
            version=version,
            verdict=Verdict(verdict),
            tag=_text(data.get("tag")),
            commit=_text(data.get("commit")),
            published_url=_text(data.get("published_url")),
            published_sha256=_text(data.get("published_sha256")),
            upload_time=_text(data.get("upload_time")),
            rebuilt_sha256=_text(data.get("rebuilt_sha256")),
            builder=_text(data.get("builder")),
            builder_image=_text(data.get("builder_image")),
            normalizations=tuple(Normalization.from_dict(n, e) for n, e in normalizations.items()),
            differences=tuple(_difference(d) for d in data.get("differences") or ()),
            explanations=tuple(_explanation(e) for e in data.get("explanations") or ()),
            error=_text(data.get("error")),
            started_at=_text(data.get("started_at")),
            finished_at=_text(data.get("finished_at")),
            duration_s=_float(data.get("duration_s"), f"{where}.duration_s"),
            report_path=_text(data.get("report_path")),
            diffoscope_html=_text(data.get("diffoscope_html")),
            log_path=_text(data.get("log_path")),
            command=_command(data.get("command")),
            regressed=bool(data.get("regressed", False)),
            run_id=None if stored_run is None else _int(stored_run, f"{where}.run_id"),
            artifacts=tuple(_artifact(a, where) for a in data.get("artifacts") or ()),
        )

    def record(self) -> ResultRecord:
        """The input shape again (plus run_id), as the report model."""
        return ResultRecord(
            package=self.package,
            version=self.version,
            verdict=self.verdict,
            tag=self.tag,
            commit=self.commit,
            published_url=self.published_url,
            published_sha256=self.published_sha256,
            upload_time=self.upload_time,
            rebuilt_sha256=self.rebuilt_sha256,
            builder=self.builder,
            builder_image=self.builder_image,
            normalizations={n.name: n.record() for n in self.normalizations},
            differences=self.differences,
            explanations=self.explanations,
            error=self.error,
            started_at=self.started_at,
            finished_at=self.finished_at,
            duration_s=self.duration_s,
            report_path=self.report_path,
            diffoscope_html=self.diffoscope_html,
            log_path=self.log_path,
            command=self.command,
            regressed=self.regressed,
            run_id=self.run_id,
            artifacts=self.artifacts,
        )

    def to_dict(self) -> dict[str, Any]:
        """The input shape again (plus run_id): JSON-serialisable."""
        data: dict[str, Any] = to_data(self.record())
        return data


@dataclass(frozen=True)
class Run:
    id: int
    started_at: str | None = None
    finished_at: str | None = None
    config: str | None = None
    # Optional, when the scheduler hands them over:
    status: str | None = None  # e.g. "finished", "interrupted"
    skipped: tuple[Skipped, ...] = ()
    problems: tuple[Problem, ...] = ()

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Run:
        if not isinstance(data, Mapping) or "id" not in data:
            raise ValueError("run must be a mapping with an 'id'")
        return cls(
            id=_int(data["id"], "run.id"),
            started_at=_text(data.get("started_at")),
            finished_at=_text(data.get("finished_at")),
            config=_text(data.get("config")),
            status=_text(data.get("status")),
            skipped=tuple(
                Skipped(_text(s.get("package")) or "", _text(s.get("version")) or "", _text(s.get("why")) or "")
                for s in data.get("skipped") or ()
            ),
            problems=tuple(
                Problem(_text(x.get("package")) or "", _text(x.get("error")) or "") for x in data.get("problems") or ()
            ),
        )

    def record(self) -> RunRecord:
        return RunRecord(self.id, self.started_at, self.finished_at, self.config, self.status, self.skipped, self.problems)

    def to_dict(self) -> dict[str, Any]:
        data: dict[str, Any] = to_data(self.record())
        return data


def _order_key(result: Result) -> tuple[int, str]:
    return (result.run_id if result.run_id is not None else -1, result.when or "")


@dataclass(frozen=True)
class History:
    """This run, its results, and every stored result of every run (newest first)."""

    run: Run
    results: tuple[Result, ...] = ()
    history: tuple[Result, ...] = field(default=())

    @classmethod
    def from_dicts(
        cls,
        run: Mapping[str, Any],
        results: Iterable[Mapping[str, Any]],
        history: Iterable[Mapping[str, Any]] = (),
    ) -> History:
        """Validate the plain-data contract. Raises ValueError naming the first bad field.

        `results` get this run's id. `history` may or may not already hold them: `timeline`
        merges the two either way.
        """
        parsed_run = Run.from_dict(run)
        return cls(
            run=parsed_run,
            results=tuple(Result.from_dict(r, run_id=parsed_run.id) for r in results),
            history=tuple(Result.from_dict(r) for r in history),
        )

    def timeline(self) -> tuple[Result, ...]:
        """Every result once, newest first: this run's results and the stored ones.

        A stored result of this run for the same release is replaced by the one in `results`.
        Newest means the higher run id, then the later finish (or start) time.
        """
        return self._timeline

    @cached_property
    def _timeline(self) -> tuple[Result, ...]:
        current = {(r.run_id, normalize_name(r.package), r.version) for r in self.results}
        merged: list[Result] = list(self.results)
        merged += [r for r in self.history if (r.run_id, normalize_name(r.package), r.version) not in current]
        return tuple(sorted(merged, key=_order_key, reverse=True))

    def by_package(self) -> dict[str, tuple[Result, ...]]:
        """Normalized package name -> its results, newest first."""
        return dict(self._by_package)

    @cached_property
    def _by_package(self) -> dict[str, tuple[Result, ...]]:
        grouped: dict[str, list[Result]] = {}
        for result in self.timeline():
            grouped.setdefault(normalize_name(result.package), []).append(result)
        return {name: tuple(results) for name, results in sorted(grouped.items())}

    def previous(self, result: Result) -> Result | None:
        """The latest result of the same package from an earlier run (any version)."""
        name = normalize_name(result.package)
        for other in self._by_package.get(name, ()):
            if other.run_id is not None and result.run_id is not None and other.run_id >= result.run_id:
                continue
            if other is not result:
                return other
        return None


def normalize_name(name: str) -> str:
    """PEP 503 normalization: the same project whatever its spelling (`Foo_Bar` is `foo-bar`)."""
    return re.sub(r"[-_.]+", "-", name).lower()


def count_verdicts(results: Sequence[Result]) -> dict[str, int]:
    counts: dict[str, int] = dict.fromkeys(VERDICTS, 0)
    for result in results:
        counts[result.verdict] += 1
    return counts
