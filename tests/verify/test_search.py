"""The hard cases: the published file says how it was built; --search tries the recipes it points at,
within a budget, and never normalizes content away."""

from pathlib import Path

from tests.support.projects import PROJECTS, make_repo, set_upload_time, tamper


def test_umask_002_release_is_found_by_search(publisher, index_dir: Path, local_index, verify, tmp_path: Path) -> None:
    project = PROJECTS["setuptools-scm"]
    repo = make_repo(project, tmp_path / "repo")
    publisher.publish(repo, project.tag, index_dir, project, umask=0o002)
    plain, plain_report = verify(repo, project.version, local_index)
    assert plain.code == 1 and {e["cause"] for e in plain_report["explanations"]} >= {"umask"}
    result, report = verify(repo, project.version, local_index, "--search", "--max-builds", "3")
    assert result.code == 0, [(a["why"], a["verdict"]) for a in report["attempts"]]
    assert report["recipe"]["umask"] == "002"
    assert "--umask 002" in report["reproduce"]
    assert any(f["name"] == "umask" for f in report["fingerprints"])
    assert len(report["attempts"]) <= 3


def test_search_keeps_a_tampered_release_different(publisher, index_dir: Path, local_index, verify, tmp_path: Path) -> None:
    project = PROJECTS["setuptools-scm"]
    repo = make_repo(project, tmp_path / "repo")
    published = publisher.publish(repo, project.tag, index_dir, project, umask=0o002)
    tamper(published, "scm_demo/__init__.py", b"def answer() -> int:\n    return 43\n")
    set_upload_time(index_dir, published.name)
    result, report = verify(repo, project.version, local_index, "--search", "--max-builds", "4")
    assert result.code == 1
    assert all(attempt["verdict"] == "different" for attempt in report["attempts"])
    assert ("size", "scm_demo-1.2.0/src/scm_demo/__init__.py") in {(d["kind"], d["path"]) for d in report["comparison"]["differences"]} or any(
        d["path"].endswith("scm_demo/__init__.py") for d in report["comparison"]["differences"]
    )


def test_crlf_metadata_is_explained_as_windows(publisher, index_dir: Path, local_index, verify, tmp_path: Path) -> None:
    project = PROJECTS["flit"]
    repo = make_repo(project, tmp_path / "repo")
    published = publisher.publish(repo, project.tag, index_dir, project)
    import tarfile

    with tarfile.open(published) as archive:
        pkg_info = archive.extractfile("flit_demo-2.0.0/PKG-INFO").read()
    tamper(published, "flit_demo-2.0.0/PKG-INFO", pkg_info.replace(b"\n", b"\r\n"))
    set_upload_time(index_dir, published.name)
    result, report = verify(repo, project.version, local_index)
    assert result.code == 1
    assert ("windows-line-endings", "flit_demo-2.0.0/PKG-INFO") in {(e["cause"], e["path"]) for e in report["explanations"]}
    assert any(f["name"] == "windows" for f in report["fingerprints"])


def test_release_made_from_an_earlier_commit_is_named(publisher, index_dir: Path, local_index, verify, tmp_path: Path) -> None:
    from tests.support.projects import git

    project = PROJECTS["flit"]
    repo = make_repo(project, tmp_path / "repo")
    earlier = git(repo, "rev-parse", "HEAD")
    (repo / "flit_demo" / "__init__.py").write_text('"""A module, final."""\n\n\ndef answer() -> int:\n    return 42\n')
    git(repo, "commit", "-q", "-am", "final docstring")
    git(repo, "tag", "-f", "-a", project.tag, "-m", "moved")
    publisher.publish(repo, earlier, index_dir, project)
    result, report = verify(repo, project.version, local_index)
    assert result.code == 1
    other = [e for e in report["explanations"] if e["cause"] == "other-commit"]
    assert other and other[0]["evidence"]["commit"] == earlier and other[0]["evidence"]["distance"] == -1
