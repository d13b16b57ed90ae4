"""IndexClient against LocalIndex over real HTTP, in both the JSON and the HTML form."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest
from packaging.version import Version

from verifier.errors import BadInput, FetchError
from verifier.testing.index_server import LocalIndex
from verifier.upstream.cache import ArtifactCache
from verifier.upstream.index import IndexClient, nearest_versions
from verifier.upstream.interface import PublishedFile

from .artifacts import WRONG_SHA256, sha256_hex, write_meta


def _client(index: LocalIndex) -> IndexClient:
    return IndexClient(index.url, timeout=(2.0, 5.0))


def test_list_files_reads_names_hashes_and_metadata(
    local_index: LocalIndex, artifact_dir: Path, index_format: str
) -> None:
    with _client(local_index) as client:
        files = {file.filename: file for file in client.list_files("Demo")}
    assert sorted(files) == [
        "demo-1.0.tar.gz",
        "demo-1.1.tar.gz",
        "demo-2.0-py3-none-any.whl",
        "demo-2.0.tar.gz",
        "demo-2.1-py3-none-any.whl",
    ]
    for name, file in files.items():
        assert file.project == "demo"
        assert file.sha256 == sha256_hex((artifact_dir / "demo" / name).read_bytes())
        assert file.url == f"{local_index.base_url}/files/{name}"
    assert files["demo-2.0-py3-none-any.whl"].packagetype == "wheel"
    assert files["demo-2.0.tar.gz"].packagetype == "sdist"
    assert files["demo-2.0.tar.gz"].requires_python == ">=3.8"
    assert files["demo-1.1.tar.gz"].yanked and not files["demo-1.0.tar.gz"].yanked
    if index_format == "json":  # PEP 700 fields exist only in JSON
        assert files["demo-1.0.tar.gz"].upload_time == datetime(
            2023, 5, 14, 14, 48, 51, 809042, tzinfo=UTC
        )
        assert files["demo-1.1.tar.gz"].upload_time == datetime(
            2023, 5, 31, 22, tzinfo=UTC
        )
        assert (
            files["demo-1.0.tar.gz"].size
            == (artifact_dir / "demo" / "demo-1.0.tar.gz").stat().st_size
        )
    else:
        assert all(file.upload_time is None and file.size is None for file in files.values())


@pytest.mark.parametrize(
    ("project", "version", "filename"),
    [
        ("Backend.AI_Common", "23.03.3", "backend.ai-common-23.3.3.tar.gz"),
        ("backend-ai-common", "23.3.4", "backend_ai_common-23.03.4.tar.gz"),
        ("zipped", "0.5", "zipped-0.5.zip"),
        ("zipped", "0.6.0", "zipped-0.6.tar.bz2"),
        ("demo", "2.0", "demo-2.0.tar.gz"),
    ],
)
def test_find_sdist_matches_normalized_name_and_version(
    local_index: LocalIndex, project: str, version: str, filename: str
) -> None:
    with _client(local_index) as client:
        sdist = client.find_sdist(project, version)
    assert sdist.filename == filename
    assert sdist.packagetype == "sdist"
    assert Version(sdist.version) == Version(version)


def test_no_such_version_lists_nearest(local_index: LocalIndex) -> None:
    with _client(local_index) as client, pytest.raises(FetchError) as caught:
        client.find_sdist("demo", "1.5")
    message = caught.value.message
    assert "no version 1.5" in message
    assert message.endswith("nearest present: 1.0, 1.1, 2.0, 2.1")


def test_no_sdist_lists_what_the_version_has(local_index: LocalIndex) -> None:
    with _client(local_index) as client, pytest.raises(FetchError) as caught:
        client.find_sdist("demo", "2.1")
    assert "demo 2.1 has no sdist" in caught.value.message
    assert caught.value.message.endswith("it has: demo-2.1-py3-none-any.whl")


def test_no_such_project(local_index: LocalIndex) -> None:
    with (
        _client(local_index) as client,
        pytest.raises(FetchError, match="no project nothing-here on"),
    ):
        client.find_sdist("Nothing_Here", "1.0")


def test_bad_version_and_name_are_bad_input(json_index: LocalIndex) -> None:
    with _client(json_index) as client:
        with pytest.raises(BadInput, match="not a PEP 440 version"):
            client.find_sdist("demo", "not a version")
        with pytest.raises(BadInput, match="not a valid project name"):
            client.find_sdist("../etc", "1.0")


def test_download_streams_into_the_cache_with_a_record(
    local_index: LocalIndex, artifact_dir: Path, tmp_path: Path, index_format: str
) -> None:
    cache = ArtifactCache(tmp_path / "cache")
    messages: list[str] = []
    with _client(local_index) as client:
        sdist = client.find_sdist("demo", "1.0")
        fetched = client.download(sdist, cache, progress=messages.append)
    expected = (artifact_dir / "demo" / "demo-1.0.tar.gz").read_bytes()
    digest = sha256_hex(expected)
    assert fetched.file == sdist
    assert fetched.path == tmp_path / "cache" / "sha256" / digest[:2] / digest
    assert fetched.path.read_bytes() == expected
    assert messages == ["downloading demo-1.0.tar.gz"]
    record = cache.record(digest)
    assert record is not None
    assert record["filename"] == "demo-1.0.tar.gz"
    assert record["url"] == sdist.url
    expected_time = "2023-05-14T14:48:51.809042+00:00" if index_format == "json" else None
    assert record["upload-time"] == expected_time


def test_hash_mismatch_is_reported_and_nothing_is_cached(
    local_index: LocalIndex, artifact_dir: Path, tmp_path: Path
) -> None:
    cache = ArtifactCache(tmp_path / "cache")
    actual = sha256_hex((artifact_dir / "badhash" / "badhash-1.0.tar.gz").read_bytes())
    with _client(local_index) as client:
        sdist = client.find_sdist("badhash", "1.0")
        with pytest.raises(FetchError) as caught:
            client.download(sdist, cache)
    assert caught.value.message == (
        f"hash mismatch for badhash-1.0.tar.gz from {sdist.url}: "
        f"index says sha256 {WRONG_SHA256}, got {actual}"
    )
    assert [path for path in (tmp_path / "cache").rglob("*") if path.is_file()] == []


def test_cache_hit_needs_no_network(artifact_dir: Path, tmp_path: Path) -> None:
    cache = ArtifactCache(tmp_path / "cache")
    with LocalIndex(artifact_dir) as index, _client(index) as client:
        sdist = client.find_sdist("zipped", "0.5")
        first = client.download(sdist, cache)
    # The server is gone: the port refuses connections, yet the artifact is served from the cache.
    with IndexClient(sdist.url.rsplit("/files/", 1)[0] + "/simple/", timeout=(1.0, 1.0)) as offline:
        with pytest.raises(FetchError, match="index unreachable"):
            offline.list_files("zipped")
        second = offline.download(sdist, cache)
    assert second.path == first.path
    assert second.path.read_bytes() == (artifact_dir / "zipped" / "zipped-0.5.zip").read_bytes()


def test_unreachable_index_names_the_url(closed_port: int) -> None:
    url = f"http://127.0.0.1:{closed_port}/simple/"
    with IndexClient(url, timeout=(1.0, 1.0)) as client, pytest.raises(FetchError) as caught:
        client.find_sdist("demo", "1.0")
    assert caught.value.message == f"index unreachable: {url}demo/: Connection refused"


def test_download_of_a_vanished_file_is_an_http_error(
    local_index: LocalIndex, artifact_dir: Path, tmp_path: Path
) -> None:
    with _client(local_index) as client:
        sdist = client.find_sdist("demo", "2.0")
        (artifact_dir / "demo" / "demo-2.0.tar.gz").unlink()
        with pytest.raises(FetchError) as caught:
            client.download(sdist, ArtifactCache(tmp_path / "cache"))
    assert caught.value.message == f"HTTP 404 Not Found from {sdist.url}"


def test_server_error_on_the_project_page_is_an_http_error(
    json_index: LocalIndex, artifact_dir: Path
) -> None:
    (artifact_dir / "index-meta.json").write_text("{ not json", encoding="utf-8")
    with _client(json_index) as client, pytest.raises(FetchError) as caught:
        client.list_files("demo")
    assert caught.value.message == f"HTTP 500 Internal Server Error from {json_index.url}demo/"


def test_an_index_without_sha256_is_refused(artifact_dir: Path, tmp_path: Path) -> None:
    unhashed = PublishedFile(
        project="demo", version="1.0", filename="demo-1.0.tar.gz", url="http://127.0.0.1:1/x",
        sha256=None, upload_time=None, size=None, yanked=False, requires_python=None,
        packagetype="sdist",
    )  # fmt: skip
    with (
        IndexClient("http://127.0.0.1:1/simple/") as client,
        pytest.raises(FetchError, match="no sha256"),
    ):
        client.download(unhashed, ArtifactCache(tmp_path / "cache"))


def test_size_beyond_the_announced_size_is_refused(
    json_index: LocalIndex, artifact_dir: Path, tmp_path: Path
) -> None:
    with _client(json_index) as client:
        sdist = client.find_sdist("demo", "1.0")
        path = artifact_dir / "demo" / "demo-1.0.tar.gz"
        path.write_bytes(path.read_bytes() + b"trailing bytes")
        with pytest.raises(FetchError, match=f"served more than {sdist.size} bytes"):
            client.download(sdist, ArtifactCache(tmp_path / "cache"))
    assert not any(p.is_file() for p in (tmp_path / "cache").rglob("*"))


def test_html_only_server_really_answers_html(artifact_dir: Path) -> None:
    write_meta(artifact_dir, {})
    with LocalIndex(artifact_dir, html_only=True) as index, _client(index) as client:
        assert client.list_files("demo")[0].upload_time is None
    with LocalIndex(artifact_dir) as index, _client(index) as client:
        assert client.list_files("demo")[0].upload_time is not None


def test_nearest_versions_takes_neighbours_on_both_sides() -> None:
    present = sorted(Version(v) for v in ["0.1", "0.9", "1.0", "1.1", "1.2", "2.0", "3.0", "4.0"])
    assert [str(v) for v in nearest_versions("1.1.5", present)] == [
        "0.9",
        "1.0",
        "1.1",
        "1.2",
        "2.0",
        "3.0",
    ]
    assert [str(v) for v in nearest_versions("9", present)] == ["2.0", "3.0", "4.0"]
    assert [str(v) for v in nearest_versions("0.0.1", present)] == ["0.1", "0.9", "1.0"]
