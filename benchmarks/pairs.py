"""Benchmark pairs for `benchmarks/compare.py`: equivalent sdist-like archives, generated once.

Each pair holds the same contents, packed twice with the honest noise of a rebuild (owners, mtimes,
gzip level and header):
- `code`: 20,000 members, ~160 MB of tar, words joined into Python-like lines (compresses ~4:1);
- `text`: 20,000 members, ~160 MB of tar, less compressible text (~2:1);
- `tiny`: 300,000 tiny members (0-200 bytes each).
"""

from __future__ import annotations

import gzip
import io
import random
import tarfile
from collections.abc import Iterator
from pathlib import Path

REFERENCE_PACKING = ((1001, 123, "runner", "docker"), 1_685_035_837, 9, 1_685_035_838, "bench-1.0.tar")
CANDIDATE_PACKING = ((0, 0, "root", "root"), 1_764_000_000, 6, 0, "")


def _words(rng: random.Random) -> list[bytes]:
    letters = b"abcdefghijklmnopqrstuvwxyz_"
    return [bytes(rng.choice(letters) for _ in range(rng.randint(2, 12))) for _ in range(4000)]


def code_contents(members: int, total_bytes: int) -> Iterator[tuple[str, bytes]]:
    rng = random.Random(20261125)
    words = _words(rng)
    average = total_bytes // members
    for index in range(members):
        size = max(64, int(rng.expovariate(1 / average)) if index % 50 else average * 8)
        line_words = [rng.choice(words) for _ in range(size // 6 + 1)]
        data = b" ".join(line_words)[:size].replace(b"_", b"\n")
        yield f"bench-1.0/src/pkg{index % 97}/module_{index}.py", data


def text_contents(members: int, total_bytes: int) -> Iterator[tuple[str, bytes]]:
    """Text that deflate shrinks about 2:1: hex digests and numbers between common words."""
    rng = random.Random(20261206)
    words = _words(rng)[:300]
    average = total_bytes // members
    for index in range(members):
        size = max(64, int(rng.expovariate(1 / average)) if index % 50 else average * 8)
        parts: list[bytes] = []
        length = 0
        while length < size:
            part = rng.randbytes(6).hex().encode() if rng.random() < 0.5 else rng.choice(words)
            parts.append(part)
            length += len(part) + 1
        yield f"bench-1.0/data/d{index % 97}/table_{index}.txt", b" ".join(parts)[:size]


def tiny_contents(members: int) -> Iterator[tuple[str, bytes]]:
    rng = random.Random(300_000)
    for index in range(members):
        size = rng.randint(0, 200)
        yield f"bench-1.0/t/d{index % 1000}/f{index}.txt", (b"x%d " % index * 40)[:size]


def _write(path: Path, contents: list[tuple[str, bytes]], packing: tuple) -> None:  # type: ignore[type-arg]
    owner, mtime_base, level, gzip_mtime, gzip_name = packing
    stream = io.BytesIO()
    with tarfile.open(fileobj=stream, mode="w", format=tarfile.PAX_FORMAT) as archive:
        for offset, (member_name, data) in enumerate(contents):
            info = tarfile.TarInfo(member_name)
            info.size = len(data)
            info.mtime = mtime_base + offset % 7
            info.uid, info.gid, info.uname, info.gname = owner
            info.mode = 0o644
            archive.addfile(info, io.BytesIO(data))
    with open(path, "wb") as raw, gzip.GzipFile(filename=gzip_name, mode="wb", fileobj=raw, compresslevel=level, mtime=gzip_mtime) as out:
        out.write(stream.getvalue())


def make_pair(directory: Path, kind: str, members: int, total_bytes: int) -> tuple[Path, Path]:
    """The pair's two files (reference, candidate), written on first use."""
    stem = f"{kind}-{members}" if kind == "tiny" else f"{kind}-{members}-{total_bytes // 10**6}"
    reference = directory / f"bench-ref-{stem}.tar.gz"
    candidate = directory / f"bench-cand-{stem}.tar.gz"
    if reference.exists() and candidate.exists():
        return reference, candidate
    directory.mkdir(parents=True, exist_ok=True)
    if kind == "code":
        contents = list(code_contents(members, total_bytes))
    elif kind == "text":
        contents = list(text_contents(members, total_bytes))
    else:
        contents = list(tiny_contents(members))
    _write(reference, contents, REFERENCE_PACKING)
    _write(candidate, contents, CANDIDATE_PACKING)
    return reference, candidate
