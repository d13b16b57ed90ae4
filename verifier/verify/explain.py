"""Probable causes for what differs between a published sdist and its rebuild, with their evidence.

Each explanation names the member, a cause from a fixed list, and the facts that support it:
- `untracked-at-tag`: a published file that git does not track at the tag (a dirty checkout);
- `generated-setup-py`: a top-level setup.py only in the published sdist, not tracked (flit, poetry wrote it);
- `directory-entry`: a published directory entry (of a directory holding tracked files) the rebuild lacks;
- `omitted-by-rebuild` / `added-by-rebuild`: tracked files the two builds listed differently;
- `metadata-version`, `metadata-fields`: PKG-INFO written by another backend version;
- `vcs-version-file`: a version file written by setuptools-scm / hatch-vcs that differs;
- `build-clock`: a date or time of the build written into a file;
- `generated-file`: a file not tracked at the tag that both builds generated, with other bytes;
- `egg-info`: setuptools' file lists, which follow from the differences above;
- `sdist-name`: another top-level directory name (a backend before or after PEP 625's normalized names).
A check of the published member mtimes against the tag's commit time and the upload time is
added as well.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from email.parser import HeaderParser

from verifier.archive.interface import git_blob_sha1
from verifier.compare.interface import Comparison
from verifier.recipe.epoch import FIXED_BACKEND_STAMPS
from verifier.report.model.verify import Check, Explanation

VERSION_FILE = re.compile(r"(^|/)(_version|version|__version__|_scm_version)\.py$")
VCS_MARKERS = (b"setuptools_scm", b"setuptools-scm", b"hatch-vcs", b"hatch_vcs", b"__version_tuple__", b"version_tuple")
DATE = re.compile(rb"\b(20\d\d)-(\d\d)-(\d\d)\b")
OLD_DEVICE_FIELDS = (
    ' (device fields "0000000" in the published headers are what CPython 3.8 and older wrote: '
    "--search writes the sdist with that tarfile, --tar-writer cpython-3.8 or cpython-3.7)"
)


def _below_top(path: str) -> str:
    parts = [part for part in path.split("/") if part not in ("", ".")]
    return "/".join(parts[1:])


def tracked_match(key: str, subdir: str, tracked: set[str]) -> str | None:
    """The tracked path a member below the sdist's top directory comes from, if any."""
    direct = f"{subdir}/{key}" if subdir else key
    if direct in tracked:
        return direct
    if key in tracked:
        return key
    suffix = "/" + key
    matches = [path for path in tracked if path.endswith(suffix)]  # Pants source roots, src/ layouts
    return matches[0] if len(matches) == 1 else None


def _headers(text: bytes) -> list[tuple[str, str]]:
    message = HeaderParser().parsestr(text.decode("utf-8", "replace"))
    return [(key, str(value)) for key, value in message.items()]


def _explain_pkg_info(path: str, published: bytes, rebuilt: bytes) -> Explanation | None:
    left, right = _headers(published), _headers(rebuilt)
    version_left = dict(left).get("Metadata-Version")
    version_right = dict(right).get("Metadata-Version")
    if version_left != version_right:
        return Explanation(
            path,
            "metadata-version",
            f"Metadata-Version {version_left} published vs {version_right} rebuilt: the publisher's build backend "
            "was another version than the one pinned for the rebuild (try --search, or --pin BACKEND==VERSION)",
            {"published": version_left, "rebuilt": version_right},
        )
    only_left = [f"{k}: {v}" for k, v in left if (k, v) not in right]
    only_right = [f"{k}: {v}" for k, v in right if (k, v) not in left]
    if only_left or only_right:
        fields = sorted({line.split(":", 1)[0] for line in only_left + only_right})
        return Explanation(
            path,
            "metadata-fields",
            f"PKG-INFO fields differ ({', '.join(fields[:6])}): the backend or its configuration differed "
            "(an older backend at the publisher's: try --pin BACKEND==VERSION)",
            {"published_only": only_left[:20], "rebuilt_only": only_right[:20]},
        )
    return None


def _dates(data: bytes) -> set[str]:
    return {b"-".join(match.groups()).decode() for match in DATE.finditer(data)}


