from __future__ import annotations

import os
from pathlib import Path

import pytest

from verifier.nightly.outputs import UnsafePath, package_slug, version_slug
from verifier.nightly.outputs.model import normalize_name
from verifier.nightly.outputs.paths import Site

SAFE_SEGMENT = set("abcdefghijklmnopqrstuvwxyz0123456789-._")


@pytest.mark.parametrize(
    ("name", "slug"),
    [("requests", "requests"), ("Flask_Login", "flask-login"), ("zope.interface", "zope-interface"), ("A--B__c", "a-b-c")],
)
def test_plain_names_keep_their_pep503_form(name: str, slug: str) -> None:
    assert package_slug(name) == slug


@pytest.mark.parametrize("version", ["1.0", "2.32.4", "1.0rc1", "2024.1.post3.dev0", "1.0-1"])
def test_plain_versions_are_kept(version: str) -> None:
    assert version_slug(version) == version


HOSTILE = ["../../x", "..", ".", "", "/etc/passwd", "<script>", "a/b", "a\\b", "con", "NUL.txt", "x" * 300,
           "é", "\x00", "\udcff", "safe\u202egnp.exe", "script", "1.0+local", "1.0RC1", "1.0rc1", ".hidden", "-1"]


def test_hostile_names_become_safe_distinct_segments() -> None:
    for make in (package_slug, version_slug):
        slugs = {}
        for raw in HOSTILE:
            slug = make(raw)
            assert slug and set(slug) <= SAFE_SEGMENT, (raw, slug)
            assert slug not in (".", "..") and not slug.startswith(".") and len(slug) <= 100
            assert slug.split(".")[0].lower() not in {"con", "nul"}
            slugs.setdefault(slug, set()).add(raw)
        # Distinct raw names get distinct files (package names only up to PEP 503 spelling).
        collisions = {slug: raws for slug, raws in slugs.items() if len(raws) > 1}
        if make is version_slug:
            assert not collisions
        else:
            assert all(len({normalize_name(n) for n in raws}) == 1 for raws in collisions.values()), collisions
    # A hashed slug always holds "_", a plain one never: a package literally named like a hashed
    # slug cannot take its place.
    assert "_" in package_slug("<script>") and "_" not in package_slug("script")
    assert package_slug(package_slug("<script>")) != package_slug("<script>")
    assert version_slug("1.0RC1") != version_slug("1.0rc1")


def test_site_refuses_paths_outside_and_planted_symlinks(tmp_path: Path) -> None:
    outside = tmp_path / "outside"
    outside.mkdir()
    site = Site(tmp_path / "site")
    for bad in ["../x", "/etc/passwd", "a/../../x", "", "a//b", "./a"]:
        with pytest.raises(UnsafePath):
            site.write_text(bad, "no")
    (tmp_path / "site" / "packages").symlink_to(outside, target_is_directory=True)
    with pytest.raises(UnsafePath, match="outside"):
        site.write_text("packages/a.html", "no")
    (tmp_path / "site" / "index.html").symlink_to(outside / "index.html")
    with pytest.raises(UnsafePath):
        site.write_text("index.html", "no")
    assert list(outside.iterdir()) == []


def test_site_writes_atomically_and_copies_only_regular_files(tmp_path: Path) -> None:
    site = Site(tmp_path / "site")
    path = site.write_text("a/b.html", "one")
    site.write_text("a/b.html", "two")
    assert path.read_text() == "two" and oct(path.stat().st_mode & 0o777) == "0o644"
    assert [p.name for p in path.parent.iterdir()] == ["b.html"]  # no temporary file left
    source = tmp_path / "report.json"
    source.write_text("{}")
    assert site.copy_in(source, "r/report.json") == tmp_path / "site" / "r" / "report.json"
    assert site.copy_in(tmp_path / "missing.json", "r/missing.json") is None
    assert site.copy_in(tmp_path, "r/dir.json") is None
    fifo = tmp_path / "fifo"
    os.mkfifo(fifo)
    assert site.copy_in(fifo, "r/fifo.json") is None  # and does not hang
    assert sorted(site.written) == ["a/b.html", "r/report.json"]
