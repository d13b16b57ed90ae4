"""A History like a store would hand over after months of nightly runs: several packages, every
verdict, a regression, re-verifications, names and versions written by an attacker, and reports
(some missing) on disk."""

from __future__ import annotations

import hashlib
import json
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from verifier.nightly.outputs import History

CURRENT_RUN = 40
EPOCH = datetime(2024, 3, 1, 2, 0, tzinfo=UTC)

HOSTILE_PACKAGE = "<script>alert('pkg')</script>"
HOSTILE_VERSION = "../../x"
TRAVERSAL_PACKAGE = "../../x"
IMG_VERSION = '1.0"><img src=x onerror=alert(1)>'
BIDI_PACKAGE = "safe\u202egnp.exe"

NORMALIZATIONS = {
    "mtime": {"reference": 212, "candidate": 212, "pairs": 212, "summary": "tar mtimes (header, pax, GNU)", "scope": "members"},
    "owner": {"reference": 212, "candidate": 0, "pairs": 212, "summary": "uid, gid, user and group names", "scope": "members"},
    "gzip-header": {"reference": 1, "candidate": 1, "pairs": 1, "summary": "gzip mtime, name, OS byte, level", "scope": "frame"},
}


def _h(*parts: str) -> str:
    return hashlib.sha256("\0".join(parts).encode("utf-8", "surrogatepass")).hexdigest()


def _when(run: int, minute: int = 0) -> datetime:
    return EPOCH + timedelta(days=run - 1, minutes=minute)


def _iso(moment: datetime) -> str:
    return moment.isoformat().replace("+00:00", "Z")


def result(
    work: Path,
    run: int,
    package: str,
    version: str,
    verdict: str,
    *,
    minute: int = 5,
    differences: list[dict[str, str]] | None = None,
    explanations: list[dict[str, str]] | None = None,
    error: str | None = None,
    regressed: bool = False,
    report: bool = True,
    diffoscope: bool | None = None,
    normalizations: dict[str, Any] | None = None,
) -> dict[str, Any]:
    started = _when(run, minute)
    duration = 37.5 + (len(package) * 7 + run * 13) % 240
    slug = f"{run}-{_h(package, version)[:10]}"
    report_path = work / f"reports/{slug}.json"
    diffoscope_path = work / f"reports/{slug}.diffoscope.html"
    if report:
        report_path.parent.mkdir(parents=True, exist_ok=True)
        report_path.write_text(json.dumps({"package": package, "version": version, "verdict": verdict}))
    if diffoscope is None:
        diffoscope = verdict == "different"
    if diffoscope:
        diffoscope_path.parent.mkdir(parents=True, exist_ok=True)
        diffoscope_path.write_text("<!DOCTYPE html><title>diffoscope</title><p>differences</p>")
    if normalizations is None:
        normalizations = {} if verdict == "identical" else NORMALIZATIONS if verdict != "could-not-verify" else {}
    safe_name = package.lower().replace("_", "-")
    return {
        "package": package,
        "version": version,
        "verdict": verdict,
        "tag": f"v{version}",
        "commit": _h(package, version, "c")[:40],
        "published_url": f"https://files.example.org/packages/{safe_name}-{version}.tar.gz",
        "published_sha256": _h(package, version, "p"),
        "upload_time": _iso(started - timedelta(hours=9)),
        "rebuilt_sha256": None if verdict in ("could-not-verify", "error", "timeout") else _h(package, version, "r"),
        "builder": "pypa-build",
        "builder_image": "localhost/verifier-builder-pypa-build@sha256:" + "ab" * 32,
        "normalizations": normalizations,
        "differences": differences or [],
        "explanations": explanations or [],
        "error": error,
        "started_at": _iso(started),
        "finished_at": _iso(started + timedelta(seconds=duration)),
        "duration_s": duration,
        "report_path": str(report_path) if report else None,
        "diffoscope_html": str(diffoscope_path) if diffoscope else None,
        "log_path": f"/var/lib/verifier/logs/{slug}.log",
        "command": ["verifier", "verify", "--tag", version, "--package", package, "--json", "report.json"],
        "regressed": regressed,
    }


CONTENT_DIFFERENCES = [
    {"path": "requests-2.32.4/src/requests/__version__.py", "kind": "content", "message": "first differing byte at offset 118: 0x34 != 0x33"},
    {"path": "requests-2.32.4/PKG-INFO", "kind": "content", "message": "first differing byte at offset 1432"},
    {"path": "requests-2.32.4/src/requests/_generated.py", "kind": "only-in-reference", "message": "in the published sdist only (2,311 bytes)"},
]


