"""Recipes: the settings of one rebuild, and the few others worth trying when it is not identical.

A recipe is SOURCE_DATE_EPOCH, the cut-off time for build requirements, the umask, the Python
and the environment the release process set. `--search` tries, within a budget of builds, the
candidates that the differences and the published file's fingerprints point at, greedily from the
best attempt so far: `flit build` when a flit project's tracked files are missing, a umask when the
published files are group-writable, build requirements as of the build time when metadata or file
lists differ, the other SOURCE_DATE_EPOCH choices when times differ and the files share one stamp,
the publisher's Python and tar writer when the published file's bytecode or tar headers name them,
first of all an emulated Windows release machine when the published file shows a Windows build.
Candidates never change the normalizations: a tampered artifact stays `different` under every one
of them.
"""

from __future__ import annotations

import dataclasses
from datetime import UTC, datetime
from pathlib import Path

from packaging.requirements import InvalidRequirement, Requirement
from packaging.specifiers import SpecifierSet
from packaging.utils import canonicalize_name

from verifier.compare.interface import Comparison, Verdict
from verifier.recipe import epoch as epochs
from verifier.recipe.backend_versions import BackendChoice, backend_project
from verifier.recipe.interface import Fingerprints, Recipe
from verifier.recipe.prebuild import ReleaseSteps
from verifier.recipe.setup_py import SetupPyFacts

STRENGTH = {Verdict.IDENTICAL: 2, Verdict.EQUIVALENT: 1, Verdict.DIFFERENT: 0}
DEFAULT_MAX_BUILDS = 4
# Differences in metadata or file lists: another version of the backend (or of a plugin) made them.
LISTING_CAUSES = frozenset(
    {"metadata-version", "metadata-fields", "omitted-by-rebuild", "added-by-rebuild", "directory-entry", "egg-info", "vcs-version-file", "sdist-name",
     "generated-setup-py"}
)


def score(comparison: Comparison) -> tuple[int, int, int]:
    """Higher is closer to the published bytes: verdict, then fewer differences, then less normalized."""
    erased = sum(effect.pairs for effect in comparison.effects)
    listed = len(comparison.differences) + comparison.differences_not_listed
    return (STRENGTH.get(comparison.verdict, -1), -listed, -erased)


