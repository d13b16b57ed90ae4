from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import unquote

from tests.nightly.outputs.conftest import Written
from tests.nightly.outputs.sample import result
from verifier.nightly.outputs import History, write_all


def _table_rows(markdown: str) -> list[str]:
    lines = markdown.splitlines()
    start = lines.index("| Package | Version | Verdict | Differences |")
    rows = []
    for line in lines[start + 2 :]:
        if not line.startswith("|"):
            break
        rows.append(line)
    return rows


def _cells(row: str) -> list[str]:
    # Split on pipes that are not escaped.
    return [cell.strip() for cell in re.split(r"(?<!\\)\|", row)[1:-1]]


def test_headline_table_regressions_and_links(written: Written) -> None:
    markdown = written.text("summary.md")
    assert markdown.startswith("## ❌ Nightly verification: 1 regression, 2 different — 4 of 9 reproducible\n")
    rows = _table_rows(markdown)
    assert len(rows) == 9
    assert all(len(_cells(row)) == 4 for row in rows)
    assert _cells(rows[0])[:3] == ["[`requests`](packages/requests.html)", "[`2.32.4`](packages/requests/2.32.4.html)", "🔻 **regressed** · ❌ different"]
    assert _cells(rows[0])[3] == "3"
    verdict_order = [_cells(row)[2] for row in rows]
    assert (verdict_order[1] == "❌ different" and verdict_order[-1].startswith("☑️")) or verdict_order[-1].startswith("✅")
    assert any(cell == "⚠️ could-not-verify" for cell in verdict_order) and "💥 error" in verdict_order and "⏱️ timeout" in verdict_order
    assert "### 🔻 Regressions" in markdown
    assert "### ⚠️ 2 configured packages could not be checked" in markdown
    assert "- `no-such-package`: not on https&#58;//pypi.org/simple/ \\(404\\)" in markdown
    assert "2 releases not verified again (already verified, or given up on)." in markdown
    assert "- [`requests` `2.32.4`](packages/requests/2.32.4.html): now ❌ different, was ☑️ equivalent at `2.32.3`" in markdown
    assert "📊 [Dashboard](index.html) · [summary.json](summary.json) · [junit.xml](junit.xml)" in markdown
    for target in re.findall(r"\]\(([^)\s]+)\)", markdown):
        assert not target.startswith(("/", "http")) and (written.site / unquote(target)).is_file(), target


def test_untrusted_names_cannot_shape_the_markdown(written: Written) -> None:
    markdown = written.text("summary.md")
    outside_code = re.sub(r"(`+).*?\1", "", markdown)
    assert "<script" not in outside_code and "<img" not in outside_code
    assert "\u202e" not in markdown and "\x00" not in markdown
    assert "https&#58;//pypi.org" in markdown  # an error message cannot make a link
    hostile = next(row for row in _table_rows(markdown) if "../../x" in row and "different" in row)
    assert _cells(hostile)[0].startswith("[`<script>alert('pkg')</script>`](packages/script-alert-pkg-script_")


def test_site_url_makes_links_absolute_and_size_is_bounded(tmp_path: Path) -> None:
    run = {"id": 9, "started_at": "2024-01-09T00:00:00Z", "finished_at": "2024-01-09T05:00:00Z", "config": "c.toml"}
    results = [result(tmp_path, 9, f"package-{i:04d}", "1.0", "equivalent", report=False) for i in range(1000)]
    results.append(result(tmp_path, 9, "broken|pipe", "2.0", "different", report=False))
    files = write_all(History.from_dicts(run, results), tmp_path / "site", site_url="https://example.github.io/verifier/")
    markdown = files["summary.md"].read_text()
    assert len(markdown) < 65_536
    rows = _table_rows(markdown)
    assert _cells(rows[0])[0].startswith("[`broken\\|pipe`](https://example.github.io/verifier/packages/broken-pipe_")
    assert rows[-1].startswith("| … | … |") and "more (" in rows[-1]
    assert "[Dashboard](https://example.github.io/verifier/index.html)" in markdown


def test_all_reproducible_and_empty_runs(tmp_path: Path) -> None:
    run = {"id": 5, "started_at": "2024-01-05T00:00:00Z", "finished_at": "2024-01-05T00:10:00Z", "config": "c.toml"}
    good = write_all(History.from_dicts(run, [result(tmp_path, 5, "a", "1.0", "identical")]), tmp_path / "one")
    assert good["summary.md"].read_text().startswith("## ✅ Nightly verification: all 1 release reproducible")
    empty = write_all(History.from_dicts(run, []), tmp_path / "two")
    text = empty["summary.md"].read_text()
    assert text.startswith("## ✅ Nightly verification: no new release to verify") and "| Package |" not in text
