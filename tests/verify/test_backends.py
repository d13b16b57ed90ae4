"""End to end, one real project per backend: published by a maintainer's machine, served by a local
index, rebuilt from its tag in podman, compared."""

from pathlib import Path

import pytest

from tests.support.projects import PROJECTS, make_repo


@pytest.mark.parametrize("backend", list(PROJECTS))
def test_faithful_release_is_reproducible(backend: str, publisher, index_dir: Path, local_index, verify, tmp_path: Path) -> None:
    project = PROJECTS[backend]
    repo = make_repo(project, tmp_path / "repo")
    published = publisher.publish(repo, project.tag, index_dir, project)
    result, report = verify(repo, project.version, local_index)
    assert result.code == 0, (report["verdict"], report.get("error"), report.get("comparison"))
    assert report["verdict"] in ("identical", "equivalent")
    assert report["package"] == project.name and report["version"] == project.version
    assert report["source"]["tag"] == project.tag
    assert report["published"]["sha256"] == __import__("hashlib").sha256(published.read_bytes()).hexdigest()
    assert report["builder"]["build_requirements"], "pinned build requirements are recorded"
    assert all(r["sha256"] for r in report["builder"]["build_requirements"])
    assert report["builder"]["network"] is False
    if report["verdict"] == "equivalent":
        effects = report["comparison"]["normalizations"]
        assert set(effects) == {"mtime", "owner", "gzip-header"}
        assert any(effect["pairs"] for effect in effects.values())
    assert report["reproduce"].startswith("verifier verify --tag")
    assert set(report["timings"]) >= {"source", "fetch", "image", "build", "compare"}
