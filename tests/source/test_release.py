"""`NAME==VERSION`: the published sdist's metadata names the repository, which is mirrored in the
cache through the user's git (an insteadOf mirror, as behind a firewall), and fetched again later."""

from __future__ import annotations

import io
import subprocess
import tarfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.upstream.artifacts import put
from verifier.errors import SourceError, UsageError
from verifier.source import gitconfig
from verifier.source.release import parse_release, resolve_repository
from verifier.testing.index_server import LocalIndex


def _sdist(stem: str, pkg_info: str) -> bytes:
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w:gz", format=tarfile.PAX_FORMAT) as archive:
        for name, data in ((f"{stem}/PKG-INFO", pkg_info.encode()), (f"{stem}/demo.py", b"x = 1\n")):
            member = tarfile.TarInfo(name)
            member.size = len(data)
            archive.addfile(member, io.BytesIO(data))
    return buffer.getvalue()


def _git(repo: Path, *args: str) -> None:
    subprocess.run(["git", "-C", str(repo), "-c", "user.name=t", "-c", "user.email=t@e", *args], check=True, capture_output=True)


@pytest.fixture
def upstream_repo(tmp_path: Path) -> Path:
    repo = tmp_path / "upstream"
    subprocess.run(["git", "init", "-q", "-b", "main", str(repo)], check=True)
    (repo / "demo.py").write_text("x = 1\n")
    _git(repo, "add", "demo.py")
    _git(repo, "commit", "-qm", "one")
    _git(repo, "tag", "1.0")
    return repo


@pytest.fixture
def index(tmp_path: Path) -> Iterator[LocalIndex]:
    root = tmp_path / "index"
    put(root, "demo", "demo-1.0.tar.gz", _sdist("demo-1.0", "Metadata-Version: 2.1\nName: demo\nVersion: 1.0\n"
                                                 "Project-URL: Source, https://github.com/example/demo\n"))
    put(root, "bare", "bare-1.0.tar.gz", _sdist("bare-1.0", "Metadata-Version: 2.1\nName: bare\nVersion: 1.0\n"
                                                 "Home-page: https://bare.example.org/\n"))
    with LocalIndex(root) as served:
        yield served


@pytest.fixture
def mirror_config(tmp_path: Path, upstream_repo: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    config = tmp_path / "user.gitconfig"
    config.write_text(f'[url "{upstream_repo}"]\n\tinsteadOf = https://github.com/example/demo\n')
    monkeypatch.setenv("GIT_CONFIG_GLOBAL", str(config))
    gitconfig.fetch_settings.cache_clear()
    yield
    gitconfig.fetch_settings.cache_clear()


@pytest.mark.parametrize("text", ["demo", "demo==", "==1.0", "demo>=1.0", "demo==1.0 extra"])
def test_parse_release_refuses(text: str) -> None:
    with pytest.raises(UsageError):
        parse_release(text)


def test_parse_release_normalizes_the_name() -> None:
    spec = parse_release("Its_Dangerous==2.2.0")
    assert (spec.name, spec.version) == ("its-dangerous", "2.2.0")


def test_metadata_names_the_repository_mirrored_then_fetched(
    index: LocalIndex, upstream_repo: Path, mirror_config: None, tmp_path: Path
) -> None:
    cache = tmp_path / "cache"
    found = resolve_repository(parse_release("demo==1.0"), index_url=index.url, cache_dir=cache)
    assert found.url == "https://github.com/example/demo"
    assert found.found_in == "Project-URL: Source"
    assert found.rewrite is not None and found.rewrite.rewritten == str(upstream_repo)
    assert found.path.is_relative_to(cache)
    tags = subprocess.run(["git", "-C", str(found.path), "tag"], capture_output=True, text=True, check=True).stdout
    assert tags.split() == ["1.0"]
    _git(upstream_repo, "tag", "1.1")
    again = resolve_repository(parse_release("demo==1.0"), index_url=index.url, cache_dir=cache)
    assert again.path == found.path
    tags = subprocess.run(["git", "-C", str(found.path), "tag"], capture_output=True, text=True, check=True).stdout
    assert tags.split() == ["1.0", "1.1"]


def test_no_repository_in_metadata(index: LocalIndex, tmp_path: Path) -> None:
    with pytest.raises(SourceError, match="names no source repository"):
        resolve_repository(parse_release("bare==1.0"), index_url=index.url, cache_dir=tmp_path / "cache")
    assert not (tmp_path / "cache" / "repos").exists()


def test_repo_path_overrides(index: LocalIndex, upstream_repo: Path, tmp_path: Path) -> None:
    found = resolve_repository(parse_release("bare==1.0"), index_url=index.url, cache_dir=tmp_path / "c", repo=str(upstream_repo))
    assert (found.path, found.found_in, found.url) == (upstream_repo, "--repo", None)
