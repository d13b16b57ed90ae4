"""LocalIndex over real HTTP: pages, negotiation, redirects, containment, concurrency, CLI."""

from __future__ import annotations

import http.client
import json
import os
import signal
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from verifier.testing.index_server import LocalIndex
from verifier.upstream.simple_pages import accepts_json

from ..upstream.artifacts import WRONG_SHA256, sha256_hex

JSON_ACCEPT = "application/vnd.pypi.simple.v1+json"
# What uv and pypi-simple send.
UV_ACCEPT = (
    "application/vnd.pypi.simple.v1+json, "
    "application/vnd.pypi.simple.v1+html;q=0.2, text/html;q=0.01"
)
PYPI_SIMPLE_ACCEPT = (
    "application/vnd.pypi.simple.v1+json, application/vnd.pypi.simple.v1+html, text/html;q=0.01"
)


def _get(
    index: LocalIndex, path: str, accept: str | None = None, method: str = "GET"
) -> http.client.HTTPResponse:
    """Send ``path`` verbatim (no client-side normalization of ``..``) and return the response."""
    connection = http.client.HTTPConnection("127.0.0.1", index.port, timeout=5)
    connection.request(method, path, headers={"Accept": accept} if accept else {})
    response = connection.getresponse()
    response.read_body = response.read()  # type: ignore[attr-defined]
    connection.close()
    return response


def _body(response: http.client.HTTPResponse) -> bytes:
    return response.read_body  # type: ignore[attr-defined, no-any-return]


@pytest.mark.parametrize(
    ("accept", "wanted"),
    [
        (JSON_ACCEPT, True),
        (UV_ACCEPT, True),
        (PYPI_SIMPLE_ACCEPT, True),
        ("text/html", False),
        (None, False),
        ("*/*", False),
        ("application/vnd.pypi.simple.v1+json;q=0, text/html", False),
        ("text/html;q=0.5, application/vnd.pypi.simple.v1+json;q=0.9", True),
    ],
)
def test_content_negotiation(accept: str | None, wanted: bool) -> None:
    assert accepts_json(accept) is wanted


def test_project_page_json(json_index: LocalIndex, artifact_dir: Path) -> None:
    response = _get(json_index, "/simple/demo/", UV_ACCEPT)
    assert response.status == 200
    assert response.getheader("Content-Type") == "application/vnd.pypi.simple.v1+json"
    page = json.loads(_body(response))
    assert page["meta"] == {"api-version": "1.1"}
    assert page["name"] == "demo"
    assert page["versions"] == ["1.0", "1.1", "2.0", "2.1"]
    files = {entry["filename"]: entry for entry in page["files"]}
    wheel = files["demo-2.0-py3-none-any.whl"]
    data = (artifact_dir / "demo" / "demo-2.0-py3-none-any.whl").read_bytes()
    assert wheel == {
        "filename": "demo-2.0-py3-none-any.whl",
        "url": "/files/demo-2.0-py3-none-any.whl",
        "hashes": {"sha256": sha256_hex(data)},
        "requires-python": ">=3.8",
        "size": len(data),
        "upload-time": "2024-02-01T12:00:01.000000Z",
        "yanked": False,
    }
    assert files["demo-1.1.tar.gz"]["yanked"] == "broken"
    assert files["demo-1.1.tar.gz"]["upload-time"] == "2023-05-31T22:00:00.000000Z"


def test_project_page_html(json_index: LocalIndex, artifact_dir: Path) -> None:
    response = _get(json_index, "/simple/demo/", "text/html")
    assert response.getheader("Content-Type") == "text/html; charset=utf-8"
    page = _body(response).decode()
    digest = sha256_hex((artifact_dir / "demo" / "demo-2.0.tar.gz").read_bytes())
    assert (
        f'<a href="/files/demo-2.0.tar.gz#sha256={digest}" data-requires-python="&gt;=3.8">'
        "demo-2.0.tar.gz</a>"
    ) in page
    assert 'data-yanked="broken">demo-1.1.tar.gz</a>' in page


def test_announced_hash_can_be_overridden(json_index: LocalIndex) -> None:
    page = json.loads(_body(_get(json_index, "/simple/badhash/", JSON_ACCEPT)))
    assert page["files"][0]["hashes"] == {"sha256": WRONG_SHA256}


def test_default_upload_time_is_the_mtime(json_index: LocalIndex, artifact_dir: Path) -> None:
    os.utime(artifact_dir / "zipped" / "zipped-0.5.zip", (1_700_000_000, 1_700_000_000))
    page = json.loads(_body(_get(json_index, "/simple/zipped/", JSON_ACCEPT)))
    times = {entry["filename"]: entry["upload-time"] for entry in page["files"]}
    assert times["zipped-0.5.zip"] == "2023-11-14T22:13:20.000000Z"


