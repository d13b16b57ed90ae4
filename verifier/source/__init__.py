"""The source stage: resolve a release's git tag, check it out cleanly, find the project in it."""

from verifier.source.git import (
    clean_checkout,
    commit_time,
    tracked_files,
)
from verifier.source.interface import (
    Checkout,
    ProjectInfo,
    ResolvedTag,
    SourceError,
    Submodule,
    SubmoduleError,
    TrackedFile,
)
from verifier.source.metadata import detect_project
from verifier.source.tags import resolve_tag

__all__ = [
    "Checkout",
    "ProjectInfo",
    "ResolvedTag",
    "SourceError",
    "Submodule",
    "SubmoduleError",
    "TrackedFile",
    "clean_checkout",
    "commit_time",
    "detect_project",
    "resolve_tag",
    "tracked_files",
]
