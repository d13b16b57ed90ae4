"""Which operating system a build job runs on (`runs-on`, a literal or `${{ matrix.KEY }}`).

Releases are sometimes built by several jobs, one per OS, each uploading its sdist to the same
artifact: the one uploaded last is the one published. The rebuild runs on Linux; when the Linux
build is one of several, the report says which others there were (a Windows build shows in the
published sdist as CRLF line ends and world-writable modes).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from verifier.recipe.interface import Setting
from verifier.recipe.setup_python import _matrix_values
from verifier.recipe.workflows import Job, Workflow

_MATRIX = re.compile(r"^\$\{\{\s*matrix\.([A-Za-z0-9_-]+)\s*\}\}$")


def os_of(label: str) -> str:
    """"linux", "windows", "macos" or "other" for a runner label."""
    text = label.lower()
    for name, words in (("windows", ("windows", "win")), ("macos", ("macos", "mac", "osx")), ("linux", ("ubuntu", "linux"))):
        if any(word in text for word in words):
            return name
    return "other" if text != "self-hosted" else "linux"  # most self-hosted runners are Linux


@dataclass(frozen=True)
class Runner:
    """The runner of a build job: the label rebuilt (Linux when there is one) and every label it names."""

    label: str | None  # None: not told (an expression, a runner group)
    labels: tuple[str, ...]
    origin: str
    matrix_key: str | None = None

    @property
    def os(self) -> str | None:
        return os_of(self.label) if self.label else None

    def setting(self) -> Setting | None:
        if self.label is None:
            return None
        note = "the job's runner"
        if self.matrix_key and len(self.labels) > 1:
            note = f"matrix.{self.matrix_key} lists {', '.join(self.labels)}: the Linux one is rebuilt"
        return Setting("runs_on", self.label, self.origin, note)


def job_runner(workflow: Workflow, job: Job) -> Runner:
    """The runner of `job`: its literal label, or of a matrix the Linux one (else the first)."""
    node = job.node.get("runs-on")
    origin = f"{workflow.path}:{node.line if node is not None else job.line}"
    if node is None:
        return Runner(None, (), origin)
    text = node.text()
    if text is None:  # a list of labels (self-hosted, linux, x64) or a runner group
        labels = tuple(item.text() or "" for item in node.sequence() if item.text())
        return Runner(" ".join(labels) or None, labels, origin)
    matrix = _MATRIX.match(text.strip())
    if matrix is None:
        return Runner(None if "${{" in text else text.strip(), (text.strip(),), origin)
    values = _matrix_values(job.matrix, matrix.group(1))
    if not values:
        return Runner(None, (), origin, matrix.group(1))
    labels = tuple(value for value, _ in values)
    chosen = next(((value, node) for value, node in values if os_of(value) == "linux"), values[0])
    return Runner(chosen[0], labels, f"{workflow.path}:{chosen[1].line}", matrix.group(1))