def test_html_only_ignores_the_json_accept_header(artifact_dir: Path) -> None:
    with LocalIndex(artifact_dir, html_only=True) as index:
        response = _get(index, "/simple/demo/", JSON_ACCEPT)
    assert response.getheader("Content-Type") == "text/html; charset=utf-8"


def test_root_page_lists_projects(json_index: LocalIndex) -> None:
    page = json.loads(_body(_get(json_index, "/simple/", JSON_ACCEPT)))
    assert [project["name"] for project in page["projects"]] == [
        "backend-ai-common",
        "badhash",
        "demo",
        "zipped",
    ]
    html = _body(_get(json_index, "/simple/")).decode()
    assert '<a href="/simple/backend-ai-common/">backend-ai-common</a>' in html


def test_unnormalized_names_redirect(json_index: LocalIndex) -> None:
    response = _get(json_index, "/simple/Backend.AI_Common/")
    assert response.status == 301
    assert response.getheader("Location") == "/simple/backend-ai-common/"
    assert _get(json_index, "/simple/demo").getheader("Location") == "/simple/demo/"


def test_files_are_served_with_length_and_head_has_no_body(
    json_index: LocalIndex, artifact_dir: Path
) -> None:
    data = (artifact_dir / "zipped" / "zipped-0.6.tar.bz2").read_bytes()
    response = _get(json_index, "/files/zipped-0.6.tar.bz2")
    assert response.status == 200
    assert _body(response) == data
    head = _get(json_index, "/files/zipped-0.6.tar.bz2", method="HEAD")
    assert head.getheader("Content-Length") == str(len(data))
    assert _body(head) == b""


@pytest.mark.parametrize(
    "path",
    [
        "/files/../index-meta.json",
        "/files/..%2findex-meta.json",
        "/files/%2e%2e%2f%2e%2e%2fsecret.txt",
        "/files/..%2f..%2fsecret.txt",
        "/files/demo%2fdemo-1.0.tar.gz",
        "/files/index-meta.json",
        "/files/outside.tar.gz",
        "/files/.hidden.tar.gz",
        "/simple/../../",
        "/simple/..%2f..%2f/",
        "/simple/outside/",
        "/simple/nothing/",
        "/etc/passwd",
    ],
)
def test_nothing_outside_the_served_directory(
    json_index: LocalIndex, artifact_dir: Path, path: str
) -> None:
    secret = artifact_dir.parent / "secret.txt"
    secret.write_text("secret")
    (artifact_dir / "demo" / "outside.tar.gz").symlink_to(secret)
    (artifact_dir / "outside").symlink_to(artifact_dir.parent, target_is_directory=True)
    (artifact_dir / "demo" / ".hidden.tar.gz").write_bytes(b"hidden")
    response = _get(json_index, path)
    assert response.status in (301, 404)
    assert b"secret" not in _body(response)


def test_concurrent_downloads(json_index: LocalIndex, artifact_dir: Path) -> None:
    names = [path.name for path in sorted(artifact_dir.glob("*/*"))] * 6

    def fetch(name: str) -> tuple[str, bytes]:
        return name, _body(_get(json_index, f"/files/{name}"))

    with ThreadPoolExecutor(max_workers=16) as pool:
        results = list(pool.map(fetch, names))
    assert len(results) == len(names)
    for name, body in results:
        assert body == next(artifact_dir.glob(f"*/{name}")).read_bytes()


def test_malformed_meta_is_refused_at_start(artifact_dir: Path) -> None:
    (artifact_dir / "index-meta.json").write_text(
        '{"demo-1.0.tar.gz": {"upload-time": "yesterday"}}'
    )
    with pytest.raises(ValueError, match="upload-time is not ISO 8601"):
        LocalIndex(artifact_dir)


def test_command_line_prints_the_url_and_serves(artifact_dir: Path) -> None:
    process = subprocess.Popen(
        [sys.executable, "-m", "verifier.testing.index_server", str(artifact_dir), "--port", "0"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        cwd=Path(__file__).resolve().parents[2],
    )
    try:
        assert process.stdout is not None
        url = process.stdout.readline().strip()
        assert url.startswith("http://127.0.0.1:") and url.endswith("/simple/")
        port = int(url.split(":")[2].split("/")[0])
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
        connection.request("GET", "/simple/demo/", headers={"Accept": JSON_ACCEPT})
        assert json.loads(connection.getresponse().read())["name"] == "demo"
        connection.close()
    finally:
        process.send_signal(signal.SIGINT)
        assert process.wait(timeout=10) == 0
