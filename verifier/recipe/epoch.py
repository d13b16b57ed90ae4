"""SOURCE_DATE_EPOCH for a rebuild: the tag's commit time, inferred from the published file, unset, or given.

Many releases were published without SOURCE_DATE_EPOCH; backends then use fixed stamps (hatchling
1580601600, poetry-core 0) or the checkout's mtimes. `infer` reads the published archive: a stamp
shared by every file member (what a backend writes when SOURCE_DATE_EPOCH is set) wins, then the
gzip header's mtime, then the newest member mtime; a known fixed backend stamp means "unset".
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path

from verifier.archive.interface import Limits, MemberKind
from verifier.archive.reader import ArchiveReader
from verifier.errors import UsageError
from verifier.recipe.interface import EpochChoice

__all__ = ["CHOICES", "FIXED_BACKEND_STAMPS", "EpochChoice", "alternatives", "choose", "infer_from_archive", "parse_option"]

# Stamps backends write when SOURCE_DATE_EPOCH is unset.
FIXED_BACKEND_STAMPS = {
    1580601600: "hatchling's fixed stamp (2020-02-02)",
    0: "poetry-core's fixed stamp (0)",
    1451606400: "flit_core's fixed stamp (2016-01-01)",
    315532800: "the zip epoch (1980-01-01)",
}
CHOICES = ("tag", "infer", "unset")


def parse_option(text: str) -> str | int:
    """`--source-date-epoch`: a choice of `CHOICES`, or a number of seconds."""
    text = text.strip().lower()
    if text in CHOICES:
        return text
    try:
        value = int(text)
    except ValueError:
        raise UsageError(f"--source-date-epoch takes a number of seconds, 'tag', 'infer' or 'unset', not {text!r}") from None
    if value < 0:
        raise UsageError("--source-date-epoch must not be negative")
    return value


def infer_from_archive(path: Path, limits: Limits | None = None) -> EpochChoice:
    """The SOURCE_DATE_EPOCH the published archive shows (see the module's docstring for the order)."""
    reader = ArchiveReader(path, limits)
    mtimes = [int(member.mtime) for member in reader.members() if member.kind is MemberKind.FILE]
    container = reader.info.container
    gzip_mtime = container.gzip_members[0].mtime if container and container.gzip_members else 0
    if mtimes:
        stamp, count = Counter(mtimes).most_common(1)[0]
        if count == len(mtimes):
            if stamp in FIXED_BACKEND_STAMPS:
                return EpochChoice(None, "infer:fixed-stamp", f"every file has {FIXED_BACKEND_STAMPS[stamp]}: built without SOURCE_DATE_EPOCH")
            return EpochChoice(stamp, "infer:member-stamp", f"every file member has mtime {stamp}")
    if gzip_mtime and gzip_mtime not in FIXED_BACKEND_STAMPS:
        return EpochChoice(gzip_mtime, "infer:gzip-mtime", f"the gzip header's mtime {gzip_mtime}")
    if mtimes:
        newest = max(mtimes)
        return EpochChoice(newest, "infer:newest-member", f"the newest member mtime {newest}")
    return EpochChoice(None, "infer:nothing", "the published archive holds no time: building without SOURCE_DATE_EPOCH")


def choose(option: str | int, commit_time: int, published: Path) -> EpochChoice:
    """The SOURCE_DATE_EPOCH `option` (a parsed `--source-date-epoch`) stands for."""
    if isinstance(option, int):
        return EpochChoice(option, "given")
    if option == "tag":
        return EpochChoice(commit_time, "tag", "the tagged commit's committer time")
    if option == "unset":
        return EpochChoice(None, "unset", "built without SOURCE_DATE_EPOCH")
    return infer_from_archive(published)


def alternatives(first: EpochChoice, commit_time: int, published: Path) -> list[EpochChoice]:
    """The other choices `--search` tries after the first, without repeating a value."""
    tried = {first.value}
    found = []
    for option in CHOICES:
        choice = choose(option, commit_time, published)
        if choice.value not in tried:
            tried.add(choice.value)
            found.append(choice)
    return found
