"""The command line: parse options, call the stages, print, exit with the documented code.

Exit codes: 0 reproducible (identical or equivalent), 1 different, 2 bad input or usage,
3 could not verify (and internal errors). No traceback reaches the terminal.
"""

from __future__ import annotations

import functools
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import click

from verifier import __version__
from verifier.archive.interface import Limits
from verifier.errors import EXIT_BAD_INPUT, EXIT_COULD_NOT_VERIFY, EXIT_DIFFERENT, EXIT_REPRODUCIBLE, VerifierError
from verifier.normalize.registry import ALL as ALL_NORMALIZATIONS
from verifier.normalize.registry import DEFAULT_NAMES, parse_option

F = TypeVar("F", bound=Callable[..., Any])

_NORMALIZE_HELP = (
    "Comma-separated normalizations to apply (default: "
    + ",".join(DEFAULT_NAMES)
    + "; 'none' for none). Known: "
    + "; ".join(f"{n.name}: {n.summary}" for n in ALL_NORMALIZATIONS)
    + "."
)


def _size(text: str) -> int:
    units = {"": 1, "K": 2**10, "M": 2**20, "G": 2**30, "T": 2**40}
    value = text.strip().upper().removesuffix("B").removesuffix("I")
    unit = value[-1:] if value[-1:] in units else ""
    number = value[: len(value) - len(unit)]
    try:
        return int(float(number) * units[unit])
    except ValueError:
        raise click.BadParameter(f"not a size: {text!r} (e.g. 8G, 500M)") from None


def handle_errors(function: F) -> F:
    """Turn every error into one line on stderr and its exit code."""

    @functools.wraps(function)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return function(*args, **kwargs)
        except VerifierError as exc:
            click.echo(f"error: {exc}", err=True)
            for line in exc.details.splitlines():
                click.echo(f"  {line}", err=True)
            sys.exit(exc.exit_code)
        except KeyboardInterrupt:
            click.echo("interrupted", err=True)
            sys.exit(130)
        except MemoryError:
            click.echo("error: out of memory", err=True)
            sys.exit(EXIT_COULD_NOT_VERIFY)
        except (click.exceptions.Exit, click.ClickException, SystemExit):
            raise
        except Exception as exc:  # noqa: BLE001 - the last line of defence: no traceback, ever
            click.echo(f"internal error: {type(exc).__name__}: {exc} (please report this)", err=True)
            sys.exit(EXIT_COULD_NOT_VERIFY)

    return wrapper  # type: ignore[return-value]


def limits_options(function: F) -> F:
    function = click.option(
        "--max-members", type=int, default=Limits().max_members, show_default=True, help="Refuse archives with more members."
    )(function)
    function = click.option(
        "--max-unpacked-size",
        type=str,
        default="8G",
        show_default=True,
        help="Refuse archives that decompress to more than this (decompression bombs).",
    )(function)
    return function


def _limits(max_members: int, max_unpacked_size: str) -> Limits:
    if max_members < 1:
        raise click.BadParameter("must be at least 1", param_hint="--max-members")
    return Limits(max_members=max_members, max_unpacked_bytes=_size(max_unpacked_size))


