"""Real git repositories in temporary directories, built by a small helper."""

from __future__ import annotations

import os
import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest

#: A fixed commit time (2023-11-14 22:13:20 UTC) so commit ids and times are predictable.
BASE_TIME = 1_700_000_000


def git_test_env(home: Path) -> dict[str, str]:
    """An environment for building fixture repositories: no user config, a fixed identity."""
    return {
        "PATH": os.environ.get("PATH", os.defpath),
        "HOME": str(home),
        "LC_ALL": "C",
        "GIT_CONFIG_NOSYSTEM": "1",
        "GIT_CONFIG_GLOBAL": os.devnull,
        "GIT_TERMINAL_PROMPT": "0",
        "GIT_AUTHOR_NAME": "Test Author",
        "GIT_AUTHOR_EMAIL": "author@example.invalid",
        "GIT_COMMITTER_NAME": "Test Committer",
        "GIT_COMMITTER_EMAIL": "committer@example.invalid",
    }


class GitRepo:
    """A work tree with helpers to write files, commit at a given time, and tag."""

    def __init__(self, path: Path, env: dict[str, str]) -> None:
        self.path = path
        self.env = env
        self._clock = BASE_TIME

    def git(self, *args: str, cwd: Path | None = None) -> str:
        result = subprocess.run(
            ["git", *args],
            cwd=cwd or self.path,
            env=self.env,
            capture_output=True,
            text=True,
            timeout=60,
            check=False,
        )
        if result.returncode != 0:
            raise AssertionError(f"git {' '.join(args)} failed: {result.stderr}")
        return result.stdout.strip()

    def write(self, relative: str, content: str = "", executable: bool = False) -> Path:
        path = self.path / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(content)
        if executable:
            path.chmod(0o755)
        return path

    def commit(self, message: str = "change", when: int | None = None) -> str:
        """Stage everything and commit; each commit is one hour after the previous by default."""
        self._clock = when if when is not None else self._clock + 3600
        env = dict(self.env, GIT_AUTHOR_DATE=f"@{self._clock} +0000",
                   GIT_COMMITTER_DATE=f"@{self._clock} +0000")
        subprocess.run(["git", "add", "-A"], cwd=self.path, env=env, check=True, timeout=60)
        subprocess.run(
            ["git", "commit", "-q", "--allow-empty", "-m", message],
            cwd=self.path, env=env, check=True, timeout=60,
        )
        return self.head()

    def head(self) -> str:
        return self.git("rev-parse", "HEAD")

    def tag(self, name: str, annotated: bool = False, ref: str = "HEAD") -> None:
        if annotated:
            self.git("tag", "-a", "-m", f"release {name}", name, ref)
        else:
            self.git("tag", name, ref)

    def commit_and_tag(self, *names: str, annotated: bool = False) -> str:
        commit = self.commit(f"release {' '.join(names)}")
        for name in names:
            self.tag(name, annotated=annotated)
        return commit


MakeRepo = Callable[..., GitRepo]


def _repo_factory(root: Path) -> MakeRepo:
    home = root / "home"
    home.mkdir(exist_ok=True)
    env = git_test_env(home)

    def make(name: str = "repo", bare: bool = False) -> GitRepo:
        path = root / name
        args = ["git", "init", "-q", "-b", "main", *(["--bare"] if bare else []), str(path)]
        subprocess.run(args, env=env, check=True, timeout=60)
        return GitRepo(path, env)

    return make


@pytest.fixture
def make_repo(tmp_path: Path) -> MakeRepo:
    """``make_repo("name")``: a new empty repository (branch main) under the test's tmp_path."""
    return _repo_factory(tmp_path)


@pytest.fixture(scope="module")
def make_module_repo(tmp_path_factory: pytest.TempPathFactory) -> MakeRepo:
    """Like ``make_repo``, shared by the tests of one module (for read-only repositories)."""
    return _repo_factory(tmp_path_factory.mktemp("repos"))
