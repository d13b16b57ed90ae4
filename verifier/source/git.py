"""A clean checkout of a tagged commit, as a release build should see it.

``clean_checkout`` makes a new repository, fetches the one tag (with the history behind it and the
tags pointing into that history), and checks the commit out with HEAD detached: no untracked or
ignored file of the source work tree can leak in, and ``git describe --tags`` gives the tag, which
is what setuptools-scm and hatch-vcs read. The source repository may be bare, shallow, or have a
default branch that cannot be checked out, since only the tag is used.

This module also re-exports the other git helpers of the stage (commit times, tracked files)
so that callers find them in one place.
"""

from __future__ import annotations

import os
import re
import shutil
import stat
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from verifier.source.gitcmd import (
    Deadline,
    decode_path,
    git_env,
    run_git,
    source_repo_env,
)
from verifier.source.interface import Checkout, ResolvedTag, SourceError
from verifier.source.objects import commit_time, tracked_files
from verifier.source.submodules import SubmoduleSource, checkout_submodules
from verifier.source.tags import TAG_REF_PREFIX, list_tags

__all__ = [
    "DEFAULT_CLONE_TIMEOUT",
    "clean_checkout",
    "commit_time",
    "tracked_files",
]

#: Default time budget of a whole checkout (fetch, checkout, submodules), in seconds.
DEFAULT_CLONE_TIMEOUT = 600.0

# "scheme://..." or scp-like "host:path" (no slash before the colon); local paths are tested first.
_URL = re.compile(r"^(?:[A-Za-z][A-Za-z0-9+.-]*://|[^/:]+:)")


@dataclass(frozen=True)
class _Origin:
    """The repository a checkout is made from: what to hand ``git fetch``, and local copies."""

    location: str
    submodule_source: SubmoduleSource


def clean_checkout(
    repo: Path | str,
    tag: ResolvedTag,
    dest: Path,
    timeout: float = DEFAULT_CLONE_TIMEOUT,
    *,
    home: Path | None = None,
    progress: Callable[[str], None] | None = None,
    shallow: bool = False,
) -> Checkout:
    """Clone ``tag.commit`` of ``repo`` (a path or a URL) into ``dest``, submodules included.

    With ``shallow``, only the tagged commit is fetched (its tree, without history).
    ``dest`` must not exist or be an empty directory; on failure it is removed (emptied when it
    existed). ``timeout`` bounds the whole operation. ``home`` is ``$HOME`` for git (ssh keys),
    the caller's by default; user and system git configuration are ignored. Raises SourceError
    when the repository or tag cannot be used, SubmoduleError when a submodule cannot be fetched.
    """
    deadline = Deadline(timeout)
    dest = Path(dest).absolute()
    existed = _prepare_destination(dest)
    try:
        origin = _origin(repo, home)
        env = git_env(home)
        if progress is not None:
            progress(f"fetching tag {tag.name} from {origin.location}")
        _init_and_fetch(dest, origin.location, tag, env=env, deadline=deadline, shallow=shallow)
        _keep_only_our_tag_at_commit(dest, tag, env=env)
        run_git(
            ["-c", "advice.detachedHead=false", "checkout", "--quiet", "--detach",
             "--no-recurse-submodules", tag.commit, "--"],
            cwd=dest, env=env, timeout=deadline.remaining("checkout"),
            what=f"checking out {tag.commit[:12]}",
        )
        submodules = checkout_submodules(
            dest, tag.commit, origin.submodule_source, env=env, deadline=deadline, progress=progress
        )
        own_readable_copies(dest / ".git")
    except BaseException:
        _discard(dest, existed)
        raise
    return Checkout(path=dest, commit=tag.commit, tag=tag, submodules=tuple(submodules))


def own_readable_copies(git_dir: Path) -> None:
    """Give the checkout's git directory its own readable files: git hard-links the objects of a
    local clone (a submodule cloned from a mirror on this machine), and a mirror's 0600 pack files
    (`.promisor`, `.keep`) would be unreadable to the build container's user. A linked or unreadable
    file is replaced by a copy (the mirror's own file is never touched), then made readable."""
    for root, _dirs, files in os.walk(git_dir):
        for name in files:
            path = Path(root) / name
            info = path.lstat()
            if not stat.S_ISREG(info.st_mode) or (info.st_nlink == 1 and info.st_mode & 0o444 == 0o444):
                continue
            if info.st_nlink > 1:
                copy = path.with_name(f".{name}.verifier-copy")
                shutil.copyfile(path, copy)
                os.replace(copy, path)
            os.chmod(path, stat.S_IMODE(info.st_mode) | 0o444)


