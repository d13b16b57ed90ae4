from __future__ import annotations

import os
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

from tests.nightly.outputs.conftest import Written
from tests.nightly.outputs.sample import sample_dicts, sample_history
from verifier.nightly.outputs import History, package_slug, version_slug, write_all

FIXED = ["index.html", "summary.json", "junit.xml", "summary.md"]


def _tree(root: Path) -> dict[str, tuple[int, int]]:
    return {
        str(path.relative_to(root)): (path.stat().st_size, path.stat().st_mtime_ns)
        for path in sorted(root.rglob("*"))
        if path.is_file()
    }


def test_fixed_names_and_one_page_per_package_and_version(written: Written) -> None:
    for name in FIXED:
        assert written.files[name] == written.site.resolve() / name and (written.site / name).is_file()
    for key, results in written.history.by_package().items():
        slug = package_slug(key)
        assert (written.site / "packages" / f"{slug}.html").is_file()
        for version in {r.version for r in results}:
            assert (written.site / "packages" / slug / f"{version_slug(version)}.html").is_file()
    assert (written.site / "packages/requests.html").is_file()
    assert (written.site / "packages/requests/2.32.4.html").is_file()
    assert (written.site / "packages/flask-login.html").is_file()  # Flask_Login, Flask-Login, flask.login


def test_returns_exactly_the_files_on_disk_all_inside_dir(written: Written) -> None:
    on_disk = {p.resolve() for p in written.site.rglob("*") if p.is_file()}
    assert on_disk == set(written.files.values())  # no temporary file left, nothing unlisted
    root = written.site.resolve()
    for relative, path in written.files.items():
        assert path == root / relative and root in path.resolve().parents
        assert not relative.startswith(("/", "..")) and "/../" not in relative
    # The base holds only the site and the sample's work directory (made before write_all).
    assert sorted(p.name for p in written.base.iterdir()) == ["site", "work"]
    assert not any(p.name.startswith(".tmp-") for p in written.base.rglob("*"))


def test_writes_nothing_outside_dir_and_the_same_bytes_twice(tmp_path: Path) -> None:
    history = sample_history(tmp_path / "work")
    before = _tree(tmp_path)
    first = write_all(history, tmp_path / "out" / "one")
    outside = {k: v for k, v in _tree(tmp_path).items() if not k.startswith("out/")}
    assert outside == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out", "work"]
    second = write_all(history, tmp_path / "out" / "two")
    assert sorted(first) == sorted(second)
    for relative in first:
        assert first[relative].read_bytes() == second[relative].read_bytes(), relative
    # Writing again over an existing site replaces the files in place.
    again = write_all(history, tmp_path / "out" / "one")
    assert sorted(again) == sorted(first)


class Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.hrefs: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for name, value in attrs:
            if name in ("href", "src") and value is not None:
                self.hrefs.append(value)


def test_every_link_stays_inside_and_resolves(written: Written) -> None:
    root = written.site.resolve()
    pages = [p for p in written.files if p.endswith(".html") and not p.endswith("diffoscope.html")]
    checked = 0
    for page in pages:
        parser = Links()
        parser.feed(written.text(page))
        for link in parser.hrefs:
            parts = urlsplit(link)
            if parts.scheme:
                assert parts.scheme == "https" and parts.netloc == "files.example.org", (page, link)
                continue
            assert not link.startswith("/") and not parts.query, (page, link)
            target = ((written.site / page).parent / unquote(parts.path)).resolve()
            assert root == target or root in target.parents, (page, link)
            assert target.is_file(), (page, link)
            checked += 1
    assert checked > 200


def test_reports_and_diffoscope_pages_are_copied_when_they_exist(written: Written) -> None:
    copied = [p for p in written.files if p.endswith("/report.json")]
    diffoscopes = [p for p in written.files if p.endswith("/diffoscope.html")]
    timeline = written.history.timeline()
    with_report = [r for r in timeline if r.report_path and Path(r.report_path).is_file()]
    assert len(copied) == len(with_report) > 0
    assert len(diffoscopes) == sum(1 for r in timeline if r.diffoscope_html) == 3
    assert "packages/requests/2.32.4/run-40/report.json" in copied
    assert "packages/requests/2.32.4/run-40/diffoscope.html" in diffoscopes
    source = next(r for r in written.history.results if r.package == "requests").report_path
    assert (written.site / "packages/requests/2.32.4/run-40/report.json").read_bytes() == Path(source).read_bytes()
    # No report for Flask-Login 0.7.0 (report_path None) nor for the early requests versions
    # (their work directories are gone): no link either.
    flask = written.text("packages/flask-login/0.7.0.html")
    assert ">JSON</a>" not in flask and "/report.json" not in flask
    assert not (written.site / "packages/requests/2.28.0").exists()
    assert 'href="requests/2.28.0.html"' in written.text("packages/requests.html")


def test_a_report_path_that_is_not_a_regular_file_is_skipped(tmp_path: Path) -> None:
    run, results, _stored = sample_dicts(tmp_path / "work")
    results = [dict(results[1], report_path=str(tmp_path), diffoscope_html="/dev/zero")]
    files = write_all(History.from_dicts(run, results), tmp_path / "site")
    assert not any(name.endswith((".json", "diffoscope.html")) and name != "summary.json" for name in files)


def test_out_dir_is_created_and_may_be_relative(tmp_path: Path) -> None:
    history = sample_history(tmp_path / "work")
    cwd = os.getcwd()
    os.chdir(tmp_path)
    try:
        files = write_all(history, Path("deep/er/site"))
    finally:
        os.chdir(cwd)
    assert files["index.html"] == (tmp_path / "deep/er/site/index.html").resolve()
