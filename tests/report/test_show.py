import json
from pathlib import Path

from tests.support.archives import SAMPLE, Packing, sdist


def test_show_renders_each_kind_and_refuses_others(cli, tmp_path: Path) -> None:
    a = sdist(tmp_path / "a.tar.gz", SAMPLE)
    b = sdist(tmp_path / "b.tar.gz", SAMPLE, packing=Packing(mtime=5))
    report = tmp_path / "compare.json"
    assert cli("compare", a, b, "--json", report).code == 0
    shown = cli("show", report)
    assert shown.code == 0 and "EQUIVALENT" in shown.stdout
    junk = tmp_path / "junk.json"
    junk.write_text(json.dumps({"hello": 1}))
    refused = cli("show", junk)
    assert refused.code == 2 and refused.stderr.startswith("error:")
    not_json = tmp_path / "x.json"
    not_json.write_bytes(b"\xff\x00garbage")
    assert cli("show", not_json).code == 2


def test_show_names_what_a_truncated_report_lacks(cli, tmp_path: Path) -> None:
    a = sdist(tmp_path / "a.tar.gz", SAMPLE)
    report = tmp_path / "compare.json"
    assert cli("compare", a, a, "--json", report).code == 0
    data = json.loads(report.read_text())
    del data["reference"]
    report.write_text(json.dumps(data))
    refused = cli("show", report)
    assert refused.code == 2 and "not a complete compare report (reference" in refused.stderr
    audit = tmp_path / "audit.json"
    audit.write_text(json.dumps({"schema": "verifier/audit-report/v1", "kind": "audit", "verdict": "error", "error": "no tag"}))
    shown = cli("show", audit)
    assert shown.code == 0 and shown.stdout.startswith("audit: ERROR") and "reason: no tag" in shown.stdout
