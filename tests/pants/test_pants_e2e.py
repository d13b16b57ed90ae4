"""End to end: a tiny Pants monorepo in a git repository, one target built with real Pants in a real
container (prepare with network, package offline), as backend.ai's CI user 1001:123 runner/docker.

The base and the Pants image are made once and then found in the verifier cache by their keys; the
Pants caches are kept there too (pants-test-cache/), so a second run costs prepare + package only.
"""

from __future__ import annotations

import os
import subprocess
import tarfile
import textwrap
from pathlib import Path

import pytest

from verifier.hostenv import host_ca_bundle
from verifier.pants.build_files import find_distributions, select_distribution
from verifier.pants.config import pants_version
from verifier.pants.interface import BuildUser
from verifier.pants.pythons import find_pants_release
from verifier.pants.runner import PantsRecipeRunner
from verifier.runtime.cache import default_cache_dir
from verifier.runtime.detect import detect_runtime, runtime_args_from_env
from verifier.runtime.interface import ContainerRuntime, RuntimeUnavailable
from verifier.source import clean_checkout, resolve_tag
from verifier.upstream.index import IndexClient

pytestmark = pytest.mark.pants

PANTS_VERSION = "2.16.0rc2"  # backend.ai 23.03.3's
CI_USER = BuildUser(1001, 123, "runner", "docker")

FILES = {
    "pants.toml": f"""\
        [GLOBAL]
        pants_version = "{PANTS_VERSION}"
        backend_packages = ["pants.backend.python"]
        local_execution_root_dir = "%(buildroot)s/.tmp"

        [anonymous-telemetry]
        enabled = false

        [source]
        root_patterns = ["/src"]

        [python]
        interpreter_constraints = ["CPython==3.11.3"]

        [python-bootstrap]
        search_path = ["<PYENV>"]
    """,
    "src/alpha/__init__.py": '"""Alpha."""\nVALUE = 1\n',
    "src/beta/__init__.py": '"""Beta."""\nVALUE = 2\n',
    ".gitignore": "/dist/\n/.pants.d/\n/.tmp/\n",
}
for _name in ("alpha", "beta"):
    FILES[f"src/{_name}/BUILD"] = f"""\
        python_sources(name="lib")

        python_distribution(
            name="dist",
            dependencies=[":lib"],
            provides=python_artifact(name="tiny-{_name}", version="0.1.0", description="{_name.title()}"),
            generate_setup=True,
        )
    """


def _git(repo: Path, *args: str) -> None:
    env = {"PATH": os.environ.get("PATH", os.defpath), "HOME": str(repo), "GIT_CONFIG_NOSYSTEM": "1",
           "GIT_CONFIG_GLOBAL": os.devnull, "GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.invalid",
           "GIT_COMMITTER_NAME": "t", "GIT_COMMITTER_EMAIL": "t@example.invalid",
           "GIT_AUTHOR_DATE": "1700000000 +0000", "GIT_COMMITTER_DATE": "1700000000 +0000"}
    subprocess.run(["git", *args], cwd=repo, env=env, check=True, capture_output=True, timeout=60)


@pytest.fixture(scope="module")
def runtime() -> ContainerRuntime:
    try:
        return detect_runtime(os.environ.get("VERIFIER_RUNTIME") or None, runtime_args_from_env())
    except RuntimeUnavailable as exc:
        pytest.fail(f"the Pants end-to-end test needs a container runtime: {exc}")


@pytest.fixture
def tagged_checkout(tmp_path: Path) -> Path:
    repo = tmp_path / "repo"
    for relative, text in FILES.items():
        (repo / relative).parent.mkdir(parents=True, exist_ok=True)
        (repo / relative).write_text(textwrap.dedent(text))
    _git(repo, "init", "-q")
    _git(repo, "add", ".")
    _git(repo, "commit", "-q", "-m", "tiny monorepo")
    _git(repo, "tag", "v0.1.0")
    return clean_checkout(repo, resolve_tag(repo, "0.1.0"), tmp_path / "checkout").path


def test_builds_one_distribution_offline_as_the_ci_user(runtime: ContainerRuntime, tagged_checkout: Path,
                                                        tmp_path: Path) -> None:
    cache = default_cache_dir()
    version = pants_version(tagged_checkout)
    target = select_distribution(find_distributions(tagged_checkout), "Tiny_Alpha")
    assert (version, target.address) == (PANTS_VERSION, "src/alpha:dist")

    ca_bundle = host_ca_bundle()
    with IndexClient(ca_bundle=ca_bundle) as index:
        release = find_pants_release(version, index, ["3.9", "3.11"])
    assert release.python == "3.9"
    builder = PantsRecipeRunner(ca_bundle=ca_bundle)
    builder.ensure_image(runtime, cache, release.python, version, CI_USER, pants_wheel_sha256=release.wheel_sha256)

    logs = tmp_path / "logs"
    sdists = builder.build(runtime, tagged_checkout, target.address, tmp_path / "out", cache / "pants-test-cache",
                           1700000000, CI_USER, logs)

    assert [p.name for p in sdists] == ["tiny-alpha-0.1.0.tar.gz"]
    with tarfile.open(sdists[0]) as archive:
        members = archive.getmembers()
        pkg_info = archive.extractfile("tiny-alpha-0.1.0/PKG-INFO").read().decode()  # type: ignore[union-attr]
        names = {m.name for m in members}
    assert "tiny-alpha-0.1.0/alpha/__init__.py" in names
    assert not any("beta" in name for name in names)
    assert {(m.uid, m.gid, m.uname, m.gname) for m in members} == {(1001, 123, "runner", "docker")}
    assert "Name: tiny-alpha\n" in pkg_info and "Version: 0.1.0\n" in pkg_info
    # The relaxed interpreter constraint (a listed deviation) is what Pants writes as python_requires.
    assert "Requires-Python: ==3.11.*\n" in pkg_info
    assert "[python].interpreter_constraints" in [d.what for d in builder.deviations(tagged_checkout)]

    assert "network interfaces: none" in (logs / "package.log").read_text()
    assert "network interfaces: none" not in (logs / "prepare.log").read_text()
    assert "--no-local-cache" in (logs / "package.log").read_text()
