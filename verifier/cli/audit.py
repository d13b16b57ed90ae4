"""`verifier audit`: the published sdist against the tree at the tag, no build."""

from __future__ import annotations

import shlex
import sys
from pathlib import Path

import click

from verifier.cli.errors import exit_code_of, handle_errors
from verifier.cli.options import (
    attestation_option,
    json_option,
    quiet_option,
    release_options,
)
from verifier.cli.output import write_report


@click.command("audit")
@release_options
@json_option
@attestation_option
@click.option("--search-commits", "search_commits", type=click.IntRange(0, 1000), default=0, show_default=True, metavar="N",
              help="When files are not from source, also compare the sdist with the N commits before the tag (first parent) "
                   "and up to N commits after it (on any branch) and name the commit it matches best (0: off; at most 60s).")
@quiet_option
@handle_errors
def audit_command(
    tag: str,
    repo: Path,
    package: str | None,
    subdir: str | None,
    index_url: str,
    artifact: Path | None,
    json_path: str | None,
    attestation: Path | None,
    search_commits: int,
    quiet: bool,
) -> None:
    """Check the published sdist against the tree at the tag, without building anything.

    Every file must be a byte-identical copy of a tracked file (paths mapped as builds map them)
    or a known generated file that passes its consistency check; anything else is flagged "not
    from source" (how a release-tarball injection shows up). Tracked files the sdist leaves out
    are listed, not failed. With --search-commits N, a release that is not from source is also
    compared with the commits near the tag: "matches commit abc123 (2 commits before the tag)
    exactly; differs from the tag in docs/news.rst" (the verdict stays the tag's).

    \b
    Example:
      verifier audit --tag v1.4.0 --repo ./pkg --search-commits 20

    \b
    Exit codes: 0 every file from source, 1 files not from source, 2 bad input or usage,
                3 could not verify (index unreachable, submodule missing).
    """
    from verifier.attest.intoto import audit_statement
    from verifier.audit.pipeline import audit
    from verifier.config import load_settings
    from verifier.progress import TerminalProgress
    from verifier.report.audit_text import AuditTextFormat

    settings = load_settings()
    with TerminalProgress(quiet=quiet) as progress:
        report = audit(
            tag=tag,
            repo=repo,
            package=package,
            subdir=subdir,
            index_url=index_url,
            artifact=artifact,
            cache_dir=settings.cache_dir,
            command=_command(tag, repo, package, subdir, index_url, artifact, search_commits),
            progress=progress,
            search_commits=search_commits,
        )
    write_report(report, json_path=json_path, render=AuditTextFormat().render, attestation=attestation, statement=audit_statement)
    sys.exit(exit_code_of(report.verdict))


def _command(
    tag: str, repo: Path, package: str | None, subdir: str | None, index_url: str, artifact: Path | None, search_commits: int
) -> str:
    """The command line that runs this audit again (recorded in the report)."""
    words = ["verifier", "audit", "--tag", tag, "--repo", str(repo)]
    for option, value in (("--package", package), ("--subdir", subdir), ("--index-url", index_url), ("--artifact", artifact)):
        if value:
            words += [option, str(value)]
    if search_commits:
        words += ["--search-commits", str(search_commits)]
    return shlex.join(words)
