"""Who made a result: the host and the identity of its build environment, so that verdicts from
different machines can be compared (and those that cannot, told apart)."""

from __future__ import annotations

import json
import platform
import socket
from importlib import metadata
from pathlib import Path
from typing import Any

from verifier import __version__


def uv_version() -> str | None:
    try:
        return metadata.version("uv")
    except metadata.PackageNotFoundError:
        return None


def local_bases(cache_dir: Path) -> dict[str, str]:
    """suite -> rootfs sha256 of the base images `verifier image bootstrap` made on this machine."""
    bases: dict[str, str] = {}
    for record_path in sorted((cache_dir / "base-images").glob("*.json")):
        try:
            image = json.loads(record_path.read_text()).get("image") or {}
        except (OSError, ValueError, AttributeError):
            continue
        if image.get("suite") and image.get("rootfs_sha256"):
            bases[str(image["suite"])] = str(image["rootfs_sha256"])
    return bases


def machine(cache_dir: Path) -> dict[str, Any]:
    """This machine's build environment: what a run can require of a worker."""
    return {
        "host": socket.gethostname()[:255],
        "tool_version": __version__,
        "uv_version": uv_version(),
        "host_python": platform.python_version(),
        "bases": local_bases(cache_dir),
    }


def of_result(report: dict[str, Any]) -> dict[str, Any]:
    """The build environment one verification actually used, from its JSON report."""
    builder = report.get("builder") or {}
    base = builder.get("base") or {}
    return {
        "tool_version": report.get("tool_version") or __version__,
        "base_rootfs_sha256": base.get("rootfs_sha256"),
        "base_suite": base.get("suite"),
        "base_image": base.get("image_id") or builder.get("base_image"),
        "builder_image": builder.get("image"),
        "python_version": builder.get("python") or base.get("python_version"),
        "uv_version": uv_version(),
    }


def mismatch(expected: dict[str, str], have: dict[str, str]) -> str | None:
    """Why a worker with base rootfs `have` (suite -> sha256) must not verify for a run expecting
    `expected`; None when every suite both know has the same rootfs."""
    for suite, sha256 in sorted(expected.items()):
        if suite in have and have[suite] != sha256:
            return f"its {suite} base rootfs is sha256 {have[suite][:16]}…, the run expects {sha256[:16]}…"
        if suite not in have:
            return f"it has no {suite} base image (the run expects rootfs sha256 {sha256[:16]}…)"
    return None
