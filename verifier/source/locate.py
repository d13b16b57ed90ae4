"""Which repository a release comes from, as its own published metadata says.

Read in this order, first usable URL wins: ``Project-URL`` entries labelled as the source
(``Source``, ``Source Code``, ``Repository``, ``Code``, ``GitHub``, ...), then ``Project-URL``
``Homepage``, then ``Home-page``. A URL is usable when it names a repository: a known forge's
``host/owner/name`` (GitHub, GitLab, Codeberg, Bitbucket, SourceHut, ...; deeper paths such as
``/tree/main`` are cut) or any ``https``/``ssh``/``git`` URL ending in ``.git``. Nothing is guessed
beyond that: a release that names no repository is reported with the fields that were read.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from email.message import Message
from urllib.parse import urlsplit

from verifier.errors import SourceError

#: Project-URL labels (normalized as in PEP 753: lower case, no punctuation or spaces) naming the source.
SOURCE_LABELS = ("source", "sourcecode", "repository", "repo", "code", "github", "gitlab", "git", "sources")
HOMEPAGE_LABELS = ("homepage", "home")
FORGES = ("github.com", "gitlab.com", "codeberg.org", "bitbucket.org", "git.sr.ht", "salsa.debian.org", "gitea.com")
FIELDS_READ = "Project-URL (Source, Repository, Code, Homepage, ...), Home-page"


@dataclass(frozen=True)
class RepositoryURL:
    url: str  # what to clone
    field: str  # where it was found, e.g. "Project-URL: Source"
    given: str  # the URL as the metadata wrote it


def normalized_label(label: str) -> str:
    return re.sub(r"[^a-z0-9]", "", label.lower())


def repository_url(metadata: Message, package: str) -> RepositoryURL:
    """The repository the metadata names; SourceError (exit 2) naming the fields read when none."""
    for field, given in _candidates(metadata):
        url = clone_url(given)
        if url is not None:
            return RepositoryURL(url=url, field=field, given=given)
    raise SourceError(f"{package}: its metadata names no source repository (read {FIELDS_READ}); give --repo PATH_OR_URL")


def _candidates(metadata: Message) -> list[tuple[str, str]]:
    labelled: list[tuple[str, str, str]] = []
    for entry in metadata.get_all("Project-URL") or []:
        label, _, url = str(entry).partition(",")
        labelled.append((normalized_label(label), label.strip(), url.strip()))
    ordered: list[tuple[str, str]] = []
    for wanted in (SOURCE_LABELS, HOMEPAGE_LABELS):
        for key in wanted:
            ordered += [(f"Project-URL: {label}", url) for norm, label, url in labelled if norm == key]
    home = metadata.get("Home-page")
    if home and str(home).strip() not in ("", "UNKNOWN"):
        ordered.append(("Home-page", str(home).strip()))
    return ordered


def clone_url(given: str) -> str | None:
    """The cloneable URL of a repository page or clone URL; None when it names no repository."""
    text = given.strip().removeprefix("git+")
    if text.startswith("git@"):
        return text if text.endswith(".git") or ":" in text else None
    parts = urlsplit(text)
    if parts.scheme not in ("https", "http", "ssh", "git") or not parts.hostname:
        return None
    host = parts.hostname.lower()
    segments = [segment for segment in parts.path.split("/") if segment]
    if host.removeprefix("www.") in FORGES:
        if len(segments) < 2:
            return None
        owner, name = segments[0], segments[1].removesuffix(".git")
        if host in {"git.sr.ht", "gitlab.com"}:
            # GitLab groups nest; a "/-/" segment starts the page part of the path.
            if "-" in segments:
                segments = segments[: segments.index("-")]
            path = "/".join(segment.removesuffix(".git") for segment in segments)
            return f"https://{host}/{path}"
        return f"https://{host.removeprefix('www.')}/{owner}/{name}"
    if parts.path.endswith(".git"):
        return text
    return None
