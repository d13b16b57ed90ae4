"""The tail of a log or of a command's output: the lines that say what went wrong.

One helper for every error message and report detail that quotes a log, so that they all read the
same way: the last lines, decoded leniently, an unreadable or empty log standing for `default`.
"""

from __future__ import annotations

from pathlib import Path


def log_tail(source: Path | str | bytes, lines: int = 25, *, separator: str = "\n",
             max_chars: int | None = None, default: str = "") -> str:
    """The last `lines` lines of `source`: a log file (a Path), or the output itself (text or bytes).

    Joined with a newline, the tail is kept as written (indentation and blank lines too), for a
    report's details. Joined with anything else, it is meant for a one-line message: blank lines
    are left out and the rest stripped. A longer result than `max_chars` is cut at a word and ends
    in " ...". A missing or unreadable file, or one with nothing in it, gives `default`.
    """
    if isinstance(source, Path):
        try:
            text = source.read_text(errors="replace")
        except OSError:
            return default
    elif isinstance(source, bytes):
        text = source.decode("utf-8", "replace")
    else:
        text = source
    kept = text.strip().splitlines() if "\n" in separator else [line.strip() for line in text.splitlines() if line.strip()]
    tail = separator.join(kept[-lines:]) if lines > 0 else ""
    if max_chars is not None and len(tail) > max_chars:
        tail = tail[:max_chars].rsplit(" ", 1)[0] + " ..."
    return tail or default
