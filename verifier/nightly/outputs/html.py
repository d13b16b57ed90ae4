"""The static dashboard: index.html, one page per package, one page per version.

The pages are Jinja2 templates (`templates/*.html.j2`, styled by `static/dashboard.css`, both package
data) filled with the view data of `pages.py`. No JavaScript and no external resource: the CSS is
inlined, and a Content-Security-Policy forbids scripts, so a name that escaped escaping still could
not run. Light and dark follow the reader's `prefers-color-scheme`.

Escaping is not left to the templates: every `{{ … }}` goes through the `visible` filter (the
environment's `finalize`), which shows control, bidi and other invisible characters as escapes
(`text.visible`) and then HTML-escapes the text, quotes included. Markup made by the templates'
own macros passes as it is. Every link is made by `paths.href` from slugs. Rendering reads no clock
and no environment: the same layout gives the same bytes.
"""

from __future__ import annotations

import html
from functools import cache
from importlib import resources

from jinja2 import Environment, PackageLoader, StrictUndefined
from markupsafe import Markup

from verifier.nightly.outputs.layout import Layout, PackageView, VersionView
from verifier.nightly.outputs.model import VERDICTS
from verifier.nightly.outputs.pages import (
    LABELS,
    MAX_DIFFERENCES_SHOWN,
    MEANINGS,
    index_page,
    package_page,
    state,
    version_page,
)
from verifier.nightly.outputs.text import (
    format_date,
    format_duration,
    format_span,
    format_time,
    plural,
    short_hash,
    visible,
)

STYLESHEET = "static/dashboard.css"


def visible_html(value: object) -> Markup:
    """`value` as HTML text: invisible characters shown as escapes, then `&<>"'` escaped.

    Markup (what a macro returns) is kept as it is. `None` shows as `None`, as Jinja shows it:
    the templates say what to show instead where a value may be missing.
    """
    if isinstance(value, Markup):
        return value
    if hasattr(value, "__html__"):
        return Markup(value.__html__())
    return Markup(html.escape(visible(str(value)), quote=True))


@cache
def environment() -> Environment:
    """The dashboard's templates, with autoescape on and every output shown through `visible`."""
    env = Environment(
        loader=PackageLoader("verifier.nightly.outputs", "templates"),
        autoescape=True,
        finalize=visible_html,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        auto_reload=False,
    )
    env.filters.update(
        visible=visible_html,
        time=format_time,
        date=format_date,
        duration=format_duration,
        span=format_span,
        short_hash=short_hash,
        plural=plural,
        state=state,
    )
    stylesheet = resources.files("verifier.nightly.outputs").joinpath(STYLESHEET).read_text(encoding="utf-8")
    env.globals.update(
        css=Markup(stylesheet),
        labels=LABELS,
        meanings=MEANINGS,
        verdicts=VERDICTS,
        max_differences=MAX_DIFFERENCES_SHOWN,
    )
    return env


def render_index(layout: Layout, *, trend_length: int = 20) -> str:
    """index.html: this run's verdicts, regressions and results, then every package with its trend."""
    return environment().get_template("index.html.j2").render(page=index_page(layout, trend_length))


def render_package(package: PackageView, layout: Layout) -> str:
    """packages/<package>.html: the package's trend and every version verified."""
    return environment().get_template("package.html.j2").render(page=package_page(package, layout))


def render_version(version: VersionView, package: PackageView, layout: Layout) -> str:
    """packages/<package>/<version>.html: everything about the latest verification of a release."""
    return environment().get_template("version.html.j2").render(page=version_page(version, package, layout))
