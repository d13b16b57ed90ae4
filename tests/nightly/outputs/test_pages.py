"""The view data of the dashboard pages: what each page shows, before any template lays it out."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from tests.nightly.outputs.sample import sample_history
from verifier.nightly.outputs import History, Layout
from verifier.nightly.outputs.pages import (
    MAX_DIFFERENCES_SHOWN,
    index_page,
    package_page,
    version_page,
)

RUN = {"id": 5, "started_at": "2024-05-05T02:00:00Z", "finished_at": "2024-05-05T02:10:00Z"}


def _result(package: str, version: str, verdict: str, **extra: Any) -> dict[str, Any]:
    return {"package": package, "version": version, "verdict": verdict, **extra}


def _layout(*results: dict[str, Any], history: tuple[dict[str, Any], ...] = ()) -> Layout:
    return Layout.of(History.from_dicts(RUN, results, history))


@pytest.mark.parametrize(
    ("verdicts", "regressed", "kind"),
    [
        ((), False, "nothing-new"),
        (("identical", "equivalent"), False, "reproducible"),
        (("identical", "timeout"), False, "unverified"),
        (("identical", "different", "error"), False, "failed"),
        (("identical", "could-not-verify"), True, "failed"),  # a regression fails whatever its verdict
    ],
)
def test_the_banner_says_how_the_run_went(verdicts: tuple[str, ...], regressed: bool, kind: str) -> None:
    results = [_result(f"p{i}", "1.0", v, regressed=regressed and i == len(verdicts) - 1) for i, v in enumerate(verdicts)]
    banner = index_page(_layout(*results), 20).banner
    assert banner.kind == kind
    assert banner.results == len(verdicts)
    assert banner.reproducible == sum(v in ("identical", "equivalent") for v in verdicts)
    assert banner.regressed == int(regressed)


def test_this_run_lists_regressions_then_failures_then_by_name() -> None:
    layout = _layout(
        _result("b", "1", "identical"),
        _result("A", "1", "equivalent"),
        _result("c", "1", "timeout"),
        _result("d", "1", "equivalent", regressed=True),
    )
    page = index_page(layout, 20)
    assert [row.result.package for row in page.this_run] == ["d", "c", "A", "b"]
    assert [row.result.package for row in (r.row for r in page.regressions)] == ["d"]
    assert page.tiles == (("identical", 1), ("equivalent", 2), ("different", 0), ("could-not-verify", 0), ("error", 0), ("timeout", 1))


def test_a_short_trend_is_padded_on_the_left_and_runs_oldest_to_newest(tmp_path: Path) -> None:
    layout = Layout.of(sample_history(tmp_path))
    page = index_page(layout, 20)
    requests = next(p for p in page.packages if p.package.key == "requests")
    assert requests.trend.pads == 9 and not requests.trend.long
    assert [row.result.version for row in requests.trend.squares][-2:] == ["2.32.3", "2.32.4"]
    assert requests.trend.squares[-1].version_href == "packages/requests/2.32.4.html"
    assert (requests.reproducible, requests.different, requests.unverified) == (10, 1, 0)
    short = index_page(layout, 3).packages[-1].trend
    assert len(short.squares) + short.pads == 3
    long = package_page(layout.by_key["requests"], layout).trend
    assert long.long and long.pads == 0 and len(long.squares) == 11


def test_links_are_relative_to_the_page_they_are_on(tmp_path: Path) -> None:
    layout = Layout.of(sample_history(tmp_path))
    package = layout.by_key["requests"]
    page = package_page(package, layout)
    assert page.frame.home == "../index.html" and page.frame.summary_json == "../summary.json"
    assert [c.href for c in page.frame.crumbs] == [None]
    assert page.versions[0].latest.version_href == "requests/2.32.4.html"
    version = version_page(package.versions[0], package, layout)
    assert version.frame.home == "../../index.html"
    assert [(c.text, c.href) for c in version.frame.crumbs] == [("requests", "../requests.html"), ("2.32.4", None)]


@pytest.mark.parametrize(
    ("url", "link"),
    [("https://files.example.org/x.tar.gz", True), ("HTTP://x/y", True), ("javascript:alert(1)", False),
     ("ftp://x/y", False), ("http://[::1", False), (None, False)],
)
def test_only_a_web_url_becomes_a_link(url: str | None, link: bool) -> None:
    layout = _layout(_result("p", "1.0", "identical", published_url=url))
    package = layout.packages[0]
    assert version_page(package.versions[0], package, layout).published_link is link


def test_the_version_page_compares_hashes_and_counts_what_it_leaves_out() -> None:
    differences = [{"path": f"f{i}", "kind": "content", "message": ""} for i in range(MAX_DIFFERENCES_SHOWN + 7)]
    layout = _layout(
        _result("p", "1.0", "different", published_sha256="AB", rebuilt_sha256="ab", differences=differences),
        _result("q", "1.0", "different", published_sha256="ab"),
    )
    p, q = layout.by_key["p"], layout.by_key["q"]
    page = version_page(p.versions[0], p, layout)
    assert page.sha256_match is True and page.differences_hidden == 7
    other = version_page(q.versions[0], q, layout)
    assert other.sha256_match is None and other.differences_hidden == 0 and other.previous is None
