"""Issue 14, ways 1 and 2, end to end in podman: a release written by CPython 3.8's tarfile is
reproduced with that tar writer, and a release whose sdist holds bytecode of another Python is
rebuilt with that Python; both found by --search from the published file's fingerprints, and a
tampered copy stays `different` under every recipe the search tries."""

from __future__ import annotations

import json
import os
import shutil
from datetime import datetime
from pathlib import Path

import pytest

from tests.support.old_tar import as_cpython_38_wrote_it
from tests.support.projects import COMMIT_DATE, PROJECTS, Project, git, make_repo, set_upload_time, tamper
from verifier.build.tar_writers import WRITERS
from verifier.runtime.base_image import bootstrap_base
from verifier.runtime.detect import detect_runtime
from verifier.runtime.interface import Mount, RunSpec
from verifier.upstream.cache import default_cache_root


def test_a_release_written_by_cpython_3_8_tarfile_is_reproduced_with_its_tar_writer(publisher, index_dir: Path, local_index, verify, tmp_path: Path) -> None:
    project = PROJECTS["hatchling"]
    repo = make_repo(project, tmp_path / "repo")
    as_cpython_38_wrote_it(publisher.publish(repo, project.tag, index_dir, project))
    plain, plain_report = verify(repo, project.version, local_index)
    assert plain.code == 1 and "tar-encoding" in {e["cause"] for e in plain_report["explanations"]}
    assert any("--tar-writer cpython-3.8" in e["message"] for e in plain_report["explanations"] if e["cause"] == "tar-encoding")
    attestation = tmp_path / "attestation.json"
    result, report = verify(repo, project.version, local_index, "--search", "--max-builds", "4", "--attestation", attestation)
    assert result.code == 0, [(a["why"], a["verdict"]) for a in report["attempts"]]
    predicate = json.loads(attestation.read_text())["predicate"]
    assert predicate["recipe"]["tar_writer"] == "cpython-3.8"
    assert predicate["builder"]["tarWriter"]["sha256"] == WRITERS["cpython-3.8"].sha256
    assert report["verdict"] in ("identical", "equivalent") and len(report["attempts"]) <= 4
    assert report["recipe"]["tar_writer"] == "cpython-3.8"
    assert "--tar-writer cpython-3.8" in report["reproduce"]
    assert any(f["name"] == "tar_writer" and f["value"] == "cpython-3.8" for f in report["fingerprints"])
    assert any("fingerprint chose the tar writer cpython-3.8" in note and '"0000000"' in note for note in report["notes"])
    assert report["builder"]["environment"]["tar_writer"]["sha256"] == WRITERS["cpython-3.8"].sha256
    assert report["builder"]["environment"]["tarfile"] == {"file": "/tar-writer/tarfile.py", "sha256": WRITERS["cpython-3.8"].sha256}
    assert "tar-format" not in report["reproduce"]  # the writer, not a normalization, evened out the encoding


def test_a_tampered_release_written_by_cpython_3_8_stays_different_with_its_tar_writer(publisher, index_dir: Path, local_index, verify, tmp_path: Path) -> None:
    project = PROJECTS["hatchling"]
    repo = make_repo(project, tmp_path / "repo")
    published = publisher.publish(repo, project.tag, index_dir, project)
    tamper(published, "src/hatch_demo/__init__.py", b"def answer() -> int:\n    return 43\n")
    as_cpython_38_wrote_it(published)
    set_upload_time(index_dir, published.name)
    result, report = verify(repo, project.version, local_index, "--search", "--max-builds", "4")
    assert result.code == 1
    assert all(attempt["verdict"] == "different" for attempt in report["attempts"])
    assert "cpython-3.8" in {attempt["tar_writer"] for attempt in report["attempts"]}  # the writer was tried, and did not hide it
    assert any(d["path"].endswith("hatch_demo/__init__.py") for d in report["comparison"]["differences"])


