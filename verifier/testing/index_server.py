"""A small package index over real HTTP, serving a directory of artifacts on 127.0.0.1.

Layout of the served directory::

    DIR/<normalized-project>/<filename>     the files (sdists, wheels)
    DIR/index-meta.json                     optional: {filename: {"upload-time": ISO 8601,
                                            "requires-python": str, "yanked": bool | str,
                                            "sha256": str}}

Routes: ``/simple/`` (project list), ``/simple/<normalized-name>/`` (PEP 691 JSON when the
``Accept`` header prefers ``application/vnd.pypi.simple.v1+json``, else PEP 503 HTML with
``#sha256=`` fragments and ``data-requires-python``) and ``/files/<filename>`` (the bytes).
A file's upload time defaults to its mtime; ``"sha256"`` in the metadata replaces the hash the
index announces (to serve a wrong one on purpose). Only regular files inside DIR are served.

Run ``python -m verifier.testing.index_server DIR [--port N]``; it prints the index URL.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import logging
import os
import shutil
import sys
import threading
from datetime import UTC, datetime
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from types import TracebackType
from typing import Any, Self
from urllib.parse import unquote, urlsplit

from verifier.fsutil import file_sha256
from verifier.upstream.names import is_project_name, normalize_project
from verifier.upstream.simple_pages import (
    HTML_CONTENT_TYPE,
    JSON_CONTENT_TYPE,
    ServedFile,
    accepts_json,
    project_page_html,
    project_page_json,
    root_page_html,
    root_page_json,
)

INDEX_META_FILENAME = "index-meta.json"

# How often the serving thread looks for a shutdown request (seconds): bounds stop()'s latency.
_SHUTDOWN_POLL_INTERVAL = 0.05

logger = logging.getLogger(__name__)


def load_index_meta(root: Path) -> dict[str, dict[str, Any]]:
    """The parsed ``index-meta.json`` of ``root`` (empty when absent).

    Raises ``ValueError`` with a one-line reason when it is malformed."""
    path = root / INDEX_META_FILENAME
    if not path.is_file():
        return {}
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise ValueError(f"{path}: unreadable JSON: {exc}") from None
    if not isinstance(data, dict) or not all(isinstance(v, dict) for v in data.values()):
        raise ValueError(f"{path}: expected an object mapping filenames to objects")
    for filename, entry in data.items():
        if "upload-time" in entry:
            _parse_upload_time(entry["upload-time"], f"{path}: {filename}")
    return data


def _parse_upload_time(value: Any, where: str) -> datetime:
    try:
        moment = datetime.fromisoformat(str(value))
    except ValueError:
        raise ValueError(f"{where}: upload-time is not ISO 8601: {value!r}") from None
    if moment.tzinfo is None:
        return moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC)


class _Catalog:
    """Reads the served directory on demand; remembers file hashes by (path, size, mtime)."""

    def __init__(self, root: Path) -> None:
        self.root = root.resolve()
        self._hashes: dict[tuple[str, int, int], str] = {}
        self._lock = threading.Lock()

    def projects(self) -> list[str]:
        return sorted(
            normalize_project(entry.name)
            for entry in self.root.iterdir()
            if entry.is_dir() and is_project_name(entry.name)
        )

    def project_files(self, project: str) -> list[ServedFile] | None:
        """The files of the (normalized) ``project``, or ``None`` when there is no such project."""
        directory = self._project_dir(project)
        if directory is None:
            return None
        meta = load_index_meta(self.root)
        files = []
        for entry in sorted(directory.iterdir(), key=lambda p: p.name):
            path = self._inside_root(entry)
            if path is None or not path.is_file() or entry.name.startswith("."):
                continue
            files.append(self._served_file(entry.name, path, meta.get(entry.name, {})))
        return files

    def file_path(self, filename: str) -> Path | None:
        """The served path of ``filename`` (a bare file name), or ``None``."""
        if (
            not filename
            or filename.startswith(".")
            or "/" in filename
            or "\\" in filename
            or "\0" in filename
        ):
            return None
        for entry in sorted(self.root.iterdir()):
            if entry.is_dir() and is_project_name(entry.name):
                path = self._inside_root(entry / filename)
                if path is not None and path.is_file():
                    return path
        return None

    def _project_dir(self, project: str) -> Path | None:
        for entry in self.root.iterdir():
            if (
                entry.is_dir()
                and is_project_name(entry.name)
                and normalize_project(entry.name) == project
            ):
                return self._inside_root(entry)
        return None

    def _inside_root(self, path: Path) -> Path | None:
        resolved = path.resolve()
        return resolved if resolved.is_relative_to(self.root) else None

    def _served_file(self, filename: str, path: Path, meta: dict[str, Any]) -> ServedFile:
        stat = path.stat()
        if "upload-time" in meta:
            upload_time = _parse_upload_time(meta["upload-time"], filename)
        else:
            upload_time = datetime.fromtimestamp(stat.st_mtime, tz=UTC)
        return ServedFile(
            filename=filename,
            path=path,
            sha256=str(meta.get("sha256") or self._sha256(path, stat)),
            size=stat.st_size,
            upload_time=upload_time,
            requires_python=meta.get("requires-python"),
            yanked=meta.get("yanked", False),
        )

    def _sha256(self, path: Path, stat: os.stat_result) -> str:
        key = (str(path), stat.st_size, stat.st_mtime_ns)
        with self._lock:
            known = self._hashes.get(key)
        if known is not None:
            return known
        digest = file_sha256(path)
        with self._lock:
            self._hashes[key] = digest
        return digest


class _IndexHandler(BaseHTTPRequestHandler):
    server: _IndexServer
    server_version = "verifier-local-index/1"

    def do_GET(self) -> None:
        self._respond(send_body=True)

    def do_HEAD(self) -> None:
        self._respond(send_body=False)

    def log_message(self, format: str, *args: Any) -> None:
        logger.debug("%s %s", self.address_string(), format % args)

    def _respond(self, send_body: bool) -> None:
        try:
            path = unquote(urlsplit(self.path).path)
            if path == "/simple":
                self._redirect("/simple/")
            elif path == "/simple/":
                self._serve_root(send_body)
            elif path.startswith("/simple/"):
                self._serve_project(path[len("/simple/") :], send_body)
            elif path.startswith("/files/"):
                self._serve_file(path[len("/files/") :], send_body)
            else:
                self._not_found(send_body)
        except ValueError as exc:  # malformed index-meta.json
            self._send_bytes(
                HTTPStatus.INTERNAL_SERVER_ERROR, "text/plain", str(exc).encode(), send_body
            )

    def _wants_json(self) -> bool:
        return not self.server.html_only and accepts_json(self.headers.get("Accept"))

    def _serve_root(self, send_body: bool) -> None:
        projects = self.server.catalog.projects()
        if self._wants_json():
            self._send_bytes(HTTPStatus.OK, JSON_CONTENT_TYPE, root_page_json(projects), send_body)
        else:
            self._send_bytes(HTTPStatus.OK, HTML_CONTENT_TYPE, root_page_html(projects), send_body)

    def _serve_project(self, rest: str, send_body: bool) -> None:
        name = rest.removesuffix("/")
        if not is_project_name(name):
            self._not_found(send_body)
            return
        normalized = normalize_project(name)
        if name != normalized or not rest.endswith("/"):
            self._redirect(f"/simple/{normalized}/")
            return
        files = self.server.catalog.project_files(normalized)
        if files is None:
            self._not_found(send_body)
        elif self._wants_json():
            self._send_bytes(
                HTTPStatus.OK, JSON_CONTENT_TYPE, project_page_json(normalized, files), send_body
            )
        else:
            self._send_bytes(
                HTTPStatus.OK, HTML_CONTENT_TYPE, project_page_html(normalized, files), send_body
            )

    def _serve_file(self, filename: str, send_body: bool) -> None:
        path = self.server.catalog.file_path(filename)
        if path is None:
            self._not_found(send_body)
            return
        with path.open("rb") as stream:
            size = os.fstat(stream.fileno()).st_size
            self.send_response(HTTPStatus.OK)
            self.send_header("Content-Type", "application/octet-stream")
            self.send_header("Content-Length", str(size))
            self.end_headers()
            if send_body:
                shutil.copyfileobj(stream, self.wfile, 1 << 16)

    def _redirect(self, location: str) -> None:
        self.send_response(HTTPStatus.MOVED_PERMANENTLY)
        self.send_header("Location", location)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def _not_found(self, send_body: bool) -> None:
        self._send_bytes(HTTPStatus.NOT_FOUND, "text/plain", b"not found\n", send_body)

    def _send_bytes(
        self, status: HTTPStatus, content_type: str, body: bytes, send_body: bool
    ) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Vary", "Accept")
        self.end_headers()
        if send_body:
            self.wfile.write(body)


class _IndexServer(ThreadingHTTPServer):
    daemon_threads = True
    # The socketserver default (5) drops SYNs under a burst of parallel clients (uv opens many),
    # which then wait a whole second for the retransmit.
    request_queue_size = 128

    def __init__(self, address: tuple[str, int], catalog: _Catalog, html_only: bool) -> None:
        self.catalog = catalog
        self.html_only = html_only
        super().__init__(address, _IndexHandler)


class LocalIndex:
    """A package index serving ``directory`` on ``host``:``port`` (port 0: a free one).

    ``html_only`` makes it answer PEP 503 HTML whatever the ``Accept`` header asks for.
    :meth:`start` (or ``with``) serves in a background thread; :meth:`stop` shuts it down and
    frees the port. ``url`` is the simple-API root, ``http://127.0.0.1:PORT/simple/``.
    """

    def __init__(
        self,
        directory: Path | str,
        *,
        host: str = "127.0.0.1",
        port: int = 0,
        html_only: bool = False,
    ) -> None:
        self.directory = Path(directory)
        if not self.directory.is_dir():
            raise NotADirectoryError(f"not a directory: {self.directory}")
        load_index_meta(self.directory)  # fail early on a malformed file
        self._host = host
        self._port = port
        self._html_only = html_only
        self._server: _IndexServer | None = None
        self._thread: threading.Thread | None = None

    @property
    def port(self) -> int:
        """The port served on (only meaningful once started)."""
        if self._server is None:
            raise RuntimeError("LocalIndex is not running")
        return int(self._server.server_address[1])

    @property
    def base_url(self) -> str:
        """``http://HOST:PORT`` of the running server."""
        return f"http://{self._host}:{self.port}"

    @property
    def url(self) -> str:
        """The simple-API root URL of the running server."""
        return f"{self.base_url}/simple/"

    def bind(self) -> LocalIndex:
        """Open the listening socket (so that ``url`` is known) without serving yet."""
        if self._server is None:
            catalog = _Catalog(self.directory)
            self._server = _IndexServer((self._host, self._port), catalog, self._html_only)
        return self

    def start(self) -> LocalIndex:
        """Bind and serve in a daemon thread; returns ``self``."""
        if self._thread is not None:
            return self
        server = self.bind()._server
        assert server is not None
        self._thread = threading.Thread(
            target=server.serve_forever,
            kwargs={"poll_interval": _SHUTDOWN_POLL_INTERVAL},
            name=f"local-index:{self.port}",
            daemon=True,
        )
        self._thread.start()
        return self

    def stop(self) -> None:
        """Stop serving and close the listening socket."""
        server, thread = self._server, self._thread
        self._server = None
        self._thread = None
        if server is None:
            return
        if thread is not None:
            server.shutdown()
            thread.join(timeout=10)
        server.server_close()

    def serve_forever(self) -> None:
        """Serve in the calling thread until interrupted (for the command line)."""
        server = self.bind()._server
        assert server is not None
        try:
            server.serve_forever()
        finally:
            server.server_close()
            self._server = None

    def __enter__(self) -> Self:
        self.start()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.stop()


def main(argv: list[str] | None = None) -> int:
    """Command line: serve DIR until interrupted, after writing the index URL to stdout."""
    parser = argparse.ArgumentParser(
        prog="python -m verifier.testing.index_server",
        description="Serve a directory of artifacts as a package index (PEP 691 / PEP 503).",
    )
    parser.add_argument("directory", type=Path)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=0, help="0 (default): a free port")
    parser.add_argument("--html-only", action="store_true", help="ignore requests for JSON")
    options = parser.parse_args(argv)
    try:
        index = LocalIndex(
            options.directory, host=options.host, port=options.port, html_only=options.html_only
        ).bind()
    except (OSError, ValueError) as exc:
        sys.stderr.write(f"error: {exc}\n")
        return 2
    sys.stdout.write(index.url + "\n")
    sys.stdout.flush()
    with contextlib.suppress(KeyboardInterrupt):
        index.serve_forever()
    return 0


if __name__ == "__main__":
    sys.exit(main())
