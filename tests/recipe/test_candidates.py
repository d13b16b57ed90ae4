"""The recipes `--search` tries next, and how close an attempt came (verifier/recipe/candidates.py)."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from tests.support.archives import SAMPLE, Packing, sdist
from verifier.compare.interface import (
    ArtifactSummary,
    Comparison,
    Difference,
    NormalizationEffect,
    Verdict,
)
from verifier.recipe import EpochChoice, Fingerprints, Recipe, candidates, score
from verifier.recipe.setup_py import SetupPyFacts

UPLOAD = datetime(2026, 1, 1, tzinfo=UTC)
FIRST = Recipe(epoch=EpochChoice(1_700_000_000, "tag"), cutoff=UPLOAD, cutoff_origin="upload time")


def comparison(verdict: Verdict, *kinds: str, erased: tuple[str, ...] = ()) -> Comparison:
    summary = ArtifactSummary("", "", 0, "", 0, None, None)
    effects = [NormalizationEffect(name, "", 1, 1, 1) for name in erased]
    differences = [Difference(kind, f"pkg-1.0/{kind}", "") for kind in kinds]
    return Comparison(verdict, summary, summary, (), effects, differences)


def test_score_prefers_the_verdict_then_fewer_differences_then_less_normalized() -> None:
    assert score(comparison(Verdict.IDENTICAL)) > score(comparison(Verdict.EQUIVALENT, erased=("mtime",)))
    assert score(comparison(Verdict.EQUIVALENT)) > score(comparison(Verdict.EQUIVALENT, erased=("mtime",)))
    assert score(comparison(Verdict.DIFFERENT, "mode")) > score(comparison(Verdict.DIFFERENT, "mode", "size"))


def test_group_writable_files_point_at_umask_002(tmp_path: Path) -> None:
    published = tmp_path / "p.tar.gz"
    found = candidates(FIRST, comparison(Verdict.DIFFERENT, "mode"), set(), Fingerprints(umask="002"), 1_700_000_000, published, "pypa-build")
    assert [(recipe.umask, recipe.why) for recipe in found] == [("002", "the published files are group-writable: umask 002")]
    assert candidates(FIRST, comparison(Verdict.DIFFERENT, "mode"), set(), Fingerprints(umask="002"), 1_700_000_000, published, "pants") == []


def test_listing_differences_point_at_requirements_as_of_the_build_time(tmp_path: Path) -> None:
    built = int(datetime(2025, 6, 1, tzinfo=UTC).timestamp())
    found = candidates(FIRST, comparison(Verdict.DIFFERENT), {"metadata-version"}, Fingerprints(build_time=built), 1_700_000_000, tmp_path / "p.tar.gz", "pypa-build")
    assert [(recipe.cutoff, recipe.cutoff_origin) for recipe in found] == [(datetime(2025, 6, 1, tzinfo=UTC), "build time")]


def test_omitted_tracked_files_of_a_flit_project_point_at_flit_build(tmp_path: Path) -> None:
    found = candidates(FIRST, comparison(Verdict.DIFFERENT), {"omitted-by-rebuild"}, Fingerprints(), 1_700_000_000, tmp_path / "p.tar.gz", "pypa-build", "flit_core.buildapi")
    assert [recipe.frontend for recipe in found] == ["flit"]


def test_stamped_times_point_at_the_other_source_date_epochs(tmp_path: Path) -> None:
    published = sdist(tmp_path / "p.tar.gz", [entry for entry in SAMPLE if entry.kind == "file"], packing=Packing(mtime=1_600_000_000))
    prints = Fingerprints(single_stamp=True)
    found = candidates(FIRST, comparison(Verdict.EQUIVALENT, erased=("mtime",)), set(), prints, 1_700_000_000, published, "pypa-build")
    assert [(recipe.epoch.value, recipe.epoch.origin) for recipe in found] == [(1_600_000_000, "infer:member-stamp"), (None, "unset")]
    assert candidates(FIRST, comparison(Verdict.EQUIVALENT, erased=("mtime",)), set(), Fingerprints(), 1_700_000_000, published, "pypa-build") == []


def test_a_recipe_key_and_report_form() -> None:
    assert FIRST.as_dict()["umask"] == "022" and FIRST.as_dict()["frontend"] == "build"
    assert FIRST.key() == (1_700_000_000, UPLOAD, None, None, (), None, None, (), (), (), None)


def header_difference(*fields: str) -> Comparison:
    summary = ArtifactSummary("", "", 0, "", 0, None, None)
    differences = [Difference("tar-header", "pkg-1.0/a.py", "", reference={"header_differences": list(fields)}, candidate={})]
    return Comparison(Verdict.DIFFERENT, summary, summary, (), [], differences)


OLD_WRITER = Fingerprints(tar_writer="cpython-3.8", evidence=[{"name": "tar_writer", "value": "cpython-3.8", "why": "all 3 members carry \"0000000\""}])


def test_old_device_fields_point_at_the_old_tar_writer(tmp_path: Path) -> None:
    devices = header_difference("main header: devmajor b'0000000' vs b''")
    found = candidates(FIRST, devices, {"tar-encoding"}, OLD_WRITER, 1_700_000_000, tmp_path / "p.tar.gz", "pypa-build")
    assert [(recipe.tar_writer, recipe.python) for recipe in found] == [("cpython-3.8", None)]
    assert found[0].why == 'the tar writer cpython-3.8: all 3 members carry "0000000"'
    assert candidates(found[0], devices, {"tar-encoding"}, OLD_WRITER, 1_700_000_000, tmp_path / "p.tar.gz", "pypa-build") == []
    other = header_difference("main header: uname b'runner' vs b''")
    assert candidates(FIRST, other, {"tar-encoding"}, OLD_WRITER, 1_700_000_000, tmp_path / "p.tar.gz", "pypa-build") == []
    assert candidates(FIRST, devices, {"tar-encoding"}, Fingerprints(), 1_700_000_000, tmp_path / "p.tar.gz", "pypa-build") == []
    assert candidates(FIRST, devices, {"tar-encoding"}, OLD_WRITER, 1_700_000_000, tmp_path / "p.tar.gz", "pants") == []


PYTHONS = ("3.9", "3.11", "3.13")


def test_bytecode_of_a_python_there_is_points_at_that_python(tmp_path: Path) -> None:
    prints = Fingerprints(python="3.9", evidence=[{"name": "python", "value": "3.9", "why": "m.cpython-39.pyc"}])
    found = candidates(FIRST, comparison(Verdict.DIFFERENT, "only-in-reference"), set(), prints, 1_700_000_000, tmp_path / "p.tar.gz", "pypa-build", None, "3.11", PYTHONS)
    assert [(recipe.python, recipe.tar_writer, recipe.why) for recipe in found] == [("3.9", None, "Python 3.9: m.cpython-39.pyc")]
    same = candidates(FIRST, comparison(Verdict.DIFFERENT), set(), prints, 1_700_000_000, tmp_path / "p.tar.gz", "pypa-build", None, "3.9", PYTHONS)
    assert same == []
    no_other = candidates(FIRST, comparison(Verdict.DIFFERENT), set(), prints, 1_700_000_000, tmp_path / "p.tar.gz", "pypa-build", None, "3.11", ())
    assert no_other == []


def test_bytecode_of_python_3_8_points_at_the_nearest_python_with_the_old_tar_writer(tmp_path: Path) -> None:
    prints = Fingerprints(python="3.8", tar_writer="cpython-3.8", evidence=[{"name": "python", "value": "3.8", "why": "magic number 3413"}])
    found = candidates(FIRST, comparison(Verdict.DIFFERENT), set(), prints, 1_700_000_000, tmp_path / "p.tar.gz", "pypa-build", None, "3.11", PYTHONS)
    assert [(recipe.python, recipe.tar_writer) for recipe in found] == [("3.9", "cpython-3.8")]
    assert found[0].why == "Python 3.9 (the nearest to 3.8 here) with the tar writer cpython-3.8: magic number 3413"
def test_a_dated_backend_is_pinned_before_the_build_time_is_tried(tmp_path: Path) -> None:
    from verifier.recipe.backend_versions import BackendChoice, bounds

    choice = BackendChoice("setuptools", "62.1.0", datetime(2022, 4, 10, tzinfo=UTC), bounds("setuptools", ["platform-unknown"]), UPLOAD)
    built = int(datetime(2025, 6, 1, tzinfo=UTC).timestamp())
    args = (comparison(Verdict.DIFFERENT), {"metadata-fields"}, Fingerprints(build_time=built), 1_700_000_000, tmp_path / "p.tar.gz", "pypa-build", None)
    found = candidates(FIRST, *args, backend_pin=choice)
    assert [(recipe.pins, recipe.cutoff_origin) for recipe in found] == [(("setuptools==62.1.0",), "upload time"), ((), "build time")]
    assert found[0].why == choice.why and "Platform: UNKNOWN" in found[0].why
    assert candidates(found[0], *args, backend_pin=choice)[0].pins == ("setuptools==62.1.0",)  # pinned already: only the build time left
    assert [recipe.cutoff_origin for recipe in candidates(found[0], *args, backend_pin=choice)] == ["build time"]
    assert candidates(FIRST, comparison(Verdict.DIFFERENT, "mtime"), set(), Fingerprints(), 1_700_000_000, tmp_path / "p.tar.gz", "pypa-build", None, backend_pin=choice) == []


def test_differing_metadata_with_python_3_11_points_at_the_setuptools_it_bundles(tmp_path: Path) -> None:
    from verifier.recipe.backend_versions import BackendChoice, bounds

    args = (comparison(Verdict.DIFFERENT), {"metadata-fields"}, Fingerprints(), 1_700_000_000, tmp_path / "p.tar.gz", "pypa-build", "setuptools.build_meta")
    found = candidates(FIRST, *args, default_python="3.11")
    assert [recipe.pins for recipe in found] == [("setuptools==65.5.0",)]
    assert "ensurepip" in found[0].why
    assert candidates(FIRST, *args, default_python="3.13") == []  # 3.12 on bundle none
    assert candidates(found[0], *args, default_python="3.11") == []  # setuptools pinned already
    flit = (*args[:-1], "flit_core.buildapi")
    assert candidates(FIRST, *flit, default_python="3.11") == []
    early = Recipe(epoch=FIRST.epoch, cutoff=datetime(2022, 1, 1, tzinfo=UTC), cutoff_origin="upload time")
    assert candidates(early, *args, default_python="3.11") == []  # before CPython 3.11.0
    # The published file's bounds on setuptools rule it out (Platform: UNKNOWN: <62.2.0), or keep it.
    old = BackendChoice("setuptools", "62.1.0", datetime(2022, 4, 10, tzinfo=UTC), bounds("setuptools", ["platform-unknown"]), UPLOAD)
    assert [recipe.pins for recipe in candidates(FIRST, *args, default_python="3.11", backend_pin=old)] == [("setuptools==62.1.0",)]
    newer = BackendChoice("setuptools", "75.7.0", datetime(2025, 1, 5, tzinfo=UTC), bounds("setuptools", ["metadata-version-2.1"]), UPLOAD)
    found = candidates(FIRST, *args, default_python="3.11", backend_pin=newer)
    assert [recipe.pins for recipe in found] == [("setuptools==75.7.0",), ("setuptools==65.5.0",)]


def test_tracked_files_left_out_of_a_setuptools_rebuild_point_at_setuptools_scm_installed(tmp_path: Path) -> None:
    args = (comparison(Verdict.DIFFERENT), {"omitted-by-rebuild"}, Fingerprints(), 1_700_000_000, tmp_path / "p.tar.gz", "pypa-build")
    found = candidates(FIRST, *args, "setuptools.build_meta")
    assert [recipe.extra_requirements for recipe in found] == [("setuptools-scm",)]
    assert "file finder" in found[0].why
    assert candidates(found[0], *args, "setuptools.build_meta") == []  # tried already
    assert candidates(FIRST, *args, "setuptools.build_meta", build_requires=("setuptools>=64", "setuptools_scm[toml]>=8")) == []
    assert [recipe.frontend for recipe in candidates(FIRST, *args, "flit_core.buildapi")] == ["flit"]


def test_the_old_tar_writer_joins_every_other_candidate_and_comes_alone_last(tmp_path: Path) -> None:
    devices = header_difference("main header: devmajor b'0000000' vs b''")
    args = (devices, {"tar-encoding", "omitted-by-rebuild"}, OLD_WRITER, 1_700_000_000, tmp_path / "p.tar.gz", "pypa-build")
    found = candidates(FIRST, *args, "flit_core.buildapi")
    assert [(recipe.frontend, recipe.tar_writer) for recipe in found] == [("flit", "cpython-3.8"), (None, "cpython-3.8")]
    assert found[0].why.endswith("; with the tar writer cpython-3.8")
    other = header_difference("main header: uname b'runner' vs b''")  # the device fields agree: no writer
    assert [recipe.tar_writer for recipe in candidates(FIRST, other, *args[1:], "flit_core.buildapi")] == [None]


def test_a_setup_py_that_reads_its_argv_points_at_python_setup_py_sdist(tmp_path: Path) -> None:
    args = (comparison(Verdict.DIFFERENT), {"omitted-by-rebuild"}, Fingerprints(), 1_700_000_000, tmp_path / "p.tar.gz", "pypa-build")
    where = "setup.py:44: if sys.argv[1:] == ['sdist']:"
    found = candidates(FIRST, *args, "setuptools.build_meta", setup_py=SetupPyFacts(reads_argv=where))
    assert [recipe.frontend for recipe in found] == ["setup.py", None]  # before setuptools-scm's file finder
    assert where in found[0].why
    assert [r.frontend for r in candidates(FIRST, *args, "setuptools.build_meta")] == [None]  # a setup.py that does not read argv
    assert [r.frontend for r in candidates(FIRST, *args, "flit_core.buildapi", setup_py=SetupPyFacts(reads_argv=where))] == ["flit"]  # not setuptools
    stamped = (comparison(Verdict.DIFFERENT, "mtime"), {"mtime"}, Fingerprints(), 1_700_000_000, tmp_path / "p.tar.gz", "pypa-build")
    assert all(r.frontend is None for r in candidates(FIRST, *stamped, "setuptools.build_meta", setup_py=SetupPyFacts(reads_argv=where)))


def test_a_script_named_after_a_python_points_at_it_only_when_entry_points_differ(tmp_path: Path) -> None:
    fingerprints = Fingerprints(script_python="3.9", evidence=[{"name": "script_python", "value": "3.9", "why": "pip3.9"}])
    summary = ArtifactSummary("", "", 0, "", 0, None, None)
    differs = Comparison(Verdict.DIFFERENT, summary, summary, (), [], [Difference("size", "pip-1.0/src/pip.egg-info/entry_points.txt", "")])
    found = candidates(FIRST, differs, {"egg-info"}, fingerprints, 1_700_000_000, tmp_path / "p.tar.gz", "pypa-build",
                       "setuptools.build_meta", default_python="3.11", pythons=("3.9", "3.11", "3.13"))
    assert found[0].python == "3.9" and found[0].why.endswith("pip3.9")  # first: the differing file names it
    other = comparison(Verdict.DIFFERENT, "size")
    assert all(recipe.python is None for recipe in candidates(
        FIRST, other, {"egg-info"}, fingerprints, 1_700_000_000, tmp_path / "p.tar.gz", "pypa-build",
        "setuptools.build_meta", default_python="3.11", pythons=("3.9", "3.11", "3.13")))


def test_generated_files_that_differ_after_the_pre_build_steps_point_at_the_newest_base(tmp_path: Path) -> None:
    summary = ArtifactSummary("", "", 0, "", 0, None, None)
    differs = Comparison(Verdict.DIFFERENT, summary, summary, (), [], [Difference("content", "pkg-1.0/pkg/locale/fr/pkg.mo", "")])
    ran = Recipe(epoch=FIRST.epoch, cutoff=FIRST.cutoff, cutoff_origin=FIRST.cutoff_origin, prebuild=("sh scripts/gen.sh",))
    args = (differs, {"generated-file"}, Fingerprints(), 1_700_000_000, tmp_path / "p.tar.gz", "pypa-build", "hatchling.build")
    found = candidates(ran, *args, default_python="3.11", pythons=("3.9", "3.11", "3.13"))
    assert [recipe.python for recipe in found] == ["3.13"] and "pkg.mo" in found[0].why
    assert candidates(FIRST, *args, default_python="3.11", pythons=("3.9", "3.11", "3.13")) == []  # no step ran: nothing to blame
    assert candidates(found[0], *args, default_python="3.11", pythons=("3.9", "3.11", "3.13")) == []  # already the newest
