"""`built-on-windows`: the published sdist was made on Windows, which no Linux recipe reproduces.

One explanation gathering the signs a Windows build leaves (measured on poetry-core 1.0.7, built by
a Windows job among one job per OS): text files with CRLF line ends where the tag has LF (git's
autocrlf checkout), a CRLF PKG-INFO, every file world-writable (666/777: Windows has no umask),
backslashes in member names. Given when the verdict stays `different` and at least one sign shows;
the other differences keep their own explanations.
"""

from __future__ import annotations

from pathlib import Path

from verifier.archive.interface import Limits, MemberKind
from verifier.archive.reader import ArchiveReader
from verifier.errors import VerifierError
from verifier.recipe.interface import Fingerprints
from verifier.report.model.verify import Explanation

CAUSE = "built-on-windows"


def _crlf_members(explanations: list[Explanation]) -> tuple[int, list[str]]:
    """How many members the `windows-line-endings` explanations name, and some of them."""
    count, examples = 0, []
    for explanation in explanations:
        if explanation.cause != "windows-line-endings":
            continue
        members = explanation.evidence.get("members")
        if isinstance(members, int):
            count += members
            examples += [str(path) for path in explanation.evidence.get("examples") or []]
        else:
            count += 1
            examples.append(explanation.path)
    return count, examples[:5]


def _backslash_names(published: Path) -> list[str]:
    try:
        names = [member.name for member in ArchiveReader(published, Limits()).members() if member.kind is MemberKind.FILE]
    except VerifierError:
        return []
    return [name for name in names if "\\" in name][:5]


def built_on_windows(explanations: list[Explanation], fingerprints: Fingerprints, published: Path) -> Explanation | None:
    """The `built-on-windows` explanation, when the published file shows the signs."""
    crlf, examples = _crlf_members(explanations)
    signs = [item["why"] for item in fingerprints.evidence if item.get("name") == "windows"]
    backslashes = _backslash_names(published)
    if crlf:
        signs.append(f"{crlf} text member(s) have CRLF line ends where the tag has LF (e.g. {', '.join(examples[:3])})")
    if backslashes:
        signs.append(f"member names with backslashes as path separators (e.g. {backslashes[0]})")
    if not signs:
        return None
    return Explanation(
        path="",
        cause=CAUSE,
        message="the published sdist was built on Windows, which no Linux recipe reproduces: " + "; ".join(signs),
        evidence={"crlf_members": crlf, "crlf_examples": examples, "backslash_names": backslashes, "signs": signs},
    )
