"""Shell lines split into commands (verifier/recipe/shell.py)."""

from __future__ import annotations

from verifier.recipe.shell import split_segments


def test_split_segments_respects_quotes_comments_and_redirections() -> None:
    assert split_segments("cd pkg && python -m build 2>&1 | tee log  # build it") == ["cd pkg", "python -m build 2>&1", "tee log"]
    assert split_segments("echo 'a && b; c' ; true") == ["echo 'a && b; c'", "true"]
