"""Build frontends and publishers: what their arguments say about the distributions they make.

One parser per program (`python -m build`/`pyproject-build`, `flit`, `hatch`, `poetry`, `pdm`,
`python setup.py`, `uv`, `twine`), and `action_kind` for the build and publish actions of a
`uses:` step.
"""

from __future__ import annotations

from collections.abc import Callable

from verifier.recipe.arguments import (
    has_option,
    option_values,
    parse_options,
    short_flags,
    subcommand,
)
from verifier.recipe.kinds import Build, CommandKind
from verifier.recipe.workflows import Step


def _pypa_build(arguments: list[str]) -> CommandKind:
    """`python -m build` / `pyproject-build` arguments."""
    options, positional = parse_options(arguments, {"-o", "--outdir", "-C", "--config-setting", "--installer"})
    letters = short_flags(options)
    sdist = has_option(options, "--sdist") or "s" in letters
    wheel = has_option(options, "--wheel") or "w" in letters
    found: list[tuple[str, str]] = []
    found += [("outdir", value) for value in option_values(options, "-o", "--outdir")]
    found += [("config-setting", value) for value in option_values(options, "-C", "--config-setting")]
    if has_option(options, "--no-isolation") or "n" in letters:
        found.append(("no-isolation", "yes"))
    if has_option(options, "--skip-dependency-check") or "x" in letters:
        found.append(("skip-dependency-check", "yes"))
    found += [("installer", value) for value in option_values(options, "--installer")]
    found += [("srcdir", value) for value in positional[:1]]
    paths = tuple(value for name, value in found if name in ("outdir", "srcdir"))
    return CommandKind(build=Build("build", "python -m build", sdist or not wheel, tuple(found), paths))


def _flit(arguments: list[str]) -> CommandKind:
    """`flit build|publish` arguments."""
    sub, rest, _ = subcommand(arguments, {"-f", "--ini-file"}, set())
    if sub not in ("build", "publish"):
        return CommandKind()
    options, _positional = parse_options(rest, {"--format", "--repository", "--pypirc"})
    formats = option_values(options, "--format")
    found = [("format", value) for value in formats]
    for flag in ("--setup-py", "--no-setup-py", "--use-vcs", "--no-use-vcs"):
        if has_option(options, flag):
            found.append((flag.lstrip("-"), "yes"))
    build = Build("flit", f"flit {sub}", not formats or "sdist" in formats, tuple(found))
    return CommandKind(build=build, publish="flit publish" if sub == "publish" else None)


def _hatch(arguments: list[str]) -> CommandKind:
    """`hatch build|publish` arguments."""
    global_values = {"-e", "--env", "-p", "--project", "--data-dir", "--cache-dir", "--config", "--color"}
    sub, rest, projects = subcommand(arguments, global_values, {"-p", "--project"})
    if sub == "publish":
        return CommandKind(publish="hatch publish")
    if sub != "build":
        return CommandKind()
    options, positional = parse_options(rest, {"-t", "--target"})
    targets = option_values(options, "-t", "--target")
    found = [("target", value) for value in targets] + [("location", value) for value in positional[:1]]
    for flag in ("--hooks-only", "--no-hooks", "--clean"):
        if has_option(options, flag):
            found.append((flag.lstrip("-"), "yes"))
    sdist = not targets or any(target.split(":")[0] == "sdist" for target in targets)
    return CommandKind(build=Build("hatch", "hatch build", sdist, tuple(found), tuple(projects)))


_POETRY_GLOBALS = {"-C", "--directory", "-P", "--project"}


def _poetry(arguments: list[str]) -> CommandKind:
    """`poetry build|publish` arguments."""
    sub, rest, directories = subcommand(arguments, _POETRY_GLOBALS, _POETRY_GLOBALS)
    options, _positional = parse_options(rest, {
        "-f", "--format", "-o", "--output", "-r", "--repository", "-u", "--username", "-p", "--password",
        "--config-settings", "--dist-dir", "--cert", "--client-cert",
    })
    publish = "poetry publish" if sub == "publish" and not has_option(options, "--dry-run") else None
    if sub == "build" or (sub == "publish" and has_option(options, "--build")):
        formats = option_values(options, "-f", "--format")
        found = [("format", value) for value in formats]
        found += [("output", value) for value in option_values(options, "-o", "--output")]
        found += [("config-settings", value) for value in option_values(options, "--config-settings")]
        found += [("directory", value) for value in directories]
        build = Build("poetry", f"poetry {sub}", not formats or "sdist" in formats, tuple(found), tuple(directories))
        return CommandKind(build=build, publish=publish)
    return CommandKind(publish=publish)


