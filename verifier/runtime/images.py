"""Images a build runs in: the offline-made base, the pinned-reference policy, builder images.

One import point for the three; each lives in its own small module.
"""

from __future__ import annotations

from verifier.runtime.base_image import (
    BASE_PACKAGES,
    DEFAULT_SOURCE_DATE_EPOCH,
    BaseImage,
    bootstrap_base,
    mmdebstrap_argv,
)
from verifier.runtime.builders import CA_BUNDLE_TARGET, ensure_builder_image
from verifier.runtime.pinning import check_pinned, is_pinned

__all__ = [
    "BASE_PACKAGES",
    "CA_BUNDLE_TARGET",
    "DEFAULT_SOURCE_DATE_EPOCH",
    "BaseImage",
    "bootstrap_base",
    "check_pinned",
    "ensure_builder_image",
    "is_pinned",
    "mmdebstrap_argv",
]
