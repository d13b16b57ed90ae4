#!/usr/bin/env python3
"""Benchmark `verifier compare` against `gzip -dc` of both archives, measured in the same run.

Generates (once, cached in --data-dir) a pair of sdist-like archives with the same contents but
different owners, mtimes, gzip level and gzip header: >= 20,000 members, >= 150 MB of tar. Then
times, alternating, `verifier compare A B` and `gzip -dc A; gzip -dc B` (whole processes), and
prints the medians, their ratio, and the peak RSS of the compare process.

Targets (issue "Archive engine"): ratio to gunzip <= 0.75; peak RSS < 150 MB.

    python benchmarks/compare.py [--runs 5] [--members 20000] [--diffoscope] [--naive]
"""

from __future__ import annotations

import argparse
import gzip
import io
import os
import random
import statistics
import subprocess
import sys
import tarfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
VERIFIER = [sys.executable, "-m", "verifier"]


def _words(rng: random.Random) -> list[bytes]:
    letters = b"abcdefghijklmnopqrstuvwxyz_"
    return [bytes(rng.choice(letters) for _ in range(rng.randint(2, 12))) for _ in range(4000)]


def make_pair(directory: Path, members: int, total_bytes: int) -> tuple[Path, Path]:
    reference = directory / f"bench-ref-{members}.tar.gz"
    candidate = directory / f"bench-cand-{members}.tar.gz"
    if reference.exists() and candidate.exists():
        return reference, candidate
    directory.mkdir(parents=True, exist_ok=True)
    rng = random.Random(20261125)
    words = _words(rng)
    average = total_bytes // members
    contents: list[tuple[str, bytes]] = []
    for index in range(members):
        size = max(64, int(rng.expovariate(1 / average)) if index % 50 else average * 8)
        line_words = [rng.choice(words) for _ in range(size // 6 + 1)]
        data = b" ".join(line_words)[:size].replace(b"_", b"\n")
        package = f"pkg{index % 97}"
        contents.append((f"bench-1.0/src/{package}/module_{index}.py", data))
    for path, owner, mtime_base, level, gzip_mtime, name in (
        (reference, (1001, 123, "runner", "docker"), 1_685_035_837, 9, 1_685_035_838, "bench-1.0.tar"),
        (candidate, (0, 0, "root", "root"), 1_764_000_000, 6, 0, ""),
    ):
        stream = io.BytesIO()
        with tarfile.open(fileobj=stream, mode="w", format=tarfile.PAX_FORMAT) as archive:
            for offset, (member_name, data) in enumerate(contents):
                info = tarfile.TarInfo(member_name)
                info.size = len(data)
                info.mtime = mtime_base + offset % 7
                info.uid, info.gid, info.uname, info.gname = owner
                info.mode = 0o644
                archive.addfile(info, io.BytesIO(data))
        with open(path, "wb") as raw:
            with gzip.GzipFile(filename=name, mode="wb", fileobj=raw, compresslevel=level, mtime=gzip_mtime) as out:
                out.write(stream.getvalue())
    return reference, candidate


def _tree_rss_kib(pid: int) -> int:
    """Resident memory of a process and all its descendants, from /proc (0 once it is gone)."""
    total = 0
    pending = [pid]
    while pending:
        current = pending.pop()
        try:
            with open(f"/proc/{current}/status") as status:
                for line in status:
                    if line.startswith("VmRSS:"):
                        total += int(line.split()[1])
                        break
            for task in os.listdir(f"/proc/{current}/task"):
                with open(f"/proc/{current}/task/{task}/children") as children:
                    pending.extend(int(child) for child in children.read().split())
        except (FileNotFoundError, ProcessLookupError, ValueError):
            continue
    return total


def timed(command: list[str], sample_memory: bool = False) -> tuple[float, int, int]:
    """Wall seconds, peak RSS in KiB, exit code.

    The peak is the process's own (kernel accounting) or, with sample_memory, the largest sum over
    the process and its children seen every 5 ms (the comparison forks a reader for the candidate).
    """
    started = time.perf_counter()
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    peak = 0
    if sample_memory:
        while process.poll() is None:
            peak = max(peak, _tree_rss_kib(process.pid))
            time.sleep(0.005)
        wall = time.perf_counter() - started
        return wall, peak, process.returncode
    _, status, usage = os.wait4(process.pid, 0)
    wall = time.perf_counter() - started
    process.returncode = os.waitstatus_to_exitcode(status)
    return wall, usage.ru_maxrss, process.returncode


def gunzip_both(reference: Path, candidate: Path) -> list[str]:
    return ["sh", "-c", f"gzip -dc '{reference}' >/dev/null && gzip -dc '{candidate}' >/dev/null"]


NAIVE = r"""
import hashlib, sys, tarfile
def digest(path):
    out = {}
    with tarfile.open(path, "r:gz") as t:
        for m in t:
            h = hashlib.sha256()
            if m.isfile():
                f = t.extractfile(m)
                while chunk := f.read(1 << 20):
                    h.update(chunk)
            out[m.name] = (m.type, m.mode, m.linkname, h.hexdigest())
    return out
sys.exit(0 if digest(sys.argv[1]) == digest(sys.argv[2]) else 1)
"""


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--members", type=int, default=20_000)
    parser.add_argument("--megabytes", type=int, default=160)
    parser.add_argument("--data-dir", type=Path, default=HERE / ".data")
    parser.add_argument("--diffoscope", action="store_true", help="also time diffoscope on the pair (minutes)")
    parser.add_argument("--naive", action="store_true", help="also time a naive tarfile + sha256 comparison")
    parser.add_argument("--generate-only", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()

    if args.generate_only:
        make_pair(args.data_dir, args.members, args.megabytes * 10**6)
        return 0
    # Generated in a child: a parent that held the data would lend its memory to every fork.
    subprocess.run(
        [sys.executable, __file__, "--generate-only", "--members", str(args.members), "--megabytes",
         str(args.megabytes), "--data-dir", str(args.data_dir)],
        check=True,
    )
    reference, candidate = make_pair(args.data_dir, args.members, args.megabytes * 10**6)
    tar_size = int(subprocess.run(["sh", "-c", f"gzip -dc '{reference}' | wc -c"], capture_output=True, text=True).stdout)
    print(f"pair: {args.members} members, {tar_size / 1e6:.0f} MB of tar each; {reference.stat().st_size / 1e6:.0f} MB gzip")

    compare = [*VERIFIER, "compare", str(reference), str(candidate)]
    wall, _, code = timed(compare)
    print(f"warm-up: verifier compare exit code {code} (0 = equivalent expected) in {wall:.2f} s")
    if code != 0:
        print("unexpected verdict: the benchmark pair should be equivalent", file=sys.stderr)
        return 1
    ours: list[float] = []
    base: list[float] = []
    ratios: list[float] = []
    peaks: list[int] = []
    for _ in range(args.runs):
        wall_ours, _, _ = timed(compare)
        wall_base, _, _ = timed(gunzip_both(reference, candidate))
        ours.append(wall_ours)
        base.append(wall_base)
        ratios.append(wall_ours / wall_base)
    for _ in range(2):
        peaks.append(timed(compare, sample_memory=True)[1])
    print(f"verifier compare      median {statistics.median(ours):.3f} s  (min {min(ours):.3f}, max {max(ours):.3f})")
    print(f"gzip -dc both         median {statistics.median(base):.3f} s  (min {min(base):.3f}, max {max(base):.3f})")
    print(f"ratio compare/gunzip  median {statistics.median(ratios):.3f}  (min {min(ratios):.3f}, max {max(ratios):.3f})  target <= 0.75")
    print(f"peak RSS of compare   max {max(peaks) / 1024:.1f} MiB (process and its child, summed)  target < 150 MiB")
    if args.naive:
        wall, peak, _ = timed([sys.executable, "-c", NAIVE, str(reference), str(candidate)])
        print(f"naive tarfile+sha256  {wall:.3f} s  ratio to gunzip {wall / statistics.median(base):.2f}  peak {peak / 1024:.1f} MiB")
    if args.diffoscope:
        from verifier.compare.diffoscope import diffoscope_command

        command = diffoscope_command()
        if command is None:
            print("diffoscope: not installed")
        else:
            wall, peak, _ = timed([*command, "--text", os.devnull, str(reference), str(candidate)])
            print(
                f"diffoscope            {wall:.1f} s  ratio compare/diffoscope {statistics.median(ours) / wall:.4f}  peak {peak / 1024:.0f} MiB"
            )
    return 0


if __name__ == "__main__":
    sys.exit(main())
