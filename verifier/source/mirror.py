"""Bare mirrors of remote repositories in the cache, made and refreshed with the user's ``git``.

A URL is cloned once (``git clone --mirror``, into a temporary directory renamed into place, so an
interrupted clone never leaves a half mirror) and fetched again on later use. git runs with the
verifier's fixed environment plus the user's fetch settings (mirrors via ``insteadOf``, credential
helpers: :mod:`verifier.source.gitconfig`).
"""

from __future__ import annotations

import hashlib
import re
import shutil
import tempfile
from pathlib import Path

from verifier.errors import FetchError
from verifier.source.gitcmd import git_env, run_git

CLONE_TIMEOUT_S = 1800.0
FETCH_TIMEOUT_S = 900.0


def is_remote(repo: str) -> bool:
    """Whether ``repo`` is a URL (or scp-like ``user@host:path``) rather than a local path."""
    return "://" in repo or re.match(r"^[A-Za-z0-9._-]+@[^:/]+:", repo) is not None


def mirror_path(url: str, cache_dir: Path) -> Path:
    name = re.sub(r"[^A-Za-z0-9._-]", "_", url.rstrip("/").rsplit("/", 1)[-1].removesuffix(".git"))[:40]
    return cache_dir / "repos" / f"{hashlib.sha256(url.encode()).hexdigest()[:24]}-{name}.git"


def mirror(url: str, cache_dir: Path) -> Path:
    """A local bare mirror of ``url``, up to date; FetchError (could not verify) when git fails."""
    target = mirror_path(url, cache_dir)
    env = git_env()
    if target.exists():
        run_git(["fetch", "--quiet", "--prune", "--tags", "origin"], cwd=target, env=env,
                timeout=FETCH_TIMEOUT_S, error=FetchError, what=f"fetching {url}")
        return target
    target.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=".clone-", dir=target.parent))
    try:
        run_git(["clone", "--quiet", "--mirror", url, str(staging / "repo.git")], cwd=target.parent, env=env,
                timeout=CLONE_TIMEOUT_S, error=FetchError, what=f"cloning {url}")
        (staging / "repo.git").rename(target)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return target
