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


def _statement_file(statement: dict, tmp_path: Path) -> Path:
    from verifier.attest.intoto import write_statement

    path = tmp_path / "statement.intoto.json"
    write_statement(statement, path)
    return path


def test_every_verified_file_of_the_release_is_a_subject(tmp_path: Path) -> None:
    from tests.support import artifact_reports as reports

    statement = validate(_statement_file(verify_statement(reports.report()), tmp_path))
    subjects = {s["name"]: s["digest"]["sha256"] for s in statement["subject"]}
    assert subjects == {reports.SDIST: "a" * 64, reports.PURE: "c" * 64, reports.PURE2: "e" * 64}
    assert reports.PLATFORM not in subjects  # not verified: never attested
    predicate = statement["predicate"]
    assert predicate["verdict"] == "different"
    by_name = {a["name"]: a for a in predicate["artifacts"]}
    assert list(by_name) == [reports.SDIST, reports.PURE, reports.PURE2, reports.PLATFORM]
    assert by_name[reports.SDIST]["verdict"] == "equivalent" and by_name[reports.SDIST]["normalizations"] == ["tar-mtime"]
    assert by_name[reports.SDIST]["rebuilt"]["digest"]["sha256"] == "b" * 64
    wheel = by_name[reports.PURE]
    assert wheel["verdict"] == "different" and wheel["builtFrom"] == "rebuilt sdist"
    assert wheel["differences"][0]["path"] == "demo/__init__.py" and wheel["differencesNotListed"] == 2
    assert wheel["explanations"][0]["cause"] == "wheel-module-not-in-sdist"
    platform = by_name[reports.PLATFORM]
    assert platform["verdict"] is None and "toolchain" in platform["notVerified"]


def test_a_report_without_artifacts_attests_its_sdist_alone(tmp_path: Path) -> None:
    from tests.support import artifact_reports as reports

    statement = validate(_statement_file(verify_statement(reports.sdist_only()), tmp_path))
    assert statement["subject"] == [{"name": reports.SDIST, "digest": {"sha256": "a" * 64}}]
    assert statement["predicate"]["artifacts"] == []


def test_a_release_whose_only_files_were_not_verified_has_nothing_to_attest() -> None:
    from dataclasses import replace

    import pytest

    from tests.support import artifact_reports as reports
    from verifier.errors import BadInput

    report = reports.report()
    with pytest.raises(BadInput, match="nothing to attest"):
        verify_statement(replace(report, artifacts=report.artifacts[3:]))


def test_a_wheel_that_could_not_be_rebuilt_is_no_subject(tmp_path: Path) -> None:
    from dataclasses import replace

    from tests.support import artifact_reports as reports
    from verifier.report.model.verdict import Verdict
    from verifier.report.model.verify import Artifact

    report = reports.report()
    unbuilt = Artifact("demo-1.0-py3-none-any.whl", "wheel", "9" * 64, None, Verdict.COULD_NOT_VERIFY,
                       error="the sdist was not rebuilt, so its wheels were not either")
    failed_sdist = replace(report.artifacts[0], verdict=Verdict.COULD_NOT_VERIFY)
    statement = validate(_statement_file(verify_statement(replace(report, artifacts=(failed_sdist, unbuilt))), tmp_path))
    assert [s["name"] for s in statement["subject"]] == [reports.SDIST]  # the sdist whatever its verdict, as before
    assert statement["predicate"]["artifacts"][1]["verdict"] == "could-not-verify"
    assert "not rebuilt" in statement["predicate"]["artifacts"][1]["error"]
