"""Small real projects, one per build backend, in real git repositories with a release tag; and a
"publisher" that builds their sdists the way a maintainer's machine would, for the local index."""

from __future__ import annotations

import gzip
import io
import json
import os
import shutil
import subprocess
import sys
import tarfile
from dataclasses import dataclass
from pathlib import Path

UPLOAD_TIME = "2026-11-10T00:00:00Z"  # in the past (and not today: CDNs can lag on the newest releases)
COMMIT_DATE = "2026-11-05T09:00:00Z"

GIT_ENV = {
    "GIT_AUTHOR_NAME": "Maintainer",
    "GIT_AUTHOR_EMAIL": "maintainer@example.org",
    "GIT_COMMITTER_NAME": "Maintainer",
    "GIT_COMMITTER_EMAIL": "maintainer@example.org",
    "GIT_AUTHOR_DATE": COMMIT_DATE,
    "GIT_COMMITTER_DATE": COMMIT_DATE,
    "GIT_CONFIG_GLOBAL": "/dev/null",
    "GIT_CONFIG_NOSYSTEM": "1",
}

MODULE = '"""A module."""\n\n\ndef answer() -> int:\n    return 42\n'


@dataclass(frozen=True)
class Project:
    backend: str
    name: str  # distribution name
    module: str
    tag: str
    version: str
    files: dict[str, str]
    requires: tuple[str, ...]


def _pyproject(build_system: str, body: str) -> str:
    return build_system + "\n" + body


PROJECTS = {
    "setuptools-scm": Project(
        "setuptools-scm",
        "scm-demo",
        "scm_demo",
        "v1.2.0",
        "1.2.0",
        {
            "pyproject.toml": _pyproject(
                '[build-system]\nrequires = ["setuptools>=64", "setuptools-scm>=8"]\nbuild-backend = "setuptools.build_meta"\n',
                '[project]\nname = "scm-demo"\ndynamic = ["version"]\ndescription = "setuptools-scm demo"\n\n'
                '[tool.setuptools_scm]\nversion_file = "src/scm_demo/_version.py"\n',
            ),
            "src/scm_demo/__init__.py": MODULE,
            ".gitignore": "src/scm_demo/_version.py\n",
            "README.md": "# scm-demo\n",
        },
        ("setuptools>=64", "setuptools-scm>=8"),
    ),
    "hatchling": Project(
        "hatchling",
        "hatch-demo",
        "hatch_demo",
        "v0.3.1",
        "0.3.1",
        {
            "pyproject.toml": _pyproject(
                '[build-system]\nrequires = ["hatchling", "hatch-vcs"]\nbuild-backend = "hatchling.build"\n',
                '[project]\nname = "hatch-demo"\ndynamic = ["version"]\ndescription = "hatchling + hatch-vcs demo"\n\n'
                '[tool.hatch.version]\nsource = "vcs"\n\n[tool.hatch.build.hooks.vcs]\nversion-file = "src/hatch_demo/_version.py"\n',
            ),
            "src/hatch_demo/__init__.py": MODULE,
            ".gitignore": "src/hatch_demo/_version.py\n",
            "README.md": "# hatch-demo\n",
        },
        ("hatchling", "hatch-vcs"),
    ),
    "flit": Project(
        "flit",
        "flit-demo",
        "flit_demo",
        "2.0.0",
        "2.0.0",
        {
            "pyproject.toml": _pyproject(
                '[build-system]\nrequires = ["flit_core>=3.2,<4"]\nbuild-backend = "flit_core.buildapi"\n',
                '[project]\nname = "flit-demo"\nversion = "2.0.0"\ndescription = "flit demo"\n',
            ),
            "flit_demo/__init__.py": MODULE,
            "README.md": "# flit-demo\n",
        },
        ("flit_core>=3.2,<4",),
    ),
    "poetry": Project(
        "poetry",
        "poetry-demo",
        "poetry_demo",
        "poetry-demo-0.9.0",
        "0.9.0",
        {
            "pyproject.toml": _pyproject(
                '[build-system]\nrequires = ["poetry-core>=1.0.0"]\nbuild-backend = "poetry.core.masonry.api"\n',
                '[tool.poetry]\nname = "poetry-demo"\nversion = "0.9.0"\ndescription = "poetry demo"\nauthors = ["M <m@example.org>"]\n\n'
                '[tool.poetry.dependencies]\npython = ">=3.9"\n',
            ),
            "poetry_demo/__init__.py": MODULE,
            "README.md": "# poetry-demo\n",
        },
        ("poetry-core>=1.0.0",),
    ),
    "pdm": Project(
        "pdm",
        "pdm-demo",
        "pdm_demo",
        "v3.1.0",
        "3.1.0",
        {
            "pyproject.toml": _pyproject(
                '[build-system]\nrequires = ["pdm-backend"]\nbuild-backend = "pdm.backend"\n',
                '[project]\nname = "pdm-demo"\nversion = "3.1.0"\ndescription = "pdm demo"\nrequires-python = ">=3.9"\n',
            ),
            "src/pdm_demo/__init__.py": MODULE,
            "README.md": "# pdm-demo\n",
        },
        ("pdm-backend",),
    ),
}


