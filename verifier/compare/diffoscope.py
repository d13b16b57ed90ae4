"""diffoscope on the differing members only, so a person sees the lines that differ.

Running diffoscope on whole sdists takes minutes on large ones (132 s measured on a 20,000-member
pair); here it gets two small tar files holding just the members that differ, with their
stabilized headers (the normalized noise is not shown again) and their contents.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

from verifier.archive.interface import BLOCK
from verifier.commandlog import logged
from verifier.compare.details import CapturedSide
from verifier.logs import log_tail

TIMEOUT_S = 600
_FLAGS = {"html": "--html", "text": "--text", "markdown": "--markdown"}


def diffoscope_command() -> list[str] | None:
    beside = Path(sys.executable).with_name("diffoscope")
    if beside.exists():
        return [str(beside)]
    found = shutil.which("diffoscope")
    return [found] if found else None


def write_members_tar(side: CapturedSide, indices: list[int], path: Path) -> None:
    with open(path, "wb") as out:
        for index in indices:
            captured = side.members.get(index)
            if captured is None:
                continue
            out.write(b"".join(captured.member.headers))
            captured.content.seek(0)
            size = 0
            while chunk := captured.content.read(1 << 20):
                out.write(chunk)
                size += len(chunk)
            out.write(bytes(-size % BLOCK))
        out.write(bytes(2 * BLOCK))


def run_diffoscope(
    left: CapturedSide,
    right: CapturedSide,
    left_indices: list[int],
    right_indices: list[int],
    outputs: dict[str, Path],
    workdir: Path,
) -> tuple[dict[str, str], str | None]:
    """Write the requested diffoscope outputs; returns {format: path} and a note when it could not."""
    if not outputs:
        return {}, None
    if not left_indices and not right_indices:
        for path in outputs.values():
            path.write_text("no differing members\n", encoding="utf-8")
        return {fmt: str(path) for fmt, path in outputs.items()}, None
    command = diffoscope_command()
    if command is None:
        return {}, "diffoscope is not installed: no diffoscope output written"
    reference_tar = workdir / "reference-differing-members.tar"
    candidate_tar = workdir / "candidate-differing-members.tar"
    write_members_tar(left, left_indices, reference_tar)
    write_members_tar(right, right_indices, candidate_tar)
    for fmt, path in outputs.items():
        command += [_FLAGS[fmt], str(path)]
    environment = dict(os.environ, TMPDIR=str(workdir))
    argv = [*command, "--no-progress", str(reference_tar), str(candidate_tar)]
    try:
        with logged(argv):
            result = subprocess.run(argv, capture_output=True, timeout=TIMEOUT_S, env=environment, cwd=workdir, check=False)
    except subprocess.TimeoutExpired:
        return {}, f"diffoscope took more than {TIMEOUT_S} s and was stopped"
    except OSError as exc:
        return {}, f"diffoscope could not run: {exc}"
    if result.returncode not in (0, 1):
        tail = log_tail(result.stderr, 1, separator=" / ", default="no message")
        return {}, f"diffoscope failed (exit {result.returncode}): {tail}"
    return {fmt: str(path) for fmt, path in outputs.items() if path.exists()}, None
