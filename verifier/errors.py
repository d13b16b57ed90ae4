"""The exception tree, and the one place where an error type maps to an exit code.

Exit codes (README, "Exit codes"):
  0  reproducible: identical or equivalent
  1  not reproducible: the artifacts differ
  2  bad input or usage: an unreadable or hostile archive, a tag that does not exist, a bad option
  3  could not verify: the build failed, no container runtime, the index is unreachable, ...

Every error carries a one-line human message; the CLI prints it and exits with ``exit_code``.
No stage lets a third-party exception escape: each wraps them at its boundary.
"""

from __future__ import annotations

from typing import ClassVar

EXIT_REPRODUCIBLE = 0
EXIT_DIFFERENT = 1
EXIT_BAD_INPUT = 2
EXIT_COULD_NOT_VERIFY = 3


class VerifierError(Exception):
    """Base of every error the verifier reports to a person."""

    exit_code: ClassVar[int] = EXIT_BAD_INPUT

    def __init__(self, message: str, *, details: str = "") -> None:
        # One line, always: a message is printed as is after "error: ". Longer material (a build
        # log's tail) goes in `details`, shown separately where it helps.
        super().__init__(" ".join(str(message).split()))
        self.details = details

    @property
    def message(self) -> str:
        return str(self)


class BadInput(VerifierError):
    """The input cannot be used as given (exit 2)."""

    exit_code = EXIT_BAD_INPUT


class UsageError(BadInput):
    """Options that do not fit together, unknown names."""


class ConfigError(BadInput):
    """A configuration file that is malformed or wrong."""


class ArchiveError(BadInput):
    """An archive that is unreadable, truncated, hostile or over a limit."""


class SourceError(BadInput):
    """A repository or tag that cannot be used (no such tag, ambiguous tag, not a git repository)."""


class CouldNotVerify(VerifierError):
    """Verification could not be carried out (exit 3): nothing is said about the artifact."""

    exit_code = EXIT_COULD_NOT_VERIFY


class FetchError(CouldNotVerify):
    """The index is unreachable, has no such version or sdist, or served bytes that fail their hash."""


class NotOnIndex(BadInput, FetchError):
    """The index answered, and it has no such project, version or sdist: the release named does
    not exist (exit 2, bad input), unlike an index that cannot be reached (exit 3)."""


class BuildError(CouldNotVerify):
    """The build in the container failed or timed out."""


class RuntimeUnavailable(CouldNotVerify):
    """No usable container runtime, or an image that cannot be made."""


class SubmoduleError(CouldNotVerify):
    """A git submodule of the tagged tree cannot be fetched."""