def candidates(
    best: Recipe,
    comparison: Comparison,
    causes: set[str],
    fingerprints: Fingerprints,
    commit_time: int,
    published: Path,
    builder: str,
    backend: str | None = None,
    default_python: str | None = None,
    pythons: tuple[str, ...] = (),
    steps: ReleaseSteps | None = None,
    *,
    backend_pin: BackendChoice | None = None,
    crlf_tracked: tuple[str, ...] = (),
    build_requires: tuple[str, ...] = (),
    setup_py: SetupPyFacts | None = None,
) -> list[Recipe]:
    """The recipes worth trying next, most promising first. `default_python` is the Python X.Y a
    recipe without one builds with, `pythons` those a recipe can ask for (none: only the default);
    `backend_pin`: the backend version the published PKG-INFO dates (when the best attempt's differs);
    `crlf_tracked`: members of files tracked with LF that only the published sdist has with CRLF;
    `setup_py`: where the project's setup.py reads its argv, the egg_info tags its setup.cfg sets."""
    kinds = {difference.kind for difference in comparison.differences}
    erased = {effect.name for effect in comparison.effects if effect.pairs}
    found: list[Recipe] = windows_candidates(best, fingerprints, builder, crlf_tracked)  # early: it changes the most
    python_first = _python_named_by_scripts(fingerprints, comparison) is not None
    if python_first:  # the differing entry_points.txt names the Python that wrote it
        found.extend(interpreter_candidates(best, comparison, fingerprints, builder, default_python, pythons))
    listing = LISTING_CAUSES
    if steps is not None and builder == "pypa-build":
        found += workflow_step_candidates(best, comparison, causes, listing, steps)
    found += _setup_py_commands(best, comparison, causes, builder, backend, setup_py or SetupPyFacts())
    found += _flit_commands(best, causes, builder, backend)
    finder = _file_finder(best, causes, builder, backend, build_requires)
    if finder is not None:
        found.append(finder)
    if "mode" in kinds and fingerprints.umask and best.umask is None and builder == "pypa-build":
        found.append(dataclasses.replace(best, umask=fingerprints.umask, why=f"the published files are group-writable: umask {fingerprints.umask}"))
    pinned = {pin.split("==")[0] for pin in best.pins}
    if causes & listing and backend_pin is not None and backend_pin.project not in pinned:
        found.append(dataclasses.replace(best, pins=(*best.pins, backend_pin.pin), why=backend_pin.why))
    bundled = _bundled_setuptools(best, causes, builder, backend, default_python, pinned, backend_pin)
    if bundled is not None:
        found.append(bundled)
    if causes & listing and fingerprints.build_time and best.cutoff_origin != "build time":
        built = datetime.fromtimestamp(fingerprints.build_time, UTC)
        if (best.cutoff - built).total_seconds() > 600:
            found.append(dataclasses.replace(
                best, cutoff=built, cutoff_origin="build time",
                why=f"build requirements as of when the sdist was built ({built:%Y-%m-%d %H:%M} UTC, its newest member), not its upload",
            ))
    if not python_first:
        found.extend(interpreter_candidates(best, comparison, fingerprints, builder, default_python, pythons))
    newer_tools = _newer_tools(best, comparison, causes, builder, default_python, pythons)
    if newer_tools is not None:
        found.append(newer_tools)
    # SOURCE_DATE_EPOCH can only bring back times a backend stamped; a tree's checkout times (what
    # setuptools keeps) no choice reproduces.
    if (erased & {"mtime", "gzip-header"} or "mtime" in kinds) and fingerprints.single_stamp:
        for choice in epochs.alternatives(best.epoch, commit_time, published):
            found.append(dataclasses.replace(best, epoch=choice, why=f"SOURCE_DATE_EPOCH {choice.value if choice.value is not None else 'unset'} ({choice.origin})"))
    return with_the_old_writer(found, best, comparison, fingerprints, builder)


def with_the_old_writer(found: list[Recipe], best: Recipe, comparison: Comparison, fingerprints: Fingerprints, builder: str) -> list[Recipe]:
    """Every other candidate with the old tar writer too, when every header names it and the device
    fields differ: the writer touches only the headers' encoding, so it joins any other change (one
    build where a flit frontend, a backend pin or a umask and the writer are both needed), and the
    writer alone comes last."""
    writer = fingerprints.tar_writer
    if builder != "pypa-build" or not writer or best.tar_writer is not None or not _device_fields_differ(comparison):
        return found
    only_the_writer = dataclasses.replace(best, tar_writer=writer)
    alone = [recipe for recipe in found if dataclasses.replace(recipe, why=best.why) == only_the_writer]
    joined = [
        recipe if recipe.tar_writer is not None else dataclasses.replace(recipe, tar_writer=writer, why=f"{recipe.why}; with the tar writer {writer}")
        for recipe in found if recipe not in alone
    ]
    return [*joined, *alone]


