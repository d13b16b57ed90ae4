"""`verify` on a Pants monorepo: a tiny one with two python_distribution targets and a tag, its sdist
built by real Pants in podman as the publisher's CI user (1001:123 runner/docker), published on the
local index, then verified: faithful passes (with the timestamp-transplant proof), tampered fails."""

import json
import shutil
import textwrap
from pathlib import Path

import pytest

from tests.pants.test_pants_e2e import CI_USER, FILES, PANTS_VERSION, _git
from tests.support.projects import tamper
from verifier.pants.build_files import find_distributions, select_distribution
from verifier.pants.pythons import find_pants_release
from verifier.pants.runner import PantsRecipeRunner
from verifier.runtime.cache import default_cache_dir
from verifier.runtime.detect import detect_runtime, runtime_args_from_env
from verifier.source import clean_checkout, resolve_tag
from verifier.upstream.index import IndexClient

pytestmark = pytest.mark.pants


@pytest.fixture(scope="module")
def monorepo_and_published(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    root = tmp_path_factory.mktemp("pants-verify")
    repo = root / "repo"
    for relative, text in FILES.items():
        (repo / relative).parent.mkdir(parents=True, exist_ok=True)
        (repo / relative).write_text(textwrap.dedent(text))
    _git(repo, "init", "-q")
    _git(repo, "add", ".")
    _git(repo, "commit", "-q", "-m", "tiny monorepo")
    _git(repo, "tag", "-a", "v0.1.0", "-m", "0.1.0")
    # The publisher: the same tag built by Pants as CI's user, on "another machine" (another time).
    checkout = clean_checkout(repo, resolve_tag(repo, "0.1.0"), root / "publisher-checkout").path
    runtime = detect_runtime(None, runtime_args_from_env())
    with IndexClient() as index:
        release = find_pants_release(PANTS_VERSION, index, ["3.9", "3.11"])
    builder = PantsRecipeRunner()
    builder.ensure_image(runtime, default_cache_dir(), release.python, PANTS_VERSION, CI_USER, pants_wheel_sha256=release.wheel_sha256)
    target = select_distribution(find_distributions(checkout), "tiny-alpha")
    (sdist,) = builder.build(runtime, checkout, target.address, root / "publisher-out", root / "publisher-cache", None, CI_USER, root / "publisher-logs")
    return repo, sdist


def test_faithful_pants_release_is_reproducible_with_proof(cli, monorepo_and_published, index_dir: Path, tmp_path: Path) -> None:
    repo, sdist = monorepo_and_published
    (index_dir / "tiny-alpha").mkdir()
    shutil.copy(sdist, index_dir / "tiny-alpha" / sdist.name)
    from verifier.testing.index_server import LocalIndex

    with LocalIndex(index_dir) as index:
        missing = cli("verify", "--tag", "0.1.0", "--repo", repo, "--index-url", index.url, "-q")
        assert missing.code == 2 and "tiny-alpha" in missing.stdout + missing.stderr and "tiny-beta" in missing.stdout + missing.stderr
        result = cli("verify", "--tag", "0.1.0", "--repo", repo, "--package", "tiny-alpha", "--build-user", "1001:123:runner:docker",
                     "--index-url", index.url, "--json", "-", "-q")
    report = json.loads(result.stdout)
    assert result.code == 0, (report.get("error"), report.get("comparison"))
    assert report["verdict"] == "equivalent" and report["builder"]["name"] == "pants"
    effects = report["comparison"]["normalizations"]
    assert effects["mtime"]["pairs"] > 0 and effects["owner"]["pairs"] == 0 and effects["gzip-header"]["pairs"] == 1
    assert report["transplant"]["identical"] is True
    whats = {d["what"] for d in report["builder"]["deviations"]}
    assert "[python].interpreter_constraints" in whats
    assert report["builder"]["network"] is False


def test_tampered_pants_release_is_caught(cli, monorepo_and_published, index_dir: Path, tmp_path: Path) -> None:
    repo, sdist = monorepo_and_published
    (index_dir / "tiny-alpha").mkdir()
    published = index_dir / "tiny-alpha" / sdist.name
    shutil.copy(sdist, published)
    tamper(published, "alpha/__init__.py", b"VALUE = 666\n")
    from verifier.testing.index_server import LocalIndex

    with LocalIndex(index_dir) as index:
        result = cli("verify", "--tag", "0.1.0", "--repo", repo, "--package", "tiny-alpha", "--build-user", "1001:123:runner:docker",
                     "--index-url", index.url, "--json", "-", "-q")
    report = json.loads(result.stdout)
    assert result.code == 1
    assert ("size", "tiny-alpha-0.1.0/alpha/__init__.py") in {(d["kind"], d["path"]) for d in report["comparison"]["differences"]}
