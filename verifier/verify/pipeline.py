"""`verify`: source → recipe → build → upstream fetch → compare → report.

No printing here: progress goes through a callback, and every outcome (including "could not
verify") ends as a VerifyReport with an exit code.
"""

from __future__ import annotations

import dataclasses
import shutil
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import datetime, timezone
from pathlib import Path

from verifier import __version__
from verifier.archive.interface import Limits, MemberKind
from verifier.archive.reader import ArchiveReader
from verifier.build.interface import BuildRequest, BuildResult
from verifier.build.pants import check_package_given
from verifier.build.registry import choose as choose_builder
from verifier.compare.interface import Comparison, Verdict
from verifier.compare.run import run_compare
from verifier.config import Settings
from verifier.errors import (
    EXIT_BAD_INPUT,
    EXIT_COULD_NOT_VERIFY,
    EXIT_DIFFERENT,
    EXIT_REPRODUCIBLE,
    BadInput,
    CouldNotVerify,
    SourceError,
    VerifierError,
)
from verifier.normalize.registry import select
from verifier.runtime.base_image import bootstrap_base
from verifier.runtime.cache import read_record
from verifier.runtime.detect import detect_runtime
from verifier.runtime.interface import ContainerRuntime
from verifier.source.git import clean_checkout, tracked_files
from verifier.source.interface import Checkout, ProjectInfo, ResolvedTag
from verifier.source.metadata import detect_project
from verifier.source.tagnames import package_named_by_tag
from verifier.source.tags import resolve_tag
from verifier.fsutil import file_sha256
from verifier.upstream.cache import ArtifactCache
from verifier.upstream.index import IndexClient
from verifier.upstream.interface import PublishedFile
from verifier.recipe import epoch as epochs
from verifier.verify.explain import check_mtime_window, explain
from verifier.recipe import fingerprint
from verifier.recipe import infer_recipe
from verifier.recipe import Recipe, candidates, score
from verifier.verify.interface import COULD_NOT_VERIFY, ERROR, VerifyReport, VerifyRequest

Progress = Callable[[str], None]
PYTHON_SUITES = {"3.9": "bullseye", "3.11": "bookworm", "3.13": "trixie"}
DEFAULT_PYTHON = "3.11"
CONTENT_KEPT_FOR_EXPLANATIONS = 256 * 1024


def exit_code(report: VerifyReport) -> int:
    if report.verdict in ("identical", "equivalent"):
        return EXIT_REPRODUCIBLE
    if report.verdict == "different":
        return EXIT_DIFFERENT
    if report.verdict == ERROR:
        return EXIT_BAD_INPUT
    return EXIT_COULD_NOT_VERIFY


class _Phases:
    def __init__(self, report: VerifyReport, progress: Progress) -> None:
        self.report = report
        self.progress = progress

    @contextmanager
    def __call__(self, name: str, message: str) -> Iterator[None]:
        self.progress(message)
        started = time.perf_counter()
        try:
            yield
        finally:
            self.report.timings[name] = round(self.report.timings.get(name, 0.0) + time.perf_counter() - started, 3)


def _workdir(request: VerifyRequest) -> tuple[Path, bool]:
    """The run's scratch directory, and whether it is ours to delete. An existing directory that
    holds anything is never written over: the run gets a new directory inside it."""
    if request.workdir is None:
        return Path(tempfile.mkdtemp(prefix="verifier-verify-")), True
    base = request.workdir
    if base.exists() and any(base.iterdir()):
        base.mkdir(parents=True, exist_ok=True)
        return Path(tempfile.mkdtemp(prefix="run-", dir=base)), False
    base.mkdir(parents=True, exist_ok=True)
    return base, False


