"""For `--search`: the build backend's release history, when the published PKG-INFO dates the backend
(recipe/backend_versions.py), and the version a next recipe would pin from it.

Read at most once per run from the build index (the one build requirements come from), the first
time metadata or file lists differ and the published file bounds the backend; the choice itself is
made per attempt, as of that attempt's cut-off."""

from __future__ import annotations

from dataclasses import dataclass

from packaging.requirements import InvalidRequirement, Requirement

from verifier.build.interface import BuildResult
from verifier.errors import VerifierError
from verifier.recipe import backend_versions
from verifier.recipe.backend_versions import BackendChoice, BackendHistory
from verifier.recipe.candidates import LISTING_CAUSES
from verifier.recipe.interface import Fingerprints, Recipe
from verifier.recipe.tree_files import read_project_file
from verifier.upstream.index import IndexClient
from verifier.upstream.names import normalize_project
from verifier.verify.stages.context import Run
from verifier.verify.stages.source import SourceStage

TRUST = (
    "only fingerprints the backend writes whatever the project configures are read (Metadata-Version, "
    "and fields present that it wrote on its own); a missing field proves nothing"
)


def history(run: Run, source: SourceStage, fingerprints: Fingerprints) -> BackendHistory | None:
    """The backend's bounds and releases; None without bounds, for a backend pinned by hand, or when
    the build index cannot say (a note)."""
    if source.builder.name != "pypa-build":
        return None
    project = backend_versions.backend_project(source.project.build_backend)
    if project is None:
        return None
    if project == "hatchling" and _pyproject_mentions(source, "core-metadata-version"):
        run.note("the project sets hatchling's core-metadata-version: its Metadata-Version does not date hatchling")
        return None
    names = backend_versions.fingerprints_of(fingerprints.metadata_version, fingerprints.pkg_info_markers)
    if project == "poetry-core" and backend_versions.POETRY_SETUP_PY in names and _pyproject_mentions(source, "generate-setup-file"):
        run.note("the project sets poetry's generate-setup-file: its generated setup.py does not date poetry-core")
        names.remove(backend_versions.POETRY_SETUP_PY)
    bounds = backend_versions.bounds(project, names)
    if not bounds:
        return None
    by_hand = [pin for pin in (*run.settings.pins, *run.request.pins) if _names(pin, project)]
    if by_hand:
        run.note(f"the published PKG-INFO dates {project} ({_shown(bounds)}), but {by_hand[0]} is pinned by hand: kept")
        return None
    index_url = run.request.build_index_url or run.settings.build_index_url
    try:
        with IndexClient(index_url) as index:
            files = index.list_files(project)
    except VerifierError as exc:
        run.note(f"the published PKG-INFO dates {project} ({_shown(bounds)}), but its releases could not be listed: {exc}")
        return None
    releases = backend_versions.releases_from([(file.version, file.upload_time, file.yanked) for file in files])
    return BackendHistory(project, bounds, releases)


@dataclass
class BackendVersions:
    """The backend's history, read from the index the first time a pin could help."""

    run: Run
    source: SourceStage
    fingerprints: Fingerprints
    _history: BackendHistory | None = None
    _read: bool = False

    def next_pin(self, recipe: Recipe, build: BuildResult, causes: set[str]) -> BackendChoice | None:
        """The backend version a recipe after `recipe` would pin: None unless metadata or file lists
        differ, when the build already used a version within the bounds (another one would not
        write other metadata), or when none fits."""
        if not causes & LISTING_CAUSES:
            return None
        if not self._read:
            self._history, self._read = history(self.run, self.source, self.fingerprints), True
        found = self._history
        if found is None:
            return None
        used = next((str(item.get("version")) for item in build.requirements if normalize_project(str(item.get("name", ""))) == found.project), None)
        if used is not None and backend_versions.satisfies(found, used):
            return None
        return backend_versions.choose(found, recipe.cutoff)


def explain_choice(choice: BackendChoice) -> str:
    """The report's note on a backend version a recipe pinned: which fingerprints, which bounds."""
    return (
        f"backend version: {choice.pin} (uploaded {choice.uploaded:%Y-%m-%d}), the newest {choice.project} release "
        f"uploaded before the cut-off {choice.cutoff:%Y-%m-%d %H:%M} UTC within {choice.specifier}; "
        f"bounds from the published file: {choice.evidence}; {TRUST}"
    )


def _pyproject_mentions(source: SourceStage, setting: str) -> bool:
    """Whether the project's pyproject.toml names `setting` (then the backend wrote what it says)."""
    text = read_project_file(source.checkout.path, source.project.subdir, "pyproject.toml")
    return text is not None and setting in text


def _names(pin: str, project: str) -> bool:
    try:
        return normalize_project(Requirement(pin).name) == project
    except InvalidRequirement:
        return False


def _shown(bounds: tuple[backend_versions.Rule, ...]) -> str:
    return "; ".join(f"{rule.shown_as} → {rule.specifier}" for rule in bounds)
