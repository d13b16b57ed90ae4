"""`verify` of a Pants monorepo whose CI reads pants.ci.toml on top of pants.toml
(`PANTS_CONFIG_FILES: pants.ci.toml` in its workflow): the pants builder applies it as CI did."""

import json
import shutil
import tarfile
import textwrap
from pathlib import Path

import pytest

from tests.pants.test_pants_e2e import CI_USER, FILES, PANTS_VERSION, _git
from verifier.pants.build_files import find_distributions, select_distribution
from verifier.pants.pythons import find_pants_release
from verifier.pants.runner import PantsRecipeRunner
from verifier.runtime.cache import default_cache_dir
from verifier.runtime.detect import detect_runtime, runtime_args_from_env
from verifier.source import clean_checkout, resolve_tag
from verifier.testing.index_server import LocalIndex
from verifier.upstream.index import IndexClient

pytestmark = pytest.mark.pants

CI_FILES = {
    **FILES,
    "src/alpha/experimental.py": '"""Not released: CI leaves it out."""\n',
    "pants.ci.toml": """\
        [GLOBAL]
        pants_ignore.add = ["/src/alpha/experimental.py"]
    """,
    ".github/workflows/release.yml": """\
        on:
          push:
            tags: ["v*"]
        env:
          PANTS_CONFIG_FILES: pants.ci.toml
        jobs:
          release:
            runs-on: ubuntu-latest
            steps:
              - uses: actions/checkout@v4
              - run: pants package ::
    """,
}


def test_a_release_built_with_pants_ci_toml_is_rebuilt_with_it(cli, index_dir: Path, tmp_path: Path) -> None:
    repo = tmp_path / "repo"
    for relative, text in CI_FILES.items():
        (repo / relative).parent.mkdir(parents=True, exist_ok=True)
        (repo / relative).write_text(textwrap.dedent(text))
    _git(repo, "init", "-q")
    _git(repo, "add", ".")
    _git(repo, "commit", "-q", "-m", "tiny monorepo, CI config")
    _git(repo, "tag", "-a", "v0.1.0", "-m", "0.1.0")
    checkout = clean_checkout(repo, resolve_tag(repo, "0.1.0"), tmp_path / "publisher-checkout").path
    runtime = detect_runtime(None, runtime_args_from_env())
    with IndexClient() as index:
        release = find_pants_release(PANTS_VERSION, index, ["3.9", "3.11"])
    builder = PantsRecipeRunner()
    builder.ensure_image(runtime, default_cache_dir(), release.python, PANTS_VERSION, CI_USER, pants_wheel_sha256=release.wheel_sha256)
    target = select_distribution(find_distributions(checkout), "tiny-alpha")
    (sdist,) = builder.build(runtime, checkout, target.address, tmp_path / "publisher-out", tmp_path / "publisher-cache", None, CI_USER,
                             tmp_path / "publisher-logs", config_files="pants.ci.toml")
    with tarfile.open(sdist) as archive:
        assert not any(name.endswith("experimental.py") for name in archive.getnames())  # CI's configuration mattered
    (index_dir / "tiny-alpha").mkdir()
    shutil.copy(sdist, index_dir / "tiny-alpha" / sdist.name)
    with LocalIndex(index_dir) as index:
        result = cli("verify", "--tag", "0.1.0", "--repo", repo, "--package", "tiny-alpha", "--build-user", "1001:123:runner:docker",
                     "--index-url", index.url, "--json", "-", "-q")
    report = json.loads(result.stdout)
    assert result.code == 0, (report.get("error"), report.get("comparison"))
    assert report["builder"]["environment"]["pants_config_files"] == "pants.ci.toml"
    assert any("pants.ci.toml" in note and ".github/workflows/release.yml:5" in note for note in report["builder"]["notes"])