def base_image_for(
    request: VerifyRequest, settings: Settings, runtime: ContainerRuntime, progress: Progress
) -> tuple[str | None, str, dict[str, object]]:
    """(base image, python version X.Y, facts about the base) from the option, environment, config,
    or the image `verifier image bootstrap` made; None means the Dockerfile's pinned default."""
    python = request.python or DEFAULT_PYTHON
    if request.base_image:
        return request.base_image, python, {"origin": "--base-image"}
    if settings.base_image:
        return settings.base_image, python, {"origin": settings.source}
    suite = PYTHON_SUITES.get(python)
    if suite is None:
        raise BadInput(f"no base image for Python {python}: known {', '.join(PYTHON_SUITES)}; or give --base-image")
    record = (read_record(settings.cache_dir / "base-images" / f"{suite}.json") or {}).get("image") or {}
    if not (record.get("image_id") and runtime.image_id(str(record["image_id"]))):
        if request.python is None or shutil.which("mmdebstrap") is None:
            return None, python, {"origin": f"the Dockerfile's pinned default (no `verifier image bootstrap --suite {suite}` image here)"}
        # An explicit --python with no base for it yet: make one from Debian packages, once.
        progress(f"no base image for Python {python} yet: making one from Debian {suite} (once, ~1 min)")
        with tempfile.TemporaryDirectory(prefix="verifier-bootstrap-") as scratch:
            made = bootstrap_base(runtime, suite, workdir=Path(scratch), cache_dir=settings.cache_dir, progress=progress)
        record = {"image_id": made.image_id, "suite": made.suite, "rootfs_sha256": made.rootfs_sha256, "python_version": made.python_version}
    facts = {key: record.get(key) for key in ("image_id", "suite", "rootfs_sha256", "python_version")}
    facts["origin"] = f"verifier image bootstrap --suite {suite}"
    version = str(record.get("python_version") or python)
    return str(record["image_id"]), ".".join(version.split(".")[:2]), facts


def _published(request: VerifyRequest, package: str, version: str, cache: ArtifactCache, report: VerifyReport) -> tuple[Path, PublishedFile | None]:
    if request.artifact is not None:
        path = request.artifact
        if not path.is_file():
            raise BadInput(f"no such file: {path}")
        digest = file_sha256(path)
        report.published = {"path": str(path), "sha256": digest, "size": path.stat().st_size, "url": None, "upload_time": None}
        # The index's upload time of this version still dates the release (and the requirements).
        try:
            with IndexClient(request.index_url) as index:
                listed = index.find_sdist(package, version)
        except VerifierError as exc:
            report.notes.append(f"the index has no upload time for {package} {version} ({exc})")
            return path, None
        same = listed.sha256 == digest
        report.notes.append(
            f"the local artifact is {'the very file' if same else 'not the file'} the index publishes for {package} {version}"
            f" ({listed.filename}, sha256 {str(listed.sha256)[:16]}…); its upload time dates the release"
        )
        report.published["upload_time"] = listed.upload_time.isoformat() if listed.upload_time else None
        report.published["index_sha256"] = listed.sha256
        return path, listed
    with IndexClient(request.index_url) as index:
        published = index.find_sdist(package, version)
        fetched = index.download(published, cache)
    report.published = {
        "url": published.url,
        "filename": published.filename,
        "sha256": published.sha256,
        "size": fetched.path.stat().st_size,
        "upload_time": published.upload_time.isoformat() if published.upload_time else None,
        "index": request.index_url,
        "path": str(fetched.path),
    }
    return fetched.path, published


def _other_commit(repo: Path, tag_commit: str, published: Path, subdir: str) -> dict[str, object] | None:
    """The `other-commit` explanation, when a commit near the tag matches the published files better."""
    from verifier.audit.commits import nearest_commit

    files = {}
    for member in ArchiveReader(published, Limits(), want_blob_sha1=True).members():
        if member.kind is MemberKind.FILE and member.git_blob_sha1 is not None:
            parts = [part for part in member.name.split("/") if part not in ("", ".")]
            files["/".join(parts[1:])] = member.git_blob_sha1.hex()
    try:
        match = nearest_commit(repo, tag_commit, files, subdir, before=30, after=30, deadline_s=20)
    except VerifierError:
        return None
    if match is None:
        return None
    side = "before" if match.distance < 0 else "after"
    how = "exactly" if match.exact else f"best ({match.matched} of {match.total} files)"
    return {
        "path": "",
        "cause": "other-commit",
        "message": f"the published files match commit {match.commit[:12]} ({abs(match.distance)} commit(s) {side} the tag) "
        f"{how}: the release was made from another commit than the tag"
        + (f"; it differs from the tag in {', '.join(match.files_differing_from_tag[:5])}" if match.files_differing_from_tag else ""),
        "evidence": match.as_dict(),
    }


def _nearest_python(version: str | None) -> str | None:
    """The Python of a base image nearest to the one a workflow names (3.10 and 3.12 build on 3.11)."""
    if not version:
        return None
    try:
        major, minor = (int(part) for part in version.split(".")[:2])
    except ValueError:
        return None
    if major != 3:
        return None
    return "3.9" if minor <= 9 else "3.11" if minor <= 12 else "3.13"


