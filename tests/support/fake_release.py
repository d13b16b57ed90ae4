"""A release verified end to end with only the container build replaced: a real git repository with
a tag, its sdist published on a real local index (the fake backend's, see fake_builder.py), and the
real `verify` pipeline driven with the fake builder."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from tests.support.fake_builder import FakeBuilder, NoRuntime, make_sdist
from tests.support.projects import Project, git, make_repo, set_upload_time
from verifier.config import Settings
from verifier.report.model.verify import VerifyReport
from verifier.testing.index_server import LocalIndex
from verifier.verify.interface import VerifyRequest
from verifier.verify.pipeline import verify

DEMO = Project(
    "hatchling", "fake-demo", "fake_demo", "v1.0.0", "1.0.0",
    {
        "pyproject.toml": '[build-system]\nrequires = ["hatchling"]\nbuild-backend = "hatchling.build"\n\n'
        '[project]\nname = "fake-demo"\nversion = "1.0.0"\ndescription = "built by the fake backend"\n',
        "src/fake_demo/__init__.py": '"""A module."""\n\nANSWER = 42\n',
        "README.md": "# fake-demo\n",
    },
    ("hatchling",),
)


@dataclass
class FakeRelease:
    repo: Path
    index_dir: Path
    index: LocalIndex
    workdir: Path
    cache_dir: Path
    builder: FakeBuilder = field(default_factory=FakeBuilder)
    progress: list[str] = field(default_factory=list)

    @property
    def commit_time(self) -> int:
        return int(git(self.repo, "log", "-1", "--format=%ct", DEMO.tag))

    def publish(self, *, epoch: int | None = None, umask: int = 0o022, replace: dict[str, bytes] | None = None) -> Path:
        """The published sdist (SOURCE_DATE_EPOCH the tag's commit time unless given), on the index."""
        stamp = self.commit_time if epoch is None else epoch
        sdist = make_sdist(self.repo, DEMO.name, DEMO.version, self.index_dir / DEMO.name, epoch=stamp, umask=umask, replace=replace)
        set_upload_time(self.index_dir, sdist.name)
        return sdist

    def verify(self, **options: object) -> VerifyReport:
        given: dict[str, object] = {"tag": DEMO.version, "repo": self.repo, "index_url": self.index.url, "workdir": self.workdir, **options}
        request = VerifyRequest(**given)  # type: ignore[arg-type]
        settings = Settings(cache_dir=self.cache_dir, build_index_url=self.index.url)
        return verify(request, settings, self.progress.append, builder=self.builder, runtime=NoRuntime())


RELEASE_WORKFLOW = """\
name: release
on: push
jobs:
  sdist:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
      - uses: actions/setup-python@v5
        with:
          python-version: "3.11"
      - run: python -m pip install build
      - run: python -m build --sdist
        env:
          FAKE_DEMO_FLAG: "1"
"""


def fake_release(tmp_path: Path, index_dir: Path, index: LocalIndex, *, workflow: bool = False) -> FakeRelease:
    """The demo in a tagged repository (with a release workflow when asked), nothing published yet."""
    extra = {".github/workflows/release.yml": RELEASE_WORKFLOW} if workflow else None
    repo = make_repo(DEMO, tmp_path / "repo", extra)
    return FakeRelease(repo, index_dir, index, tmp_path / "work", tmp_path / "cache")
