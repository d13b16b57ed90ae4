"""The dashboard in a real browser: headless Chromium draws it and serialises its DOM.

These tests fail (never skip) without Chromium: `apt-get install -y chromium`.
Set NIGHTLY_SHOTS_DIR to keep the screenshots.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from tests.nightly.outputs.browser import Elements, colour_spread, decode_png, dump_dom, has_colour, png_size, screenshot
from tests.nightly.outputs.conftest import Written
from verifier.nightly.outputs import VERDICTS

# The CSS colours of the verdicts, light scheme (static/dashboard.css).
LIGHT = {
    "identical": (0x1A, 0x7F, 0x37),
    "equivalent": (0x0E, 0x7C, 0x6B),
    "different": (0xCF, 0x22, 0x2E),
    "could-not-verify": (0x9A, 0x67, 0x00),
    "error": (0x82, 0x50, 0xDF),
    "timeout": (0xBC, 0x4C, 0x00),
}


def _keep(png: Path, name: str) -> None:
    target = os.environ.get("NIGHTLY_SHOTS_DIR")
    if target:
        Path(target).mkdir(parents=True, exist_ok=True)
        shutil.copyfile(png, Path(target) / name)


def _check_png(png: Path, width: int = 1280, height: int = 900) -> None:
    data = png.read_bytes()
    assert len(data) > 30_000, f"the screenshot is only {len(data)} bytes: blank?"
    assert png_size(data) == (width, height)
    image = decode_png(data)
    distinct, dominant = colour_spread(image)
    assert distinct > 50 and dominant < 0.9, f"the screenshot looks blank: {distinct} colours, one covers {dominant:.0%}"
    return image


@pytest.mark.parametrize("dark", [False, True], ids=["light", "dark"])
def test_index_renders(written: Written, tmp_path: Path, dark: bool) -> None:
    png = tmp_path / "index.png"
    screenshot(written.site / "index.html", png, tmp_path / "profile", dark=dark)
    image = _check_png(png)
    if dark:
        background = image.pixel(5, image.height - 5)
        assert sum(background) < 120, f"dark scheme not applied: background {background}"
        _keep(png, "index-dark.png")
    else:
        for verdict, rgb in LIGHT.items():  # the tiles and badges of every verdict are drawn
            assert has_colour(image, rgb), f"no {verdict} colour {rgb} in the screenshot"
        _keep(png, "index.png")


def test_index_dom_has_the_badges_and_no_active_content(written: Written, tmp_path: Path) -> None:
    dom = Elements.of(dump_dom(written.site / "index.html", tmp_path / "profile"))
    badges = dom.with_class("badge")
    assert {b["data-verdict"] for b in badges} == set(VERDICTS)
    assert all(f"v-{b['data-verdict']}" in b["class"].split() for b in badges)
    assert not [tag for tag, _ in dom.elements if tag in ("script", "img", "iframe", "object", "embed", "svg")]
    assert not [attrs for _, attrs in dom.elements if any(name.startswith("on") for name in attrs)]
    squares = [s for s in dom.with_class("sq") if s.get("href")]
    expected = sum(min(20, len(results)) for results in written.history.by_package().values())
    assert len(squares) == expected
    text = " ".join(dom.text)
    assert "Reproducibility of 9 packages" in text and "<script>alert('pkg')</script>" in text  # as text
    assert len([a for a in dom.with_class("regressed") if a.get("href")]) == 1  # the regression's square


def test_package_page_renders(written: Written, tmp_path: Path) -> None:
    page = written.site / "packages" / "requests.html"
    png = tmp_path / "package.png"
    screenshot(page, png, tmp_path / "profile")
    image = _check_png(png)
    for verdict in ("identical", "equivalent", "different"):
        assert has_colour(image, LIGHT[verdict]), verdict
    _keep(png, "package-requests.png")
    dom = Elements.of(dump_dom(page, tmp_path / "profile"))
    badges = [b["data-verdict"] for b in dom.with_class("badge")]
    assert badges[0] == "different"  # the heading: latest version
    assert badges.count("equivalent") == 7 and badges.count("identical") == 3
    rows = [attrs for tag, attrs in dom.elements if tag == "tr" and attrs.get("data-verdict")]
    assert len(rows) == 11 and [r.get("class") for r in rows].count("regressed") == 1


def test_version_page_renders(written: Written, tmp_path: Path) -> None:
    page = written.site / "packages" / "requests" / "2.32.4.html"
    png = tmp_path / "version.png"
    screenshot(page, png, tmp_path / "profile", height=1300)
    _check_png(png, height=1300)
    _keep(png, "version-requests-2.32.4.png")
    dom = Elements.of(dump_dom(page, tmp_path / "profile"))
    assert [b["data-verdict"] for b in dom.with_class("badge")][:1] == ["different"]
    assert "Regression." in " ".join(dom.text)
