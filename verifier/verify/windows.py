"""`built-on-windows`: the published sdist was made on Windows.

One explanation gathering the signs a Windows build leaves (measured on poetry-core 1.0.7, built by
a Windows job among one job per OS; sniffio 1.3.1, tabulate 0.9.0): text files with CRLF line ends
where the tag has LF (git's autocrlf checkout), a CRLF PKG-INFO, every file world-writable (666/777:
Windows has no umask), backslashes in member names. Given when the verdict stays `different` and at
least one sign shows; it says which Windows release machine the rebuild emulated (`--windows`) and
what stayed different then, or that none was tried. The other differences keep their own
explanations. `crlf_tracked` tells `--search` which checkout the Windows machine had.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from pathlib import Path

from verifier.archive.interface import Limits, MemberKind
from verifier.archive.reader import ArchiveReader
from verifier.compare.interface import Comparison
from verifier.errors import VerifierError
from verifier.recipe.interface import Fingerprints
from verifier.report.model.verify import Explanation
from verifier.verify.explain import tracked_match

CAUSE = "built-on-windows"
# Files a backend itself rewrites in text mode (setuptools' sdist: setup.cfg's egg_info section, and
# the PKG-INFO files): CRLF there comes from the Windows text mode, not from the checkout.
REWRITTEN_BY_BACKEND = ("setup.cfg", "PKG-INFO")


def crlf_tracked(comparison: Comparison, tracked: Iterable[str] | Mapping[str, str], subdir: str) -> list[str]:
    """Members from files tracked at the tag, LF there and in the rebuild, that have CRLF line ends in
    the published sdist (and differ in nothing else): the Windows machine's checkout was git's autocrlf one."""
    paths = set(tracked)
    found = []
    for difference in comparison.differences:
        if difference.kind not in ("content", "size"):
            continue
        published, rebuilt = comparison.member_contents.get(difference.path, (None, None))
        if published is None or rebuilt is None or b"\r\n" not in published or b"\r\n" in rebuilt:
            continue
        key = "/".join([part for part in difference.path.split("/") if part not in ("", ".")][1:])
        if key.rsplit("/", 1)[-1] in REWRITTEN_BY_BACKEND or ".egg-info/" in difference.path:
            continue
        if published.replace(b"\r\n", b"\n") == rebuilt and tracked_match(key, subdir, paths) is not None:
            found.append(difference.path)
    return found


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


def built_on_windows(
    explanations: list[Explanation], fingerprints: Fingerprints, published: Path, emulated: dict[str, str] | None = None,
    tracked_crlf: Iterable[str] = (),
) -> Explanation | None:
    """The `built-on-windows` explanation, when the published file shows the signs. `emulated`: each
    Windows release machine a rebuild emulated (`--windows` value) and what stayed different with it;
    `tracked_crlf`: members of tracked LF files published with CRLF (`crlf_tracked`, in any attempt)."""
    crlf, examples = _crlf_members(explanations)
    signs = [item["why"] for item in fingerprints.evidence if item.get("name") == "windows"]
    backslashes = _backslash_names(published)
    tracked_crlf = list(tracked_crlf)
    if crlf:
        signs.append(f"{crlf} text member(s) have CRLF line ends where the tag has LF (e.g. {', '.join(examples[:3])})")
    elif tracked_crlf:  # shown by an earlier attempt (the emulated checkout has them too)
        signs.append(f"{len(tracked_crlf)} file(s) tracked with LF at the tag are published with CRLF (e.g. {', '.join(tracked_crlf[:3])})")
    if backslashes:
        signs.append(f"member names with backslashes as path separators (e.g. {backslashes[0]})")
    if not signs:
        return None
    emulated = emulated or {}
    if emulated:
        tried = "; ".join(f"emulating a Windows release machine (--windows {name}) it still differs: {left}" for name, left in emulated.items())
        message = f"the published sdist was built on Windows ({'; '.join(signs)}); {tried}"
    else:
        choice = "crlf-checkout" if tracked_crlf else "lf-checkout"
        message = (f"the published sdist was built on Windows ({'; '.join(signs)}); no Windows release machine was emulated: "
                   f"--search tries one (--windows {choice}, pypa-build)")
    return Explanation(
        path="",
        cause=CAUSE,
        message=message,
        evidence={"crlf_members": crlf, "crlf_examples": examples, "backslash_names": backslashes, "signs": signs,
                  "emulated": dict(emulated)},
    )


def what_stayed_different(comparison: Comparison, causes: Iterable[str]) -> str:
    """A line on a comparison's differences: how many, of which kinds and causes, a few paths."""
    differences = comparison.differences
    count = len(differences) + comparison.differences_not_listed
    kinds = sorted({difference.kind for difference in differences})
    shown = ", ".join(list(dict.fromkeys(difference.path for difference in differences if difference.path))[:3])
    named = sorted(set(causes) - {CAUSE})
    kept_lf = [path for path, (published, rebuilt) in comparison.member_contents.items()
               if published is not None and rebuilt is not None and b"\r\n" in rebuilt and b"\r\n" not in published
               and rebuilt.replace(b"\r\n", b"\n") == published]
    return (f"{count} difference(s) ({', '.join(kinds)})" + (f", e.g. {shown}" if shown else "")
            + (f"; causes: {', '.join(named)}" if named else "")
            + (f"; {len(kept_lf)} member(s) are LF in the published sdist where the autocrlf checkout has CRLF "
               f"(e.g. {', '.join(sorted(kept_lf)[:3])}): written on the release machine after its checkout "
               "(a version bump, an edit), which git does not convert again" if kept_lf else ""))