@click.group(context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
@click.version_option(__version__, prog_name="verifier")
def cli() -> None:
    """Does a published Python sdist come from its tagged source?

    \b
    Exit codes: 0 reproducible (identical or equivalent), 1 different,
                2 bad input or usage, 3 could not verify.
    """


@cli.command()
@click.argument("reference", type=click.Path(path_type=Path, dir_okay=False))
@click.argument("candidate", type=click.Path(path_type=Path, dir_okay=False))
@click.option("--normalize", "normalize_names", metavar="NAME[,NAME...]", default=None, help=_NORMALIZE_HELP)
@click.option("--strict", is_flag=True, help="No normalization at all: bit-for-bit.")
@click.option("--json", "json_path", metavar="FILE", help="Write the JSON report to FILE ('-' for stdout).")
@click.option("--diffoscope-html", type=click.Path(path_type=Path), help="diffoscope HTML of the differing members.")
@click.option("--diffoscope-text", type=click.Path(path_type=Path), help="diffoscope text of the differing members.")
@click.option("--diffoscope-markdown", type=click.Path(path_type=Path), help="diffoscope Markdown of the differing members.")
@click.option("--workdir", type=click.Path(path_type=Path, file_okay=False), help="Scratch directory (default: a temporary one).")
@limits_options
@handle_errors
def compare(
    reference: Path,
    candidate: Path,
    normalize_names: str | None,
    strict: bool,
    json_path: str | None,
    diffoscope_html: Path | None,
    diffoscope_text: Path | None,
    diffoscope_markdown: Path | None,
    workdir: Path | None,
    max_members: int,
    max_unpacked_size: str,
) -> None:
    """Compare REFERENCE (the published sdist) with CANDIDATE (the rebuilt one).

    Members are paired by their path below the top-level directory. Verdicts: identical (same
    bytes), equivalent (same bytes after the selected normalizations), different.
    Exit codes: 0 identical or equivalent, 1 different, 2 bad input or usage.
    """
    from verifier.compare.run import run_compare
    from verifier.report.json import write_json
    from verifier.report.text import TextFormat

    normalizations = parse_option(normalize_names, strict)
    diffoscope = {"html": diffoscope_html, "text": diffoscope_text, "markdown": diffoscope_markdown}
    diffoscope = {fmt: path.resolve() if path is not None else None for fmt, path in diffoscope.items()}
    comparison = run_compare(
        reference,
        candidate,
        normalizations,
        _limits(max_members, max_unpacked_size),
        workdir=workdir,
        diffoscope={fmt: path for fmt, path in diffoscope.items() if path is not None},
    )
    report = comparison.as_dict()
    if json_path:
        write_json(report, json_path)
    if json_path != "-":
        click.echo(TextFormat().render(report), nl=False)
    sys.exit(EXIT_REPRODUCIBLE if comparison.reproducible else EXIT_DIFFERENT)


@cli.command()
@click.argument("source", type=click.Path(path_type=Path, dir_okay=False))
@click.argument("output", type=click.Path(path_type=Path, dir_okay=False))
@click.option("--normalize", "normalize_names", metavar="NAME[,NAME...]", default=None, help=_NORMALIZE_HELP)
@click.option("--strict", is_flag=True, help="No normalization at all.")
@click.option("--force", is_flag=True, help="Replace OUTPUT if it exists.")
@limits_options
@handle_errors
def normalize(
    source: Path,
    output: Path,
    normalize_names: str | None,
    strict: bool,
    force: bool,
    max_members: int,
    max_unpacked_size: str,
) -> None:
    """Write the canonical (normalized) form of SOURCE to OUTPUT as a .tar.gz.

    The output's bytes depend only on what the normalizations keep: two archives are equivalent
    exactly when their normalized outputs have the same sha256 (made with the same
    normalizations), so `sha256sum` alone checks a verdict. The gzip layer holds stored
    (uncompressed) deflate blocks, so no compressor library can change those bytes.
    """
    from verifier.archive.canonical import write_canonical

    normalizations = parse_option(normalize_names, strict)
    digest = write_canonical(source, output, normalizations, _limits(max_members, max_unpacked_size), force=force)
    click.echo(f"{digest}  {output}")


@cli.command()
@click.option("--tag", required=True, help="The release tag or version (23.3.3 finds tag 23.03.3, v23.3.3, NAME-23.3.3).")
@click.option("--repo", type=click.Path(path_type=Path, file_okay=False), default=".", show_default=True, help="The git repository.")
@click.option("--package", help="The distribution name (default: the one the tagged tree names).")
@click.option("--subdir", help="The project's directory in a monorepo (default: found by --package).")
@click.option("--index-url", default="https://pypi.org/simple/", show_default=True, help="Where the published sdist is (PEP 691/503).")
@click.option("--build-index-url", help="Where build requirements come from (default: PyPI, or the config file's).")
@click.option("--artifact", type=click.Path(path_type=Path, dir_okay=False), help="A local published sdist instead of the index's.")
@click.option("--builder", default="auto", show_default=True, help="Builder recipe (builders/<name>): auto, pypa-build, pants.")
@click.option("--python", "python_version", help="Python X.Y of the build (3.9, 3.11, 3.13; default: the base image's).")
@click.option("--runtime", type=click.Choice(["podman", "docker"]), help="Container runtime (default: detected).")
@click.option("--base-image", help="Builder base image, digest-pinned (also VERIFIER_BASE_IMAGE or the config file).")
@click.option("--allow-unpinned", is_flag=True, help="Accept a base image referenced by a mutable tag.")
@click.option("--source-date-epoch", "source_date_epoch", default="tag", show_default=True, metavar="N|tag|infer|unset",
              help="SOURCE_DATE_EPOCH for the build: seconds, the tag's commit time, inferred from the published file, or unset.")
@click.option("--search", is_flag=True, help="When not identical, try the few other recipes the differences point at (SOURCE_DATE_EPOCH, umask, requirements as of the build time, Python); report the strongest verdict and its recipe.")
@click.option("--max-builds", type=click.IntRange(1, 20), default=4, show_default=True, help="With --search: builds at most, the first included.")
@click.option("--no-infer", is_flag=True, help="Do not read the release workflow (CI configuration) for the recipe.")
@click.option("--build-user", metavar="UID:GID[:USER:GROUP]", help="Build as this user (e.g. the publisher's CI user 1001:123:runner:docker).")
@click.option("--umask", help="The publisher's umask, octal (e.g. 002): applied to the checkout's permissions and the build.")
@click.option("--env", "env_pairs", multiple=True, metavar="KEY=VALUE", help="An environment variable the release process set for the build (repeatable).")
@click.option("--requirements-cutoff", metavar="TIME", help="Pin build requirements as of this ISO 8601 time instead of the upload time.")
@click.option("--frontend", type=click.Choice(["build", "flit"]), help="The release's build command: PyPA build (default) or flit's own `flit build` (adds every file git tracks).")
@click.option("--builder-option", "builder_options", multiple=True, metavar="--OPTION=VALUE",
              help="An option of the publisher's own build command, passed to the build tool (Pants: e.g. --platform-specific-resources-target=linux_arm64).")
@click.option("--pin", "pins", multiple=True, metavar="NAME==VERSION", help="Pin a build requirement by hand (repeatable; added to the config file's pins).")
@click.option("--normalize", "normalize_names", metavar="NAME[,NAME...]", default=None, help=_NORMALIZE_HELP)
@click.option("--strict", is_flag=True, help="No normalization at all: bit-for-bit.")
@click.option("--json", "json_path", metavar="FILE", help="Write the JSON report to FILE ('-' for stdout: then no text report; progress stays on stderr).")
@click.option("--attestation", type=click.Path(path_type=Path, dir_okay=False), help="Write an in-toto Statement v1 about the published artifact to FILE.")
@click.option("--workdir", type=click.Path(path_type=Path, file_okay=False), help="Scratch directory (default: a temporary one).")
@click.option("--keep-workdir", is_flag=True, help="Keep the scratch directory (it is kept anyway when not reproducible).")
@click.option("--timeout", "timeout_s", type=int, help="Time limit of the build in seconds (default 1800).")
@click.option("--quiet", "-q", is_flag=True, help="No progress lines.")
@handle_errors
def verify(
    tag: str,
    repo: Path,
    package: str | None,
    subdir: str | None,
    index_url: str,
    build_index_url: str | None,
    artifact: Path | None,
    builder: str,
    python_version: str | None,
    runtime: str | None,
    base_image: str | None,
    allow_unpinned: bool,
    source_date_epoch: str,
    search: bool,
    max_builds: int,
    no_infer: bool,
    build_user: str | None,
    umask: str | None,
    env_pairs: tuple[str, ...],
    requirements_cutoff: str | None,
    frontend: str | None,
    builder_options: tuple[str, ...],
    pins: tuple[str, ...],
    normalize_names: str | None,
    strict: bool,
    json_path: str | None,
    attestation: Path | None,
    workdir: Path | None,
    keep_workdir: bool,
    timeout_s: int | None,
    quiet: bool,
) -> None:
    """Rebuild the sdist of a release tag in a pinned container and compare it with the published one.

    \b
    Exit codes: 0 reproducible (identical or equivalent), 1 not reproducible,
                2 bad input or usage, 3 could not verify (build failed, no runtime,
                index unreachable, submodule missing).
    """
    from verifier.config import load_settings
    from verifier.progress import TerminalProgress
    from verifier.report.json import write_json
    from verifier.report.model.serialize import to_data
    from verifier.report.verify_text import VerifyTextFormat
    from verifier.verify import epoch
    from verifier.verify.interface import VerifyRequest
    from verifier.verify.pipeline import verify as run_verify

    normalizations = parse_option(normalize_names, strict)
    epoch.parse_option(source_date_epoch)
    if max_builds != 4 and not search:
        raise click.UsageError("--max-builds limits --search: give --search too")
    if build_user is not None:
        _check_build_user(build_user)
    request = VerifyRequest(
        tag=tag,
        repo=repo.resolve(),
        package=package,
        subdir=subdir,
        index_url=index_url,
        build_index_url=build_index_url,
        builder=builder,
        python=python_version,
        runtime=runtime,
        base_image=base_image,
        allow_unpinned=allow_unpinned,
        workdir=workdir.resolve() if workdir else None,
        keep_workdir=keep_workdir,
        source_date_epoch=source_date_epoch,
        search=search,
        max_builds=max_builds,
        infer=not no_infer,
        normalizations=tuple(n.name for n in normalizations),
        strict=strict,
        artifact=artifact.resolve() if artifact else None,
        build_user=build_user,
        timeout_s=timeout_s,
        pins=tuple(_check_pin(pin) for pin in pins),
        umask=_check_umask(umask),
        env=tuple(_check_env(pair) for pair in env_pairs),
        requirements_cutoff=requirements_cutoff,
        builder_options=tuple(builder_options),
        frontend=None if frontend in (None, "build") else frontend,
    )
    settings = load_settings()
    with TerminalProgress(quiet=quiet) as progress:
        report = run_verify(request, settings, progress)
    if json_path:
        write_json(to_data(report), json_path)
    if attestation is not None and report.published is not None and report.published.sha256:
        from verifier.attest.intoto import verify_statement, write_statement

        write_statement(verify_statement(report), attestation)
    if json_path != "-":
        click.echo(VerifyTextFormat().render(report), nl=False)
    if report.error_details and json_path != "-":
        click.echo("--- last lines of the build log ---\n" + report.error_details, err=True)
    sys.exit(report.verdict.exit_code)


def _check_umask(value: str | None) -> str | None:
    if value is None:
        return None
    if not value.isdigit() or any(c not in "01234567" for c in value) or len(value) > 4:
        raise click.BadParameter(f"not an octal umask: {value!r} (e.g. 002)", param_hint="--umask")
    return value.zfill(3)[-3:]


def _check_env(pair: str) -> tuple[str, str]:
    key, sep, value = pair.partition("=")
    if not sep or not key or not key.replace("_", "a").isalnum() or key[0].isdigit():
        raise click.BadParameter(f"expected KEY=VALUE: {pair!r}", param_hint="--env")
    return key, value


def _check_pin(value: str) -> str:
    from packaging.requirements import InvalidRequirement, Requirement

    try:
        requirement = Requirement(value)
    except InvalidRequirement:
        raise click.BadParameter(f"not a requirement: {value!r} (e.g. flit-core==3.12.0)", param_hint="--pin") from None
    if not str(requirement.specifier):
        raise click.BadParameter(f"{value!r} pins no version (e.g. flit-core==3.12.0)", param_hint="--pin")
    return value


def _check_build_user(value: str) -> None:
    parts = value.split(":")
    if len(parts) not in (2, 4) or not parts[0].isdigit() or not parts[1].isdigit():
        raise click.BadParameter("expected UID:GID or UID:GID:USER:GROUP, e.g. 1001:123:runner:docker", param_hint="--build-user")


@cli.command()
@click.option("--tag", required=True, help="The release tag or version.")
@click.option("--repo", type=click.Path(path_type=Path, file_okay=False), default=".", show_default=True, help="The git repository.")
@click.option("--package", help="The distribution name (default: the one the tagged tree names).")
@click.option("--subdir", help="The project's directory in a monorepo (default: found by --package).")
@click.option("--index-url", default="https://pypi.org/simple/", show_default=True, help="Where the published sdist is.")
@click.option("--artifact", type=click.Path(path_type=Path, dir_okay=False), help="Audit this local sdist instead of the index's.")
@click.option("--json", "json_path", metavar="FILE", help="Write the JSON report to FILE ('-' for stdout).")
@click.option("--attestation", type=click.Path(path_type=Path, dir_okay=False), help="Write an in-toto Statement v1 about the published artifact to FILE.")
@click.option("--search-commits", "search_commits", type=click.IntRange(0, 1000), default=0, show_default=True, metavar="N",
              help="When files are not from source, also compare the sdist with the N commits before the tag (first parent) "
                   "and up to N commits after it (on any branch) and name the commit it matches best (0: off; at most 60s).")
@click.option("--quiet", "-q", is_flag=True, help="No progress lines.")
@handle_errors
def audit(
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
    Exit codes: 0 every file from source, 1 files not from source, 2 bad input or usage,
                3 could not verify (index unreachable, submodule missing).
    """
    import shlex

    from verifier.audit.pipeline import FROM_SOURCE, NOT_FROM_SOURCE, audit as run_audit
    from verifier.config import load_settings
    from verifier.progress import TerminalProgress
    from verifier.report.audit_text import AuditTextFormat
    from verifier.report.json import write_json

    words = ["verifier", "audit", "--tag", tag, "--repo", str(repo.resolve())]
    for option, value in (("--package", package), ("--subdir", subdir), ("--index-url", index_url), ("--artifact", artifact)):
        if value:
            words += [option, str(Path(value).resolve()) if option == "--artifact" else str(value)]
    if search_commits:
        words += ["--search-commits", str(search_commits)]
    settings = load_settings()
    with TerminalProgress(quiet=quiet) as progress:
        report = run_audit(
            tag=tag,
            repo=repo.resolve(),
            package=package,
            subdir=subdir,
            index_url=index_url,
            artifact=artifact.resolve() if artifact else None,
            cache_dir=settings.cache_dir,
            command=shlex.join(words),
            progress=progress,
            search_commits=search_commits,
        )
    data = report.as_dict()
    if json_path:
        write_json(data, json_path)
    if attestation is not None and (data.get("published") or {}).get("sha256"):
        from verifier.attest.intoto import audit_statement, write_statement

        write_statement(audit_statement(data), attestation)
    if json_path != "-":
        click.echo(AuditTextFormat().render(data), nl=False)
    codes = {FROM_SOURCE: EXIT_REPRODUCIBLE, NOT_FROM_SOURCE: EXIT_DIFFERENT, "error": EXIT_BAD_INPUT}
    sys.exit(codes.get(report.verdict, EXIT_COULD_NOT_VERIFY))


@cli.command()
@click.argument("report_path", metavar="REPORT.json", type=click.Path(path_type=Path, dir_okay=False))
@handle_errors
def show(report_path: Path) -> None:
    """Render a stored JSON report (verify, compare or audit) for a person."""
    from verifier.report.show import render_any

    click.echo(render_any(report_path), nl=False)


@cli.command()
@click.option("--config", "config_path", required=True, type=click.Path(path_type=Path, dir_okay=False), help="The packages to check (TOML).")
@click.option("--db", "db_url", metavar="URL", help="History database: sqlite:///PATH (default: verifier-history.sqlite beside the config) or postgresql://...")
@click.option("--jobs", "-j", type=click.IntRange(1, 64), help="Targets run in parallel (default: the number of CPUs).")
@click.option("--since", type=click.DateTime(formats=["%Y-%m-%d", "%Y-%m-%dT%H:%M:%S"]), help="Verify the releases uploaded since DATE (again, even if verified).")
@click.option("--last", type=click.IntRange(1, 1000), help="Verify the N newest releases of each package (again, even if verified).")
@click.option("--out", "out_dir", type=click.Path(path_type=Path, file_okay=False), default="verifier-site", show_default=True, help="Where index.html, summary.json, junit.xml and summary.md are written.")
@click.option("--reports-dir", type=click.Path(path_type=Path, file_okay=False), help="Where each verification's report is kept (default: verifier-reports beside the config).")
@click.option("--quiet", "-q", is_flag=True, help="No progress lines.")
@handle_errors
def nightly(
    config_path: Path,
    db_url: str | None,
    jobs: int | None,
    since: Any,
    last: int | None,
    out_dir: Path,
    reports_dir: Path | None,
    quiet: bool,
) -> None:
    """Verify every new release of the configured packages, keep the history, publish a dashboard.

    Releases in the window (default: the 5 newest of each package, or `window` in the config) that
    have no verdict yet are verified; `--since`/`--last` choose the window and verify its releases
    again. Each result is stored the moment it is known: a killed run loses nothing, and the next
    run retries what was unfinished.

    \b
    Exit codes: 0 every release verified is reproducible, 1 a release is not reproducible or
                regressed, 2 bad configuration or usage, 3 some releases could not be verified.
    """
    from datetime import timezone

    from verifier.nightly.job import run_nightly
    from verifier.progress import TerminalProgress

    if since is not None and last is not None:
        raise click.UsageError("--since and --last do not go together")
    with TerminalProgress(quiet=quiet) as progress:
        outcome = run_nightly(
            config_path,
            db_url=db_url,
            jobs=jobs,
            since=since.replace(tzinfo=timezone.utc) if since else None,
            last=last,
            out_dir=out_dir.resolve(),
            reports_dir=reports_dir.resolve() if reports_dir else None,
            progress=progress,
        )
    verdicts: dict[str, int] = {}
    for record in outcome.records:
        verdicts[record["verdict"]] = verdicts.get(record["verdict"], 0) + 1
    summary = ", ".join(f"{count} {verdict}" for verdict, count in sorted(verdicts.items())) or "nothing new"
    click.echo(f"run {outcome.run_id}: {len(outcome.records)} verified ({summary}), {len(outcome.skipped)} already done, "
               f"{len(outcome.problems)} problem(s), in {outcome.seconds} s")
    for record in outcome.records:
        flag = " REGRESSED" if record.get("regressed") else ""
        click.echo(f"  {record['package']} {record['version']}: {record['verdict']}{flag}" + (f" ({record['error']})" if record.get("error") else ""))
    for problem in outcome.problems:
        click.echo(f"  problem: {problem['package']}: {problem['error']}")
    click.echo(f"outputs: {out_dir / 'index.html'}")
    sys.exit(outcome.exit_code)


@cli.group()
def image() -> None:
    """Builder base images."""


@image.command()
@click.option("--suite", default="bookworm", show_default=True, help="Debian suite (bullseye: Python 3.9, bookworm: 3.11, trixie: 3.13).")
@click.option("--runtime", type=click.Choice(["podman", "docker"]), help="Container runtime (default: detected).")
@click.option("--source-date-epoch", type=int, default=1704067200, show_default=True, help="SOURCE_DATE_EPOCH for mmdebstrap (the rootfs is reproducible).")
@click.option("--workdir", type=click.Path(path_type=Path, file_okay=False), help="Scratch directory for the rootfs (default: a temporary one).")
@handle_errors
def bootstrap(suite: str, runtime: str | None, source_date_epoch: int, workdir: Path | None) -> None:
    """Make the builder base image from Debian packages (mmdebstrap), with no registry.

    Prints and records the image id and the rootfs sha256; `verify` then uses this base. Made
    again only when its inputs change or the image is gone.
    """
    import tempfile

    from verifier.config import load_settings
    from verifier.progress import TerminalProgress
    from verifier.runtime.base import bootstrap_base
    from verifier.runtime.detect import detect_runtime

    settings = load_settings()
    engine = detect_runtime(runtime or settings.runtime, settings.runtime_args)
    with tempfile.TemporaryDirectory(prefix="verifier-bootstrap-", dir=workdir) as scratch, TerminalProgress() as progress:
        base = bootstrap_base(engine, suite, workdir=Path(scratch), source_date_epoch=source_date_epoch, cache_dir=settings.cache_dir, progress=progress)
    click.echo(f"image id:       {base.image_id}")
    click.echo(f"reference:      {base.ref}")
    click.echo(f"rootfs sha256:  {base.rootfs_sha256}")
    click.echo(f"python:         {base.python_version}")
    click.echo(f"use it with:    --base-image {base.image_id} (verify finds it on its own for --python {'.'.join(base.python_version.split('.')[:2])})")


def main() -> None:
    cli(prog_name="verifier")


def verify_main() -> None:
    """The `verify` console script: the same as `verifier verify`."""
    cli(args=["verify", *sys.argv[1:]], prog_name="verify")


__all__ = ["cli", "main", "verify_main", "EXIT_BAD_INPUT"]
