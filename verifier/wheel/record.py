"""RECORD against the files: every file listed once with its sha256 and size, nothing listed that is
not there (PEP 376/627; RECORD itself and signatures are listed without a hash)."""

from __future__ import annotations

import base64
import csv
import io

from verifier.wheel.interface import WheelContents, WheelFinding

_UNHASHED_SUFFIXES = ("/RECORD", "/RECORD.jws", "/RECORD.p7s")


def record_findings(wheel: WheelContents) -> list[WheelFinding]:
    """Every disagreement between RECORD and the wheel's files (empty when RECORD is consistent)."""
    files = wheel.by_path()
    findings: list[WheelFinding] = []
    listed: set[str] = set()
    for row in csv.reader(io.StringIO(wheel.record_text)):
        if not row or not row[0]:
            continue
        path, digest, size = ([*row, "", ""])[:3]
        if path in listed:
            findings.append(WheelFinding("record-mismatch", path, f"RECORD lists {path} twice"))
        listed.add(path)
        file = files.get(path)
        if file is None:
            findings.append(WheelFinding("record-mismatch", path, f"RECORD lists {path}, which the wheel does not hold"))
        elif not path.endswith(_UNHASHED_SUFFIXES):
            findings += _check_row(path, digest, size, file.sha256, file.size)
    for path in files:
        if path not in listed:
            findings.append(WheelFinding("unlisted", path, f"{path} is in the wheel but not in RECORD"))
    return findings


def _check_row(path: str, digest: str, size: str, sha256_hex: str, actual_size: int) -> list[WheelFinding]:
    algorithm, _, encoded = digest.partition("=")
    if algorithm != "sha256":
        return [WheelFinding("record-mismatch", path, f"RECORD gives {path} no sha256 ({digest or 'no hash'})")]
    expected = base64.urlsafe_b64encode(bytes.fromhex(sha256_hex)).rstrip(b"=").decode()
    findings = []
    if encoded != expected:
        findings.append(WheelFinding("record-mismatch", path, f"RECORD's sha256 of {path} is not the file's"))
    if size and size != str(actual_size):
        findings.append(WheelFinding("record-mismatch", path, f"RECORD says {path} has {size} bytes; it has {actual_size}"))
    return findings
