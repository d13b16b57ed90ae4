"""verifier: does a published Python sdist come from its tagged source?"""

from verifier.errors import (
    ArchiveError,
    BadInput,
    BuildError,
    CouldNotVerify,
    FetchError,
    SourceError,
    VerifierError,
)

__version__ = "0.1.0"

__all__ = [
    "ArchiveError",
    "BadInput",
    "BuildError",
    "CouldNotVerify",
    "FetchError",
    "SourceError",
    "VerifierError",
    "__version__",
]
