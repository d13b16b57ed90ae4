"""Drive the project's PEP 517 backend with PyPA `build`, from outside the build environment.

Run by build.sh with the tools venv's Python (/opt/verifier-tools: build, pyproject_hooks,
packaging), or with the build venv's when the release installed its own `build` there (a
--with-requirement such as build==0.10.0: that version then drives the backend). The backend runs in a separate, clean venv made only from the wheelhouse: the hooks are
called with that venv's interpreter (`ProjectBuilder(python_executable=...)`), so nothing of the
frontend leaks into the environment the sdist is built in.

    python frontend.py --project DIR --python BUILD_VENV_PYTHON --out /out [--target sdist|wheel]

Writes OUT/environment.json and OUT/requires.json, then, when every requirement is installed in the
build venv, builds the sdist (or the wheel: `get_requires_for_build_wheel`, then `build_wheel`)
into OUT/dist. Exit codes: 0 built; 2 not a buildable project; 4 a backend hook failed while
asking for requirements; 5 the sdist build failed; 42 requirements missing (see requires.json).
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import traceback
from collections.abc import Mapping
from importlib.metadata import PackageNotFoundError
from importlib.metadata import version as installed_version
from pathlib import Path
from typing import Any

import build
from packaging.markers import Marker
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name
from packaging.version import Version

EXIT_BAD_PROJECT = 2
EXIT_HOOK_FAILED = 4
EXIT_BUILD_FAILED = 5
EXIT_REQUIREMENTS_MISSING = 42
TAR_WRITER_MODULE = "/tar-writer/tarfile.py"  # build.sh puts it first on the build venv's sys.path

# Run in the build venv: every installed distribution with its version and requirements.
_LIST_DISTRIBUTIONS = """
import builtins, hashlib, importlib.metadata, json, os, platform, sys, tarfile, tempfile
dists = {}
for d in importlib.metadata.distributions():
    dists[d.metadata["Name"]] = {"version": d.version, "requires": d.requires or []}
with open(tarfile.__file__, "rb") as module:
    tar = {"file": tarfile.__file__, "sha256": hashlib.sha256(module.read()).hexdigest()}
windows = None
shim = sys.modules.get("_verifier_windows_text")
if shim is not None:  # the --windows text mode: what a text-mode write of "\\n" puts in a file here
    with open(shim.__file__, "rb") as module:
        digest = hashlib.sha256(module.read()).hexdigest()
    handle, probe = tempfile.mkstemp()
    os.close(handle)
    with open(probe, "w", encoding="ascii") as text:
        text.write("\\n")
    with open(probe, "rb") as written:
        line_end = written.read().decode("ascii")
    os.unlink(probe)
    windows = {"file": shim.__file__, "sha256": digest, "line_end": line_end,
               "active": builtins.open is shim.windows_open and os.chmod is shim.windows_chmod}
print(json.dumps({"python_version": platform.python_version(),
                  "implementation": platform.python_implementation(),
                  "executable": sys.executable, "distributions": dists, "tarfile": tar, "windows_text": windows}))
"""


def _describe_build_venv(python: str) -> dict[str, Any]:
    completed = subprocess.run([python, "-I", "-c", _LIST_DISTRIBUTIONS], capture_output=True,
                               text=True, check=True, timeout=120)
    description: dict[str, Any] = json.loads(completed.stdout)
    return description


def _pip_freeze(python: str, tools_python: str) -> list[str]:
    """`pip freeze --all` of the build venv, done by the tools' pip (the build venv has no pip)."""
    completed = subprocess.run(
        [tools_python, "-m", "pip", "--isolated", "--python", python, "freeze", "--all"],
        capture_output=True, text=True, check=True, timeout=120,
        env={**os.environ, "PIP_CONFIG_FILE": os.devnull})
    return sorted(line for line in completed.stdout.splitlines() if line.strip())


def _satisfied(requirement: Requirement, installed: Mapping[str, dict[str, Any]], seen: set[str]) -> bool:
    """Is `requirement` (with its extras, recursively) met by the distributions in `installed`?"""
    if requirement.marker is not None and not requirement.marker.evaluate({"extra": ""}):
        return True
    name = canonicalize_name(requirement.name)
    dist = installed.get(name)
    if dist is None or not requirement.specifier.contains(Version(dist["version"]), prereleases=True):
        return False
    for extra in sorted(requirement.extras):
        key = f"{name}[{extra}]"
        if key in seen:
            continue
        seen.add(key)
        for line in dist["requires"]:
            dependency = Requirement(line)
            if dependency.marker is None or not Marker(str(dependency.marker)).evaluate({"extra": extra}):
                continue  # not a dependency of this extra
            dependency.marker = None
            if not _satisfied(dependency, installed, seen):
                return False
    return True


def _version_or_none(name: str) -> str | None:
    """The installed version of `name` beside this frontend (pip is not in a build venv), or None."""
    try:
        return installed_version(name)
    except PackageNotFoundError:
        return None


