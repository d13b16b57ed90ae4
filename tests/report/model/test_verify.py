"""The verify report model: the JSON keys and their order as the report has always written them,
the published JSON Schema, and reading a stored report back."""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path
from typing import Any

import jsonschema
import pytest

from tests.support.fake_builder import FakeBuilder
from tests.support.fake_release import fake_release
from verifier.report.model import verify as model
from verifier.report.model.serialize import from_data, json_schema, to_data, to_json
from verifier.report.model.verdict import Verdict
from verifier.testing.index_server import LocalIndex

SCHEMA_FILE = Path(__file__).resolve().parents[3] / "docs" / "schemas" / "verify-report.v1.json"

# Keys written only when they have a value (NAME==VERSION and --repo URL runs name where the source came from).
OPTIONAL_KEYS: dict[type[Any], list[str]] = {model.Source: ["url", "url_found_in", "url_rewrite"]}
# Keys in the middle of a part written only when they have a value (an artifact's why-not-verified and error).
OMITTED_WHEN_NONE: dict[type[Any], set[str]] = {model.Artifact: {"not_verified", "error"}}
RECIPE = ["source_date_epoch", "requirements_cutoff", "requirements_cutoff_origin", "umask", "python", "env", "frontend", "why",
          "tar_writer", "pins", "prebuild", "extra_requirements", "windows"]
# The keys of each part of the JSON report, in order: what the report wrote before it had a model.
KEYS: dict[type[Any], list[str]] = {
    model.VerifyReport: [
        "schema", "kind", "verdict", "package", "version", "source", "builder", "published", "rebuilt", "comparison",
        "explanations", "checks", "attempts", "notes", "transplant", "recipe", "fingerprints", "inferred", "timings",
        "reproduce", "workdir", "error", "error_details", "tool_version", "tools", "artifacts",
    ],
    model.Source: [
        "repo", "tag", "commit", "commit_time", "version_from_tag", "submodules", "subdir", "build_backend",
        "source_date_epoch", "source_date_epoch_origin", "source_date_epoch_detail",
    ],
    model.Submodule: ["name", "path", "url", "commit", "fetched_from"],
    model.Builder: [
        "name", "image", "base_image", "python", "build_requirements", "environment", "network", "deviations", "notes",
        "log", "base", "runtime", "pins",
    ],
    model.BuildRequirement: ["name", "version", "filename", "sha256"],
    model.Deviation: ["what", "original", "replacement", "why"],
    model.BootstrappedBase: ["image_id", "suite", "rootfs_sha256", "python_version", "origin"],
    model.NamedBase: ["origin"],
    model.PublishedOnIndex: ["url", "filename", "sha256", "size", "upload_time", "index", "path"],
    model.LocalArtifact: ["path", "sha256", "size", "url", "upload_time", "index_sha256"],
    model.Rebuilt: ["filename", "sha256", "size", "path"],
    model.Explanation: ["path", "cause", "message", "evidence"],
    model.Check: ["name", "ok", "message", "evidence"],
    model.EpochChoice: ["value", "origin", "detail"],
    model.Recipe: RECIPE,
    model.Attempt: [*RECIPE, "verdict", "differences", "rebuilt_sha256", "error"],
    model.TransplantResult: ["identical", "transplanted_sha256", "published_sha256", "reason", "differing_members"],
    model.TransplantFailed: ["identical", "reason"],
    model.Fingerprint: ["name", "value", "why"],
    model.Inferred: ["frontend", "python", "env", "prebuild", "build_command", "settings", "notes"],
    model.InferredSetting: ["name", "value", "origin", "note"],
    model.InferredCommand: ["text", "origin", "working_directory"],
    model.Artifact: [
        "filename", "kind", "sha256", "url", "verdict", "not_verified", "built_from", "normalizations", "differences",
        "differences_not_listed", "explanations", "recipe", "rebuilt_sha256", "error",
    ],
}
COMPARISON = [
    "schema", "kind", "verdict", "reference", "candidate", "normalizations", "differences", "differences_not_listed",
    "warnings", "gzip", "diffoscope", "timings",
]


@pytest.mark.parametrize("part", list(KEYS), ids=lambda part: part.__name__)
def test_each_part_keeps_its_keys_in_order(part: type[Any]) -> None:
    assert [field.name for field in dataclasses.fields(part)] == KEYS[part] + OPTIONAL_KEYS.get(part, [])


@pytest.fixture
def full_report(tmp_path: Path, index_dir: Path, local_index: LocalIndex) -> model.VerifyReport:
    """A report with every part filled: a release workflow read, two builds, an equivalent verdict."""
    release = fake_release(tmp_path, index_dir, local_index, workflow=True)
    release.builder = FakeBuilder(name="pypa-build")
    release.publish(epoch=release.commit_time + 3600)
    return release.verify(search=True, max_builds=1)


