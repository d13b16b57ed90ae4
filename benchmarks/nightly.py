#!/usr/bin/env python3
"""Benchmark the nightly job: N small targets with --jobs 1 against --jobs 2, measured in one run.

Makes N small flit projects (one tagged release each), "publishes" their sdists on a local index,
then runs `verifier nightly` on a fresh database with --jobs 1 and with --jobs 2, alternating,
and prints the wall times and their ratio. Real builds in podman.

    python benchmarks/nightly.py [--targets 6] [--rounds 2]
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.support.projects import UPLOAD_TIME, Project, make_repo, publisher_venv  # noqa: E402
from verifier.testing.index_server import LocalIndex  # noqa: E402
from verifier.upstream.requirements import resolve_build_requirements  # noqa: E402


def project(number: int) -> Project:
    name = f"bench-{number}"
    module = f"bench_{number}"
    return Project(
        "flit",
        name,
        module,
        "v1.0.0",
        "1.0.0",
        {
            "pyproject.toml": '[build-system]\nrequires = ["flit_core>=3.2,<4"]\nbuild-backend = "flit_core.buildapi"\n\n'
            f'[project]\nname = "{name}"\nversion = "1.0.0"\ndescription = "benchmark target {number}"\n',
            f"{module}/__init__.py": f'"""Target {number}."""\nVALUE = {number}\n',
        },
        ("flit_core>=3.2,<4",),
    )


def publish_targets(root: Path, count: int) -> tuple[Path, list[str]]:
    """`count` tiny flit releases published into a local index directory, and their config lines."""
    cutoff = datetime.fromisoformat(UPLOAD_TIME.replace("Z", "+00:00"))
    pins = resolve_build_requirements(["flit_core>=3.2,<4"], cutoff, "https://pypi.org/simple/", "3.11", workdir=root / "resolve")
    publisher = publisher_venv(root / "publisher", [f"{p.name}=={p.version}" for p in pins])
    index_dir = root / "index"
    index_dir.mkdir()
    config_lines = []
    for number in range(count):
        target = project(number)
        repo = make_repo(target, root / target.name)
        publisher.publish(repo, target.tag, index_dir, target)
        config_lines += ["[[packages]]", f'name = "{target.name}"', f'repo = "{repo}"', ""]
    return index_dir, config_lines


def run(command: list[str]) -> float:
    started = time.perf_counter()
    completed = subprocess.run(command, capture_output=True, text=True, check=False)
    if completed.returncode != 0:
        print(completed.stdout[-2000:], completed.stderr[-2000:], file=sys.stderr)
        raise SystemExit(f"nightly exited {completed.returncode}")
    return time.perf_counter() - started


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--targets", type=int, default=6)
    parser.add_argument("--rounds", type=int, default=2)
    args = parser.parse_args()
    verifier = str(Path(sys.executable).with_name("verifier"))
    with tempfile.TemporaryDirectory(prefix="verifier-bench-nightly-") as scratch:
        root = Path(scratch)
        index_dir, config_lines = publish_targets(root, args.targets)
        with LocalIndex(index_dir) as index:
            config = root / "verifier.toml"
            config.write_text(f'[defaults]\nindex-url = "{index.url}"\n\n' + "\n".join(config_lines))
            times: dict[int, list[float]] = {1: [], 2: []}
            for round_number in range(args.rounds):
                for jobs in (1, 2):
                    db = root / f"history-{round_number}-{jobs}.sqlite"
                    reports = root / f"reports-{round_number}-{jobs}"
                    times[jobs].append(run([verifier, "nightly", "--config", str(config), "--db", f"sqlite:///{db}",
                                            "--out", str(root / "site"), "--reports-dir", str(reports), "--jobs", str(jobs), "-q"]))
                    shutil.rmtree(reports, ignore_errors=True)
    one, two = statistics.median(times[1]), statistics.median(times[2])
    print(f"{args.targets} targets, {args.rounds} round(s), fresh database each time")
    print(f"--jobs 1  median {one:.1f} s  ({', '.join(f'{t:.1f}' for t in times[1])})")
    print(f"--jobs 2  median {two:.1f} s  ({', '.join(f'{t:.1f}' for t in times[2])})")
    print(f"ratio jobs2/jobs1  {two / one:.2f}  (speed-up {one / two:.2f}x on 2 cores)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
