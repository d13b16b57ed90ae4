#!/usr/bin/env python3
"""Benchmark `verifier compare` against `gzip -dc` of both archives, measured in the same run.

For each pair of equivalent archives (see `pairs.py`: `code` and `text`, 20,000 members and
~160 MB of tar each; `tiny`, 300,000 tiny members) it times, alternating, whole processes:
- `verifier compare A B` (the code under --tree, default this checkout),
- `gzip -dc A; gzip -dc B`, the yardstick every figure is a ratio to,
- the inflate floor: ISA-L inflating both files at once, one process each (the limit on two cores),
- with --baseline DIR, `verifier compare` of another checkout (before/after in one run),
and prints medians, ratios (each run's own) and the peak RSS of compare, process and children summed.
Beside each wall time, the CPU seconds (user and system, children included) and their ratio to
gunzip's: on a machine others share, CPU time varies far less than wall time. The wall ratio is the
issue's figure; compare's CPU ratio is about twice its wall ratio when the two cores are its own.

Targets (issue 15): code and text pairs <= 0.45x gunzip; tiny pair <= 3x gunzip, peak RSS < 150 MB.

    python benchmarks/compare.py [--runs 5 | --quick] [--pairs code,text,tiny] [--baseline /path/to/old/tree]
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from pairs import make_pair  # noqa: E402

TARGETS = {"code": (0.45, None), "text": (0.45, None), "tiny": (3.0, 150.0)}
SIZES = {"code": (20_000, 160), "text": (20_000, 160), "tiny": (300_000, 0)}

FLOOR = r"""
import os, sys
from isal import isal_zlib
def inflate(path):
    with open(path, "rb") as handle:
        inflater = isal_zlib.decompressobj(31)
        while data := handle.read(1 << 20):
            while data:
                inflater.decompress(data)
                data = b""
                if inflater.eof and inflater.unused_data:  # another gzip member follows
                    data = inflater.unused_data
                    inflater = isal_zlib.decompressobj(31)
pids = []
for path in sys.argv[1:]:
    pid = os.fork()
    if pid == 0:
        inflate(path)
        os._exit(0)
    pids.append(pid)
for pid in pids:
    os.waitpid(pid, 0)
