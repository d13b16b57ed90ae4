"""Which of the builds found is most likely the one that made the published sdist.

Builds are ranked by `rank` (higher first; ties keep file order):
1. with `package`, a build whose directory names the package;
2. a build that makes an sdist over a wheel-only one;
3. a build in a job that publishes or is linked to the publishing job by `needs` (either way),
   or in a reusable workflow such a job calls;
4. a build in a workflow that publishes at all, then one triggered by a release or a tag;
5. a frontend the verifier runs;
6. a job on a Linux runner (of builds otherwise equal, e.g. one job per OS).
"""

from __future__ import annotations

import posixpath
import re
from dataclasses import dataclass

from verifier.recipe.commands import JobCommand
from verifier.recipe.jobs import ScannedJob
from verifier.recipe.kinds import Build
from verifier.recipe.runners import job_runner
from verifier.recipe.workflows import Workflow


@dataclass(frozen=True)
class FoundBuild:
    """One build in one job, with what ranks it."""

    scanned: ScannedJob
    index: int
    linked: bool  # the job publishes or is linked to the publishing job
    workflow_publishes: bool

    @property
    def item(self) -> JobCommand:
        return self.scanned.commands[self.index]

    @property
    def build(self) -> Build:
        assert self.item.kind.build is not None
        return self.item.kind.build


def found_builds(jobs: list[ScannedJob], workflows: list[Workflow]) -> list[FoundBuild]:
    """Every build of every job, with whether it is linked to a publishing job."""
    linked: dict[str, set[str]] = {}
    publishing_workflows: set[str] = set()
    for workflow in workflows:
        publishers = {scanned.job.id for scanned in jobs if scanned.workflow is workflow and scanned.publishes}
        linked[workflow.path] = _linked_jobs(workflow, publishers)
        if publishers:
            publishing_workflows.add(workflow.path)
    called = _called_workflows(workflows, linked)
    found: list[FoundBuild] = []
    for scanned in jobs:
        path = scanned.workflow.path
        is_linked = scanned.job.id in linked.get(path, set()) or path in called
        publishes = path in publishing_workflows or path in called
        for index, item in enumerate(scanned.commands):
            if item.kind.build is not None:
                found.append(FoundBuild(scanned, index, is_linked, publishes))
    return found


def _linked_jobs(workflow: Workflow, publishers: set[str]) -> set[str]:
    """Publishing jobs, the jobs they need (transitively), and the jobs that need them."""
    needs = {job.id: set(job.needs) for job in workflow.jobs}
    linked = set(publishers)
    for publisher in publishers:
        linked |= _ancestors(publisher, needs)
    for job in workflow.jobs:
        if _ancestors(job.id, needs) & publishers:
            linked.add(job.id)
    return linked


def _ancestors(job_id: str, needs: dict[str, set[str]]) -> set[str]:
    """Every job `job_id` needs, directly or not (cycles tolerated)."""
    seen: set[str] = set()
    pending = list(needs.get(job_id, ()))
    while pending:
        current = pending.pop()
        if current not in seen:
            seen.add(current)
            pending.extend(needs.get(current, ()))
    return seen


def _called_workflows(workflows: list[Workflow], linked: dict[str, set[str]]) -> set[str]:
    """Local reusable workflows (`uses: ./.github/workflows/x.yml`) called by jobs linked to publishing."""
    called: set[str] = set()
    for workflow in workflows:
        for job in workflow.jobs:
            uses = job.uses.text() if job.uses is not None else None
            if uses and uses.startswith("./") and job.id in linked.get(workflow.path, set()):
                called.add(posixpath.normpath(uses.split("@", 1)[0][2:]))
    return called


def rank(candidate: FoundBuild, package: str | None) -> tuple[int, ...]:
    """Higher is likelier to be the build of the published sdist; ties keep file order."""
    triggers = candidate.scanned.workflow.triggers
    return (
        int(bool(package) and mentions_package(candidate, package or "")),
        int(candidate.build.sdist),
        int(candidate.linked),
        int(candidate.workflow_publishes),
        int(bool(triggers & {"release", "tags"})),
        int(candidate.build.frontend is not None),
        int(job_runner(candidate.scanned.workflow, candidate.scanned.job).os in ("linux", None)),
    )


def _normalize(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def mentions_package(candidate: FoundBuild, package: str) -> bool:
    """Whether the build's directory, paths or calls name the package's directory."""
    wanted = _normalize(package)
    item = candidate.item
    texts = [item.workdir or "", *candidate.build.paths, *(via.value for via in item.via)]
    for text in texts:
        for part in re.split(r"[/\\\s=]+", text):
            if part and _normalize(part) == wanted:
                return True
    return False