def _setup_py_commands(best: Recipe, comparison: Comparison, causes: set[str], builder: str, backend: str | None, facts: SetupPyFacts) -> list[Recipe]:
    """`python setup.py …` itself: `egg_info -Db '' sdist` when the rebuild's name carries the
    development tags setup.cfg sets and the published one does not; `sdist` when metadata or file
    lists differ and the setup.py reads its command line, which PEP 517's setuptools backend runs
    with other arguments than the publisher typed."""
    if builder != "pypa-build" or backend_project(backend) != "setuptools":
        return []
    renamed = any(difference.kind == "top-level-directory" for difference in comparison.differences)
    if facts.egg_info_tags and renamed and best.frontend in (None, "setup.py"):
        return [dataclasses.replace(best, frontend="setup.py-release", why=(
            f"`python setup.py egg_info -Db '' sdist` (the usual `release` alias): the rebuild's name carries the "
            f"development tags of {facts.egg_info_tags} and the published one does not"
        ))]
    if facts.reads_argv and best.frontend is None and causes & LISTING_CAUSES:
        return [dataclasses.replace(best, frontend="setup.py", why=(
            f"`python setup.py sdist`, as typed by a publisher: metadata or file lists differ and the setup.py reads its "
            f"command line ({facts.reads_argv}), which PEP 517's setuptools backend runs with other arguments"
        ))]
    return []


def _flit_commands(best: Recipe, causes: set[str], builder: str, backend: str | None) -> list[Recipe]:
    """flit's own command: `flit build --setup-py` when a generated setup.py is published (flit
    wrote one by default before 3.5), `flit build` when tracked files the backend leaves out are."""
    if builder != "pypa-build" or backend not in ("flit_core.buildapi", "flit.buildapi"):
        return []
    if "generated-setup-py" in causes and best.frontend != "flit-setup-py":
        return [dataclasses.replace(best, frontend="flit-setup-py", why=(
            "a generated setup.py is published: `flit build --setup-py` (flit's default before 3.5) writes it, "
            "and adds every file git tracks"
        ))]
    if "omitted-by-rebuild" in causes and best.frontend is None:
        return [dataclasses.replace(best, frontend="flit", why="tracked files the backend leaves out are published: `flit build` adds every file git tracks")]
    return []


def _file_finder(best: Recipe, causes: set[str], builder: str, backend: str | None, build_requires: tuple[str, ...]) -> Recipe | None:
    """setuptools-scm installed beside setuptools, when tracked files the rebuild left out are published.

    setuptools-scm registers a file finder for every setuptools build in its environment: a release
    built without build isolation where it was installed lists every file git tracks (ecdsa 0.19.0)."""
    if "omitted-by-rebuild" not in causes or builder != "pypa-build" or backend_project(backend) != "setuptools":
        return None
    named = {_requirement_name(text) for text in (*build_requires, *best.extra_requirements, *best.pins)}
    if named & {"setuptools-scm", "setuptools-git", "setuptools-git-versioning"}:
        return None
    return dataclasses.replace(best, extra_requirements=(*best.extra_requirements, "setuptools-scm"), why=(
        "tracked files the rebuild left out are published: setuptools-scm installed at the publisher's lists every "
        "file git tracks (its file finder serves any setuptools build in that environment)"
    ))


def _requirement_name(text: str) -> str | None:
    try:
        return canonicalize_name(Requirement(text).name)
    except InvalidRequirement:
        return None


# The setuptools CPython's ensurepip bundles, by Python X.Y, and when that Python was first released:
# what `python -m venv` installs, so what a release built without build isolation (`python setup.py
# sdist`, `pip wheel --no-build-isolation`) in such a venv, or by actions/setup-python's Python, used.
# CPython 3.11.0 (2022-10-24) to 3.11.x bundle 65.5.0 (Lib/ensurepip/_bundled); 3.12 bundles none.
# Measured on pre-commit 3.7.1, identify 2.5.36, tenacity 8.3.0 (2024): equivalent only with 65.5.0.
BUNDLED_SETUPTOOLS = {"3.11": ("65.5.0", datetime(2022, 10, 24, tzinfo=UTC))}


