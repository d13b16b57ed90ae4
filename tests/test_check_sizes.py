"""scripts/check-sizes.py: the size limits (modules 500 lines, functions 80), over real files."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

SCRIPT = Path(__file__).resolve().parents[1] / "scripts" / "check-sizes.py"


def _check(package: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, str(SCRIPT), str(package)], capture_output=True, text=True, timeout=60, check=False)


def test_the_package_is_within_the_limits() -> None:
    result = _check(SCRIPT.parents[1] / "verifier")
    assert result.returncode == 0, result.stdout


def test_a_long_module_and_a_long_function_are_named(tmp_path: Path) -> None:
    package = tmp_path / "pkg"
    package.mkdir()
    body = "".join(f"    x{i} = {i}\n" for i in range(80))  # with its def: 81 lines
    (package / "long_function.py").write_text(f"@decorator\ndef f():\n{body}")
    (package / "long_module.py").write_text("x = 1\n" * 501)
    (package / "fine.py").write_text("def g():\n" + "".join(f"    y{i} = {i}\n" for i in range(79)))
    result = _check(package)
    assert result.returncode == 1
    assert result.stdout.splitlines() == [
        "pkg/long_function.py:2: f() is 81 lines (limit 80)",
        "pkg/long_module.py: 501 lines (limit 500)",
    ]
