"""Stage 6, explain: probable causes of what differs, checks of the published file, and for an
equivalent result the proof that only timestamps differ (the published ones transplanted)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from verifier.archive.interface import Limits, MemberKind
from verifier.archive.reader import ArchiveReader
from verifier.compare.interface import Comparison, Verdict
from verifier.errors import VerifierError
from verifier.recipe.interface import Fingerprints, Recipe
from verifier.report.model.verify import (
    Check,
    Explanation,
    Transplant,
    TransplantFailed,
    TransplantResult,
)
from verifier.verify.explain import check_mtime_window, explain
from verifier.verify.stages.compare import compare_with
from verifier.verify.stages.context import Run
from verifier.verify.stages.source import SourceStage
from verifier.verify.stages.upstream import UpstreamStage
from verifier.verify.windows import built_on_windows, crlf_tracked, what_stayed_different

ENCODING_ONLY = {"tar-header", "mode", "order", "tar-trailer"}
WIDER = {"tar-header": "tar-format", "tar-trailer": "tar-format", "mode": "mode", "order": "order"}
TIMES = ("mtime", "gzip-header")


@dataclass(frozen=True)
class ExplainStage:
    explanations: tuple[Explanation, ...]
    checks: tuple[Check, ...]
    transplant: Transplant | None


class Explainer:
    """Causes of a comparison's differences, against the tree at the tag (one build day per run)."""

    def __init__(self, source: SourceStage) -> None:
        self.source = source
        self.build_day = datetime.now(UTC).strftime("%Y-%m-%d")

    def explanations(self, comparison: Comparison) -> list[Explanation]:
        return explain(comparison, comparison.member_contents, self.source.tracked, self.source.project.subdir, self.build_day)

    def causes(self, comparison: Comparison) -> set[str]:
        return {explanation.cause for explanation in self.explanations(comparison)}

    def crlf_tracked(self, comparison: Comparison) -> list[str]:
        """Members from tracked files that only the published sdist has with CRLF (a Windows autocrlf checkout)."""
        return crlf_tracked(comparison, self.source.tracked, self.source.project.subdir)

    def crlf_tracked_in(self, attempts: Iterable[tuple[Recipe, Comparison]]) -> list[str]:
        """`crlf_tracked` of every attempt: the Windows checkout's signs show before it is emulated."""
        return sorted({path for _, comparison in attempts for path in self.crlf_tracked(comparison)})

    def windows_emulated(self, attempts: Iterable[tuple[Recipe, Comparison]]) -> dict[str, str]:
        """What stayed different in the closest attempt of each Windows release machine a rebuild emulated."""
        from verifier.recipe.candidates import score

        closest: dict[str, Comparison] = {}
        for recipe, comparison in attempts:
            if recipe.windows and (recipe.windows not in closest or score(comparison) > score(closest[recipe.windows])):
                closest[recipe.windows] = comparison
        return {name: what_stayed_different(comparison, self.causes(comparison))
                for name, comparison in closest.items() if comparison.verdict is Verdict.DIFFERENT}


def other_commit(repo: Path, tag_commit: str, published: Path, subdir: str) -> Explanation | None:
    """The `other-commit` explanation, when a commit near the tag matches the published files better."""
    from verifier.audit.commits import nearest_commit

    files = {}
    for member in ArchiveReader(published, Limits(), want_blob_sha1=True).members():
        if member.kind is MemberKind.FILE and member.git_blob_sha1 is not None:
            parts = [part for part in member.name.split("/") if part not in ("", ".")]
            files["/".join(parts[1:])] = member.git_blob_sha1.hex()
    try:
        match = nearest_commit(repo, tag_commit, files, subdir, before=30, after=30, deadline_s=20)
    except VerifierError:
        return None
    if match is None:
        return None
    side = "before" if match.distance < 0 else "after"
    how = "exactly" if match.exact else f"best ({match.matched} of {match.total} files)"
    differing = match.files_differing_from_tag
    return Explanation(
        path="",
        cause="other-commit",
        message=f"the published files match commit {match.commit[:12]} ({abs(match.distance)} commit(s) {side} the tag) "
        f"{how}: the release was made from another commit than the tag"
        + (f"; it differs from the tag in {', '.join(differing[:5])}" if differing else ""),
        evidence=match.as_dict(),
    )