def _keys_of(value: Any, part: type[Any]) -> None:
    """Every dataclass in the written JSON has its part's keys, in order."""
    data = to_data(value)
    omitted = {key for key in OMITTED_WHEN_NONE.get(part, set()) if getattr(value, key) is None}
    assert list(data) == [key for key in KEYS[part] if key not in omitted], part.__name__
    for field in dataclasses.fields(part):
        inner = getattr(value, field.name)
        items = inner if isinstance(inner, tuple) else (inner,)
        for item in items:
            if type(item) in KEYS:
                _keys_of(item, type(item))


def test_a_full_report_writes_every_key_in_order(full_report: model.VerifyReport) -> None:
    report = full_report
    assert report.verdict is Verdict.EQUIVALENT
    for part in ("source", "builder", "published", "rebuilt", "comparison", "transplant", "recipe", "inferred"):
        assert getattr(report, part) is not None, part
    assert report.checks and report.attempts and report.fingerprints and report.inferred and report.inferred.settings
    _keys_of(report, model.VerifyReport)
    data = json.loads(to_json(report))
    assert list(data["comparison"]) == COMPARISON
    assert data["schema"] == "verifier/verify-report/v1" and data["kind"] == "verify" and data["verdict"] == "equivalent"


def test_the_published_schema_is_the_models(full_report: model.VerifyReport) -> None:
    generated = json_schema(model.VerifyReport, model.VERIFY_REPORT_SCHEMA)
    written = json.loads(SCHEMA_FILE.read_text(encoding="utf-8"))
    assert written == generated, f"regenerate {SCHEMA_FILE.name}: python -m tests.report.model.test_verify"
    jsonschema.Draft202012Validator.check_schema(written)
    jsonschema.validate(to_data(full_report), written, cls=jsonschema.Draft202012Validator)


def test_a_stored_report_reads_back_into_the_model(full_report: model.VerifyReport) -> None:
    data = json.loads(to_json(full_report))
    again = from_data(model.VerifyReport, data)
    assert to_json(again) == to_json(full_report)
    assert isinstance(again.published, model.PublishedOnIndex) and isinstance(again.transplant, model.TransplantResult)
    assert isinstance(again.builder.base if again.builder else None, model.NamedBase)


def test_parts_with_two_shapes_read_back_as_the_right_one() -> None:
    bootstrapped = {"image_id": "sha256:" + "a" * 64, "suite": "bookworm", "rootfs_sha256": "b" * 64, "python_version": "3.11.2", "origin": "x"}
    assert isinstance(from_data(model.BaseImage, bootstrapped), model.BootstrappedBase)  # type: ignore[arg-type]
    assert isinstance(from_data(model.BaseImage, {"origin": "--base-image"}), model.NamedBase)  # type: ignore[arg-type]
    local = {"path": "/x.tar.gz", "sha256": "c" * 64, "size": 3, "url": None, "upload_time": None, "index_sha256": None}
    assert isinstance(from_data(model.Published, local), model.LocalArtifact)  # type: ignore[arg-type]
    assert isinstance(from_data(model.Transplant, {"identical": False, "reason": "no"}), model.TransplantFailed)  # type: ignore[arg-type]


def test_an_error_report_written_before_the_model_reads_back() -> None:
    """Stages a run did not reach were `{}` then; a partial source had only the tag's fields."""
    old = {
        "schema": "verifier/verify-report/v1", "kind": "verify", "verdict": "could-not-verify", "package": None,
        "version": None, "source": {"repo": "/r", "tag": "v1", "commit": "a" * 40, "commit_time": 1, "version_from_tag": "1"},
        "builder": {}, "published": {}, "rebuilt": {}, "comparison": None, "explanations": [], "checks": [],
        "attempts": [], "notes": [], "transplant": None, "recipe": None, "fingerprints": [], "inferred": None,
        "timings": {"source": 0.1}, "reproduce": "verifier verify --tag v1 --repo /r", "workdir": "/w",
        "error": "submodule missing", "error_details": "", "tool_version": "0.1",
    }
    report = from_data(model.VerifyReport, old)
    assert report.builder is None and report.published is None and report.rebuilt is None
    assert report.source is not None and report.source.submodules is None and report.verdict is Verdict.COULD_NOT_VERIFY


def test_an_error_report_is_small_and_valid() -> None:
    report = model.VerifyReport(verdict=Verdict.ERROR, error="no such tag", reproduce="verifier verify --tag x --repo .")
    written = json.loads(SCHEMA_FILE.read_text(encoding="utf-8"))
    jsonschema.validate(to_data(report), written, cls=jsonschema.Draft202012Validator)
    assert report.verdict.exit_code == 2 and not report.reproducible


if __name__ == "__main__":  # regenerate docs/schemas/verify-report.v1.json
    SCHEMA_FILE.parent.mkdir(parents=True, exist_ok=True)
    SCHEMA_FILE.write_text(json.dumps(json_schema(model.VerifyReport, model.VERIFY_REPORT_SCHEMA), indent=2) + "\n", encoding="utf-8")
