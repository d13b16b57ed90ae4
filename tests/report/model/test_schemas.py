"""The published JSON Schemas are the models' own, and what the commands write validates."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from jsonschema import Draft202012Validator

from tests.nightly.outputs.sample import sample_dicts
from tests.support.archives import SAMPLE, Packing, sdist
from tests.support.projects import PROJECTS, make_repo
from verifier.nightly.outputs import History, write_all
from verifier.report.model.schemas import DEFAULT_DIRECTORY, PUBLISHED, main, render

SCHEMAS = {published.schema_id: published for published in PUBLISHED}


def validator(schema_id: str) -> Draft202012Validator:
    schema = json.loads((DEFAULT_DIRECTORY / SCHEMAS[schema_id].filename).read_text(encoding="utf-8"))
    Draft202012Validator.check_schema(schema)
    return Draft202012Validator(schema)


@pytest.mark.parametrize("published", PUBLISHED, ids=lambda p: p.filename)
def test_published_files_are_the_generated_schemas(published) -> None:
    on_disk = (DEFAULT_DIRECTORY / published.filename).read_text(encoding="utf-8")
    assert on_disk == render(published), "regenerate: python -m verifier.report.model.schemas"
    assert json.loads(on_disk)["$id"] == published.schema_id


def test_the_generator_writes_every_schema(tmp_path: Path) -> None:
    assert main([str(tmp_path)]) == 0
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(p.filename for p in PUBLISHED)


def test_compare_reports_validate(cli, tmp_path: Path) -> None:
    a = sdist(tmp_path / "a.tar.gz", SAMPLE)
    b = sdist(tmp_path / "b.tar.gz", SAMPLE[:-1], packing=Packing(mtime=5))
    for name, (left, right) in {"identical": (a, a), "different": (a, b)}.items():
        out = tmp_path / f"{name}.json"
        cli("compare", left, right, "--json", out)
        report = json.loads(out.read_text())
        assert report["verdict"] == name
        validator(report["schema"]).validate(report)


def test_audit_reports_validate(cli, publisher, index_dir: Path, tmp_path: Path) -> None:
    project = PROJECTS["hatchling"]
    repo = make_repo(project, tmp_path / "repo")
    published = publisher.publish(repo, project.tag, index_dir, project, dirty_files={"src/hatch_demo/_extra.py": "x = 1\n"})
    flagged = cli("audit", "--tag", project.version, "--repo", repo, "--artifact", published, "--json", "-", "--search-commits", "2").json()
    stopped = cli("audit", "--tag", "v9.9", "--repo", repo, "--artifact", published, "--json", "-").json()
    assert (flagged["verdict"], stopped["verdict"]) == ("not-from-source", "error")
    for report in (flagged, stopped):
        validator(report["schema"]).validate(report)


def test_nightly_summary_validates(tmp_path: Path) -> None:
    write_all(History.from_dicts(*sample_dicts(tmp_path / "work")), tmp_path / "site")
    summary = json.loads((tmp_path / "site" / "summary.json").read_text(encoding="utf-8"))
    validator(summary["schema"]).validate(summary)
