#!/usr/bin/env python3
"""Benchmark the nightly job over Celery: N small targets with one worker, then with two workers
(concurrency 1 each), on this machine; a fresh PostgreSQL database and a real Redis broker each time.

Prints the wall times, their ratio, releases per hour per worker, and what each result costs the
broker (one message: its size) and the database (rows and bytes stored per result).

    python benchmarks/celery.py [--targets 8]
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from sqlalchemy import create_engine, text  # noqa: E402

from benchmarks.nightly import publish_targets  # noqa: E402
from tests.support.services import PostgresDatabase, Redis  # noqa: E402
from verifier.nightly.distributed.task import payload_for  # noqa: E402
from verifier.nightly.targets import Target  # noqa: E402
from verifier.testing.index_server import LocalIndex  # noqa: E402


def one_round(root: Path, config: Path, broker_url: str, workers: int, env: dict[str, str]) -> tuple[float, dict[str, float]]:
    verifier = str(Path(sys.executable).with_name("verifier"))
    with PostgresDatabase() as db_url:
        processes = [
            subprocess.Popen([verifier, "worker", "--broker", broker_url, "--db", db_url, "--work-dir", str(root / f"w{workers}-{n}"), "-c", "1",
                              "--name", f"bench{n}@{workers}"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env)
            for n in range(workers)
        ]
        time.sleep(8)  # the workers are up (connected, store migrated)
        started = time.perf_counter()
        done = subprocess.run([verifier, "nightly", "--config", str(config), "--db", db_url, "--broker", broker_url, "--out", str(root / "site"), "-q"],
                              capture_output=True, text=True, env=env, check=False)
        seconds = time.perf_counter() - started
        for process in processes:
            process.terminate()
        for process in processes:
            process.wait(timeout=120)
        if done.returncode != 0:
            raise SystemExit(f"nightly exited {done.returncode}: {done.stdout[-1500:]} {done.stderr[-1500:]}")
        engine = create_engine(db_url)
        with engine.connect() as connection:
            rows = connection.execute(text("select count(*) from results")).scalar_one()
            table_bytes = connection.execute(text("select pg_total_relation_size('results')")).scalar_one()
            blobs = connection.execute(text("select coalesce(sum(length(report_gz)), 0) + coalesce(sum(length(diffoscope_gz)), 0) from results")).scalar_one()
            build = connection.execute(text("select avg(duration_s) from results")).scalar_one()
        engine.dispose()
    return seconds, {"rows": rows, "table_bytes_per_result": table_bytes / rows, "blob_bytes_per_result": blobs / rows, "mean_target_s": build}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--targets", type=int, default=8)
    args = parser.parse_args()
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    with tempfile.TemporaryDirectory(prefix="verifier-bench-celery-") as scratch:
        root = Path(scratch)
        index_dir, lines = publish_targets(root, args.targets)
        broker = Redis(root / "redis")
        broker.start()
        try:
            with LocalIndex(index_dir) as index:
                config = root / "verifier.toml"
                config.write_text(f'[defaults]\nindex-url = "{index.url}"\n\n' + "\n".join(lines))
                one, facts_one = one_round(root, config, broker.url, 1, env)
                two, facts_two = one_round(root, config, broker.url, 2, env)
        finally:
            broker.stop()
    message = len(json.dumps(payload_for(1, Target("bench-0", "1.0.0", "/tmp/bench-0", None, {"timeout": 3600}), {"bookworm": "0" * 64})))
    print(f"{args.targets} targets, Redis broker, fresh PostgreSQL database each time; load average {os.getloadavg()[0]:.1f} at the end")
    print(f"1 worker  (concurrency 1)   {one:.1f} s   mean target {facts_one['mean_target_s']:.1f} s")
    print(f"2 workers (concurrency 1)   {two:.1f} s   mean target {facts_two['mean_target_s']:.1f} s")
    print(f"ratio two/one {two / one:.2f} (speed-up {one / two:.2f}x)")
    print(f"releases per hour per worker (1 worker): {3600 * args.targets / one:.0f}")
    print(f"broker: 1 message per target, ~{message} bytes of JSON payload")
    print(f"database: {facts_one['table_bytes_per_result']:.0f} bytes of results table per result "
          f"({facts_one['blob_bytes_per_result']:.0f} of them gzip report/diffoscope)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
