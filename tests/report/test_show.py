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
