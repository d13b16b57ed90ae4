"""Reading commits and trees of a repository: commit times and the files a commit tracks."""

from __future__ import annotations

from pathlib import Path

from verifier.source.gitcmd import QUICK_TIMEOUT, decode_path, run_git, source_repo_env
from verifier.source.interface import Checkout, SourceError, TrackedFile

__all__ = ["commit_time", "tracked_files"]

# Listing a large tree (tens of thousands of files) can take longer than a quick command.
_LIST_TREE_TIMEOUT = 300.0


def commit_time(repo: Path, commit: str, *, timeout: float = QUICK_TIMEOUT) -> int:
    """The committer time of ``commit`` (or of the commit a tag names) in unix seconds."""
    repo = Path(repo)
    output = run_git(
        ["show", "-s", "--no-show-signature", "--format=%ct", f"{commit}^{{commit}}", "--"],
        cwd=repo,
        env=source_repo_env(repo),
        timeout=timeout,
        what=f"reading the time of commit {commit} in {repo}",
    )
    text = output.decode("ascii", "replace").strip()
    try:
        return int(text.splitlines()[-1])
    except (ValueError, IndexError) as exc:
        raise SourceError(f"cannot read the time of commit {commit} in {repo}: {text!r}") from exc


def tracked_files(
    checkout_or_repo: Checkout | Path, commit: str | None = None
) -> list[TrackedFile]:
    """Every entry of ``commit``'s tree, recursively, sorted by path; submodules as gitlinks.

    Given a :class:`Checkout`, ``commit`` defaults to the checkout's commit and the files of its
    checked-out submodules are listed too (their paths prefixed with the submodule's path), after
    the submodule's own gitlink entry. Given a repository path, ``commit`` is required and
    submodules are listed as their gitlink entry only.
    """
    if isinstance(checkout_or_repo, Checkout):
        checkout = checkout_or_repo
        entries = list_tree(checkout.path, commit or checkout.commit)
        if commit is None or commit == checkout.commit:
            for submodule in checkout.submodules:
                inner = list_tree(checkout.path / submodule.path, submodule.commit)
                entries.extend(_under(submodule.path, entry) for entry in inner)
        return sorted(entries, key=lambda entry: entry.path)
    if commit is None:
        raise SourceError("tracked_files: a commit is required when given a repository path")
    return sorted(list_tree(Path(checkout_or_repo), commit), key=lambda entry: entry.path)


def list_tree(repo: Path, commit: str) -> list[TrackedFile]:
    """``git ls-tree -r -l -z --full-tree commit`` in ``repo``, parsed."""
    output = run_git(
        ["ls-tree", "-r", "-l", "-z", "--full-tree", commit, "--"],
        cwd=repo,
        env=source_repo_env(repo),
        timeout=_LIST_TREE_TIMEOUT,
        what=f"listing the files of {commit} in {repo}",
    )
    return [_parse_entry(record) for record in output.split(b"\0") if record]


def _parse_entry(record: bytes) -> TrackedFile:
    # "<mode> <type> <object> <size padded with spaces>\t<path>"
    header, _, raw_path = record.partition(b"\t")
    mode, _type, object_id, size = header.split()
    return TrackedFile(
        path=decode_path(raw_path),
        mode=int(mode, 8),
        blob_sha1=object_id.decode("ascii"),
        size=0 if size == b"-" else int(size),
    )


def _under(prefix: str, entry: TrackedFile) -> TrackedFile:
    return TrackedFile(f"{prefix}/{entry.path}", entry.mode, entry.blob_sha1, entry.size)
