"""Shell lines split into commands (verifier/recipe/shell.py)."""

from __future__ import annotations

from verifier.recipe.shell import split_segments


def test_split_segments_respects_quotes_comments_and_redirections() -> None:
    assert split_segments("cd pkg && python -m build 2>&1 | tee log  # build it") == ["cd pkg", "python -m build 2>&1", "tee log"]
    assert split_segments("echo 'a && b; c' ; true") == ["echo 'a && b; c'", "true"]


def test_separators_inside_a_command_substitution_do_not_split_the_line() -> None:
    assert split_segments("version=$(poetry version | awk '{ print $2 }')") == ["version=$(poetry version | awk '{ print $2 }')"]
    assert split_segments("v=$(echo $(a | b) | c) && python -m build") == ["v=$(echo $(a | b) | c)", "python -m build"]
    assert split_segments("x=`git describe | cut -c2-`; make") == ["x=`git describe | cut -c2-`", "make"]
