"""The pages of a simple-API index: PEP 691 JSON (API 1.1, PEP 700 fields) and PEP 503 HTML,
and the ``Accept`` negotiation between them."""

from __future__ import annotations

import html
import json
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import quote

from pypi_simple import UnparsableFilenameError, parse_filename

from verifier.upstream.names import normalize_version

JSON_CONTENT_TYPE = "application/vnd.pypi.simple.v1+json"
HTML_CONTENT_TYPE = "text/html; charset=utf-8"
API_VERSION = "1.1"

_HTML_TYPES = ("application/vnd.pypi.simple.v1+html", "text/html")


@dataclass(frozen=True)
class ServedFile:
    """One file the local index lists."""

    filename: str
    path: Path
    sha256: str
    size: int
    upload_time: datetime
    requires_python: str | None
    yanked: bool | str


def format_upload_time(moment: datetime) -> str:
    """PEP 700 spelling: ``yyyy-mm-ddThh:mm:ss.ffffffZ`` in UTC."""
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def accepts_json(accept_header: str | None) -> bool:
    """True when an ``Accept`` header rates PEP 691 JSON at least as high as any HTML type."""
    json_quality = 0.0
    html_quality = 0.0
    for item in (accept_header or "").split(","):
        media_type, *params = [part.strip() for part in item.split(";")]
        quality = 1.0
        for param in params:
            key, _, value = param.partition("=")
            if key.strip() == "q":
                try:
                    quality = float(value)
                except ValueError:
                    quality = 0.0
        media_type = media_type.lower()
        if media_type == JSON_CONTENT_TYPE:
            json_quality = max(json_quality, quality)
        elif media_type in _HTML_TYPES or media_type in ("*/*", "text/*"):
            html_quality = max(html_quality, quality)
    return json_quality > 0 and json_quality >= html_quality


def _file_url(filename: str) -> str:
    return "/files/" + quote(filename)


def _versions(project: str, files: list[ServedFile]) -> list[str]:
    versions = set()
    for served in files:
        try:
            _, version, _ = parse_filename(served.filename, project)
        except UnparsableFilenameError:
            continue
        versions.add(normalize_version(version))
    return sorted(versions)


def project_page_json(project: str, files: list[ServedFile]) -> bytes:
    """The PEP 691 (API 1.1, with PEP 700 fields) project page."""
    page = {
        "meta": {"api-version": API_VERSION},
        "name": project,
        "versions": _versions(project, files),
        "files": [
            {
                "filename": served.filename,
                "url": _file_url(served.filename),
                "hashes": {"sha256": served.sha256},
                "requires-python": served.requires_python,
                "size": served.size,
                "upload-time": format_upload_time(served.upload_time),
                "yanked": served.yanked,
            }
            for served in files
        ],
    }
    return json.dumps(page, indent=1).encode()


def project_page_html(project: str, files: list[ServedFile]) -> bytes:
    """The PEP 503 project page (with ``data-requires-python`` and ``data-yanked``)."""
    lines = [
        "<!DOCTYPE html>",
        "<html><head>",
        f'<meta name="pypi:repository-version" content="{API_VERSION}">',
        f"<title>Links for {html.escape(project)}</title></head><body>",
        f"<h1>Links for {html.escape(project)}</h1>",
    ]
    for served in files:
        attributes = f'href="{html.escape(_file_url(served.filename))}#sha256={served.sha256}"'
        if served.requires_python:
            attributes += f' data-requires-python="{html.escape(served.requires_python)}"'
        if served.yanked is not False:
            reason = served.yanked if isinstance(served.yanked, str) else ""
            attributes += f' data-yanked="{html.escape(reason)}"'
        lines.append(f"<a {attributes}>{html.escape(served.filename)}</a><br>")
    lines.append("</body></html>")
    return ("\n".join(lines) + "\n").encode()


def root_page_json(projects: list[str]) -> bytes:
    """The PEP 691 project list."""
    page = {"meta": {"api-version": API_VERSION}, "projects": [{"name": name} for name in projects]}
    return json.dumps(page, indent=1).encode()


def root_page_html(projects: list[str]) -> bytes:
    """The PEP 503 project list."""
    links = "\n".join(
        f'<a href="/simple/{quote(name)}/">{html.escape(name)}</a><br>' for name in projects
    )
    return (
        "<!DOCTYPE html>\n<html><head>"
        f'<meta name="pypi:repository-version" content="{API_VERSION}">'
        f"<title>Simple index</title></head><body>\n{links}\n</body></html>\n"
    ).encode()
