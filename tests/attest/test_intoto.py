"""Attestations validate against the in-toto Statement v1 schema (the in-toto-attestation library)."""

import json
from pathlib import Path

from google.protobuf import json_format
from in_toto_attestation.v1 import statement_pb2
from in_toto_attestation.v1.statement import Statement

from tests.support.projects import PROJECTS, make_repo, set_upload_time, tamper
from verifier.attest.intoto import REBUILD_PREDICATE, verify_statement


def validate(path: Path) -> dict:
    data = json.loads(path.read_text())
    proto = json_format.Parse(path.read_text(), statement_pb2.Statement())
    Statement.copy_from_pb(proto).validate()
    return data


def test_verify_attestation_is_a_valid_statement(cli, publisher, index_dir: Path, local_index, tmp_path: Path) -> None:
    project = PROJECTS["flit"]
    repo = make_repo(project, tmp_path / "repo")
    published = publisher.publish(repo, project.tag, index_dir, project)
    statement_path = tmp_path / "rebuild.intoto.json"
    result = cli("verify", "--tag", project.version, "--repo", repo, "--index-url", local_index.url, "--attestation", statement_path, "-q")
    assert result.code == 0, result.stdout
    statement = validate(statement_path)
    assert statement["predicateType"] == REBUILD_PREDICATE
    assert statement["subject"][0]["name"] == published.name
    predicate = statement["predicate"]
    assert predicate["source"]["tag"] == project.tag and len(predicate["source"]["commit"]) == 40
    assert predicate["builder"]["image"].startswith("sha256:")
    assert predicate["builder"]["buildRequirements"][0]["digest"]["sha256"]
    assert predicate["sourceDateEpoch"]["origin"] == "tag"
    assert predicate["verdict"] in ("identical", "equivalent")


def test_a_failed_verification_is_attested_too(cli, publisher, index_dir: Path, local_index, tmp_path: Path) -> None:
    project = PROJECTS["flit"]
    repo = make_repo(project, tmp_path / "repo")
    published = publisher.publish(repo, project.tag, index_dir, project)
    tamper(published, "flit_demo/__init__.py", b"evil = True\n")
    set_upload_time(index_dir, published.name)
    statement_path = tmp_path / "rebuild.intoto.json"
    result = cli("verify", "--tag", project.version, "--repo", repo, "--index-url", local_index.url, "--attestation", statement_path, "-q")
    assert result.code == 1
    predicate = validate(statement_path)["predicate"]
    assert predicate["verdict"] == "different"
    assert any(d["path"].endswith("flit_demo/__init__.py") for d in predicate["differences"])


def test_statement_from_a_report_needs_a_subject_digest() -> None:
    import pytest

    from verifier.errors import BadInput
    from verifier.report.model.verdict import Verdict
    from verifier.report.model.verify import VerifyReport

    with pytest.raises(BadInput):
        verify_statement(VerifyReport(verdict=Verdict.ERROR))
