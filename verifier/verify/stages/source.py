"""Stage 1, source: the tag's commit, a clean checkout of it, the builder for the tree, and which
package and version it releases."""

from __future__ import annotations

from dataclasses import dataclass, replace

from verifier.build.interface import Builder
from verifier.build.pants import check_package_given
from verifier.build.registry import choose as choose_builder
from verifier.errors import SourceError
from verifier.source.git import clean_checkout, tracked_files
from verifier.source.interface import Checkout, ProjectInfo, ResolvedTag
from verifier.source.metadata import detect_project
from verifier.source.release import ResolvedRepository, locate_release
from verifier.source.tagnames import package_named_by_tag
from verifier.source.tags import resolve_tag
from verifier.verify.stages.context import Run

GITLINK = 0o160000


@dataclass(frozen=True)
class SourceStage:
    tag: ResolvedTag
    checkout: Checkout
    builder: Builder
    project: ProjectInfo
    package: str
    version: str
    tracked: dict[str, str]  # tracked path -> git blob sha1 (submodule commits left out)


def locate(run: Run) -> ResolvedRepository | None:
    """NAME==VERSION and repository URLs: the local repository (a mirror in the cache) and the tag.

    Replaces the run's request with the resolved one (tag, package, local repository), so that every
    later stage sees a plain `--tag --repo PATH` request. None when no repository was cloned."""
    request = run.request
    if request.release is None and request.repo_url is None:
        return None
    repo = request.repo_url or (str(request.repo) if request.repo_given else None)
    located = locate_release(request.release, request.tag, request.package, repo, index_url=request.index_url,
                             cache_dir=run.settings.cache_dir, progress=run.say)
    found = located.origin
    if found is not None:
        how = f" (rewritten by {found.rewrite.rule})" if found.rewrite else ""
        run.note(f"the repository is {found.url}, as {found.found_in} names it{how}; mirrored at {found.path}")
    run.request = replace(request, tag=located.tag, package=located.package, repo=located.path)
    return found


def resolve(run: Run) -> ResolvedTag:
    request = run.request
    if not (request.repo / ".git").exists() and not (request.repo / "HEAD").is_file():
        raise SourceError(f"{request.repo} is not a git repository")
    return resolve_tag(request.repo, request.tag, request.package)


def check_out(run: Run, tag: ResolvedTag, builder: Builder | None = None) -> SourceStage:
    """Clone the tag, choose the builder (unless one is given) and read the package and version."""
    request = run.request
    run.say(f"tag {tag.name} is commit {tag.commit[:12]}; cloning a clean checkout")
    checkout = clean_checkout(request.repo, tag, run.workdir / "src")
    named = None if request.package else package_named_by_tag(tag.name, tag.version)
    if named:
        run.note(f"the package is {named!r}, as tag {tag.name!r} names it")
    builder = builder or choose_builder(request.builder, checkout.path)
    if builder.name == "pants":
        # Pants generates setup.py from BUILD files: the package is a python_distribution target.
        package: str | None = check_package_given(checkout.path, request.package or named)
        project = ProjectInfo(package, None, "", None, "pants", (), (), True)
    else:
        project = detect_project(checkout.path, request.package or named, request.subdir)
        package = request.package or named or project.name
    if not package:
        raise SourceError("the tagged tree does not name its package statically; give --package")
    version = tag.version or project.version
    if not version:
        raise SourceError(f"tag {tag.name!r} holds no version; cannot tell which release to fetch")
    if not tag.version:
        run.note(f"tag {tag.name!r} names no version: verifying {version}, the version the tagged tree declares")
    elif project.version and project.version != version:
        run.note(f"tag {tag.name!r} says {version} but the tagged tree declares {project.version}")
    tracked = {entry.path: entry.blob_sha1 for entry in tracked_files(checkout) if entry.mode != GITLINK}
    return SourceStage(tag, checkout, builder, project, package, version, tracked)
