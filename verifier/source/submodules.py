"""Checking out the git submodules of a tree at the commits the tree records, recursively.

For each submodule the candidates are tried in order: the source repository's own copy
(``<git dir>/modules/<name>``, or an old-style clone in its work tree), then the URL recorded in
``.gitmodules`` (relative URLs resolved as git does). The checkout is done by ``git submodule
update``, so the result is laid out exactly as git lays it out.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from verifier.source.gitcmd import Deadline, decode_path, run_git
from verifier.source.interface import SourceError, Submodule, SubmoduleError
from verifier.source.objects import list_tree

__all__ = ["GitmodulesEntry", "SubmoduleSource", "checkout_submodules", "resolve_submodule_url"]


@dataclass(frozen=True)
class SubmoduleSource:
    """Where a superproject's submodules may be found besides their recorded URLs.

    ``git_dir`` is the source superproject's git directory (its ``modules/`` holds submodule
    repositories), ``worktree`` its work tree, either None when the source is remote;
    ``url_base`` is what relative URLs in ``.gitmodules`` are relative to.
    """

    git_dir: Path | None
    worktree: Path | None
    url_base: str


@dataclass(frozen=True)
class GitmodulesEntry:
    """One ``[submodule "<name>"]`` section of ``.gitmodules`` with both a path and a URL."""

    name: str
    path: str
    url: str


def checkout_submodules(
    superproject: Path,
    commit: str,
    source: SubmoduleSource,
    *,
    env: Mapping[str, str],
    deadline: Deadline,
    prefix: str = "",
    progress: Callable[[str], None] | None = None,
) -> list[Submodule]:
    """Check out every submodule of ``commit`` in ``superproject``, recursively.

    ``prefix`` is the superproject's path in the top checkout, for the paths reported. Entries of
    ``.gitmodules`` with no submodule in the tree are stale and skipped; a submodule in the tree
    with no ``.gitmodules`` entry is left empty, as git leaves it. Raises SubmoduleError when a
    submodule cannot be fetched from any candidate.
    """
    gitlinks = {
        entry.path: entry.blob_sha1
        for entry in list_tree(superproject, commit)
        if entry.is_gitlink
    }
    if not gitlinks:
        return []
    checked_out: list[Submodule] = []
    for entry in read_gitmodules(superproject, commit, env=env):
        submodule_commit = gitlinks.get(entry.path)
        if submodule_commit is None:
            continue
        shown_path = prefix + entry.path
        if progress is not None:
            progress(f"submodule {shown_path} at {submodule_commit[:12]}")
        resolved_url = resolve_submodule_url(entry.url, source.url_base)
        fetched_from = _fetch_from_first_candidate(
            superproject, entry, submodule_commit, _candidates(entry, source, resolved_url),
            env=env, deadline=deadline, shown_path=shown_path,
        )
        checked_out.append(
            Submodule(entry.name, shown_path, entry.url, submodule_commit, fetched_from)
        )
        nested_source = SubmoduleSource(
            git_dir=_existing_dir(source.git_dir, "modules", entry.name),
            worktree=_existing_dir(source.worktree, entry.path),
            url_base=resolved_url,
        )
        checked_out.extend(
            checkout_submodules(
                superproject / entry.path, submodule_commit, nested_source,
                env=env, deadline=deadline, prefix=shown_path + "/", progress=progress,
            )
        )
    return checked_out


def read_gitmodules(repo: Path, commit: str, *, env: Mapping[str, str]) -> list[GitmodulesEntry]:
    """The sections of ``commit:.gitmodules`` that have both a path and a URL, in file order."""
    try:
        run_git(["cat-file", "-e", f"{commit}:.gitmodules"], cwd=repo, env=env, error=SourceError)
    except SourceError:  # no .gitmodules in this tree
        return []
    output = run_git(
        ["config", "--null", "--blob", f"{commit}:.gitmodules", "--list"],
        cwd=repo,
        env=env,
        error=SubmoduleError,
        what=f"reading .gitmodules of {commit[:12]}",
    )
    paths: dict[str, str] = {}
    urls: dict[str, str] = {}
    for record in output.split(b"\0"):
        key, _, value = decode_path(record).partition("\n")
        if not key.startswith("submodule."):
            continue
        name, _, variable = key.removeprefix("submodule.").rpartition(".")
        if variable == "path":
            paths.setdefault(name, value)
        elif variable == "url":
            urls.setdefault(name, value)
    return [
        GitmodulesEntry(name, _clean_path(path), urls[name])
        for name, path in paths.items()
        if name in urls and _is_safe_relative(path) and _is_safe_relative(name)
    ]


def resolve_submodule_url(url: str, base: str) -> str:
    """``url`` from ``.gitmodules`` made absolute against ``base``, as git resolves ``./``, ``../``.

    Absolute URLs and paths are returned unchanged. Each ``../`` drops one component of ``base``
    (separated by ``/``, or by ``:`` in an scp-like ``host:path``).
    """
    if not url.startswith(("./", "../")):
        return url
    base = base.rstrip("/")
    rest = url
    while True:
        if rest.startswith("./"):
            rest = rest[2:]
        elif rest.startswith("../"):
            rest = rest[3:]
            cut = max(base.rfind("/"), base.rfind(":"))
            if cut < 0:
                base = "."
            elif base[cut] == ":":
                base = base[: cut + 1]
            else:
                base = base[:cut]
        else:
            break
    joiner = "" if base.endswith(":") else "/"
    return f"{base}{joiner}{rest}"


def _candidates(entry: GitmodulesEntry, source: SubmoduleSource, resolved_url: str) -> list[str]:
    """Where to fetch a submodule from, local copies first, without duplicates."""
    candidates: list[str] = []
    local_module = _existing_dir(source.git_dir, "modules", entry.name)
    if local_module is not None:
        candidates.append(str(local_module))
    old_style = _existing_dir(source.worktree, entry.path, ".git")
    if old_style is not None:
        candidates.append(str(old_style.parent))
    candidates.append(resolved_url)
    return list(dict.fromkeys(candidates))


def _fetch_from_first_candidate(
    superproject: Path,
    entry: GitmodulesEntry,
    commit: str,
    candidates: list[str],
    *,
    env: Mapping[str, str],
    deadline: Deadline,
    shown_path: str,
) -> str:
    """Check the submodule out from the first candidate that works; return that candidate."""
    modules_dir = _git_dir(superproject, env) / "modules" / entry.name
    failures: list[str] = []
    for candidate in candidates:
        if candidate.startswith("-"):
            failures.append(f"from {candidate}: refused, it looks like an option")
            continue
        try:
            _update_from(superproject, entry, candidate, env=env, deadline=deadline)
        except SubmoduleError as exc:
            failures.append(str(exc))
            _discard_attempt(superproject / entry.path, modules_dir)
            continue
        return candidate
    raise SubmoduleError(
        f"submodule {entry.name!r} (path {shown_path}, commit {commit[:12]}) cannot be fetched "
        f"from {entry.url}; tried " + "; ".join(failures)
    )


def _update_from(
    superproject: Path,
    entry: GitmodulesEntry,
    url: str,
    *,
    env: Mapping[str, str],
    deadline: Deadline,
) -> None:
    """Point the submodule at ``url`` in ``.git/config`` and let git clone and check it out."""
    what = f"from {url}"
    for variable, value in (("url", url), ("active", "true")):
        run_git(
            ["config", "--", f"submodule.{entry.name}.{variable}", value],
            cwd=superproject, env=env, error=SubmoduleError, what=what,
        )
    run_git(
        [
            "-c", "protocol.file.allow=always",
            "submodule", "--quiet", "update", "--checkout", "--no-recommend-shallow",
            "--", entry.path,
        ],
        cwd=superproject,
        env=env,
        timeout=deadline.remaining(what, SubmoduleError),
        error=SubmoduleError,
        what=what,
    )


def _discard_attempt(worktree: Path, modules_dir: Path) -> None:
    """Remove what a failed attempt left, keeping the (empty) submodule directory."""
    shutil.rmtree(modules_dir, ignore_errors=True)
    if worktree.is_dir() and not worktree.is_symlink():
        for child in worktree.iterdir():
            if child.is_dir() and not child.is_symlink():
                shutil.rmtree(child, ignore_errors=True)
            else:
                child.unlink(missing_ok=True)


def _git_dir(repo: Path, env: Mapping[str, str]) -> Path:
    output = run_git(
        ["rev-parse", "--absolute-git-dir"], cwd=repo, env=env, error=SubmoduleError
    )
    return Path(decode_path(output.rstrip(b"\n")))


def _existing_dir(base: Path | None, *parts: str) -> Path | None:
    if base is None or not all(_is_safe_relative(part) for part in parts):
        return None
    candidate = base.joinpath(*parts)
    return candidate if candidate.is_dir() else None


def _clean_path(path: str) -> str:
    return str(PurePosixPath(path))


def _is_safe_relative(path: str) -> bool:
    """A relative path that stays inside its base (``.gitmodules`` is untrusted input)."""
    pure = PurePosixPath(path)
    return bool(path) and not pure.is_absolute() and ".." not in pure.parts and "\0" not in path
