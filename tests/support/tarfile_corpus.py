"""CPython's tarfile test archives, from the `backports.tarfile` sdist, fetched at test time.

The sdist is downloaded once with pip (`--no-binary :all:` gives the sdist, which holds
`tests/archivetestdata/`) into the pytest cache directory and reused; nothing is committed.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tarfile
from pathlib import Path

SDIST = "backports.tarfile==1.2.0"
DATA = "tests/archivetestdata"


def corpus_dir(cache_root: Path) -> Path:
    """The directory holding testtar.tar, recursion.tar, ...: downloaded and unpacked on first use."""
    unpacked = cache_root / "archivetestdata"
    if (unpacked / "testtar.tar").is_file():
        return unpacked
    download = cache_root / "download"
    download.mkdir(parents=True, exist_ok=True)
    if not list(download.glob("backports_tarfile-*.tar.gz")):
        env = dict(os.environ, PIP_CONFIG_FILE=os.devnull)
        subprocess.run(
            [sys.executable, "-m", "pip", "download", "--quiet", "--no-deps", "--no-binary", ":all:", "-d", str(download), SDIST],
            check=True,
            env=env,
            timeout=300,
        )
    (sdist,) = download.glob("backports_tarfile-*.tar.gz")
    partial = cache_root / "archivetestdata.partial"
    partial.mkdir(parents=True, exist_ok=True)
    with tarfile.open(sdist) as archive:
        for member in archive.getmembers():
            parts = member.name.split("/")
            if member.isfile() and "/".join(parts[1:-1]) == DATA:
                source = archive.extractfile(member)
                assert source is not None
                (partial / parts[-1]).write_bytes(source.read())
    partial.rename(unpacked)
    return unpacked