BACKEND = '''\
"""An in-tree backend that leaves its own bytecode in the sdist, named for the Python it ran on."""
import gzip, importlib.util, io, os, py_compile, tarfile

VERSION = "1.0.0"
FILES = ("pyproject.toml", "pyc_demo/__init__.py", "_build/backend.py")


def get_requires_for_build_sdist(config_settings=None):
    return []


def build_sdist(sdist_directory, config_settings=None):
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    source = os.path.join(root, "_build", "backend.py")
    cached = importlib.util.cache_from_source(source)
    py_compile.compile(source, cfile=cached, dfile="_build/backend.py", doraise=True,
                       invalidation_mode=py_compile.PycInvalidationMode.UNCHECKED_HASH)
    epoch = int(os.environ.get("SOURCE_DATE_EPOCH", "0"))
    members = [("PKG-INFO", f"Metadata-Version: 2.1\\nName: pyc-demo\\nVersion: {VERSION}\\n".encode())]
    for relative in sorted([*FILES, os.path.relpath(cached, root)]):
        with open(os.path.join(root, relative), "rb") as handle:
            members.append((relative, handle.read()))
    stream = io.BytesIO()
    with tarfile.open(fileobj=stream, mode="w", format=tarfile.PAX_FORMAT) as archive:
        for relative, data in members:
            info = tarfile.TarInfo(f"pyc_demo-{VERSION}/{relative}")
            info.size, info.mtime, info.mode = len(data), epoch, 0o644
            archive.addfile(info, io.BytesIO(data))
    filename = f"pyc_demo-{VERSION}.tar.gz"
    with open(os.path.join(sdist_directory, filename), "wb") as out:
        with gzip.GzipFile(filename="", mode="wb", fileobj=out, mtime=epoch, compresslevel=9) as handle:
            handle.write(stream.getvalue())
    return filename
'''

PYC_PROJECT = Project(
    "in-tree", "pyc-demo", "pyc_demo", "v1.0.0", "1.0.0",
    {
        "pyproject.toml": '[build-system]\nrequires = []\nbuild-backend = "backend"\nbackend-path = ["_build"]\n\n'
        '[project]\nname = "pyc-demo"\nversion = "1.0.0"\n',
        "pyc_demo/__init__.py": "def answer() -> int:\n    return 42\n",
        "_build/backend.py": BACKEND,
    },
    (),
)

PUBLISH = """\
import shutil, sys
shutil.copytree("/src", "/tmp/src", ignore=shutil.ignore_patterns(".git"))
sys.path.insert(0, "/tmp/src/_build")
import backend
print(backend.build_sdist("/out"))
"""


def publish_with_python_3_9(repo: Path, index_dir: Path, work: Path, project: Project = PYC_PROJECT) -> Path:
    """The maintainer's machine runs Debian bullseye's Python 3.9: the release is built there (in
    podman, the bootstrapped bullseye base), with SOURCE_DATE_EPOCH the tag's commit time."""
    runtime = detect_runtime()
    base = bootstrap_base(runtime, "bullseye", workdir=work / "bootstrap", cache_dir=default_cache_root())
    checkout, out = work / "checkout", work / "out"
    git(repo, "worktree", "add", "-q", str(checkout), project.tag)
    out.mkdir()
    os.chmod(out, 0o777)
    epoch = int(datetime.fromisoformat(COMMIT_DATE).timestamp())
    spec = RunSpec(image=base.image_id, command=["python3", "-c", PUBLISH], mounts=[Mount(checkout, "/src"), Mount(out, "/out", read_only=False)],
                   env={"SOURCE_DATE_EPOCH": str(epoch), "PYTHONDONTWRITEBYTECODE": "1"}, user="1000:1000", tmpfs=["/tmp"], timeout_s=300)
    result = runtime.run(spec, work / "publish.log")
    assert result.exit_code == 0, (work / "publish.log").read_text()
    (made,) = out.glob("*.tar.gz")
    target = index_dir / project.name
    target.mkdir(parents=True)
    shutil.copyfile(made, target / made.name)
    set_upload_time(index_dir, made.name)
    return target / made.name


@pytest.fixture
def pyc_release(index_dir: Path, tmp_path: Path) -> tuple[Path, Path]:
    repo = make_repo(PYC_PROJECT, tmp_path / "repo")
    return repo, publish_with_python_3_9(repo, index_dir, tmp_path / "publisher")