def _bundled_setuptools(
    best: Recipe, causes: set[str], builder: str, backend: str | None, default_python: str | None, pinned: set[str],
    backend_pin: BackendChoice | None,
) -> Recipe | None:
    """The setuptools the recipe's Python bundles, when the metadata differs, nothing pins setuptools,
    and the published file's bounds on setuptools (if any) allow it."""
    python = best.python or default_python
    if builder != "pypa-build" or backend_project(backend) != "setuptools" or python not in BUNDLED_SETUPTOOLS:
        return None
    if not causes & {"metadata-fields", "metadata-version"} or "setuptools" in pinned:
        return None
    version, released = BUNDLED_SETUPTOOLS[python]
    if best.cutoff < released:
        return None
    if backend_pin is not None and backend_pin.project == "setuptools" and not SpecifierSet(backend_pin.specifier).contains(version):
        return None
    return dataclasses.replace(best, pins=(*best.pins, f"setuptools=={version}"), why=(
        f"setuptools {version}, the one CPython {python}'s ensurepip bundles (what `python{python} -m venv` "
        "installs): PKG-INFO differs, as when a release is built without build isolation in such an environment"
    ))


def _device_fields_differ(comparison: Comparison) -> bool:
    """Whether tar headers differ in their device fields (the old CPython tarfile's "0000000")."""
    return any(
        "devmajor" in field or "devminor" in field
        for difference in comparison.differences
        if difference.kind == "tar-header"
        for field in (difference.reference or {}).get("header_differences", [])
    )


def interpreter_candidates(
    best: Recipe, comparison: Comparison, fingerprints: Fingerprints, builder: str, default_python: str | None, pythons: tuple[str, ...]
) -> list[Recipe]:
    """The publisher's Python as the published file shows it: its bytecode names the interpreter,
    its tar headers the tarfile module (CPython 3.8's or 3.7's, which no Debian Python has: the old
    module is used instead, with the nearest Python there is)."""
    if builder != "pypa-build":
        return []
    found: list[Recipe] = []
    writer = fingerprints.tar_writer if best.tar_writer is None else None
    if writer and _device_fields_differ(comparison):
        found.append(dataclasses.replace(best, tar_writer=writer, why=f"the tar writer {writer}: {fingerprint_why(fingerprints, 'tar_writer')}"))
    wanted, current = fingerprints.python, best.python or default_python
    evidence = "python"
    if wanted is None:
        wanted, evidence = _python_named_by_scripts(fingerprints, comparison), "script_python"
    if wanted and wanted != current and pythons:
        newer = sorted((python for python in pythons if _minor(python) >= _minor(wanted)), key=_minor)
        nearest = wanted if wanted in pythons else (newer[0] if newer else None)
        if nearest and nearest != current:
            old_writer = fingerprints.tar_writer if wanted != nearest and fingerprints.tar_writer else best.tar_writer
            found.append(dataclasses.replace(
                best, python=nearest, tar_writer=old_writer,
                why=f"Python {nearest}" + (f" (the nearest to {wanted} here) with the tar writer {old_writer}" if nearest != wanted and old_writer else "")
                + f": {fingerprint_why(fingerprints, evidence)}",
            ))
    return found


def _newer_tools(
    best: Recipe, comparison: Comparison, causes: set[str], builder: str, default_python: str | None, pythons: tuple[str, ...]
) -> Recipe | None:
    """The newest base image (its Python and its Debian tools), when files the pre-build steps
    generated differ: the publisher's generator (gettext's msgfmt, …) was newer than this base's
    (humanize 4.9.0: msgfmt 0.21 writes `charset=utf-8`, newer ones `charset=UTF-8`)."""
    if builder != "pypa-build" or not best.prebuild or "generated-file" not in causes or not pythons:
        return None
    newest, current = max(pythons, key=_minor), best.python or default_python
    if current is None or _minor(newest) <= _minor(current):
        return None
    generated = [difference.path for difference in comparison.differences if difference.kind in ("content", "size")][:3]
    return dataclasses.replace(best, python=newest, why=(
        f"files the pre-build steps generated differ ({', '.join(generated)}…): the publisher's tools were newer than "
        f"this base image's: the newest base image (Python {newest}), with its Debian's tools"
    ))