@dataclass(frozen=True)
class _Tree:
    """The tree at the tag: tracked paths, their git blob sha1s (when known), the project's subdir."""

    paths: set[str]
    blobs: dict[str, str]
    subdir: str

    def match(self, key: str) -> str | None:
        return tracked_match(key, self.subdir, self.paths)


def explain(
    comparison: Comparison,
    contents: Mapping[str, tuple[bytes | None, bytes | None]],
    tracked: Iterable[str] | Mapping[str, str],
    subdir: str,
    build_day: str,
) -> list[Explanation]:
    """Causes for the differences of a comparison of published (reference) and rebuilt (candidate).

    `tracked` is the tree at the tag: paths, or paths mapped to their git blob sha1."""
    tree = _Tree(set(tracked), dict(tracked) if isinstance(tracked, Mapping) else {}, subdir)
    found: list[Explanation] = _grouped(comparison)
    for difference in comparison.differences:
        path = difference.path
        if difference.kind == "only-in-reference":
            found.append(_only_published(path, tree))
        elif difference.kind == "only-in-candidate":
            found.append(Explanation(
                path,
                "added-by-rebuild",
                f"{path} is in the rebuild but not in the published sdist: the publisher's backend "
                "(version or configuration) listed files differently",
                {"tracked_path": tree.match(_below_top(path))},
            ))
        elif difference.kind in ("content", "size"):
            published, rebuilt = contents.get(path, (None, None))
            if published is not None and rebuilt is not None:
                explanation = _changed(path, published, rebuilt, tree, build_day)
                if explanation is not None:
                    found.append(explanation)
    return _group_repeated(found)


def _holding_tracked(key: str, tree: _Tree) -> str | None:
    """A tracked file below `key` when `key` names a directory of the tree at the tag."""
    directory = key.rstrip("/")
    prefixes = tuple({f"{tree.subdir}/{directory}/" if tree.subdir else f"{directory}/", f"{directory}/"})
    return min((path for path in tree.paths if path.startswith(prefixes)), default=None) if directory else None


def _only_published(path: str, tree: _Tree) -> Explanation:
    key = _below_top(path)
    source = tree.match(key)
    if source is None and key == "setup.py":
        return Explanation(
            path,
            "generated-setup-py",
            f"{path} is in the published sdist but not tracked at the tag: the publisher's build tool generated it "
            "(`flit build --setup-py`, flit's default before 3.5; poetry's generate-setup-file)",
            {"tracked_at_tag": False},
        )
    below = _holding_tracked(key, tree) if source is None else None
    if below is not None:
        return Explanation(
            path,
            "directory-entry",
            f"{path} is a directory entry only the published sdist lists (the directory holds tracked "
            f"files, e.g. {below}): the publisher's backend (its version or configuration) wrote directory entries",
            {"tracked_below": below},
        )
    if source is None and not key.endswith(("PKG-INFO", "setup.cfg")) and ".egg-info/" not in path:
        return Explanation(
            path,
            "untracked-at-tag",
            f"{path} is in the published sdist but not tracked by git at the tag: "
            "the release was built from a checkout holding files that are not in the tagged source",
            {"tracked_at_tag": False},
        )
    if ".egg-info/" in path:
        return Explanation(path, "egg-info", f"{path}: setuptools metadata the rebuild did not write", {})
    return Explanation(
        path,
        "omitted-by-rebuild",
        f"{path} is tracked at the tag ({source}) but the rebuild left it out: the file list "
        "rules of the backend (its version or configuration) differed",
        {"tracked_path": source},
    )


def _not_from_source(path: str, published: bytes, rebuilt: bytes, tree: _Tree) -> Explanation | None:
    source = tree.match(_below_top(path))
    if source is None or source not in tree.blobs:
        return None
    published_blob, rebuilt_blob = git_blob_sha1(published), git_blob_sha1(rebuilt)
    if rebuilt_blob != tree.blobs[source] or published_blob == tree.blobs[source]:
        return None
    return Explanation(
        path, "not-from-source",
        f"{path} differs from {source} at the tag, which the rebuild reproduces byte for byte: "
        "the published file was changed after the build, or built from other sources",
        {"tracked_path": source, "tracked_blob": tree.blobs[source], "published_blob": published_blob},
    )