# setuptools asks for `setup_requires` through get_requires_for_build_sdist: a second round.
SETUP_REQUIRES = Project(
    "setuptools",
    "asks-more",
    "asks_more",
    "v0.1.0",
    "0.1.0",
    {
        "pyproject.toml": '[build-system]\nrequires = ["setuptools>=64"]\nbuild-backend = "setuptools.build_meta"\n',
        "setup.cfg": "[metadata]\nname = asks-more\nversion = 0.1.0\n\n[options]\npy_modules = asks_more\nsetup_requires =\n    six\n",
        "asks_more.py": MODULE,
    },
    ("setuptools>=64", "six"),
)

# `flit build` (flit's own command, not the PEP 517 backend alone): the publisher's venv needs it.
FLIT_COMMAND_REQUIRES = ("flit",)
# What a maintainer types, by Publisher.publish's `frontend` (run in the checkout, into its dist/).
RELEASE_COMMANDS = {
    "flit": ["-m", "flit", "build", "--format", "sdist"],
    "flit-setup-py": ["-m", "flit", "build", "--format", "sdist", "--setup-py"],
    "setup.py": ["setup.py", "sdist"],
    "setup.py-release": ["setup.py", "release", "sdist"],  # setup.cfg's alias: egg_info -Db ''
}


def git(repo: Path, *args: str) -> str:
    return subprocess.run(
        ["git", "-C", str(repo), *args], check=True, capture_output=True, text=True, env={**os.environ, **GIT_ENV}
    ).stdout.strip()


def make_repo(project: Project, destination: Path, extra_files: dict[str, str] | None = None) -> Path:
    destination.mkdir(parents=True)
    for relative, text in {**project.files, **(extra_files or {})}.items():
        path = destination / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
    git(destination, "init", "-q", "-b", "main")
    git(destination, "add", "-A")
    git(destination, "commit", "-q", "-m", f"{project.name} {project.version}")
    git(destination, "tag", "-a", project.tag, "-m", f"release {project.version}")
    return destination


