"""A result's files in the store: its JSON report and diffoscope page go in gzip-compressed, and
come out again as files wherever the outputs are written (any machine, not the one that built)."""

from __future__ import annotations

import gzip
import json
import socket
from pathlib import Path
from typing import Any

from verifier.nightly import identity
from verifier.nightly.worker import _safe
from verifier.report.model.nightly import NightlyRecord
from verifier.report.model.serialize import to_data
from verifier.store.db import Store

MAX_STORED_BYTES = 64 * 2**20  # a diffoscope page bigger than this stays on the worker only


def _packed(path: str | None) -> bytes | None:
    if not path:
        return None
    file = Path(path)
    try:
        if not file.is_file() or file.stat().st_size > MAX_STORED_BYTES:
            return None
        return gzip.compress(file.read_bytes(), compresslevel=6, mtime=0)
    except OSError:
        return None


def attach(result: NightlyRecord) -> dict[str, Any]:
    """The record, as the store takes it, with its files packed, the host and the build environment it used."""
    record = to_data(result)
    report_gz = _packed(record.get("report_path"))
    report: dict[str, Any] = {}
    if report_gz is not None:
        try:
            report = json.loads(gzip.decompress(report_gz))
        except ValueError:
            report = {}
    return {
        **record,
        "report_gz": report_gz,
        "diffoscope_gz": _packed(record.get("diffoscope_html")),
        "host": socket.gethostname()[:255],
        "environment": {**identity.of_result(report), **(record.get("environment") or {})},
    }


def _here(path: str | None) -> bool:
    return bool(path) and Path(str(path)).is_file()


def unpack(store: Store, directory: Path, history: list[dict[str, Any]]) -> None:
    """Write the stored files of `history`'s results under `directory` and point the results at
    them, where the paths they name do not exist on this machine."""
    by_key: dict[tuple[int, str, str], list[dict[str, Any]]] = {}
    for result in history:
        by_key.setdefault((result["run_id"], result["package"], result["version"]), []).append(result)
    wanted = {r["run_id"] for r in history if not (_here(r.get("report_path")) and (r.get("diffoscope_html") is None or _here(r["diffoscope_html"])))}
    if not wanted:
        return  # every file is on this machine (the single-machine mode): nothing to read back
    for run_id, package, version, report_gz, diffoscope_gz in store.files(wanted):
        results = by_key.get((run_id, package, version), [])
        folder = directory / f"run-{run_id}" / _safe(package) / _safe(version)
        for key, blob, name in (("report_path", report_gz, "report.json"), ("diffoscope_html", diffoscope_gz, "diffoscope.html")):
            missing = [r for r in results if not _here(r.get(key))]
            if blob is None or not missing:
                continue
            folder.mkdir(parents=True, exist_ok=True)
            (folder / name).write_bytes(gzip.decompress(blob))
            for result in missing:
                result[key] = str(folder / name)