def _python_named_by_scripts(fingerprints: Fingerprints, comparison: Comparison) -> str | None:
    """The Python a console script of the published entry_points.txt is named after, trusted only
    when no bytecode names one and the rebuild's entry_points.txt differs (then it is tried first)."""
    if fingerprints.python is None and fingerprints.script_python and _differs_in(comparison, "entry_points.txt"):
        return fingerprints.script_python
    return None


def _differs_in(comparison: Comparison, file_name: str) -> bool:
    """Whether a member named `file_name` differs between the published file and the rebuild."""
    return any(difference.path.rsplit("/", 1)[-1] == file_name for difference in comparison.differences)


def _minor(python: str) -> tuple[int, ...]:
    return tuple(int(part) for part in python.split(".")[:2] if part.isdigit())


def fingerprint_why(fingerprints: Fingerprints, name: str) -> str:
    """The evidence of the fingerprint `name` (the name itself when it has none)."""
    return next((str(evidence["why"]) for evidence in fingerprints.evidence if evidence["name"] == name), name)


def workflow_step_candidates(best: Recipe, comparison: Comparison, causes: set[str], listing: frozenset[str], steps: ReleaseSteps) -> list[Recipe]:
    """The release workflow's own steps before the build, when the differences point at them: files
    only in the published sdist (not tracked at the tag) that a pre-build step may have generated;
    metadata or file-list differences when the release installed pinned build tools."""
    found: list[Recipe] = []
    untracked = sorted(d.path for d in comparison.differences if d.kind == "only-in-reference")
    if "untracked-at-tag" in causes and steps.commands and not best.prebuild:
        shown = ", ".join(untracked[:3]) + (" …" if len(untracked) > 3 else "")
        origins = ", ".join(command.origin for command in steps.commands)
        found.append(dataclasses.replace(best, prebuild=steps.prebuild, why=(
            f"files only in the published sdist ({shown}) are not tracked at the tag: the release workflow's "
            f"pre-build steps ({origins}) may have generated them; run in the build container"
        )))
    if causes & (listing | {"untracked-at-tag"}) and steps.requirements and not best.extra_requirements:
        found.append(dataclasses.replace(best, extra_requirements=steps.requirements, why=(
            f"metadata or file lists differ and the release installed {', '.join(steps.requirements)} for the build "
            f"({', '.join(steps.requirement_origins)}): those pinned, the rest as of the cut-off"
        )))
    return found


def windows_candidates(best: Recipe, fingerprints: Fingerprints, builder: str, crlf_tracked: tuple[str, ...]) -> list[Recipe]:
    """A Windows release machine, emulated in the build container, when the published file shows a
    Windows build: git's autocrlf checkout when files tracked with LF are published with CRLF, else
    the tag's files as committed (then only the modes, the umask and the text mode are Windows')."""
    if builder != "pypa-build" or not (fingerprints.windows or crlf_tracked):
        return []
    wanted = "crlf-checkout" if crlf_tracked else "lf-checkout"
    if best.windows in (wanted, "crlf-checkout"):
        return []
    signs = [str(evidence["why"]) for evidence in fingerprints.evidence if evidence["name"] == "windows"]
    if crlf_tracked:
        shown = ", ".join(crlf_tracked[:3]) + (" …" if len(crlf_tracked) > 3 else "")
        signs.append(f"{len(crlf_tracked)} file(s) tracked with LF at the tag are published with CRLF ({shown})")
        machine = "a Windows release machine whose checkout was git's core.autocrlf=true one"
    else:
        machine = "a Windows release machine checking out the tag's files as committed (LF)"
    why = f"{machine} (files 0666/0777, umask 000, text-mode writes with CRLF), emulated: {'; '.join(signs)}"
    return [dataclasses.replace(best, windows=wanted, umask=None, why=why)]