def _pdm(arguments: list[str]) -> CommandKind:
    """`pdm build|publish` arguments (`pdm publish` builds unless `--no-build`)."""
    sub, rest, projects = subcommand(arguments, {"-p", "--project", "-c", "--config"}, {"-p", "--project"})
    options, _positional = parse_options(rest, {
        "-d", "--dest", "-C", "--config-setting", "-r", "--repository", "-u", "--username", "-P", "--password",
        "--skip", "--ca-certs",
    })
    publish = "pdm publish" if sub == "publish" else None
    if sub == "build" or (sub == "publish" and not has_option(options, "--no-build")):
        found = [("no-isolation", "yes")] if has_option(options, "--no-isolation") else []
        found += [("config-setting", value) for value in option_values(options, "-C", "--config-setting")]
        found += [("dest", value) for value in option_values(options, "-d", "--dest")]
        found += [("project", value) for value in projects]
        if has_option(options, "--no-wheel"):
            found.append(("no-wheel", "yes"))
        build = Build("pdm", f"pdm {sub}", not has_option(options, "--no-sdist"), tuple(found), tuple(projects))
        return CommandKind(build=build, publish=publish)
    return CommandKind(publish=publish)


def _setup_py(arguments: list[str]) -> CommandKind:
    """`python setup.py sdist|bdist_wheel|upload …` arguments."""
    commands = [token for token in arguments if not token.startswith("-")]
    publish = "python setup.py upload" if "upload" in commands else None
    if "sdist" in commands or any(command.startswith("bdist") for command in commands):
        found = [(name, value) for name, value in parse_options(arguments, set())[0] if name.startswith("--")]
        build = Build("setup.py", "python setup.py " + " ".join(commands), "sdist" in commands, tuple(found))
        return CommandKind(build=build, publish=publish)
    return CommandKind(publish=publish)


def _uv(arguments: list[str]) -> CommandKind:
    """`uv build|publish`: uv's own PEP 517 frontend (the rebuild calls the same backend hooks with PyPA build)."""
    sub, rest, _ = subcommand(arguments, {"--directory", "--project", "-p", "--python"}, {"--directory", "--project"})
    if sub == "publish":
        return CommandKind(publish="uv publish")
    if sub != "build":
        return CommandKind()
    options, positional = parse_options(rest, {"-o", "--out-dir", "--package", "-p", "--python", "-C", "--config-setting"})
    sdist = has_option(options, "--sdist") or not has_option(options, "--wheel")
    found = [(name.lstrip("-"), value or "yes") for name, value in options]
    paths = tuple(positional[:1]) + tuple(option_values(options, "--package", "-o", "--out-dir"))
    return CommandKind(build=Build("uv", "uv build", sdist, tuple(found), paths))


def _twine(arguments: list[str]) -> CommandKind:
    return CommandKind(publish="twine upload") if "upload" in arguments[:1] else CommandKind()


FRONTEND_ARGUMENTS: dict[str, Callable[[list[str]], CommandKind]] = {
    "pyproject-build": _pypa_build,
    "flit": _flit,
    "hatch": _hatch,
    "poetry": _poetry,
    "pdm": _pdm,
    "setup.py": _setup_py,
    "uv": _uv,
    "twine": _twine,
}


def action_kind(uses: str, step: Step) -> CommandKind:
    """What a `uses:` step does: the build actions, the PyPI publish action."""
    action = uses.split("@", 1)[0].strip().lower().rstrip("/")
    if action == "hynek/build-and-inspect-python-package":
        path = step.inputs.get("path")
        skip_wheel = step.inputs.get("skip-wheel")
        found = [("path", path.text() or "")] if path is not None and path.text() else []
        if skip_wheel is not None and skip_wheel.text():
            found.append(("skip-wheel", skip_wheel.text() or ""))
        paths = tuple(value for name, value in found if name == "path")
        return CommandKind(build=Build("build", action, True, tuple(found), paths, action=True))
    if action == "pypa/build" or action.startswith(("pypa/build/", "pypa/build-")):
        return CommandKind(build=Build("build", action, True, (), (), action=True))
    if action.startswith("pypa/gh-action-pypi-publish"):
        return CommandKind(publish=action)
    return CommandKind()
