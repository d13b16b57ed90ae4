from __future__ import annotations

from pathlib import Path

from verifier.logs import log_tail

LOG = "step 1\n\n  Traceback:\n    boom  \nerror: it failed\n\n"


def test_a_details_tail_keeps_the_log_as_written(tmp_path: Path) -> None:
    path = tmp_path / "build.log"
    path.write_text(LOG)
    assert log_tail(path, 3) == "  Traceback:\n    boom  \nerror: it failed"
    assert log_tail(path) == LOG.strip()


def test_a_one_line_tail_leaves_out_blank_lines_and_indentation() -> None:
    assert log_tail(LOG, 3, separator=" | ") == "Traceback: | boom | error: it failed"
    assert log_tail(LOG.encode(), 1) == "error: it failed"


def test_bytes_are_decoded_leniently() -> None:
    assert log_tail(b"fatal: \xff bad\n", 1, separator=" / ") == "fatal: \ufffd bad"


def test_long_tails_are_cut_at_a_word() -> None:
    assert log_tail("one two three four", 1, max_chars=10) == "one two ..."


def test_missing_or_empty_logs_give_the_default(tmp_path: Path) -> None:
    assert log_tail(tmp_path / "absent.log", default="(no log)") == "(no log)"
    assert log_tail("\n \n", 1, separator=" / ", default="no output") == "no output"
    assert log_tail(b"", 1, default="no message") == "no message"
