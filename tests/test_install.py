"""The verifier as a user installs it: the wheel built from this tree, installed in a fresh venv outside
the checkout, run from a directory that is not the checkout, on a release found by NAME==VERSION
through a local index, its repository cloned through the user's git `insteadOf` mirror (as behind a
firewall). Then the commands a new user tries, and the bad input they give."""

from __future__ import annotations

import io
import json
import os
import re
import shutil
import socket
import subprocess
import sys
import tarfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.support.projects import PROJECTS, Publisher, make_repo
from tests.upstream.artifacts import put
from verifier.testing.index_server import LocalIndex

pytestmark = pytest.mark.podman

ROOT = Path(__file__).resolve().parents[1]
# Left out of the copy the wheel is built from: at the top only (verifier/build/ is a package).
NOT_SHIPPED = {".git", ".venv", "build", "dist", "tests", "benchmarks", "work", ".cache", ".pytest_cache", ".hypothesis"}
PROJECT = PROJECTS["flit"]
UPSTREAM_URL = f"https://github.com/example/{PROJECT.name}"
RELEASE = f"{PROJECT.name}=={PROJECT.version}"
PROGRESS_LINE = re.compile(r"^ *\d+\.\ds ")  # "   0.0s locating the source"


def _clean_env() -> dict[str, str]:
    """The host's environment without what would make the installed verifier import this checkout."""
    return {k: v for k, v in os.environ.items() if not k.startswith(("PIP_", "PYTHON", "VIRTUAL_ENV", "GIT_CONFIG"))}


def _not_shipped(directory: str, names: list[str]) -> set[str]:
    caches = {name for name in names if name == "__pycache__" or name.endswith(".egg-info")}
    return caches | (NOT_SHIPPED & set(names) if Path(directory) == ROOT else set())


