"""A real headless Chromium, and a small PNG reader to check what it drew (no imaging library)."""

from __future__ import annotations

import os
import shutil
import struct
import subprocess
import zlib
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path

import pytest

INSTALL_HINT = (
    "chromium is not installed: the dashboard must be checked in a real browser. "
    "Install it with `apt-get install -y chromium` (Debian), or point $VERIFIER_CHROMIUM at a Chromium binary."
)

FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--hide-scrollbars",
    "--force-color-profile=srgb",  # the screenshot's colours are the CSS colours
]


def chromium() -> str:
    """The Chromium binary; fails the test (never skips) when there is none."""
    configured = os.environ.get("VERIFIER_CHROMIUM")
    for candidate in ([configured] if configured else []) + ["chromium", "chromium-browser", "google-chrome"]:
        found = shutil.which(candidate)
        if found:
            return found
    pytest.fail(INSTALL_HINT, pytrace=False)


def _run(args: list[str], profile: Path, timeout: float = 120) -> subprocess.CompletedProcess[str]:
    profile.mkdir(parents=True, exist_ok=True)
    env = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "HOME": str(profile), "LANG": "C.UTF-8"}
    return subprocess.run(
        [chromium(), *FLAGS, f"--user-data-dir={profile}", *args],
        capture_output=True,
        text=True,
        timeout=timeout,
        env=env, check=False,
    )


def screenshot(page: Path, png: Path, profile: Path, *, width: int = 1280, height: int = 900, dark: bool = False) -> None:
    args = [f"--screenshot={png}", f"--window-size={width},{height}"]
    if dark:
        args.append("--force-dark-mode")
    done = _run([*args, page.resolve().as_uri()], profile)
    assert png.exists(), f"chromium wrote no screenshot (exit {done.returncode}): {done.stderr[-2000:]}"


def dump_dom(page: Path, profile: Path) -> str:
    done = _run(["--dump-dom", page.resolve().as_uri()], profile)
    assert done.returncode == 0 and "<html" in done.stdout, f"chromium --dump-dom failed: {done.stderr[-2000:]}"
    return done.stdout


@dataclass
class Image:
    width: int
    height: int
    channels: int
    rows: list[bytes]

    def pixel(self, x: int, y: int) -> tuple[int, ...]:
        row = self.rows[y]
        return tuple(row[x * self.channels : x * self.channels + 3])


def png_size(data: bytes) -> tuple[int, int]:
    """Width and height from the IHDR chunk."""
    assert data[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG file"
    length, kind = struct.unpack(">I4s", data[8:16])
    assert kind == b"IHDR" and length == 13, "the first chunk is not IHDR"
    return struct.unpack(">II", data[16:24])


def _paeth(a: int, b: int, c: int) -> int:
    p = a + b - c
    pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
    if pa <= pb and pa <= pc:
        return a
    return b if pb <= pc else c


def decode_png(data: bytes) -> Image:
    """8-bit RGB or RGBA, non-interlaced: what Chromium writes."""
    width, height = png_size(data)
    depth, colour, _, _, interlace = data[24], data[25], data[26], data[27], data[28]
    assert depth == 8 and colour in (2, 6) and interlace == 0, f"unexpected PNG format {depth=} {colour=} {interlace=}"
    channels = 4 if colour == 6 else 3
    position, idat = 8, bytearray()
    while position < len(data):
        length, kind = struct.unpack(">I4s", data[position : position + 8])
        if kind == b"IDAT":
            idat += data[position + 8 : position + 8 + length]
        position += 12 + length
    raw = zlib.decompress(bytes(idat))
    stride = width * channels
    assert len(raw) == height * (stride + 1), "the image data has the wrong size"
    rows: list[bytes] = []
    previous = bytes(stride)
    for y in range(height):
        kind = raw[y * (stride + 1)]
        line = bytearray(raw[y * (stride + 1) + 1 : (y + 1) * (stride + 1)])
        if kind == 1:
            for i in range(channels, stride):
                line[i] = (line[i] + line[i - channels]) & 0xFF
        elif kind == 2:
            line = bytearray((a + b) & 0xFF for a, b in zip(line, previous, strict=False))
        elif kind == 3:
            for i in range(stride):
                left = line[i - channels] if i >= channels else 0
                line[i] = (line[i] + ((left + previous[i]) >> 1)) & 0xFF
        elif kind == 4:
            for i in range(stride):
                left = line[i - channels] if i >= channels else 0
                upper_left = previous[i - channels] if i >= channels else 0
                line[i] = (line[i] + _paeth(left, previous[i], upper_left)) & 0xFF
        else:
            assert kind == 0, f"unknown PNG filter {kind}"
        previous = bytes(line)
        rows.append(previous)
    return Image(width, height, channels, rows)


def has_colour(image: Image, rgb: tuple[int, int, int], tolerance: int = 6, minimum: int = 20) -> bool:
    """At least `minimum` pixels within `tolerance` of `rgb` (a badge or a trend square)."""
    found = 0
    for y in range(image.height):
        row = image.rows[y]
        for x in range(0, image.width * image.channels, image.channels):
            if abs(row[x] - rgb[0]) <= tolerance and abs(row[x + 1] - rgb[1]) <= tolerance and abs(row[x + 2] - rgb[2]) <= tolerance:
                found += 1
                if found >= minimum:
                    return True
    return False


def colour_spread(image: Image, step: int = 3) -> tuple[int, float]:
    """(distinct colours, share of the most common colour) over a grid of pixels."""
    counts: dict[tuple[int, ...], int] = {}
    for y in range(0, image.height, step):
        for x in range(0, image.width, step):
            colour = image.pixel(x, y)
            counts[colour] = counts.get(colour, 0) + 1
    total = sum(counts.values())
    return len(counts), max(counts.values()) / total


class Elements(HTMLParser):
    """Every element of a DOM dump, as (tag, attributes), plus the text."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.elements: list[tuple[str, dict[str, str | None]]] = []
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.elements.append((tag, dict(attrs)))

    def handle_data(self, data: str) -> None:
        self.text.append(data)

    @classmethod
    def of(cls, markup: str) -> Elements:
        parser = cls()
        parser.feed(markup)
        parser.close()
        return parser

    def with_class(self, name: str) -> list[dict[str, str | None]]:
        return [attrs for _, attrs in self.elements if name in (attrs.get("class") or "").split()]