def _parse_time(text: str) -> datetime:
    try:
        moment = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        raise BadInput(f"not an ISO 8601 time: {text!r} (e.g. 2024-05-01T12:00:00Z)") from None
    return moment if moment.tzinfo else moment.replace(tzinfo=timezone.utc)


def _only_times_differ(comparison: Comparison) -> bool:
    """Only mtimes and the gzip header were evened out (nothing else differed before normalizing)."""
    return all(effect.pairs == 0 for effect in comparison.effects if effect.name not in ("mtime", "gzip-header"))


def _transplant(published: Path, rebuilt: Path, out: Path) -> dict[str, object]:
    """The proof beyond "equivalent": the rebuild, given the published timestamps, is the published file."""
    from verifier.pants.transplant import transplant_timestamps

    try:
        found = transplant_timestamps(published, rebuilt, out)
    except VerifierError as exc:
        return {"identical": False, "reason": str(exc)}
    return {
        "identical": found.identical,
        "transplanted_sha256": found.transplanted_sha256,
        "published_sha256": found.published_sha256,
        "reason": found.reason,
        "differing_members": list(found.differing_members[:20]),
    }


def verify(request: VerifyRequest, settings: Settings, progress: Progress | None = None) -> VerifyReport:
    """Run one verification. Never raises VerifierError: failures end in the report's verdict."""
    say = progress or (lambda message: None)
    report = VerifyReport(verdict=COULD_NOT_VERIFY, tool_version=__version__)
    phase = _Phases(report, say)
    workdir, ours = _workdir(request)
    report.workdir = str(workdir)
    normalizations = () if request.strict else select(request.normalizations)
    resolved: dict[str, object] = {}
    try:
        with phase("source", f"resolving tag {request.tag!r} in {request.repo}"):
            if not (request.repo / ".git").exists() and not (request.repo / "HEAD").is_file():
                raise SourceError(f"{request.repo} is not a git repository")
            tag: ResolvedTag = resolve_tag(request.repo, request.tag, request.package)
            resolved["tag"] = tag.name
            report.source = {
                "repo": str(request.repo.resolve()),
                "tag": tag.name,
                "commit": tag.commit,
                "commit_time": tag.commit_time,
                "version_from_tag": tag.version,
            }
            say(f"tag {tag.name} is commit {tag.commit[:12]}; cloning a clean checkout")
            checkout: Checkout = clean_checkout(request.repo, tag, workdir / "src")
            report.source["submodules"] = [sub.__dict__ for sub in checkout.submodules]
            named = None if request.package else package_named_by_tag(tag.name, tag.version)
            if named:
                report.notes.append(f"the package is {named!r}, as tag {tag.name!r} names it")
            builder = choose_builder(request.builder, checkout.path)
            if builder.name == "pants":
                # Pants generates setup.py from BUILD files: the package is a python_distribution target.
                package = check_package_given(checkout.path, request.package or named)
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
                report.notes.append(f"tag {tag.name!r} names no version: verifying {version}, the version the tagged tree declares")
            elif project.version and project.version != version:
                report.notes.append(f"tag {tag.name!r} says {version} but the tagged tree declares {project.version}")
            report.package, report.version = package, version
            report.source["subdir"] = project.subdir
            report.source["build_backend"] = project.build_backend
            resolved["package"], resolved["subdir"] = package, project.subdir or None
            resolved["tag"] = tag.name
            tracked = {entry.path: entry.blob_sha1 for entry in tracked_files(checkout) if entry.mode != 0o160000}

        inferred_env: tuple[tuple[str, str], ...] = ()
        inferred_python: str | None = None
        inferred_frontend: str | None = None
        if request.infer and builder.name == "pypa-build":
            recipe_found = infer_recipe(checkout.path, package)
            if recipe_found.found:
                report.inferred = recipe_found.as_dict()
                inferred_env = tuple(sorted(recipe_found.env.items()))
                inferred_python = _nearest_python(recipe_found.python)
                if recipe_found.frontend == "flit":
                    inferred_frontend = "flit"
                elif recipe_found.frontend not in (None, "build", "setup.py"):
                    report.notes.append(
                        f"the release workflow builds with {recipe_found.frontend!r} ({recipe_found.build_command}); "
                        "this rebuild drives the PEP 517 backend with PyPA build, which can list files differently"
                    )
                for command in recipe_found.prebuild:
                    report.notes.append(f"the release workflow runs {command.text!r} before building ({command.origin}); not run here")
        cache = ArtifactCache(settings.cache_dir / "artifacts")
        where = f"the local file {request.artifact}" if request.artifact else request.index_url
        with phase("fetch", f"fetching the published sdist of {package} {version} from {where}"):
            published_path, published = _published(request, package, version, cache, report)
        upload_time = published.upload_time if published else None
        cutoff = upload_time or datetime.now(timezone.utc)
        if upload_time is None:
            report.notes.append(
                "the upload time is unknown (a local artifact, or an index without upload-time): "
                f"build requirements are pinned as of now ({cutoff:%Y-%m-%d %H:%M} UTC)"
            )

        first_epoch = epochs.choose(
            epochs.parse_option(str(request.source_date_epoch)), tag.commit_time, published_path
        )
        resolved["builder"] = builder.name
        with phase("image", "preparing the container runtime and images"):
            runtime = detect_runtime(request.runtime or settings.runtime, settings.runtime_args)
            if inferred_python and not request.python and inferred_python != DEFAULT_PYTHON:
                report.notes.append(f"building with Python {inferred_python}: the release workflow uses {report.inferred.get('python') if report.inferred else inferred_python}")
                request = dataclasses.replace(request, python=inferred_python)
            base_image, python_version, base_facts = base_image_for(request, settings, runtime, say)
        resolved["python"] = python_version
        if base_image and request.base_image:
            resolved["base_image"] = base_image
        prints = fingerprint(published_path)
        report.fingerprints = prints.evidence
        cutoff_origin = "upload time" if upload_time else "now (upload time unknown)"
        if request.requirements_cutoff:
            cutoff = _parse_time(request.requirements_cutoff)
            cutoff_origin = "given"
        first = Recipe(
            epoch=first_epoch,
            cutoff=cutoff,
            cutoff_origin=cutoff_origin,
            umask=request.umask,
            env=tuple(dict(inferred_env + request.env).items()),
            frontend=request.frontend or inferred_frontend,
        )
        bases: dict[str | None, tuple[str | None, str, dict[str, object]]] = {None: (base_image, python_version, base_facts)}

        def build_with(recipe: Recipe, attempt: int) -> tuple[BuildResult, Comparison]:
            attempt_dir = workdir / (f"attempt-{attempt}" if attempt else "build")
            attempt_dir.mkdir(parents=True, exist_ok=True)
            if recipe.python not in bases:
                bases[recipe.python] = base_image_for(dataclasses.replace(request, python=recipe.python), settings, runtime, say)
            image, python, _ = bases[recipe.python]
            build_request = BuildRequest(
                package=package,
                checkout=checkout.path,
                project=project,
                source_date_epoch=recipe.epoch.value,
                python_version=python,
                cutoff=recipe.cutoff,
                build_index_url=request.build_index_url or settings.build_index_url,
                pins=settings.pins + request.pins,
                workdir=attempt_dir,
                cache_dir=settings.cache_dir,
                base_image=image,
                allow_unpinned=request.allow_unpinned,
                timeout_s=request.timeout_s or settings.build_timeout,
                build_user=request.build_user,
                labels=request.labels,
                umask=recipe.umask,
                env=recipe.env,
                builder_options=request.builder_options,
                frontend=recipe.frontend,
            )
            epoch_text = recipe.epoch.value if recipe.epoch.value is not None else "unset"
            with phase("build", f"building {package} {version} with {builder.name} (SOURCE_DATE_EPOCH: {epoch_text})"):
                result = builder.build(build_request, runtime, say)
            with phase("compare", "comparing the published sdist with the rebuilt one"):
                comparison = run_compare(
                    published_path,
                    result.sdist,
                    normalizations,
                    Limits(),
                    workdir=attempt_dir / "compare",
                    keep_contents=CONTENT_KEPT_FOR_EXPLANATIONS,
                    diffoscope={"html": request.diffoscope_html} if request.diffoscope_html else None,
                )
            return result, comparison

        build_day = datetime.now(timezone.utc).strftime("%Y-%m-%d")

        def causes_of(comparison: Comparison) -> set[str]:
            return {e.cause for e in explain(comparison, comparison.member_contents, tracked, project.subdir, build_day)}

        attempts = [(first, *build_with(first, 0))]
        tried = {first.key()}
        if request.search:
            while len(attempts) < request.max_builds:
                best = max(attempts, key=lambda attempt: score(attempt[2]))
                if best[2].verdict is Verdict.IDENTICAL:
                    break
                options = [
                    recipe for recipe in candidates(best[0], best[2], causes_of(best[2]), prints, tag.commit_time, published_path, builder.name, project.build_backend)
                    if recipe.key() not in tried
                ]
                if not options:
                    break
                recipe = options[0]
                tried.add(recipe.key())
                say(f"--search: trying {recipe.why}")
                try:
                    attempts.append((recipe, *build_with(recipe, len(attempts))))
                except CouldNotVerify as exc:
                    report.notes.append(f"--search: {recipe.why}: could not build ({exc})")
        chosen, result, comparison = max(attempts, key=lambda attempt: score(attempt[2]))
        chosen_epoch = chosen.epoch
        resolved["source_date_epoch"] = chosen_epoch.value if chosen_epoch.value is not None else "unset"
        if chosen.python:
            resolved["python"] = chosen.python
        resolved["umask"] = chosen.umask
        resolved["frontend"] = chosen.frontend
        resolved["env"] = chosen.env
        if chosen.cutoff_origin in ("build time", "given"):
            resolved["requirements_cutoff"] = chosen.cutoff.isoformat()
        report.attempts = [
            {**recipe.as_dict(), "verdict": comp.verdict.value, "differences": len(comp.differences) + comp.differences_not_listed,
             "rebuilt_sha256": file_sha256(res.sdist)}
            for recipe, res, comp in attempts
        ]
        report.recipe = chosen.as_dict()
        report.source["source_date_epoch"] = chosen_epoch.value
        report.source["source_date_epoch_origin"] = chosen_epoch.origin
        report.source["source_date_epoch_detail"] = chosen_epoch.detail
        report.builder = {**result.as_dict(), "base": base_facts, "runtime": runtime.name, "pins": list(settings.pins + request.pins)}
        report.rebuilt = {"filename": result.sdist.name, "sha256": file_sha256(result.sdist), "size": result.sdist.stat().st_size, "path": str(result.sdist)}
        report.comparison = comparison.as_dict()
        report.verdict = comparison.verdict.value
        report.explanations = [e.as_dict() for e in explain(comparison, comparison.member_contents, tracked, project.subdir, build_day)]
        report.checks = [check_mtime_window(prints.file_mtimes, tag.commit_time, upload_time).as_dict()]
        if comparison.verdict is Verdict.DIFFERENT and any(
            d.kind in ("content", "size", "only-in-reference") for d in comparison.differences
        ):
            with phase("compare", "looking for a nearby commit the published files match better"):
                other = _other_commit(request.repo, tag.commit, published_path, project.subdir)
            if other is not None:
                report.explanations.append(other)
        encoding_only = {"tar-header", "mode", "order", "tar-trailer"}
        if comparison.verdict is Verdict.DIFFERENT and {d.kind for d in comparison.differences} <= encoding_only and not request.strict:
            extra = {"tar-header": "tar-format", "tar-trailer": "tar-format", "mode": "mode", "order": "order"}
            wider = sorted(set(request.normalizations) | {extra[d.kind] for d in comparison.differences})
            again = run_compare(published_path, result.sdist, select(wider), Limits(), workdir=workdir / "compare-wider")
            report.checks.append({
                "name": "what-stays-different",
                "ok": again.reproducible,
                "message": (
                    f"only the encoding differs: with --normalize {','.join(wider)} the verdict would be {again.verdict.value}"
                    if again.reproducible else f"with --normalize {','.join(wider)} it would still be {again.verdict.value}"
                ),
                "evidence": {"normalizations": wider, "verdict": again.verdict.value},
            })
        if comparison.verdict is Verdict.EQUIVALENT and _only_times_differ(comparison):
            with phase("compare", "transplanting the published timestamps onto the rebuild"):
                report.transplant = _transplant(published_path, result.sdist, workdir / "transplanted.tar.gz")
    except CouldNotVerify as exc:
        report.verdict = COULD_NOT_VERIFY
        report.error = str(exc)
        report.error_details = exc.details
    except VerifierError as exc:
        report.verdict = ERROR
        report.error = str(exc)
    finally:
        report.command = request.command(**resolved)
        if ours and not request.keep_workdir and report.reproducible:
            shutil.rmtree(workdir, ignore_errors=True)
            report.workdir = None
            if report.builder:
                report.builder["log"] = None
            if report.rebuilt:
                report.rebuilt["path"] = None
    return report
