"""The command line's ways to name a release: NAME==VERSION, or --tag with --repo PATH_OR_URL.

`NAME==VERSION`: the published sdist's metadata names the repository (unless `--repo` does), which is
mirrored in the cache with the user's git. `--tag` alone: the repository is `--repo` (a path, or a
URL mirrored likewise), the current directory by default.
"""

from __future__ import annotations

from pathlib import Path

import click

from verifier.source.mirror import is_remote
from verifier.source.release import (
    parse_release,
)


def check_release_options(release: str | None, tag: str | None) -> None:
    """UsageError (exit 2) unless exactly one of NAME==VERSION and --tag is given."""
    if release is None and tag is None:
        raise click.UsageError("give the release as NAME==VERSION, or --tag TAG (in a checkout, or with --repo)")
    if release is not None and tag is not None:
        raise click.UsageError("NAME==VERSION and --tag do not go together (the version is the tag)")
    if release is not None:
        parse_release(release)


def local_repo(repo: str | None) -> Path:
    """The local repository --repo names (the current directory when none, or when it is a URL)."""
    return Path(repo if repo is not None and not is_remote(repo) else ".").expanduser().resolve()