def _changed(path: str, published: bytes, rebuilt: bytes, tree: _Tree, build_day: str) -> Explanation | None:
    """The cause of a member whose content differs, the first that fits."""
    key = _below_top(path)
    if b"\r\n" in published and b"\r\n" not in rebuilt and published.replace(b"\r\n", b"\n") == rebuilt:
        return Explanation(path, "windows-line-endings", f"{path} has CRLF line ends in the published sdist only: it was built on Windows (or from a checkout with autocrlf)", {})
    not_from_source = _not_from_source(path, published, rebuilt, tree)
    if not_from_source is not None:
        return not_from_source
    if key == "PKG-INFO" or key.endswith("/PKG-INFO"):
        explanation = _explain_pkg_info(path, published, rebuilt)
        if explanation:
            return explanation
    if ".egg-info/" in path:
        return Explanation(path, "egg-info", f"{path}: setuptools' generated metadata differs (it follows the file list and the backend version)", {})
    if VERSION_FILE.search(key) and any(marker in published + rebuilt for marker in VCS_MARKERS):
        return Explanation(
            path,
            "vcs-version-file",
            f"{path} is written by a VCS version plugin (setuptools-scm / hatch-vcs): its template "
            "or the version it computed differs",
            {},
        )
    new_dates = _dates(rebuilt) - _dates(published)
    if build_day in new_dates:
        return Explanation(
            path,
            "build-clock",
            f"{path} holds the date of the rebuild ({build_day}): a date from the build clock is written into it",
            {"rebuilt_dates": sorted(new_dates), "published_dates": sorted(_dates(published) - _dates(rebuilt))},
        )
    if tree.match(key) is None and not _written_by_the_backend(key):
        return Explanation(
            path,
            "generated-file",
            f"{path} is not tracked at the tag: the build (or a step before it) generated it, and the publisher's "
            "generator wrote other bytes (another version of the tool)",
            {"tracked_at_tag": False},
        )
    return None


def _written_by_the_backend(key: str) -> bool:
    """PKG-INFO, setup.cfg's tags, egg-info: the backend's own metadata, not a generator's output."""
    name = key.rsplit("/", 1)[-1]
    return name in ("PKG-INFO", "setup.cfg") or ".egg-info/" in f"{key}/" or ".dist-info/" in key


def _group_repeated(found: list[Explanation], at_most: int = 3) -> list[Explanation]:
    """More than `at_most` explanations of one per-file cause become one, with examples."""
    by_cause: dict[str, list[Explanation]] = {}
    for explanation in found:
        by_cause.setdefault(explanation.cause, []).append(explanation)
    out: list[Explanation] = []
    for explanation in found:
        same = by_cause[explanation.cause]
        if len(same) <= at_most or explanation.cause in ("umask", "mode-not-in-git", "tar-encoding", "filesystem-order"):
            out.append(explanation)
        elif explanation is same[0]:
            out.append(Explanation(
                f"{len(same)} member(s)", explanation.cause,
                f"{len(same)} members: {explanation.message} (and {len(same) - 1} more like it)",
                {"members": len(same), "examples": [e.path for e in same[:5]]},
            ))
    return out


