"""A Windows build's signs point `--search` at an emulated Windows release machine (recipe/candidates.py
`windows_candidates`), and which checkout it had (verify/windows.py `crlf_tracked`); the recipe's
key and the re-run command carry it."""

from __future__ import annotations

import dataclasses
from datetime import UTC, datetime
from pathlib import Path

from verifier.compare.interface import ArtifactSummary, Comparison, Difference, Verdict
from verifier.recipe import EpochChoice, Fingerprints, Recipe, candidates
from verifier.verify.interface import VerifyRequest
from verifier.verify.windows import built_on_windows, crlf_tracked, what_stayed_different

UPLOAD = datetime(2026, 1, 1, tzinfo=UTC)
FIRST = Recipe(epoch=EpochChoice(1_700_000_000, "tag"), cutoff=UPLOAD, cutoff_origin="upload time")
MODES = {"name": "windows", "value": True, "why": "every file is world-writable (666/777): typical of an archive made on Windows"}
WINDOWS = Fingerprints(windows=True, evidence=[MODES])
TRACKED = {"pyproject.toml", "setup.cfg", "src/demo/__init__.py", "docs/make.bat"}


def _comparison(contents: dict[str, tuple[bytes, bytes]]) -> Comparison:
    summary = ArtifactSummary("", "", 0, "", 0, None, None)
    differences = [Difference("content", path, "") for path in contents]
    return Comparison(Verdict.DIFFERENT, summary, summary, (), [], differences, member_contents=dict(contents))


def _found(fingerprints: Fingerprints, crlf: tuple[str, ...] = (), best: Recipe = FIRST, builder: str = "pypa-build") -> list[Recipe]:
    return candidates(best, _comparison({}), set(), fingerprints, 1_700_000_000, Path("p.tar.gz"), builder, crlf_tracked=crlf)


def test_world_writable_modes_or_a_crlf_pkg_info_point_at_a_windows_machine_with_an_lf_checkout() -> None:
    (found, *_) = _found(WINDOWS)
    assert found.windows == "lf-checkout" and "world-writable" in found.why and "as committed" in found.why
    assert _found(Fingerprints()) == [] and _found(WINDOWS, builder="pants") == []


def test_tracked_lf_files_published_with_crlf_point_at_git_autocrlf_checkout() -> None:
    (found, *_) = _found(Fingerprints(), crlf=("demo-1.0/src/demo/__init__.py",))
    assert found.windows == "crlf-checkout" and "core.autocrlf=true" in found.why and "src/demo/__init__.py" in found.why
    lf = dataclasses.replace(FIRST, windows="lf-checkout")  # after an lf-checkout attempt, CRLF still in tracked files
    assert [recipe.windows for recipe in _found(WINDOWS, ("demo-1.0/README.md",), best=lf)][:1] == ["crlf-checkout"]
    assert [recipe for recipe in _found(WINDOWS, best=lf) if recipe.windows != "lf-checkout"] == []  # nothing new to try
    crlf = dataclasses.replace(FIRST, windows="crlf-checkout")
    assert all(recipe.windows == "crlf-checkout" for recipe in _found(WINDOWS, ("demo-1.0/README.md",), best=crlf))


def test_only_tracked_files_the_backend_does_not_rewrite_count_as_a_crlf_checkout() -> None:
    comparison = _comparison({
        "demo-1.0/PKG-INFO": (b"Name: demo\r\n", b"Name: demo\n"),  # setuptools' text mode on Windows
        "demo-1.0/setup.cfg": (b"[metadata]\r\nname = demo\r\n", b"[metadata]\nname = demo\n"),  # rewritten by setuptools' sdist
        "demo-1.0/demo.egg-info/PKG-INFO": (b"Name: demo\r\n", b"Name: demo\n"),
        "demo-1.0/src/demo/__init__.py": (b"x = 1\r\n", b"x = 1\n"),  # the checkout's
        "demo-1.0/pyproject.toml": (b"[project]\r\nname = 'other'\r\n", b"[project]\nname = 'demo'\n"),  # more than line ends
    })
    assert crlf_tracked(comparison, TRACKED, "") == ["demo-1.0/src/demo/__init__.py"]


def test_the_windows_recipe_is_in_the_key_and_the_re_run_command() -> None:
    windows = dataclasses.replace(FIRST, windows="lf-checkout")
    assert windows.key() != FIRST.key() and windows.key()[-1] == "lf-checkout"
    assert windows.as_dict()["windows"] == "lf-checkout" and FIRST.as_dict()["windows"] is None
    request = VerifyRequest(tag="v1.0", repo=Path("/repo"), normalizations=("mtime",))
    assert "--windows crlf-checkout" in request.command(windows="crlf-checkout")
    assert "--windows" not in request.command()


def test_built_on_windows_says_which_emulation_was_tried_and_what_stayed_different(tmp_path: Path) -> None:
    published = tmp_path / "missing.tar.gz"  # no backslash names to read
    tried = built_on_windows([], WINDOWS, published, {"lf-checkout": "1 difference(s) (content), e.g. demo-1.0/x.py"})
    assert tried is not None and "--windows lf-checkout" in tried.message and "demo-1.0/x.py" in tried.message
    assert "no Linux recipe" not in tried.message and tried.evidence["emulated"] == {"lf-checkout": "1 difference(s) (content), e.g. demo-1.0/x.py"}
    untried = built_on_windows([], WINDOWS, published)
    assert untried is not None and "--search tries one (--windows lf-checkout" in untried.message
    assert built_on_windows([], Fingerprints(), published) is None


def test_what_stayed_different_names_files_edited_on_the_release_machine_after_its_checkout(tmp_path: Path) -> None:
    comparison = _comparison({"rsa-4.9/rsa/__init__.py": (b"__version__ = '4.9'\n", b"__version__ = '4.9'\r\n")})
    left = what_stayed_different(comparison, {"filesystem-order"})
    assert left.startswith("1 difference(s) (content), e.g. rsa-4.9/rsa/__init__.py; causes: filesystem-order")
    assert "1 member(s) are LF in the published sdist where the autocrlf checkout has CRLF" in left
    # No CRLF member left in the chosen attempt: the earlier attempts' tracked CRLF files are the sign.
    named = built_on_windows([], Fingerprints(), tmp_path / "missing.tar.gz", {"crlf-checkout": left}, ["rsa-4.9/LICENSE"])
    assert named is not None and "1 file(s) tracked with LF at the tag are published with CRLF" in named.message