def test_bytecode_of_the_publishers_python_makes_the_search_build_with_it(pyc_release: tuple[Path, Path], local_index, verify) -> None:
    repo, _ = pyc_release
    result, report = verify(repo, PYC_PROJECT.version, local_index, "--search", "--max-builds", "3")
    assert result.code == 0, [(a["why"], a["verdict"], a["differences"]) for a in report["attempts"]]
    first = report["attempts"][0]
    assert (first["python"], first["verdict"]) == (None, "different")  # the default Python (3.11) names its bytecode cpython-311
    assert report["recipe"]["python"] == "3.9" and report["verdict"] == "identical"
    assert "--python 3.9" in report["reproduce"]
    python = [f for f in report["fingerprints"] if f["name"] == "python"]
    assert python and python[0]["value"] == "3.9" and "cpython-39.pyc" in python[0]["why"]
    assert any("fingerprint chose Python 3.9" in note for note in report["notes"])


def test_a_tampered_release_with_bytecode_stays_different_with_the_publishers_python(pyc_release: tuple[Path, Path], index_dir: Path, local_index, verify) -> None:
    repo, published = pyc_release
    tamper(published, "pyc_demo/__init__.py", b"def answer() -> int:\n    return 43\n")
    set_upload_time(index_dir, published.name)
    result, report = verify(repo, PYC_PROJECT.version, local_index, "--search", "--max-builds", "3")
    assert result.code == 1
    assert all(attempt["verdict"] == "different" for attempt in report["attempts"])
    assert "3.9" in {attempt["python"] for attempt in report["attempts"]}


# An in-tree backend whose egg-info names a console script after the Python running it, as pip's
# setup.py does (`pip3.9`): no bytecode, only that file says which Python built the release.
SCRIPT_BACKEND = BACKEND.replace(
    '    members = [("PKG-INFO", f"Metadata-Version: 2.1\\nName: pyc-demo\\nVersion: {VERSION}\\n".encode())]',
    '    import sys\n'
    '    script = f"demo{sys.version_info[0]}.{sys.version_info[1]} = pyc_demo:answer"\n'
    '    members = [("PKG-INFO", f"Metadata-Version: 2.1\\nName: pyc-demo\\nVersion: {VERSION}\\n".encode()),\n'
    '               ("pyc_demo.egg-info/entry_points.txt", f"[console_scripts]\\ndemo = pyc_demo:answer\\n{script}\\n".encode())]',
).replace("    for relative in sorted([*FILES, os.path.relpath(cached, root)]):", "    for relative in sorted(FILES):")
SCRIPT_PROJECT = Project(
    PYC_PROJECT.backend, PYC_PROJECT.name, PYC_PROJECT.module, PYC_PROJECT.tag, PYC_PROJECT.version,
    {**PYC_PROJECT.files, "_build/backend.py": SCRIPT_BACKEND}, (),
)


def test_a_console_script_named_after_the_publishers_python_makes_the_search_build_with_it(index_dir: Path, local_index, verify, tmp_path: Path) -> None:
    assert SCRIPT_BACKEND != BACKEND and "sys.version_info" in SCRIPT_BACKEND
    repo = make_repo(SCRIPT_PROJECT, tmp_path / "repo")
    published = publish_with_python_3_9(repo, index_dir, tmp_path / "publisher", SCRIPT_PROJECT)
    result, report = verify(repo, SCRIPT_PROJECT.version, local_index, "--search", "--max-builds", "2")
    assert result.code == 0, [(a["why"], a["verdict"], a["differences"]) for a in report["attempts"]]
    assert report["attempts"][0]["verdict"] == "different"  # the default Python (3.11) names its script demo3.11
    assert report["recipe"]["python"] == "3.9" and "--python 3.9" in report["reproduce"]
    script = [f for f in report["fingerprints"] if f["name"] == "script_python"]
    assert script and script[0]["value"] == "3.9" and "'demo3.9'" in script[0]["why"]
    tamper(published, "pyc_demo/__init__.py", b"def answer() -> int:\n    return 43\n")
    set_upload_time(index_dir, published.name)
    tampered, tampered_report = verify(repo, SCRIPT_PROJECT.version, local_index, "--search", "--max-builds", "2")
    assert tampered.code == 1
    assert [a["python"] for a in tampered_report["attempts"]] == [None, "3.9"]
    assert all(attempt["verdict"] == "different" for attempt in tampered_report["attempts"])
