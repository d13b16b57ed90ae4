"""What `verify` is asked, and what it reports."""

from __future__ import annotations

import shlex
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from verifier.report.model.verify import VerifyReport

__all__ = ["VerifyReport", "VerifyRequest"]


@dataclass(frozen=True)
class VerifyRequest:
    tag: str
    repo: Path
    package: str | None = None
    subdir: str | None = None
    index_url: str = "https://pypi.org/simple/"
    build_index_url: str | None = None  # default: the configured one (PyPI)
    builder: str | None = None  # None/"auto": detect
    python: str | None = None  # "3.11"; default: the base image's
    runtime: str | None = None
    base_image: str | None = None
    allow_unpinned: bool = False
    workdir: Path | None = None
    keep_workdir: bool = False
    source_date_epoch: str | int = "tag"
    search: bool = False
    max_builds: int = 4  # with --search: builds at most, the first included
    infer: bool = True  # read the release workflow (CI configuration) for the recipe
    normalizations: tuple[str, ...] = ("mtime", "owner", "gzip-header")
    strict: bool = False
    artifact: Path | None = None  # a local published sdist instead of the index's
    build_user: str | None = None
    timeout_s: int | None = None
    diffoscope_html: Path | None = None  # write diffoscope's HTML of the differing members here
    pins: tuple[str, ...] = ()  # build requirements pinned by hand (added to the configured ones)
    umask: str | None = None  # the publisher's umask (octal text), e.g. "002"
    env: tuple[tuple[str, str], ...] = ()  # variables the release process set for the build
    requirements_cutoff: str | None = None  # ISO time: pin build requirements as of then
    builder_options: tuple[str, ...] = ()  # the publisher's own build-tool options (Pants: --platform-...=...)
    frontend: str | None = None  # None: PyPA build; "flit": `flit build`; "setup.py": `python setup.py sdist` (what the release used)
    labels: tuple[tuple[str, str], ...] = ()
    release: str | None = None  # NAME==VERSION: the repository comes from the sdist's metadata (or repo_url)
    repo_url: str | None = None  # a repository URL, mirrored in the cache (the user's git configuration applies)
    sdist_only: bool = False  # verify the sdist alone (the release's wheels are not listed)
    tar_writer: str | None = None  # "cpython-3.8"/"cpython-3.7": that CPython's tarfile writes the sdist
    prebuild_steps: tuple[str, ...] = ()  # release-workflow commands run in the build container first
    with_requirements: tuple[str, ...] = ()  # requirements the release installed for the build tool
    windows: str | None = None  # "lf-checkout"/"crlf-checkout": the build emulates a Windows release machine
    repo_given: bool = True  # False: with `release`, the repository is the one the sdist's metadata names  # put on the build container (the nightly job finds its own)

    def command(self, **resolved: Any) -> str:
        """The command line that runs this verification again, with what was resolved filled in."""
        values = {**self.__dict__, **resolved}
        if values.get("release"):
            words = ["verifier", "verify", str(values["release"])]
            if values.get("repo_url"):
                words += ["--repo", str(values["repo_url"])]
        else:
            words = ["verifier", "verify", "--tag", str(values["tag"]), "--repo", str(values.get("repo_url") or values["repo"])]
        for option, key in (
            ("--package", "package"),
            ("--subdir", "subdir"),
            ("--index-url", "index_url"),
            ("--build-index-url", "build_index_url"),
            ("--builder", "builder"),
            ("--python", "python"),
            ("--base-image", "base_image"),
            ("--source-date-epoch", "source_date_epoch"),
            ("--artifact", "artifact"),
            ("--build-user", "build_user"),
        ):
            value = values.get(key)
            if value not in (None, "", "auto"):
                words += [option, str(value)]
        if values.get("frontend"):
            words += ["--frontend", str(values["frontend"])]
        for option in values.get("builder_options") or ():
            words += [f"--builder-option={option}"]
        for pin in dict.fromkeys((*(values.get("pins") or ()), *(values.get("recipe_pins") or ()))):
            words += ["--pin", pin]
        if values.get("tar_writer"):
            words += ["--tar-writer", str(values["tar_writer"])]
        if values.get("windows"):
            words += ["--windows", str(values["windows"])]
        for step in values.get("prebuild_steps") or ():
            words += ["--prebuild-step", step]
        for requirement in values.get("with_requirements") or ():
            words += ["--with-requirement", requirement]
        if values.get("umask") and values["umask"] not in ("022", "0022"):
            words += ["--umask", str(values["umask"])]
        for key, value in values.get("env") or ():
            words += ["--env", f"{key}={value}"]
        if values.get("requirements_cutoff"):
            words += ["--requirements-cutoff", str(values["requirements_cutoff"])]
        if values.get("strict"):
            words.append("--strict")
        else:
            words += ["--normalize", ",".join(values["normalizations"]) or "none"]
        if values.get("allow_unpinned"):
            words.append("--allow-unpinned")
        if values.get("sdist_only"):
            words.append("--sdist-only")
        if values.get("wheel_search"):  # a wheel's verdict came from a recipe only --search tries
            words.append("--search")
            if values.get("max_builds", 4) != 4:
                words += ["--max-builds", str(values["max_builds"])]
        return shlex.join(words)