class Publisher:
    """A maintainer's machine: a venv holding the build backends, pinned as of the upload time."""

    def __init__(self, venv: Path) -> None:
        self.venv = venv
        self.python = venv / "bin" / "python"

    def publish(self, repo: Path, tag: str, index_dir: Path, project: Project, *, dirty_files: dict[str, str] | None = None, env: dict[str, str] | None = None, umask: int = 0o022, frontend: str = "build") -> Path:
        """Build the sdist from a checkout of `tag` (plus `dirty_files`, untracked) into the index,
        with the publisher's `umask` for the checkout and the build."""
        checkout = repo.parent / f"{repo.name}-publisher-checkout"
        shutil.rmtree(checkout, ignore_errors=True)
        subprocess.run(["git", "clone", "-q", str(repo), str(checkout)], check=True, env={**os.environ, **GIT_ENV}, umask=umask)
        git(checkout, "checkout", "-q", tag)
        for relative, text in (dirty_files or {}).items():
            (checkout / relative).parent.mkdir(parents=True, exist_ok=True)
            (checkout / relative).write_text(text)
        target = index_dir / project.name
        target.mkdir(parents=True, exist_ok=True)
        build_env = {key: value for key, value in os.environ.items() if not key.startswith(("PIP_", "SOURCE_DATE_EPOCH"))}
        build_env.update(env or {})
        built = checkout.parent / f"{checkout.name}-dist"
        shutil.rmtree(built, ignore_errors=True)
        if frontend in RELEASE_COMMANDS:  # flit's own command (every tracked file goes in), or setup.py's
            command = RELEASE_COMMANDS[frontend]
            subprocess.run([str(self.python), *command], cwd=checkout, check=True, capture_output=True, env=build_env, umask=umask)
            built = checkout / "dist"
        elif frontend == "build-into-dist":  # `python -m build`'s default output directory: the project's dist/
            subprocess.run([str(self.python), "-m", "build", "--sdist", "--no-isolation"], cwd=checkout, check=True,
                           capture_output=True, env=build_env, umask=umask)
            built = checkout / "dist"
        else:
            subprocess.run(
                [str(self.python), "-m", "build", "--sdist", "--no-isolation", "--outdir", str(built), str(checkout)],
                check=True,
                capture_output=True,
                env=build_env,
                umask=umask,
            )
        (made,) = built.glob("*.tar.gz")
        sdist = target / made.name
        shutil.move(made, sdist)
        set_upload_time(index_dir, sdist.name)
        return sdist


def set_upload_time(index_dir: Path, filename: str, upload_time: str = UPLOAD_TIME, **extra: str) -> None:
    meta_path = index_dir / "index-meta.json"
    meta = json.loads(meta_path.read_text()) if meta_path.exists() else {}
    meta[filename] = {"upload-time": upload_time, **extra}
    meta_path.write_text(json.dumps(meta, indent=1))


def tamper(sdist: Path, member_suffix: str, new_content: bytes) -> None:
    """Rewrite one member's content in place, keeping everything else as tarfile reads it."""
    with tarfile.open(sdist) as source:
        members = [(info, source.extractfile(info).read() if info.isfile() else None) for info in source.getmembers()]
    out = io.BytesIO()
    with tarfile.open(fileobj=out, mode="w", format=tarfile.PAX_FORMAT) as archive:
        for info, data in members:
            if info.name.endswith(member_suffix):
                data = new_content  # noqa: PLW2901 - the member's new content replaces it
                info.size = len(data)
            archive.addfile(info, io.BytesIO(data) if data is not None else None)
    sdist.write_bytes(gzip.compress(out.getvalue(), 9))


def publisher_venv(directory: Path, pinned: list[str]) -> Publisher:
    subprocess.run([sys.executable, "-m", "venv", str(directory)], check=True)
    python = directory / "bin" / "python"
    subprocess.run(
        [str(python), "-m", "pip", "install", "--quiet", "--disable-pip-version-check", "build", *pinned],
        check=True,
        env={**{k: v for k, v in os.environ.items() if not k.startswith("PIP_")}, "PIP_CONFIG_FILE": os.devnull},
        timeout=600,
    )
    return Publisher(directory)


def add_release(repo: Path, project: Project, version: str, tag: str, files: dict[str, str] | None = None) -> None:
    """Commit a next release on top (static versions are bumped in pyproject.toml) and tag it."""
    pyproject = repo / "pyproject.toml"
    text = pyproject.read_text()
    if f'version = "{project.version}"' in text:
        pyproject.write_text(text.replace(f'version = "{project.version}"', f'version = "{version}"'))
    for relative, content in (files or {}).items():
        (repo / relative).parent.mkdir(parents=True, exist_ok=True)
        (repo / relative).write_text(content)
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", f"{project.name} {version}")
    git(repo, "tag", "-a", tag, "-m", f"release {version}")