def sample_dicts(work: Path) -> tuple[dict[str, Any], list[dict[str, Any]], list[dict[str, Any]]]:
    """(run, results of this run, stored history newest first) as plain data."""
    past: list[dict[str, Any]] = []
    requests_versions = ["2.28.0", "2.28.1", "2.28.2", "2.29.0", "2.30.0", "2.31.0", "2.32.0", "2.32.1", "2.32.2", "2.32.3"]
    for i, version in enumerate(requests_versions):
        verdict = "identical" if i < 3 else "equivalent"
        past.append({**result(work, 2 + i * 3, "requests", version, verdict, report=i > 6), "run_id": 2 + i * 3})
    for i, version in enumerate(["22.2.0", "23.1.0"]):
        past.append({**result(work, 5 + i * 10, "attrs", version, "identical"), "run_id": 5 + i * 10})
    past.append({**result(work, 12, "Flask_Login", "0.6.2", "equivalent"), "run_id": 12})
    past.append({**result(work, 30, "Flask-Login", "0.6.3", "timeout", error="build exceeded 900 s"), "run_id": 30})
    past.append({**result(work, 33, "flask.login", "0.6.3", "equivalent"), "run_id": 33})  # retried: fine now
    past.append({**result(work, 20, "numpy", "1.26.3", "different", differences=CONTENT_DIFFERENCES[:1]), "run_id": 20})
    past.append({**result(work, 25, "numpy", "1.26.4", "equivalent"), "run_id": 25})
    past.append({**result(work, 35, "zope.interface", "6.2", "error", error="verifier crashed: KeyError 'x'"), "run_id": 35})

    current = [
        result(
            work,
            CURRENT_RUN,
            "requests",
            "2.32.4",
            "different",
            minute=2,
            differences=CONTENT_DIFFERENCES,
            explanations=[
                {"path": "requests-2.32.4/src/requests/_generated.py", "cause": "untracked-at-tag", "message": "not in the git tree at the tag: made by the release script"},
            ],
            regressed=True,
        ),
        result(work, CURRENT_RUN, "attrs", "24.1.0", "identical", minute=4),
        result(work, CURRENT_RUN, "Flask-Login", "0.7.0", "could-not-verify", minute=6, error="the build failed: setup.py: error: invalid command 'egg_info'\nsee the log", report=False),
        result(work, CURRENT_RUN, "numpy", "2.0.0", "equivalent", minute=8),
        result(work, CURRENT_RUN, "zope.interface", "7.0", "timeout", minute=12, error="build exceeded 900 s"),
        result(work, CURRENT_RUN, "urllib3", "2.2.2", "error", minute=14, error="index unreachable: https://pypi.org/simple/urllib3/ (503)"),
        result(
            work,
            CURRENT_RUN,
            HOSTILE_PACKAGE,
            HOSTILE_VERSION,
            "different",
            minute=16,
            differences=[
                {"path": "../../etc/passwd\x00<b>bold</b>", "kind": "only-in-candidate", "message": "</td></tr></table><script>alert('diff')</script> | `tick` *star*"},
                {"path": "pkg/\udcff\udcfe.py", "kind": "content", "message": "name not UTF-8 \x1b[31m red"},
            ],
            explanations=[{"path": "<i>x</i>", "cause": "<u>cause</u>", "message": "&amp; <script>"}],
        ),
        result(work, CURRENT_RUN, TRAVERSAL_PACKAGE, IMG_VERSION, "identical", minute=18),
        result(work, CURRENT_RUN, BIDI_PACKAGE, "1.0", "equivalent", minute=20),
    ]
    current_with_run = [{**r, "run_id": CURRENT_RUN} for r in current]
    # The store holds this run's results too (newest first), as it would after saving them.
    history = sorted(current_with_run + past, key=lambda r: (r["run_id"], r["finished_at"]), reverse=True)
    run = {
        "id": CURRENT_RUN,
        "started_at": _iso(_when(CURRENT_RUN)),
        "finished_at": _iso(_when(CURRENT_RUN, 47)),
        "config": "verifier.toml",
        # What the scheduler adds (optional in the contract):
        "status": "finished",
        "skipped": [
            {"package": "attrs", "version": "23.1.0", "why": "already verified: identical"},
            {"package": "zope.interface", "version": "6.2", "why": "could not be verified 3 times; gave up"},
        ],
        "problems": [
            {"package": "no-such-package", "error": "not on https://pypi.org/simple/ (404)"},
            {"package": "<b>evil</b>", "error": "</li><script>alert('problem')</script>"},
        ],
    }
    return run, current, history


def sample_history(work: Path) -> History:
    return History.from_dicts(*sample_dicts(work))
