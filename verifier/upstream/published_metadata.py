"""What a published sdist says about itself: its PKG-INFO, read from the archive (untrusted input).

The archive is read with the engine's own reader and limits (two passes: the first finds the
top-level ``PKG-INFO`` among the member names, the second captures only that member), and the
metadata is parsed with the standard library's email parser, as every packaging tool does.
"""

from __future__ import annotations

import email.parser
import email.policy
from email.message import Message
from pathlib import Path

from verifier.archive.interface import Limits, MemberKind
from verifier.archive.members import read_members
from verifier.archive.reader import ArchiveReader
from verifier.errors import ArchiveError

#: PKG-INFO is a few KB; a README inlined as the description can make it a few hundred.
MAX_PKG_INFO_BYTES = 4 << 20


def read_pkg_info(sdist: Path, limits: Limits | None = None) -> Message:
    """The parsed top-level PKG-INFO of ``sdist``; ArchiveError when it has none or it is too large."""
    index = _pkg_info_index(sdist, limits)
    captured = read_members(sdist, {index}, MAX_PKG_INFO_BYTES, limits).get(index, b"")
    text = captured.decode("utf-8", "replace")
    return email.parser.Parser(policy=email.policy.compat32).parsestr(text)


def _pkg_info_index(sdist: Path, limits: Limits | None) -> int:
    found: int | None = None
    for member in ArchiveReader(sdist, limits).members():
        parts = [part for part in member.name.split("/") if part not in ("", ".")]
        if len(parts) == 2 and parts[1] == "PKG-INFO" and member.kind is MemberKind.FILE:
            if member.size > MAX_PKG_INFO_BYTES:
                raise ArchiveError(f"{sdist.name}: PKG-INFO is {member.size} bytes (more than {MAX_PKG_INFO_BYTES})")
            found = member.index if found is None else found
    if found is None:
        raise ArchiveError(f"{sdist.name} has no top-level PKG-INFO: not an sdist")
    return found