@pytest.fixture(scope="session")
def installed(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The bin directory of a fresh venv holding the wheel of this tree with [nightly] (once a session)."""
    base = tmp_path_factory.mktemp("install")
    source = base / "source"
    shutil.copytree(ROOT, source, ignore=_not_shipped)
    env = {**_clean_env(), "PIP_CONFIG_FILE": os.devnull}
    subprocess.run([sys.executable, "-m", "build", "--wheel", "--outdir", str(base / "dist"), str(source)],
                   check=True, capture_output=True, env=env, timeout=600)
    (wheel,) = (base / "dist").glob("sdist_verifier-*.whl")
    subprocess.run([sys.executable, "-m", "venv", str(base / "venv")], check=True, env=env)
    subprocess.run([str(base / "venv" / "bin" / "python"), "-m", "pip", "install", "--quiet", "--disable-pip-version-check",
                    f"{wheel}[nightly]"], check=True, capture_output=True, env=env, cwd=base, timeout=900)
    return base / "venv" / "bin"


@dataclass(frozen=True)
class World:
    """A published release on a local index, its upstream repository reachable only through a mirror."""

    index: LocalIndex
    index_dir: Path
    repo: Path
    sdist: Path
    env: dict[str, str]  # the user's environment: their git config, a private TMPDIR
    scratch: Path  # that TMPDIR
    home: Path  # an empty directory to run from


@pytest.fixture(scope="session")
def world(installed: Path, publisher: Publisher, tmp_path_factory: pytest.TempPathFactory) -> Iterator[World]:
    base = tmp_path_factory.mktemp("world")
    pyproject = PROJECT.files["pyproject.toml"] + f'\n[project.urls]\nSource = "{UPSTREAM_URL}"\n'
    repo = make_repo(PROJECT, base / "upstream" / PROJECT.name, {"pyproject.toml": pyproject})
    index_dir = base / "index"
    sdist = publisher.publish(repo, PROJECT.tag, index_dir, PROJECT)
    put(index_dir, "bare", "bare-1.0.tar.gz", _sdist("bare-1.0", "Metadata-Version: 2.1\nName: bare\nVersion: 1.0\n"
                                                     "Home-page: https://bare.example.org/\n"))
    gitconfig = base / "user.gitconfig"
    gitconfig.write_text(f'[url "{repo}"]\n\tinsteadOf = {UPSTREAM_URL}\n')
    scratch = base / "tmp"
    scratch.mkdir()
    home = base / "cwd"
    home.mkdir()
    env = {**_clean_env(), "PATH": f"{installed}{os.pathsep}{os.environ['PATH']}", "GIT_CONFIG_GLOBAL": str(gitconfig),
           "TMPDIR": str(scratch), "VIRTUAL_ENV": str(installed.parent)}
    with LocalIndex(index_dir) as index:
        yield World(index, index_dir, repo, sdist, env, scratch, home)


def _sdist(stem: str, pkg_info: str) -> bytes:
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w:gz", format=tarfile.PAX_FORMAT) as archive:
        for name, data in ((f"{stem}/PKG-INFO", pkg_info.encode()), (f"{stem}/bare.py", b"x = 1\n")):
            member = tarfile.TarInfo(name)
            member.size = len(data)
            archive.addfile(member, io.BytesIO(data))
    return buffer.getvalue()


def run(installed: Path, world: World, *args: str | Path, cwd: Path | None = None, timeout: float = 600) -> subprocess.CompletedProcess[str]:
    return subprocess.run([str(installed / "verifier"), *map(str, args)], capture_output=True, text=True,
                          cwd=cwd or world.home, env=world.env, timeout=timeout, check=False)


def leftovers(world: World) -> list[str]:
    return sorted(p.name for p in world.scratch.iterdir() if p.name.startswith("verifier-"))


def closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def test_version_names_the_parts_that_decide_verdicts(installed: Path, world: World) -> None:
    result = run(installed, world, "--version")
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("verifier ")
    for part in ("uv", "diffoscope", "podman"):
        assert f"\n{part}:" in result.stdout, result.stdout


def test_verify_name_version_clones_through_the_users_mirror(installed: Path, world: World, tmp_path: Path) -> None:
    report_path, statement = tmp_path / "report.json", tmp_path / "statement.json"
    result = run(installed, world, "verify", RELEASE, "--index-url", world.index.url, "--json", report_path,
                 "--attestation", statement)
    assert result.returncode == 0, result.stderr[-3000:]
    report = json.loads(report_path.read_text())
    assert report["verdict"] in ("identical", "equivalent")
    source = report["source"]
    assert source["url"] == UPSTREAM_URL
    assert source["url_found_in"] == "Project-URL: Source"
    assert str(world.repo) in source["url_rewrite"] and UPSTREAM_URL in source["url_rewrite"]
    assert json.loads(statement.read_text())["_type"] == "https://in-toto.io/Statement/v1"
    assert leftovers(world) == []


def test_compare_normalize_audit(installed: Path, world: World, tmp_path: Path) -> None:
    copy = shutil.copy(world.sdist, tmp_path / "copy.tar.gz")
    compared = run(installed, world, "compare", world.sdist, copy, "--json", tmp_path / "compare.json")
    assert compared.returncode == 0, compared.stderr
    assert json.loads((tmp_path / "compare.json").read_text())["verdict"] == "identical"
    normalized = run(installed, world, "normalize", world.sdist, tmp_path / "canonical.tar.gz")
    assert normalized.returncode == 0, normalized.stderr
    with tarfile.open(tmp_path / "canonical.tar.gz") as canonical:
        assert canonical.getnames()
    audited = run(installed, world, "audit", RELEASE, "--index-url", world.index.url, "--json", tmp_path / "audit.json")
    assert audited.returncode == 0, audited.stderr
    assert json.loads((tmp_path / "audit.json").read_text())["verdict"]
    assert leftovers(world) == []


def test_nightly_with_one_package(installed: Path, world: World, tmp_path: Path) -> None:
    config = tmp_path / "verifier.toml"
    config.write_text(f'[defaults]\nindex-url = "{world.index.url}"\n\n'
                      f'[[packages]]\nname = "{PROJECT.name}"\nrepo = "{UPSTREAM_URL}"\nversions = ["{PROJECT.version}"]\n')
    result = run(installed, world, "nightly", "--config", config, "--db", f"sqlite:///{tmp_path / 'history.sqlite'}",
                 "--out", tmp_path / "site")
    assert result.returncode == 0, result.stderr[-3000:]
    summary = json.loads((tmp_path / "site" / "summary.json").read_text())
    assert summary["exit_code"] == 0
    assert (tmp_path / "site" / "index.html").is_file()


def test_image_bootstrap_reuses_the_base(installed: Path, world: World) -> None:
    result = run(installed, world, "image", "bootstrap", "--suite", "bookworm", timeout=120)
    assert result.returncode == 0, result.stderr
    assert "image id:" in result.stdout
    assert leftovers(world) == []


def _bad_inputs(world: World, tmp: Path) -> list[tuple[str, list[str | Path], int]]:
    unreachable = f"http://127.0.0.1:{closed_port()}/simple/"
    (tmp / "not-an-archive.tar.gz").write_text("hello\n")
    return [
        ("outside a repository", ["verify", "--tag", "1.0"], 2),
        ("an unknown package", ["verify", "no-such-package==1.0", "--index-url", world.index.url], 2),
        ("a version that does not exist", ["verify", f"{PROJECT.name}==9.9.9", "--index-url", world.index.url], 2),
        ("metadata naming no repository", ["verify", "bare==1.0", "--index-url", world.index.url], 2),
        ("an unreachable index", ["verify", RELEASE, "--index-url", unreachable], 3),
        ("a non-archive to compare", ["compare", tmp / "not-an-archive.tar.gz", world.sdist], 2),
        ("audit of an unknown package", ["audit", "no-such-package==1.0", "--index-url", world.index.url], 2),
    ]


def _problems(result: subprocess.CompletedProcess[str], code: int, report: Path, world: World, quiet: bool) -> list[str]:
    """What breaks the conventions: the exit code, anything on stdout, more than one error line (only
    progress lines before it, none with -q), no JSON report, a scratch directory left behind."""
    *before, last = result.stderr.splitlines() or [""]
    chatter = before if quiet else [line for line in before if not PROGRESS_LINE.match(line)]
    return [problem for problem in (
        f"exit {result.returncode}, expected {code}" if result.returncode != code else "",
        f"stdout {result.stdout[:200]!r}" if result.stdout else "",
        f"stderr {result.stderr[-500:]!r}" if chatter or not last.startswith("error: ") else "",
        "no JSON report" if not report.is_file() else "",
        f"left behind {leftovers(world)}" if leftovers(world) else "",
    ) if problem]


def test_bad_input_is_one_line_with_the_json_written(installed: Path, world: World, tmp_path: Path) -> None:
    empty = tmp_path / "empty"
    empty.mkdir()
    failures = []
    for what, args, code in _bad_inputs(world, tmp_path):
        for quiet in (False, True):
            report = tmp_path / f"{what.replace(' ', '-')}-{quiet}.json"
            result = run(installed, world, *(["-q"] if quiet else []), *args, "--json", report, cwd=empty)
            problems = _problems(result, code, report, world, quiet)
            if problems:
                failures.append(f"{what}{' (-q)' if quiet else ''}: " + "; ".join(problems))
    assert failures == []


def run_action(installed: Path, world: World, runner_temp: Path, version: str, fail_on: str) -> tuple[int, dict[str, str], str]:
    """scripts/github-action.sh as action.yml runs it: (exit code, GITHUB_OUTPUT, step summary).
    The runner's venv is the wheel's venv (the script installs only when RUNNER_TEMP has none)."""
    runner_temp.mkdir()
    (runner_temp / "verifier-venv").symlink_to(installed.parent)
    outputs, summary = runner_temp / "github-output", runner_temp / "step-summary.md"
    env = {**world.env, "GITHUB_ACTION_PATH": str(ROOT), "RUNNER_TEMP": str(runner_temp), "GITHUB_OUTPUT": str(outputs),
           "GITHUB_STEP_SUMMARY": str(summary), "VERIFIER_ACTION_SKIP_HOST_SETUP": "1",
           "INPUT_PACKAGE": PROJECT.name, "INPUT_VERSION": version, "INPUT_INDEX_URL": world.index.url,
           "INPUT_OPTIONS": "--source-date-epoch 'tag' --no-infer", "INPUT_FAIL_ON": fail_on}
    done = subprocess.run(["bash", str(ROOT / "scripts" / "github-action.sh")], capture_output=True, text=True,
                          cwd=world.home, env=env, timeout=600, check=False)
    pairs = (line.split("=", 1) for line in outputs.read_text().splitlines()) if outputs.exists() else ()
    return done.returncode, dict(pairs), summary.read_text() if summary.exists() else ""


def test_github_action_script_as_the_action_runs_it(installed: Path, world: World, tmp_path: Path) -> None:
    # the version as a workflow has it from a tag (`github.ref_name`): a leading v is PEP 440's
    code, outputs, summary = run_action(installed, world, tmp_path / "good", f"v{PROJECT.version}", "different")
    assert code == 0, outputs
    assert outputs["verdict"] in ("identical", "equivalent") and outputs["exit-code"] == "0"
    assert json.loads(Path(outputs["report"]).read_text())["verdict"] == outputs["verdict"]
    assert json.loads(Path(outputs["attestation"]).read_text())["_type"] == "https://in-toto.io/Statement/v1"
    assert summary.startswith(f"### verifier: {PROJECT.name} ")
    assert Path(outputs["report"]).parent == tmp_path / "good" / "verifier-out"  # what the upload step takes
    for fail_on, expected in (("different", 2), ("not-reproducible", 0), ("never", 0)):
        code, outputs, summary = run_action(installed, world, tmp_path / fail_on, "9.9.9", fail_on)
        assert (code, outputs["exit-code"], outputs["verdict"]) == (expected, "2", "error"), fail_on
        assert Path(outputs["report"]).is_file() and summary.startswith("### verifier: ")
    assert leftovers(world) == []
