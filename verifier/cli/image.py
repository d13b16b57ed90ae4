"""`verifier image bootstrap`: the builder base image, from Debian packages."""

from __future__ import annotations

import tempfile
from pathlib import Path

import click

from verifier.cli.errors import handle_errors
from verifier.cli.options import runtime_option, workdir_option


@click.group("image")
def image_group() -> None:
    """Builder base images."""


@image_group.command("bootstrap")
@click.option("--suite", default="bookworm", show_default=True, help="Debian suite (bullseye: Python 3.9, bookworm: 3.11, trixie: 3.13).")
@runtime_option
@click.option("--source-date-epoch", type=int, default=1704067200, show_default=True,
              help="SOURCE_DATE_EPOCH for mmdebstrap (the rootfs is reproducible).")
@workdir_option("Scratch directory for the rootfs (default: a temporary one).")
@handle_errors
def bootstrap_command(suite: str, runtime: str | None, source_date_epoch: int, workdir: Path | None) -> None:
    """Make the builder base image from Debian packages (mmdebstrap), with no registry.

    Prints and records the image id and the rootfs sha256; `verify` then uses this base. Made
    again only when its inputs change or the image is gone.

    \b
    Example:
      verifier image bootstrap --suite trixie
    """
    from verifier.config import load_settings
    from verifier.progress import TerminalProgress
    from verifier.runtime.base_image import bootstrap_base
    from verifier.runtime.detect import detect_runtime

    settings = load_settings()
    engine = detect_runtime(runtime or settings.runtime, settings.runtime_args)
    with tempfile.TemporaryDirectory(prefix="verifier-bootstrap-", dir=workdir) as scratch, TerminalProgress() as progress:
        base = bootstrap_base(engine, suite, workdir=Path(scratch), source_date_epoch=source_date_epoch, cache_dir=settings.cache_dir, progress=progress)
    python = ".".join(base.python_version.split(".")[:2])
    click.echo(f"image id:       {base.image_id}")
    click.echo(f"reference:      {base.ref}")
    click.echo(f"rootfs sha256:  {base.rootfs_sha256}")
    click.echo(f"python:         {base.python_version}")
    click.echo(f"use it with:    --base-image {base.image_id} (verify finds it on its own for --python {python})")
