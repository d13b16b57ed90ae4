"""The user's git configuration: fetch settings honoured (a mirror through insteadOf works), settings
that change file contents never (core.autocrlf in the user's config leaves a checkout untouched)."""

from __future__ import annotations

import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from verifier.source import gitconfig
from verifier.source.gitcmd import git_env, run_git


@pytest.fixture
def user_gitconfig(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    config = tmp_path / "user.gitconfig"
    config.write_text("")
    monkeypatch.setenv("GIT_CONFIG_GLOBAL", str(config))
    monkeypatch.setenv("GIT_CONFIG_NOSYSTEM", "1")
    gitconfig.fetch_settings.cache_clear()
    yield config
    gitconfig.fetch_settings.cache_clear()


def _repo_with_crlf_sensitive_file(path: Path) -> Path:
    subprocess.run(["git", "init", "-q", "-b", "main", str(path)], check=True)
    (path / "a.txt").write_bytes(b"one\ntwo\n")
    subprocess.run(["git", "-C", str(path), "add", "a.txt"], check=True)
    subprocess.run(
        ["git", "-C", str(path), "-c", "user.name=t", "-c", "user.email=t@e", "commit", "-qm", "one"], check=True
    )
    return path


def test_only_fetch_settings_are_taken(user_gitconfig: Path) -> None:
    user_gitconfig.write_text(
        '[url "/srv/mirror/"]\n\tinsteadOf = https://example.org/\n'
        "[credential]\n\thelper = store\n"
        "[core]\n\tautocrlf = true\n\teol = crlf\n\tsymlinks = false\n"
        '[filter "lfs"]\n\tsmudge = git-lfs smudge %f\n'
        "[http]\n\tproxy = http://127.0.0.1:3128\n"
    )
    keys = [key for key, _ in gitconfig.fetch_settings()]
    assert keys == ["url./srv/mirror/.insteadof", "credential.helper", "http.proxy"]
    env = git_env()
    assert env["GIT_CONFIG_GLOBAL"] != str(user_gitconfig)
    assert env["GIT_CONFIG_COUNT"] == "3"


def test_rewrite_longest_prefix_wins() -> None:
    settings = (
        ("url./m/all/.insteadof", "https://github.com/"),
        ("url./m/pallets/.insteadof", "https://github.com/pallets/"),
    )
    found = gitconfig.rewrite("https://github.com/pallets/click", settings)
    assert found is not None and found.rewritten == "/m/pallets/click"
    assert gitconfig.rewrite("https://gitlab.com/x/y", settings) is None


def test_clone_through_users_mirror_without_their_autocrlf(user_gitconfig: Path, tmp_path: Path) -> None:
    upstream = _repo_with_crlf_sensitive_file(tmp_path / "upstream")
    user_gitconfig.write_text(
        f'[url "{upstream}"]\n\tinsteadOf = https://example.invalid/owner/project\n[core]\n\tautocrlf = true\n'
    )
    clone = tmp_path / "clone"
    run_git(["clone", "-q", "https://example.invalid/owner/project", str(clone)], cwd=tmp_path, env=git_env())
    assert (clone / "a.txt").read_bytes() == b"one\ntwo\n"  # the user's autocrlf did not apply
