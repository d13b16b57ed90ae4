"""What `verifier nightly` writes into --out DIR: a static dashboard, summary.json, junit.xml, summary.md.

    from verifier.nightly.outputs import History, write_all
    files = write_all(History.from_dicts(run, results, history), Path("site"))

See docs/nightly.md for the input contract, the layout of the directory and the exit codes.
"""

from __future__ import annotations

from verifier.nightly.outputs.html import render_index, render_package, render_version
from verifier.nightly.outputs.junit import render_junit
from verifier.nightly.outputs.layout import INDEX, JUNIT_XML, SUMMARY_JSON, SUMMARY_MD, Layout
from verifier.nightly.outputs.markdown import render_markdown
from verifier.nightly.outputs.model import (
    REPRODUCIBLE,
    UNVERIFIED,
    VERDICTS,
    Difference,
    Explanation,
    History,
    Normalization,
    Result,
    Run,
)
from verifier.nightly.outputs.paths import UnsafePath, package_slug, version_slug
from verifier.nightly.outputs.summary import (
    EXIT_FAILED,
    EXIT_OK,
    EXIT_UNVERIFIED,
    exit_code,
    render_summary_json,
    summary,
)
from verifier.nightly.outputs.write import write_all

__all__ = [
    "EXIT_FAILED",
    "EXIT_OK",
    "EXIT_UNVERIFIED",
    "INDEX",
    "JUNIT_XML",
    "REPRODUCIBLE",
    "SUMMARY_JSON",
    "SUMMARY_MD",
    "UNVERIFIED",
    "VERDICTS",
    "Difference",
    "Explanation",
    "History",
    "Layout",
    "Normalization",
    "Result",
    "Run",
    "UnsafePath",
    "exit_code",
    "package_slug",
    "render_index",
    "render_junit",
    "render_markdown",
    "render_package",
    "render_summary_json",
    "render_version",
    "summary",
    "version_slug",
    "write_all",
]
