"""write_all: every output of a nightly run into one directory, publishable as a static site."""

from __future__ import annotations

from pathlib import Path

from verifier.nightly.outputs.html import render_index, render_package, render_version
from verifier.nightly.outputs.junit import render_junit
from verifier.nightly.outputs.layout import INDEX, JUNIT_XML, SUMMARY_JSON, SUMMARY_MD, Layout
from verifier.nightly.outputs.markdown import render_markdown
from verifier.nightly.outputs.model import History
from verifier.nightly.outputs.paths import Site
from verifier.nightly.outputs.summary import render_summary_json

DEFAULT_TREND = 20


def copy_artifacts(layout: Layout, site: Site) -> None:
    """Copy each result's JSON report and diffoscope page into the site, where they exist.

    A missing, unreadable or non-regular source is skipped: its links are simply not shown.
    """
    for package in layout.packages:
        for version in package.versions:
            for result in version.attempts:
                if result.report_path:
                    target = layout.planned_report(result)
                    if site.copy_in(result.report_path, target) is not None:
                        layout.reports[id(result)] = target
                if result.diffoscope_html:
                    target = layout.planned_diffoscope(result)
                    if site.copy_in(result.diffoscope_html, target) is not None:
                        layout.diffoscopes[id(result)] = target


def write_all(
    history: History,
    out_dir: Path,
    *,
    trend_length: int = DEFAULT_TREND,
    site_url: str | None = None,
) -> dict[str, Path]:
    """Write every output into `out_dir`; returns {site-relative path: file written}.

    Fixed names: index.html, summary.json, junit.xml, summary.md; then packages/<pkg>.html,
    packages/<pkg>/<version>.html and the copied reports (see `layout.py`). Each file is written
    atomically; nothing is written outside `out_dir`; existing files of earlier runs that are not
    rewritten are left alone. The same input gives the same bytes (no clock is read).

    `site_url`: where the directory will be published (e.g. a GitHub Pages URL); when given, the
    links in summary.md are absolute, so they work in a job summary or a PR comment.
    """
    if trend_length < 1:
        raise ValueError("trend_length must be at least 1")
    site = Site(Path(out_dir))
    layout = Layout.of(history)
    copy_artifacts(layout, site)

    for package in layout.packages:
        for version in package.versions:
            site.write_text(version.page, render_version(version, package, layout))
        site.write_text(package.page, render_package(package, layout))
    # The fixed names last: a reader (or a CI step) that sees them sees a complete site.
    site.write_text(JUNIT_XML, render_junit(layout))
    site.write_text(SUMMARY_MD, render_markdown(layout, site_url=site_url))
    site.write_text(SUMMARY_JSON, render_summary_json(layout))
    site.write_text(INDEX, render_index(layout, trend_length=trend_length))
    return dict(site.written)
