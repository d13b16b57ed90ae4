"""Each file of a verified release (`VerifyReport.artifacts`) as the Markdown and nightly outputs show it:
one row per file (the sdist first), its verdict or why it was not verified, what it was rebuilt from."""

from __future__ import annotations

from verifier.report.model.verify import Artifact, VerifyReport

NOT_VERIFIED = "not verified"


def label(artifact: Artifact) -> str:
    """The artifact's verdict, or "not verified" (a platform wheel), or "not verified: error"."""
    if artifact.verdict is not None:
        return artifact.verdict.value
    return NOT_VERIFIED


def wheel_tags(filename: str) -> str:
    """A wheel's compatibility tags ("py3-none-any"): what makes it the same file in two releases."""
    stem = filename[: -len(".whl")] if filename.endswith(".whl") else filename
    return "-".join(stem.split("-")[-3:])


def short(sha256: str | None) -> str:
    return sha256[:12] if sha256 else "-"


def why_not(artifact: Artifact) -> str:
    """Why a file has no verdict (empty when it has one)."""
    if artifact.verdict is not None:
        return ""
    return artifact.not_verified or artifact.error or "no reason given"


def verified(report: VerifyReport) -> tuple[Artifact, ...]:
    return tuple(a for a in report.artifacts if a.verdict is not None)


def count_line(report: VerifyReport) -> str:
    """e.g. "3 files: 2 verified (1 identical, 1 different), 1 not verified"."""
    done = verified(report)
    counts: dict[str, int] = {}
    for artifact in done:
        counts[label(artifact)] = counts.get(label(artifact), 0) + 1
    parts = ", ".join(f"{n} {verdict}" for verdict, n in counts.items())
    line = f"{len(report.artifacts)} file{'' if len(report.artifacts) == 1 else 's'}: {len(done)} verified"
    line += f" ({parts})" if parts else ""
    missing = len(report.artifacts) - len(done)
    return line + (f", {missing} not verified" if missing else "")

