"""`verifier verify` (and the `verify` script): rebuild a release's sdist and compare it.

Every option not named in `verify_command`'s signature fills the `VerifyRequest` field of the
same name; the command checks what only the command line can get wrong, runs the pipeline and
prints.
"""

from __future__ import annotations

import logging
import sys
from pathlib import Path
from typing import Any

import click

from verifier.cli.errors import exit_code_of, handle_errors
from verifier.cli.options import (
    attestation_option,
    format_option,
    json_option,
    normalization_options,
    quiet_option,
    release_options,
    runtime_option,
    workdir_option,
)
from verifier.cli.output import write_report
from verifier.cli.release import check_release_options, local_repo
from verifier.cli.types import (
    BUILD_USER,
    ENV_PAIR,
    FRONTEND,
    ISO_TIME,
    PIN,
    PYTHON_VERSION,
    SOURCE_DATE_EPOCH,
    TAR_WRITER,
    UMASK,
    WINDOWS,
)
from verifier.normalize.interface import Normalization
from verifier.report import markdown
from verifier.source.mirror import is_remote

DEFAULT_MAX_BUILDS = 4


@click.command("verify", short_help="Rebuild a release's sdist and pure wheels from its tag; compare.")
@release_options
@click.option("--build-index-url", help="Where build requirements come from (default: PyPI, or the config file's).")
@click.option("--builder", default="auto", show_default=True, help="Builder recipe (builders/<name>): auto, pypa-build, pants.")
@click.option("--python", type=PYTHON_VERSION, help="Python X.Y of the build (3.9, 3.11, 3.13; default: the base image's).")
@runtime_option
@click.option("--base-image", help="Builder base image, digest-pinned (also VERIFIER_BASE_IMAGE or the config file).")
@click.option("--allow-unpinned", is_flag=True, help="Accept a base image referenced by a mutable tag.")
@click.option("--source-date-epoch", type=SOURCE_DATE_EPOCH, default="tag", show_default=True, metavar=SOURCE_DATE_EPOCH.name,
              help="SOURCE_DATE_EPOCH for the build: seconds, the tag's commit time, inferred from the published file, or unset.")
@click.option("--search", is_flag=True,
              help="When not identical, try the few other recipes the differences point at (SOURCE_DATE_EPOCH, umask, "
                   "requirements as of the build time, the backend version the published PKG-INFO dates, Python, tar writer, "
                   "a Windows release machine); "
                   "report the strongest verdict and its recipe.")
@click.option("--max-builds", type=click.IntRange(1, 20), default=DEFAULT_MAX_BUILDS, show_default=True,
              help="With --search: builds at most, the first and failed ones included (for the sdist, and again for each wheel).")
@click.option("--sdist-only", is_flag=True,
              help="Verify the sdist alone: the release's wheels are neither listed nor rebuilt (the report has no artifacts).")
@click.option("--no-infer", is_flag=True, help="Do not read the release workflow (CI configuration) for the recipe.")
@click.option("--build-user", type=BUILD_USER, help="Build as this user (e.g. the publisher's CI user 1001:123:runner:docker).")
@click.option("--umask", type=UMASK, help="The publisher's umask, octal (e.g. 002): applied to the checkout's permissions and the build.")
@click.option("--env", type=ENV_PAIR, multiple=True, help="An environment variable the release process set for the build (repeatable).")
@click.option("--requirements-cutoff", type=ISO_TIME, help="Pin build requirements as of this ISO 8601 time instead of the upload time.")
@click.option("--frontend", type=FRONTEND,
              help="The release's build command: PyPA build (default); flit's own `flit build` (adds every file git tracks), "
                   "flit-setup-py: with --setup-py; `python setup.py sdist` (a setup.py may act on its exact argv), "
                   "setup.py-release: `python setup.py egg_info -Db '' sdist` (setup.cfg's `release` alias: no dev tag).")
@click.option("--builder-option", "builder_options", multiple=True, metavar="--OPTION=VALUE",
              help="An option of the publisher's own build command, passed to the build tool "
                   "(Pants: e.g. --platform-specific-resources-target=linux_arm64).")
