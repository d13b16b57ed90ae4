"""Turning untrusted strings into something safe to show, and times into something readable.

`visible` is applied by every writer before its own escaping (HTML, XML, Markdown): it makes
characters that would be invisible, break a format or mislead a reader show as escapes:
- lone surrogates (a tar member name that was not UTF-8, decoded with surrogateescape) -> `\\xNN`;
  they cannot be encoded as UTF-8 at all;
- C0/C1 control characters other than tab and newline -> `\\xNN` (XML 1.0 forbids most of them);
- bidirectional overrides and isolates (U+202A..U+202E, U+2066..U+2069) -> `\\u202e`: they can make
  a name read as another ("Trojan Source").
"""

from __future__ import annotations

import re
from datetime import UTC, datetime

_INVISIBLE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\ud800-\udfff\ufffe\uffff]")


def _escape_char(match: re.Match[str]) -> str:
    code = ord(match.group())
    if 0xDC80 <= code <= 0xDCFF:  # surrogateescape: the original byte
        return f"\\x{code - 0xDC00:02x}"
    if code <= 0xFF:
        return f"\\x{code:02x}"
    return f"\\u{code:04x}"


def visible(value: object) -> str:
    """The string with every invisible or format-breaking character shown as an escape."""
    text = "" if value is None else str(value)
    return _INVISIBLE.sub(_escape_char, text)


def one_line(value: object, limit: int | None = None) -> str:
    """`visible`, with line breaks and tabs turned into spaces, optionally cut to `limit` characters."""
    text = " ".join(visible(value).replace("\t", " ").splitlines())
    if limit is not None and len(text) > limit:
        text = text[: max(limit - 1, 0)] + "…"
    return text


def parse_time(value: str | None) -> datetime | None:
    if not value:
        return None
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        return None
    if moment.tzinfo is None:  # the store writes UTC
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC)


def format_time(value: str | None, *, zone: bool = True) -> str:
    """`2024-05-01 03:12 UTC`; an unparseable value is shown as given; nothing is `—`."""
    moment = parse_time(value)
    if moment is None:
        return one_line(value) if value else "—"
    return moment.strftime("%Y-%m-%d %H:%M UTC" if zone else "%Y-%m-%d %H:%M")


def format_date(value: str | None) -> str:
    moment = parse_time(value)
    if moment is None:
        return one_line(value) if value else "—"
    return moment.strftime("%Y-%m-%d")


def format_duration(seconds: float | None) -> str:
    if seconds is None:
        return "—"
    if seconds < 10:
        return f"{seconds:.1f} s"
    whole = round(seconds)
    if whole < 60:
        return f"{whole} s"
    minutes, secs = divmod(whole, 60)
    if minutes < 60:
        return f"{minutes} min {secs:02d} s"
    hours, minutes = divmod(minutes, 60)
    return f"{hours} h {minutes:02d} min"


def run_duration(started_at: str | None, finished_at: str | None) -> float | None:
    start, end = parse_time(started_at), parse_time(finished_at)
    if start is None or end is None:
        return None
    return max((end - start).total_seconds(), 0.0)


def short_hash(value: str | None, length: int = 12) -> str:
    if not value:
        return "—"
    text = one_line(value)
    return text if len(text) <= length else text[:length]


def plural(count: int, singular: str, plural_form: str | None = None) -> str:
    return f"{count} {singular if count == 1 else (plural_form or singular + 's')}"


def format_span(started_at: str | None, finished_at: str | None) -> str:
    """`2024-05-01 03:12 → 03:14 UTC` (the date once when both ends fall on the same day)."""
    start, end = parse_time(started_at), parse_time(finished_at)
    if start is not None and end is not None and start.date() == end.date():
        return f"{start:%Y-%m-%d %H:%M} → {end:%H:%M} UTC"
    return f"{format_time(started_at)} → {format_time(finished_at)}"