"""


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


def timed(command: list[str], env: dict[str, str] | None = None, sample_memory: bool = False) -> tuple[float, int, int, float]:
    """Wall seconds, peak RSS in KiB (process and children, sampled every 5 ms when asked), exit code,
    CPU seconds (user and system, of the process and the children it waited for)."""
    started = time.perf_counter()
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env)
    peak = 0
    if sample_memory:
        while process.poll() is None:
            peak = max(peak, _tree_rss_kib(process.pid))
            time.sleep(0.005)
        return time.perf_counter() - started, peak, process.returncode, 0.0
    _, status, usage = os.wait4(process.pid, 0)
    cpu = usage.ru_utime + usage.ru_stime
    return time.perf_counter() - started, usage.ru_maxrss, os.waitstatus_to_exitcode(status), cpu


def gunzip_both(reference: Path, candidate: Path) -> list[str]:
    return ["sh", "-c", f"gzip -dc '{reference}' >/dev/null && gzip -dc '{candidate}' >/dev/null"]


@dataclass
class Contender:
    label: str
    command: list[str]
    env: dict[str, str] | None = None
    walls: list[float] = field(default_factory=list)
    ratios: list[float] = field(default_factory=list)
    cpus: list[float] = field(default_factory=list)
    peaks: list[int] = field(default_factory=list)


def compare_command(tree: Path, reference: Path, candidate: Path) -> tuple[list[str], dict[str, str]]:
    # -P: the working directory is not put first on sys.path, so `tree` is what is imported.
    env = dict(os.environ, PYTHONPATH=str(tree))
    return [sys.executable, "-P", "-m", "verifier", "compare", str(reference), str(candidate)], env


def bench_pair(kind: str, args: argparse.Namespace) -> None:
    members, megabytes = SIZES[kind]
    reference, candidate = make_pair(args.data_dir, kind, members, megabytes * 10**6)
    tar_size = int(subprocess.run(["sh", "-c", f"gzip -dc '{reference}' | wc -c"], capture_output=True, text=True, check=False).stdout)
    ratio = tar_size / reference.stat().st_size
    print(f"\n== {kind}: {members} members, {tar_size / 1e6:.0f} MB of tar each, {reference.stat().st_size / 1e6:.0f} MB gzip ({ratio:.1f}:1)")
    contenders = []
    for label, tree in (("compare", args.tree), ("compare (baseline)", args.baseline)):
        if tree is None:
            continue
        command, env = compare_command(tree, reference, candidate)
        wall, _, code, _ = timed(command, env)
        if code != 0:
            print(f"{label}: exit code {code}, expected 0 (equivalent)", file=sys.stderr)
            raise SystemExit(1)
        contenders.append(Contender(label, command, env))
    contenders.append(Contender("ISA-L floor (both, parallel)", [sys.executable, "-c", FLOOR, str(reference), str(candidate)]))
    base: list[float] = []
    base_cpus: list[float] = []
    for _ in range(args.runs):
        base_wall, _, _, base_cpu = timed(gunzip_both(reference, candidate))
        base.append(base_wall)
        base_cpus.append(base_cpu)
        for contender in contenders:
            wall, _, _, cpu = timed(contender.command, contender.env)
            contender.walls.append(wall)
            contender.ratios.append(wall / base_wall)
            contender.cpus.append(cpu)
    for contender in contenders:
        if contender.label.startswith("compare"):
            for _ in range(args.memory_runs):
                contender.peaks.append(timed(contender.command, contender.env, sample_memory=True)[1])
    ratio_target, rss_target = TARGETS[kind]
    base_cpu = statistics.median(base_cpus)
    print(f"  {'gzip -dc both':30} median {statistics.median(base):7.3f} s  (min {min(base):.3f}, max {max(base):.3f})  CPU {base_cpu:.2f} s")
    for contender in contenders:
        walls, ratios = contender.walls, contender.ratios
        cpu = statistics.median(contender.cpus)
        line = (
            f"  {contender.label:30} median {statistics.median(walls):7.3f} s  ratio to gunzip median "
            f"{statistics.median(ratios):.3f} (min {min(ratios):.3f}, max {max(ratios):.3f})  CPU {cpu:.2f} s ({cpu / base_cpu:.2f}x)"
        )
        if contender.peaks:
            line += f"  peak RSS {max(contender.peaks) / 1024:.0f} MiB"
        print(line)
    target = f"  targets: compare <= {ratio_target}x gunzip"
    if rss_target:
        target += f", peak RSS < {rss_target:.0f} MB (process and children)"
    print(target)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--memory-runs", type=int, default=2)
    parser.add_argument("--quick", action="store_true", help="2 timed runs and 1 memory run per pair (about a minute once the pairs exist)")
    parser.add_argument("--pairs", default="code,text,tiny")
    parser.add_argument("--tree", type=Path, default=HERE.parent, help="checkout whose verifier is timed")
    parser.add_argument("--baseline", type=Path, default=None, help="another checkout, timed in the same run")
    parser.add_argument("--data-dir", type=Path, default=HERE / ".data")
    parser.add_argument("--generate-only", action="store_true", help="write the pairs and stop")
    args = parser.parse_args()
    if args.quick:
        args.runs, args.memory_runs = 2, 1
    kinds = [kind.strip() for kind in args.pairs.split(",") if kind.strip()]
    for kind in kinds:
        if kind not in SIZES:
            parser.error(f"unknown pair {kind!r}; known: {', '.join(SIZES)}")
    if args.generate_only:
        for kind in kinds:
            members, megabytes = SIZES[kind]
            make_pair(args.data_dir, kind, members, megabytes * 10**6)
        return 0
    # Generated in a child: a parent that held the data would lend its memory to every fork.
    subprocess.run([sys.executable, __file__, "--generate-only", "--pairs", ",".join(kinds), "--data-dir", str(args.data_dir)], check=True)
    print(f"load average at start: {os.getloadavg()[0]:.2f} on {os.cpu_count()} cores")
    for kind in kinds:
        bench_pair(kind, args)
    print(f"\nload average at end: {os.getloadavg()[0]:.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
