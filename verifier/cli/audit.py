"""`verifier audit`: the published sdist against the tree at the tag, no build."""

from __future__ import annotations

import shlex
import sys
from pathlib import Path

import click

from verifier.cli.errors import exit_code_of, handle_errors
from verifier.cli.options import (
    attestation_option,
    format_option,
    json_option,
    quiet_option,
    release_options,
)
from verifier.cli.output import write_report
from verifier.cli.release import check_release_options, local_repo
from verifier.report import markdown
from verifier.source.release import locate_release


@click.command("audit")
@release_options
@json_option
@format_option
@attestation_option
@click.option("--search-commits", "search_commits", type=click.IntRange(0, 1000), default=0, show_default=True, metavar="N",
              help="When files are not from source, also compare the sdist with the N commits before the tag (first parent) "
                   "and up to N commits after it (on any branch) and name the commit it matches best (0: off; at most 60s).")
@click.option("--sdist-only", is_flag=True, help="Check the sdist only, not the release's wheels on the index.")
@quiet_option
@handle_errors
def audit_command(
    release: str | None,
    tag: str | None,
    repo: str | None,
    package: str | None,
    subdir: str | None,
    index_url: str,
    artifact: Path | None,
    json_path: str | None,
    output_format: str,
    attestation: Path | None,
    search_commits: int,
    sdist_only: bool,
    quiet: bool,
) -> None:
    """Check the published sdist against the tree at the tag, without building anything.

    Every file of the sdist must be a byte-identical copy of a tracked file (paths mapped as builds map them)
    or a known generated file that passes its consistency check; anything else is flagged "not
    from source" (how a release-tarball injection shows up). Tracked files the sdist leaves out
    are listed, not failed. Every pure wheel of the release on the index (what pip installs) must
    hold only byte copies of the sdist's files and a RECORD that agrees with them; platform wheels
    are listed as not verified (--sdist-only: the sdist alone). With --search-commits N, a release
    that is not from source is also compared with the commits near the tag: "matches commit abc123 (2 commits before the tag)
    exactly; differs from the tag in docs/news.rst" (the verdict stays the tag's).

    \b
    Examples:
      verifier audit requests==2.32.3
      verifier audit --tag v1.4.0 --repo ./pkg --search-commits 20

    \b
    Exit codes: 0 every file from source, 1 files not from source, 2 bad input or usage,
                3 could not verify (index unreachable, submodule missing).
    """
    from verifier import __version__
    from verifier.attest.intoto import audit_statement
    from verifier.audit.pipeline import audit
    from verifier.config import load_settings
    from verifier.errors import VerifierError
    from verifier.progress import TerminalProgress
    from verifier.report.audit_text import AuditTextFormat
    from verifier.report.model.audit import AuditReport
    from verifier.report.model.verdict import Verdict

    check_release_options(release, tag)
    settings = load_settings()
    command = _command(release, tag, repo, package, subdir, index_url, artifact, search_commits)
    try:
        located = locate_release(release, tag or "", package, repo, index_url=index_url, cache_dir=settings.cache_dir)
    except VerifierError as exc:  # the report (and its JSON) says so too, as for every outcome
        verdict = Verdict.COULD_NOT_VERIFY if exc.exit_code == Verdict.COULD_NOT_VERIFY.exit_code else Verdict.ERROR
        failed = AuditReport(verdict=verdict, error=str(exc), reproduce=command, tool_version=__version__)
        write_report(failed, json_path=json_path, render=AuditTextFormat().render, output_format=output_format,
                     markdown=markdown.render_audit)
        sys.exit(verdict.exit_code)
    with TerminalProgress(quiet=quiet) as progress:
        report = audit(
            tag=located.tag,
            repo=located.path,
            package=located.package,
            subdir=subdir,
            index_url=index_url,
            artifact=artifact,
            cache_dir=settings.cache_dir,
            command=command,
            progress=progress,
            search_commits=search_commits,
            wheels=not sdist_only,
        )
    write_report(report, json_path=json_path, render=AuditTextFormat().render, attestation=attestation, statement=audit_statement,
                 output_format=output_format, markdown=markdown.render_audit)
    sys.exit(exit_code_of(report.verdict))


def _command(
    release: str | None, tag: str | None, repo: str | None, package: str | None, subdir: str | None, index_url: str,
    artifact: Path | None, search_commits: int,
) -> str:
    """The command line that runs this audit again (recorded in the report)."""
    words = ["verifier", "audit", release] if release else ["verifier", "audit", "--tag", str(tag), "--repo", str(local_repo(repo))]
    if release and repo:
        words += ["--repo", repo]
    for option, value in (("--package", package), ("--subdir", subdir), ("--index-url", index_url), ("--artifact", artifact)):
        if value:
            words += [option, str(value)]
    if search_commits:
        words += ["--search-commits", str(search_commits)]
    return shlex.join(words)
