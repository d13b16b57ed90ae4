from __future__ import annotations

import re
from html.parser import HTMLParser
from importlib import resources
from pathlib import Path

from markupsafe import Markup

from tests.nightly.outputs.conftest import Written
from tests.nightly.outputs.sample import (
    HOSTILE_PACKAGE,
    IMG_VERSION,
    TRAVERSAL_PACKAGE,
    sample_history,
)
from verifier.nightly.outputs import (
    History,
    Layout,
    package_slug,
    render_index,
    render_package,
    render_version,
    version_slug,
    write_all,
)
from verifier.nightly.outputs.html import environment, visible_html

ALLOWED_TAGS = {
    "html", "head", "meta", "title", "style", "body", "header", "nav", "main", "footer", "div", "span", "a",
    "h1", "h2", "p", "table", "thead", "tbody", "tr", "th", "td", "code", "pre", "dl", "dt", "dd", "b", "strong",
    "details", "summary", "ul", "li",
}


class Tags(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def _pages(written: Written) -> list[str]:
    return [p for p in written.files if p.endswith(".html") and not p.endswith("diffoscope.html")]


def test_untrusted_text_is_escaped_on_every_page(written: Written) -> None:
    for page in _pages(written):
        markup = written.text(page)
        lowered = markup.lower()
        assert "<script" not in lowered and "<img" not in lowered and "<iframe" not in lowered, page
        assert "javascript:" not in lowered, page
        parser = Tags()
        parser.feed(markup)
        for tag, attrs in parser.tags:
            assert tag in ALLOWED_TAGS, (page, tag)
            assert not any(name.startswith("on") for name in attrs), (page, tag, attrs)
            assert "src" not in attrs, (page, tag)  # nothing is loaded from anywhere
        # Invisible or disguising characters are shown as escapes, never written.
        assert not re.search("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\u202a-\u202e\u2066-\u2069]", markup), page
        assert 'http-equiv="Content-Security-Policy" content="default-src \'none\'' in markup


def test_hostile_names_show_literally(written: Written) -> None:
    index = written.text("index.html")
    assert "&lt;script&gt;alert(&#x27;pkg&#x27;)&lt;/script&gt;" in index
    assert "1.0&quot;&gt;&lt;img src=x onerror=alert(1)&gt;" in index
    assert "safe\\u202egnp.exe" in index  # the bidi override is shown, not obeyed
    page = f"packages/{package_slug(HOSTILE_PACKAGE)}/{version_slug('../../x')}.html"
    version = written.text(page)
    assert "../../etc/passwd\\x00&lt;b&gt;bold&lt;/b&gt;" in version
    assert "pkg/\\xff\\xfe.py" in version and "\\x1b[31m" in version
    assert "&lt;/td&gt;&lt;/tr&gt;&lt;/table&gt;&lt;script&gt;alert(&#x27;diff&#x27;)&lt;/script&gt;" in version
    assert "&amp;amp; &lt;script&gt;" in version
    traversal = f"packages/{package_slug(TRAVERSAL_PACKAGE)}/{version_slug(IMG_VERSION)}.html"
    assert written.text(traversal).count("<h1>") == 1


def test_index_lists_every_package_with_verdict_trend_and_counts(written: Written) -> None:
    index = written.text("index.html")
    packages = written.history.by_package()
    for key in packages:
        assert f'href="packages/{package_slug(key)}.html"' in index
    # This run's tiles count every verdict; one row per result of this run.
    for verdict, n in {"identical": 2, "equivalent": 2, "different": 2, "could-not-verify": 1, "error": 1, "timeout": 1}.items():
        assert re.search(rf'<div class="tile v-{verdict}[^"]*" data-verdict="{verdict}"><div class="n">{n}</div>', index)
    # The trend strip: one square per result, at most 20 per package; requests has 11.
    all_packages = index.split('id="packages"')[1]
    strip = re.search(r'href="packages/requests.html">requests</a>.*?<span class="trend short">(.*?)</span></td>', all_packages, re.DOTALL)
    assert strip is not None
    squares = re.findall(r'<a class="sq v-([a-z-]+)( regressed)?"', strip.group(1))
    assert [v for v, _ in squares] == ["identical"] * 3 + ["equivalent"] * 7 + ["different"]  # oldest -> newest
    assert squares[-1][1] == " regressed"
    assert 'title="2.32.4 — different — 2024-04-09 02:04 UTC (run #40) — REGRESSION"' in strip.group(1)
    assert strip.group(1).count('class="sq pad"') == 9
    # What the scheduler could not plan, and what it skipped.
    assert '<div class="banner v-could-not-verify" id="problems"><strong>2 configured packages could not be checked.' in index
    assert "<li><b>&lt;b&gt;evil&lt;/b&gt;</b>: &lt;/li&gt;&lt;script&gt;alert(&#x27;problem&#x27;)&lt;/script&gt;</li>" in index
    assert "<summary>2 releases not verified again in this run</summary>" in index
    assert "could not be verified 3 times; gave up" in index
    # Regressions are highlighted and listed.
    assert 'id="regressions"' in index and index.count('<tr class="regressed"') == 3
    assert "1 regression, 2 not reproducible." in index


def test_package_page_lists_every_version(written: Written) -> None:
    page = written.text("packages/requests.html")
    history = written.history
    results = history.by_package()["requests"]
    for result in results:
        assert f'href="requests/{result.version}.html">{result.version}</a>' in page
        assert result.published_sha256[:12] in page and result.commit[:10] in page
    assert page.count('<tr class="regressed"') == 1
    assert 'mtime <b>212</b>' in page and 'gzip-header <b>1</b>' in page
    assert 'href="requests/2.32.4/run-40/report.json"' in page and 'href="requests/2.32.4/run-40/diffoscope.html"' in page
    # Newest release first in the table (the trend strip above it runs oldest -> newest).
    table = page.split("<h2>Versions")[1]
    assert table.index("2.32.4.html") < table.index("2.32.3.html") < table.index("2.28.0.html")
    flask = written.text("packages/flask-login.html")
    assert '<span class="muted" title="verified 2 times">×2</span>' in flask  # noqa: RUF001 - the page's own sign; 0.6.3: timeout, then equivalent


def test_version_page_shows_everything_about_a_verification(written: Written) -> None:
    page = written.text("packages/requests/2.32.4.html")
    result = next(r for r in written.history.results if r.package == "requests")
    assert "<strong>Regression.</strong>" in page and "(2.32.3, run #29)" in page
    for difference in result.differences:
        assert difference.path in page and f'<span class="kind">{difference.kind}</span>' in page
        assert difference.message in page
    assert "untracked-at-tag" in page and "made by the release script" in page
    assert "<pre>verifier verify --tag 2.32.4 --package requests --json report.json</pre>" in page
    assert "≠ published" in page and result.rebuilt_sha256 in page
    assert '<td class="num">212</td><td class="num">0</td><td class="num">212</td>' in page  # owner
    assert 'href="2.32.4/run-40/report.json"' in page and 'href="2.32.4/run-40/diffoscope.html"' in page
    assert 'href="https://files.example.org/packages/requests-2.32.4.tar.gz" rel="noopener noreferrer"' in page
    unverified = written.text("packages/flask-login/0.7.0.html")
    assert "<h2>Error</h2><pre>the build failed: setup.py: error: invalid command &#x27;egg_info&#x27;\nsee the log</pre>" in unverified
    retried = written.text("packages/flask-login/0.6.3.html")
    assert "All verifications of this version" in retried and "#33" in retried and "#30" in retried


# ------------------------------------------------------------------------ the escaping filter

HOSTILE_NAME = "<img src=x onerror=alert(1)>\u202e\x07évil\u2066"
HOSTILE_MESSAGE = "</td></tr></table><script>alert(\"x\")</script>\x00\x1b[31m\u202d 'q' & done\udcff"


def test_the_visible_filter_escapes_markup_quotes_control_and_bidi_characters() -> None:
    shown = visible_html(HOSTILE_MESSAGE)
    assert shown == (
        "&lt;/td&gt;&lt;/tr&gt;&lt;/table&gt;&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;"
        "\\x00\\x1b[31m\\u202d &#x27;q&#x27; &amp; done\\xff"
    )
    assert visible_html(Markup("<b>made by a macro</b>")) == "<b>made by a macro</b>"
    assert visible_html(None) == "None" and visible_html(212) == "212"
    template = environment().from_string("<p title=\"{{ value }}\">{{ value }}{{ value|visible }}</p>")
    assert template.render(value=HOSTILE_NAME) == (
        '<p title="&lt;img src=x onerror=alert(1)&gt;\\u202e\\x07évil\\u2066">' + "&lt;img src=x onerror=alert(1)&gt;\\u202e\\x07évil\\u2066" * 2 + "</p>"
    )


def test_no_template_marks_a_value_safe() -> None:
    templates = resources.files("verifier.nightly.outputs") / "templates"
    names = [t.name for t in templates.iterdir() if t.name.endswith(".html.j2")]
    assert {"page.html.j2", "index.html.j2", "package.html.j2", "version.html.j2"} <= set(names)
    for name in names:
        source = (templates / name).read_text(encoding="utf-8")
        assert "|safe" not in source.replace(" ", "") and "autoescape false" not in source, name


def _hostile_site() -> tuple[Layout, dict[str, str]]:
    """Every page of a history whose every string is hostile, rendered in memory."""
    run = {"id": 2, "started_at": "2024-05-01T02:00:00Z", "finished_at": "2024-05-01T02:30:00Z", "config": HOSTILE_NAME,
           "problems": [{"package": HOSTILE_NAME, "error": HOSTILE_MESSAGE}],
           "skipped": [{"package": HOSTILE_NAME, "version": "0", "why": HOSTILE_MESSAGE}]}
    results = [
        {
            "package": HOSTILE_NAME,
            "version": HOSTILE_NAME,
            "verdict": "different",
            "regressed": True,
            "tag": HOSTILE_NAME,
            "commit": HOSTILE_MESSAGE,
            "published_url": "javascript:alert(1)",
            "builder": HOSTILE_NAME,
            "error": HOSTILE_MESSAGE,
            "command": [HOSTILE_NAME, HOSTILE_MESSAGE],
            "normalizations": {HOSTILE_NAME: {"summary": HOSTILE_MESSAGE, "scope": HOSTILE_NAME, "pairs": 1}},
            "differences": [{"path": HOSTILE_NAME, "kind": HOSTILE_NAME, "message": HOSTILE_MESSAGE}],
            "explanations": [{"path": HOSTILE_NAME, "cause": HOSTILE_NAME, "message": HOSTILE_MESSAGE}],
        }
    ]
    history = History.from_dicts(run, results, [{**results[0], "version": "1.0", "verdict": "identical", "regressed": False, "run_id": 1}])
    layout = Layout.of(history)
    package = layout.packages[0]
    pages = {"index.html": render_index(layout), package.page: render_package(package, layout)}
    for version in package.versions:
        pages[version.page] = render_version(version, package, layout)
    return layout, pages


def test_a_hostile_package_name_and_message_come_out_escaped_on_every_page() -> None:
    layout, pages = _hostile_site()
    assert len(pages) == 4
    name = "&lt;img src=x onerror=alert(1)&gt;\\u202e\\x07évil\\u2066"
    message = "&lt;/td&gt;&lt;/tr&gt;&lt;/table&gt;&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;\\x00\\x1b[31m\\u202d &#x27;q&#x27; &amp; done\\xff"
    for path, markup in pages.items():
        assert name in markup, path
        assert "<img" not in markup and "<script" not in markup.lower() and 'href="javascript' not in markup, path
        assert not re.search("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\ud800-\udfff]", markup), path
        parser = Tags()
        parser.feed(markup)
        assert all(tag in ALLOWED_TAGS for tag, _ in parser.tags), path
        assert not any(name.startswith("on") for _, attrs in parser.tags for name in attrs), path
    version = pages[layout.version_of(layout.history.results[0]).page]
    assert message in version and f"<h2>Error</h2><pre>{message}</pre>" in version
    assert "<dd>javascript:alert(1)</dd>" in version  # shown, never a link
    assert message in pages["index.html"]  # the problem and the skipped release


def test_rendering_twice_gives_the_same_bytes(tmp_path: Path) -> None:
    _, first = _hostile_site()
    environment.cache_clear()  # a fresh environment, as in another process
    _, second = _hostile_site()
    assert first == second
    history = sample_history(tmp_path / "work")
    one = write_all(history, tmp_path / "one")
    two = write_all(history, tmp_path / "two")
    assert one.keys() == two.keys()
    for relative in one:
        assert one[relative].read_bytes() == two[relative].read_bytes(), relative
