"""The part of the user's git configuration that a verification honours, and the URL rewriting it does.

A user's git configuration can say two kinds of things. Where from and as whom to fetch: mirrors
(``url.<base>.insteadOf``), credential helpers, HTTP proxies and CA files, which protocols may be
used. And how files look once checked out: ``core.autocrlf``, ``core.eol``, ``core.symlinks``,
filters (``filter.<driver>.smudge``, Git LFS), ``core.fsmonitor`` and the like. The first kind is
honoured, so that a repository can be cloned behind a mirror or with credentials exactly as the
user's own ``git clone`` would; the second kind never is, because it would make the checkout
differ from the tagged tree. Every rewriting that applied to a URL is recorded in the report.
"""

from __future__ import annotations

import os
import re
import subprocess
from dataclasses import dataclass
from functools import cache

#: Keys (git lower-cases section and variable names) that only decide where from and as whom.
_HONOURED = re.compile(
    r"^(url\..+\.(insteadof|pushinsteadof)"
    r"|credential(\..+)?\.(helper|username|usehttppath)"
    r"|http(\..+)?\.(proxy|proxyauthmethod|sslcainfo|sslcapath|sslverify|extraheader|cookiefile|sslcert|sslkey)"
    r"|protocol(\..+)?\.allow"
    r"|core\.sshcommand)$"
)
_QUERY_TIMEOUT_S = 10.0


@dataclass(frozen=True)
class Rewrite:
    """One ``url.<base>.insteadOf`` rule that changed a URL."""

    original: str
    rewritten: str
    rule: str  # "url.<base>.insteadOf <prefix>"


@cache
def fetch_settings() -> tuple[tuple[str, str], ...]:
    """The user's (system and global) git settings that decide where from and as whom git fetches.

    Read once per process with the user's own environment, exactly as their ``git`` would read them
    (includes followed). A missing git or an unreadable configuration gives no settings.
    """
    env = {key: value for key, value in os.environ.items() if not key.startswith("GIT_") or _USER_LOCATION.match(key)}
    try:
        completed = subprocess.run(
            ["git", "config", "--includes", "--null", "--get-regexp", "."],
            cwd="/",
            env=env,
            stdin=subprocess.DEVNULL,
            capture_output=True,
            timeout=_QUERY_TIMEOUT_S,
            check=False,
        )
    except (OSError, subprocess.SubprocessError):
        return ()
    if completed.returncode not in (0, 1):  # 1: no entry at all
        return ()
    return tuple(_parse(completed.stdout))


#: Variables that say where the user's own configuration lives or add to it (kept when reading it).
_USER_LOCATION = re.compile(r"^GIT_CONFIG_(GLOBAL|SYSTEM|NOSYSTEM|COUNT|KEY_[0-9]+|VALUE_[0-9]+)$")


def _parse(output: bytes) -> list[tuple[str, str]]:
    settings: list[tuple[str, str]] = []
    for entry in output.split(b"\0"):
        if not entry:
            continue
        key, _, value = entry.decode("utf-8", "surrogateescape").partition("\n")
        if _HONOURED.match(key.lower()):
            settings.append((key, value))
    return settings


def rewrite(url: str, settings: tuple[tuple[str, str], ...] | None = None) -> Rewrite | None:
    """What git's ``insteadOf`` rules make of ``url`` (the longest matching prefix wins, as in git)."""
    best: tuple[str, str] | None = None
    for key, prefix in settings if settings is not None else fetch_settings():
        lowered = key.lower()
        if not (lowered.startswith("url.") and lowered.endswith(".insteadof")):
            continue
        base = key[len("url.") : -len(".insteadof")]
        if url.startswith(prefix) and (best is None or len(prefix) > len(best[1])):
            best = (base, prefix)
    if best is None:
        return None
    base, prefix = best
    return Rewrite(url, base + url[len(prefix) :], f"url.{base}.insteadOf {prefix}")
