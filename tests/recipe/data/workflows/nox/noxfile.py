"""Nox sessions."""

import nox

nox.options.sessions = ["tests", "lint"]


@nox.session(python=["3.9", "3.10", "3.11", "3.12"])
def tests(session: nox.Session) -> None:
    session.install("-e", ".[test]")
    session.run("pytest", *session.posargs)


@nox.session(python="3.11")
def build(session: nox.Session) -> None:
    """Build the distributions."""
    session.install("build", "twine")
    session.env["SOURCE_DATE_EPOCH"] = "315532800"
    session.run("python", "-m", "build", "--sdist", "--wheel", *session.posargs)
    session.run("twine", "check", "--strict", "dist/example-1.0.tar.gz")
