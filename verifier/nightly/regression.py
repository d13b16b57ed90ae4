"""Regressions: a release, or one file of it, that is different now while it was reproducible before.

A whole release regresses when it is different now and it was reproducible in an earlier result, or
the newest older release's last result was. Each file of it (the sdist, each wheel) regresses on the
same rule, compared with the same kind of file: the sdist with the sdist, a wheel with the wheel of the
same tags (`py3-none-any`) of this release or of the release before it. A result stored before wheels
were verified stands for its sdist alone. A regressed file makes the whole release regressed: a wheel
that was identical last night and is different now is a regression like an sdist.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from packaging.version import InvalidVersion, Version

from verifier.report.artifacts import wheel_tags
from verifier.report.model.nightly import NightlyRecord
from verifier.report.model.serialize import from_data
from verifier.report.model.verdict import Verdict
from verifier.store.db import REPRODUCIBLE, Store

# (version, verdict, artifacts) of one stored result, as Store.artifact_verdicts gives them.
Stored = tuple[str, str, list[dict[str, Any]]]


def _older(version: str, other: str) -> bool:
    try:
        return Version(other) < Version(version)
    except InvalidVersion:
        return False


def regressed(store: Store, record: NightlyRecord | Mapping[str, Any]) -> bool:
    """Not reproducible now, while this release was before, or the release before it is."""
    if not isinstance(record, NightlyRecord):
        record = from_data(NightlyRecord, {key: value for key, value in record.items() if not key.endswith("_gz")})
    if record.verdict != Verdict.DIFFERENT:
        return False
    verdicts = store.verdicts(record.package)
    if any(v in REPRODUCIBLE for v in verdicts.get(record.version, [])):
        return True
    older = [v for v in verdicts if _older(record.version, v) and verdicts[v]]
    if not older:
        return False
    newest_older = max(older, key=Version)
    return verdicts[newest_older][-1] in REPRODUCIBLE


def kind_key(artifact: Mapping[str, Any]) -> str:
    """What makes two files of two results the same file: "sdist", or a wheel's tags ("wheel:py3-none-any")."""
    if artifact.get("kind") != "wheel":
        return "sdist"
    return "wheel:" + wheel_tags(str(artifact.get("filename") or ""))


def _files(stored: Stored) -> list[dict[str, Any]]:
    _, verdict, artifacts = stored
    return artifacts or [{"kind": "sdist", "verdict": verdict}]


def _was_reproducible(history: Sequence[Stored], version: str, key: str) -> bool:
    """The same file of this release was reproducible in an earlier result, or the same file of the
    newest older release that has one was, in its last result."""
    same = [a for stored in history if stored[0] == version for a in _files(stored) if kind_key(a) == key]
    if any(a.get("verdict") in REPRODUCIBLE for a in same):
        return True
    older = [(stored[0], a) for stored in history if _older(version, stored[0]) for a in _files(stored) if kind_key(a) == key]
    if not older:
        return False
    newest = max((v for v, _ in older), key=Version)
    return [a for v, a in older if v == newest][-1].get("verdict") in REPRODUCIBLE


def regressed_files(store: Store, package: str, version: str, artifacts: Sequence[Mapping[str, Any]]) -> set[str]:
    """The file names of the artifacts that are different now and were reproducible before."""
    different = [a for a in artifacts if a.get("verdict") == Verdict.DIFFERENT]
    if not different:
        return set()
    history = store.artifact_verdicts(package)
    return {str(a.get("filename")) for a in different if _was_reproducible(history, version, kind_key(a))}


def mark_regressions(store: Store, record: dict[str, Any]) -> None:
    """Set the record's `regressed`, and each of its artifacts' (call it before the record is stored)."""
    artifacts = [dict(a) for a in record.get("artifacts") or ()]
    files = regressed_files(store, str(record["package"]), str(record["version"]), artifacts)
    for artifact in artifacts:
        artifact["regressed"] = artifact.get("filename") in files
    if artifacts:
        record["artifacts"] = artifacts
    record["regressed"] = bool(files) or regressed(store, record)


def regressed_note(record: Mapping[str, Any]) -> str:
    """" (REGRESSED)" for a progress line, naming the files that regressed when it knows them."""
    if not record.get("regressed"):
        return ""
    files = [str(a.get("filename")) for a in record.get("artifacts") or () if a.get("regressed")]
    return f" (REGRESSED: {', '.join(files)})" if files else " (REGRESSED)"


__all__ = ["kind_key", "mark_regressions", "regressed", "regressed_files", "regressed_note"]