@click.option("--pin", "pins", type=PIN, multiple=True, help="Pin a build requirement by hand (repeatable; added to the config file's pins).")
@click.option("--tar-writer", type=TAR_WRITER,
              help="Write the sdist with an older CPython's tarfile module (device fields as \"0000000\", before bpo-45863).")
@click.option("--windows", type=WINDOWS,
              help="Emulate a Windows release machine in the build container: files 0666 (0777 .exe/.bat/.cmd/.com), "
                   "directories 0777, umask 000, text-mode writes end lines with CRLF, os.chmod sets only the read-only "
                   "attribute; crlf-checkout: the tree is git's "
                   "core.autocrlf=true checkout of the tag (pypa-build, sdist).")
@click.option("--prebuild-step", "prebuild_steps", multiple=True, metavar="COMMAND",
              help="A command the release workflow ran before building, run in the build container with no network (repeatable).")
@click.option("--with-requirement", "with_requirements", multiple=True, metavar="REQUIREMENT",
              help="A requirement the release installed for the build tool, pinned as of the cut-off like the rest (repeatable).")
@normalization_options(pass_strict=True)
@json_option
@format_option
@attestation_option
@workdir_option(resolve=True)
@click.option("--keep-workdir", is_flag=True, help="Keep the scratch directory (it is kept anyway when not reproducible, or when the error names a build log in it).")
@click.option("--timeout", "timeout_s", type=int, help="Time limit of the build in seconds (default 1800).")
@quiet_option
@handle_errors
def verify_command(
    normalizations: tuple[Normalization, ...],
    no_infer: bool,
    frontend: str | None,
    json_path: str | None,
    output_format: str,
    attestation: Path | None,
    quiet: bool,
    **fields: Any,
) -> None:
    """Rebuild the sdist of a release tag in a pinned container and compare it with the published one;
    then rebuild each pure-Python wheel of the release from the rebuilt sdist (as pip does; from the
    tag when that differs) and compare it with the published wheel. Platform wheels are listed, not
    verified.

    \b
    Examples:
      verifier verify itsdangerous==2.2.0
      verifier verify --tag v1.4.0 --repo ./pkg --search --json report.json

    \b
    Exit codes (the weakest of the verified files): 0 reproducible (identical or
                equivalent), 1 not reproducible (any file different), 2 bad input or
                usage, 3 could not verify (build failed, no runtime, index unreachable,
                submodule missing; or a pure wheel could not be rebuilt).
    """
    from verifier.attest.intoto import verify_statement
    from verifier.config import load_settings
    from verifier.progress import TerminalProgress
    from verifier.report.verify_text import VerifyTextFormat
    from verifier.verify.interface import VerifyRequest
    from verifier.verify.pipeline import verify

    if fields["max_builds"] != DEFAULT_MAX_BUILDS and not fields["search"]:
        raise click.UsageError("--max-builds limits --search: give --search too")
    if fields["windows"] and fields["umask"]:
        raise click.UsageError("--windows builds with umask 000, as on Windows: give no --umask with it")
    release, repo = fields.pop("release"), fields.pop("repo")
    check_release_options(release, fields["tag"])
    request = VerifyRequest(
        **{**fields, "tag": fields["tag"] or ""},
        release=release,
        repo=local_repo(repo),
        repo_url=repo if repo is not None and is_remote(repo) else None,
        repo_given=repo is not None,
        infer=not no_infer,
        frontend=None if frontend in (None, "build") else frontend,
        normalizations=tuple(n.name for n in normalizations),
    )
    settings = load_settings()
    with TerminalProgress(quiet=quiet) as progress:
        report = verify(request, settings, progress)
    write_report(
        report, json_path=json_path, render=VerifyTextFormat().render, attestation=attestation, statement=verify_statement,
        output_format=output_format, markdown=markdown.render_verify,
    )
    if report.error_details and logging.getLogger("verifier.commands").isEnabledFor(logging.INFO):
        click.echo("--- last lines of the build log ---\n" + report.error_details, err=True)
    sys.exit(exit_code_of(report.verdict))