def what_stays_different(run: Run, comparison: Comparison, published: Path, rebuilt: Path) -> Check:
    """Only the encoding differs: the verdict under the normalizations that would even it out."""
    wider = sorted(set(run.request.normalizations) | {WIDER[d.kind] for d in comparison.differences})
    again = compare_with(published, rebuilt, wider, run.workdir / "compare-wider")
    option = ",".join(wider)
    return Check(
        name="what-stays-different",
        ok=again.reproducible,
        message=(
            f"only the encoding differs: with --normalize {option} the verdict would be {again.verdict.value}"
            if again.reproducible else f"with --normalize {option} it would still be {again.verdict.value}"
        ),
        evidence={"normalizations": wider, "verdict": again.verdict.value},
    )


def transplant(published: Path, rebuilt: Path, out: Path) -> Transplant:
    """The proof beyond "equivalent": the rebuild, given the published timestamps, is the published file."""
    from verifier.pants.transplant import transplant_timestamps

    try:
        found = transplant_timestamps(published, rebuilt, out)
    except VerifierError as exc:
        return TransplantFailed(identical=False, reason=str(exc))
    return TransplantResult(
        identical=found.identical,
        transplanted_sha256=found.transplanted_sha256,
        published_sha256=found.published_sha256,
        reason=found.reason,
        differing_members=tuple(found.differing_members[:20]),
    )


def _only_times_differ(comparison: Comparison) -> bool:
    """Only mtimes and the gzip header were evened out (nothing else differed before normalizing)."""
    return all(effect.pairs == 0 for effect in comparison.effects if effect.name not in TIMES)


def explain_result(
    run: Run, explainer: Explainer, upstream: UpstreamStage, fingerprints: Fingerprints, comparison: Comparison, rebuilt: Path,
    emulated: dict[str, str] | None = None, tracked_crlf: list[str] | None = None,
) -> ExplainStage:
    """`emulated`: what stayed different with each Windows release machine a rebuild emulated;
    `tracked_crlf`: members of tracked LF files published with CRLF, in any attempt."""
    source = explainer.source
    explanations = explainer.explanations(comparison)
    checks = [check_mtime_window(fingerprints.file_mtimes, source.tag.commit_time, upstream.upload_time)]
    kinds = {difference.kind for difference in comparison.differences}
    found: Transplant | None = None
    if comparison.verdict is Verdict.DIFFERENT and kinds & {"content", "size", "only-in-reference"}:
        with run.phase("compare", "looking for a nearby commit the published files match better"):
            other = other_commit(run.request.repo, source.tag.commit, upstream.path, source.project.subdir)
        if other is not None:
            explanations.append(other)
    if comparison.verdict is Verdict.DIFFERENT:
        tracked_crlf = explainer.crlf_tracked(comparison) if tracked_crlf is None else tracked_crlf
        windows = built_on_windows(explanations, fingerprints, upstream.path, emulated, tracked_crlf)
        if windows is not None:
            explanations.append(windows)
    if comparison.verdict is Verdict.DIFFERENT and kinds <= ENCODING_ONLY and not run.request.strict:
        checks.append(what_stays_different(run, comparison, upstream.path, rebuilt))
    if comparison.verdict is Verdict.EQUIVALENT and _only_times_differ(comparison):
        with run.phase("compare", "transplanting the published timestamps onto the rebuild"):
            found = transplant(upstream.path, rebuilt, run.workdir / "transplanted.tar.gz")
    return ExplainStage(tuple(explanations), tuple(checks), found)