def _init_and_fetch(
    dest: Path, location: str, tag: ResolvedTag, *, env: dict[str, str], deadline: Deadline, shallow: bool = False
) -> None:
    """A new repository in ``dest`` holding the tag, its history and the tags pointing into it."""
    run_git(["init", "--quiet", "--", str(dest)], cwd=dest, env=env, what=f"git init {dest}")
    # No background maintenance may touch the checkout after we return.
    for key, value in (("gc.auto", "0"), ("maintenance.auto", "false"), ("core.autocrlf", "false")):
        run_git(["config", key, value], cwd=dest, env=env)
    ref = f"{TAG_REF_PREFIX}{tag.name}"
    fetch = ["fetch", "--quiet", "--update-shallow", "--no-recurse-submodules", "--no-write-fetch-head"]
    if shallow:  # the tagged commit alone: enough to read its tree (the audit)
        fetch.append("--depth=1")
    try:
        run_git(
            [*fetch, location, f"+{ref}:{ref}"],
            cwd=dest, env=env, timeout=deadline.remaining(f"fetching {tag.name}"),
            what=f"fetching tag {tag.name} from {location}",
        )
    except SourceError as full_history_failed:
        # A partial copy (a snapshot missing objects of older history) cannot send the whole
        # history; the tagged commit alone is what the build needs (the tag still names it).
        try:
            run_git(
                [*fetch, "--depth=1", location, f"+{ref}:{ref}"],
                cwd=dest, env=env, timeout=deadline.remaining(f"fetching {tag.name}"),
                what=f"fetching tag {tag.name} (its commit only) from {location}",
            )
        except SourceError:
            raise full_history_failed from None
    fetched = run_git(
        ["rev-parse", "--verify", "--quiet", f"{ref}^{{commit}}"], cwd=dest, env=env,
        what=f"reading tag {tag.name}",
    ).decode("ascii").strip()
    if fetched != tag.commit:
        raise SourceError(
            f"tag {tag.name} names commit {fetched} in {location}, not {tag.commit} as resolved"
        )


def _keep_only_our_tag_at_commit(dest: Path, tag: ResolvedTag, *, env: dict[str, str]) -> None:
    """Delete the other tags naming the same commit, so that ``git describe`` gives ours."""
    for other in list_tags(dest):
        if other.commit == tag.commit and other.name != tag.name:
            run_git(
                ["update-ref", "-d", f"{TAG_REF_PREFIX}{other.name}"], cwd=dest, env=env,
                what=f"removing tag {other.name}",
            )


def _origin(repo: Path | str, home: Path | None) -> _Origin:
    """Tell a local repository from a URL, and find a local one's git dir and work tree."""
    text = str(repo)
    local = isinstance(repo, Path) or os.path.exists(text) or not _URL.match(text)
    if not local:
        if text.startswith("-"):
            raise SourceError(f"not a repository URL: {text!r}")
        return _Origin(text, SubmoduleSource(git_dir=None, worktree=None, url_base=text))
    path = Path(text).absolute()
    if not path.is_dir():
        raise SourceError(f"not a git repository: {path} is not a directory")
    env = source_repo_env(path, home)
    git_dir = Path(decode_path(run_git(
        ["rev-parse", "--absolute-git-dir"], cwd=path, env=env,
        what=f"not a git repository: {path}",
    ).rstrip(b"\n")))
    bare = run_git(["rev-parse", "--is-bare-repository"], cwd=path, env=env).strip() == b"true"
    try:
        origin_url = decode_path(run_git(
            ["config", "--get", "remote.origin.url"], cwd=path, env=env
        ).rstrip(b"\n"))
    except SourceError:  # no remote: relative submodule URLs are relative to the repository
        origin_url = str(path)
    worktree = None if bare else path
    return _Origin(str(path), SubmoduleSource(git_dir, worktree, origin_url or str(path)))


def _prepare_destination(dest: Path) -> bool:
    """Make sure ``dest`` is a new or empty directory; return whether it existed."""
    if dest.is_symlink() or (dest.exists() and not dest.is_dir()):
        raise SourceError(f"checkout destination {dest} exists and is not a directory")
    if dest.is_dir():
        if any(dest.iterdir()):
            raise SourceError(f"checkout destination {dest} is not empty")
        return True
    try:
        dest.mkdir(parents=True)
    except OSError as exc:
        raise SourceError(f"cannot create checkout destination {dest}: {exc}") from exc
    return False


def _discard(dest: Path, existed: bool) -> None:
    """Remove a failed checkout: the directory if we made it, else its contents."""
    if not existed:
        shutil.rmtree(dest, ignore_errors=True)
        return
    for child in dest.iterdir():
        if child.is_dir() and not child.is_symlink():
            shutil.rmtree(child, ignore_errors=True)
        else:
            child.unlink(missing_ok=True)