def _current_umask() -> int:
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def _write_json(path: Path, data: object) -> None:
    path.write_text(json.dumps(data, indent=2, sort_keys=True) + "\n", encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--project", required=True, type=Path)
    parser.add_argument("--python", required=True, help="the build venv's interpreter")
    parser.add_argument("--out", required=True, type=Path)
    parser.add_argument("--target", choices=("sdist", "wheel"), default="sdist")
    parser.add_argument("--tools-python", default=sys.executable, help="the tools venv's interpreter (it has pip)")
    args = parser.parse_args(argv)

    venv = _describe_build_venv(args.python)
    installed: dict[str, dict[str, Any]] = {
        canonicalize_name(name): dist for name, dist in venv["distributions"].items()}
    _write_json(args.out / "environment.json", {
        "python_version": venv["python_version"],
        "python_implementation": venv["implementation"],
        "pip_freeze": _pip_freeze(args.python, args.tools_python),
        "umask": f"{_current_umask():04o}",
        "uid": os.getuid(),
        "gid": os.getgid(),
        "source_date_epoch": os.environ.get("SOURCE_DATE_EPOCH"),
        "frontend": {name: _version_or_none(name) for name in ("build", "pyproject_hooks", "pip")},
        "frontend_python": sys.executable,
        "tarfile": venv["tarfile"],  # the module the build venv imports as `tarfile`
        "windows_text": venv["windows_text"],  # --windows: the CRLF text mode, checked below
    })
    if os.environ.get("BUILD_TAR_WRITER") and venv["tarfile"]["file"] != TAR_WRITER_MODULE:
        print(f"the build venv imports tarfile from {venv['tarfile']['file']}, not {TAR_WRITER_MODULE}", file=sys.stderr)
        return EXIT_BAD_PROJECT
    windows_text = venv["windows_text"] or {}
    if os.environ.get("BUILD_WINDOWS") and not (windows_text.get("active") and windows_text.get("line_end") == "\r\n"):
        print(f"BUILD_WINDOWS is set but the build venv's text mode is not Windows': {windows_text or 'no shim loaded'}", file=sys.stderr)
        return EXIT_BAD_PROJECT

    try:
        builder = build.ProjectBuilder(args.project, python_executable=args.python)
    except build.BuildException as exc:  # no or a malformed pyproject.toml / build-system table
        print(f"not a buildable project: {exc}", file=sys.stderr)
        return EXIT_BAD_PROJECT
    def missing_from(requirements: list[str]) -> list[str]:
        return sorted(r for r in requirements if not _satisfied(Requirement(r), installed, set()))

    system_requires = sorted(builder.build_system_requires)
    hook_requires: list[str] | None = None
    # The backend cannot even be imported without build-system.requires: ask the host for those first.
    missing = missing_from(system_requires)
    if not missing:
        try:
            hook_requires = sorted(builder.get_requires_for_build(args.target))
        except (build.BuildBackendException, build.BuildException):  # its traceback goes to the log
            traceback.print_exc()
            return EXIT_HOOK_FAILED
        missing = missing_from(hook_requires)
    _write_json(args.out / "requires.json", {"build_system_requires": system_requires,
                                             f"get_requires_for_build_{args.target}": hook_requires,
                                             "missing": missing})
    if missing:
        print("requirements not in the build environment: " + ", ".join(missing), file=sys.stderr)
        return EXIT_REQUIREMENTS_MISSING

    if args.target == "sdist":
        _release_dist_dir(args.project)
        command = RELEASE_COMMANDS.get(os.environ.get("BUILD_FRONTEND", ""))
        if command is not None:
            return _command_build(args.python, command, args.project, args.out / "dist")
    try:
        built = builder.build(args.target, args.out / "dist")
    except (build.BuildBackendException, build.BuildException):
        traceback.print_exc()
        return EXIT_BUILD_FAILED
    print(f"built {Path(built).name}")
    return 0


def _release_dist_dir(project: Path) -> None:
    """The project's dist/, made before the sdist build as the release's command made it: `python -m
    build`, `flit build`, `setup.py sdist`, poetry, hatch and uv all write into dist/ by default, so
    it was there while the backend listed the tree. A setuptools `packages.find` with namespaces (the
    default under pyproject.toml) lists it as a package in top_level.txt (tqdm 4.66.4: `dist`).
    Kept as it is when the tree has one (a file or a link too)."""
    dist = project / "dist"
    if not os.path.lexists(dist):
        dist.mkdir()
        print("made the project's dist/, as the release's build command does (its default output directory)")


# The release's own build command, run by the build venv's Python in the project directory, instead
# of PyPA build: "flit" is `flit build --format sdist`, which adds every file git tracks (flit from
# the wheelhouse; git reads the copied .git), "flit-setup-py" the same with a generated setup.py;
# "setup.py" is `python setup.py sdist` with exactly that argv, as a release made with it (a setup.py
# may test `sys.argv[1:] == ['sdist']`, asn1crypto 1.5.1), with the setuptools of the build venv;
# "setup.py-release" is `python setup.py egg_info -Db '' sdist`, the `release` alias of setup.cfg
# files that tag development builds (`[egg_info] tag_build = dev`, `tag_date = true`: Pygments 2.7.4).
RELEASE_COMMANDS = {
    "flit": ("-m", "flit", "build", "--format", "sdist"),
    "flit-setup-py": ("-m", "flit", "build", "--format", "sdist", "--setup-py"),
    "setup.py": ("setup.py", "sdist"),
    "setup.py-release": ("setup.py", "egg_info", "-Db", "", "sdist"),
}


def _command_build(python: str, command: tuple[str, ...], project: Path, dist: Path) -> int:
    """Run the release's command; it writes the sdist into the project's dist/, copied to `dist`."""
    dist.mkdir(parents=True, exist_ok=True)
    shown = " ".join(("python", *(word or "''" for word in command)))
    completed = subprocess.run([python, *command], cwd=project, timeout=3600, check=False)
    if completed.returncode != 0:
        print(f"{shown} failed with exit code {completed.returncode}", file=sys.stderr)
        return EXIT_BUILD_FAILED
    made = sorted((project / "dist").glob("*.tar.gz"))
    if len(made) != 1:
        print(f"{shown} made {len(made)} .tar.gz sdists in dist/", file=sys.stderr)
        return EXIT_BUILD_FAILED
    shutil.copy2(made[0], dist / made[0].name)  # /build is a tmpfs, /out a bind mount: no rename across
    print(f"built {made[0].name} with {shown}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