def _grouped(comparison: Comparison) -> list[Explanation]:
    """One explanation for differences that share a cause across many members: modes, tar encoding."""
    found: list[Explanation] = []
    modes = [d for d in comparison.differences if d.kind == "mode"]
    if modes:
        pairs = [(int(str((d.reference or {}).get("mode", "0")), 8), int(str((d.candidate or {}).get("mode", "0")), 8)) for d in modes]
        sample = [d.path for d in modes[:3]]
        if all(published ^ rebuilt == 0o020 and published & 0o020 for published, rebuilt in pairs):
            found.append(Explanation(
                f"{len(modes)} member(s)", "umask",
                f"{len(modes)} member(s) are group-writable in the published sdist (e.g. 664/775) but not in the rebuild: "
                "the publisher built with umask 002. Git records no permission bits but the executable one; "
                "add `mode` to --normalize to compare without them",
                {"members": len(modes), "examples": sample},
            ))
        else:
            found.append(Explanation(
                f"{len(modes)} member(s)", "mode-not-in-git",
                f"{len(modes)} member(s) have other permission bits: git records only the executable bit, the rest "
                "comes from the building machine (umask, a chmod in the release process)",
                {"members": len(modes), "examples": sample, "modes": [f"{oct(a)} vs {oct(b)}" for a, b in pairs[:3]]},
            ))
    for difference in comparison.differences:
        if difference.kind == "top-level-directory":
            published = (difference.reference or {}).get("top_level")
            rebuilt = (difference.candidate or {}).get("top_level")
            found.append(Explanation(
                "", "sdist-name",
                f"the top-level directory is {published!r} published, {rebuilt!r} rebuilt: the publisher's backend "
                "(its version: backends adopted PEP 625's normalized sdist names one by one) named the sdist otherwise",
                {"published": published, "rebuilt": rebuilt},
            ))
    if any(d.kind == "order" for d in comparison.differences):
        found.append(Explanation(
            "", "filesystem-order",
            "the members are in another order: the publisher's tar writer listed files in its filesystem's order "
            "(unsorted directory listing); add `order` to --normalize to compare without it",
            {},
        ))
    headers = [d for d in comparison.differences if d.kind == "tar-header"]
    if headers:
        fields = sorted({field for d in headers for field in (d.reference or {}).get("header_differences", [])})
        found.append(Explanation(
            f"{len(headers)} member(s)", "tar-encoding",
            f"{len(headers)} member(s) hold the same fields encoded differently in their tar headers"
            + (f" ({'; '.join(fields[:3])})" if fields else "")
            + ": another tar writer (e.g. another Python version's tarfile) made the published sdist; add "
            "`tar-format` to --normalize to compare without the encoding"
            + (OLD_DEVICE_FIELDS if any("devmajor b'0000000'" in field or "devminor b'0000000'" in field for field in fields) else ""),
            {"members": len(headers), "examples": [d.path for d in headers[:3]], "fields": fields[:10]},
        ))
    return found


def check_mtime_window(member_mtimes: list[int], commit_time: int, upload_time: datetime | None) -> Check:
    """Published member mtimes should lie between the tag's commit time and the upload time."""
    fixed = [mtime for mtime in member_mtimes if mtime in FIXED_BACKEND_STAMPS]
    member_mtimes = [mtime for mtime in member_mtimes if mtime not in FIXED_BACKEND_STAMPS]
    note = f" ({len(fixed)} member(s) carry a backend's fixed stamp and were left out)" if fixed else ""
    if not member_mtimes:
        return Check("mtime-window", True, "every file member carries a backend's fixed stamp" if fixed else "no file members", {"fixed_stamps": len(fixed)})
    upload = int(upload_time.timestamp()) if upload_time else None
    if upload is None:
        note += " (upload time unknown: only the commit time bounds them)"
    older = sum(1 for mtime in member_mtimes if mtime < commit_time)
    newer = sum(1 for mtime in member_mtimes if upload is not None and mtime > upload)
    evidence = {
        "commit_time": commit_time,
        "upload_time": upload,
        "oldest_member": min(member_mtimes),
        "newest_member": max(member_mtimes),
        "older_than_commit": older,
        "newer_than_upload": newer,
        "fixed_stamps": len(fixed),
    }
    if not older and not newer:
        return Check("mtime-window", True, "published member mtimes lie between the tag's commit time and the upload time" + note, evidence)
    parts = []
    if older:
        parts.append(f"{older} member(s) older than the tagged commit ({_when(commit_time)}), oldest {_when(min(member_mtimes))}")
    if newer:
        parts.append(f"{newer} member(s) newer than the upload ({_when(upload)})")
    return Check(
        "mtime-window",
        False,
        "published member mtimes outside [commit time, upload time]: " + "; ".join(parts)
        + " (an older checkout, touched files, or a clock that was off)" + note,
        evidence,
    )


def _when(epoch: int | None) -> str:
    if epoch is None:
        return "unknown"
    return datetime.fromtimestamp(epoch, UTC).strftime("%Y-%m-%d %H:%M:%S UTC")
