"""The pinned-reference policy: a build runs in an image named by its content, not by a mutable tag."""

from __future__ import annotations

import re

from verifier.errors import BadInput

__all__ = ["check_pinned", "is_pinned"]

_HEX64 = "[0-9a-f]{64}"
# name[:tag]@sha256:<64 hex>, where name is a registry path (lowercase, digits, . _ - / and a port).
_DIGEST_REFERENCE = re.compile(
    rf"[a-z0-9]+(?:[._-]+[a-z0-9]+)*(?::[0-9]+)?(?:/[a-z0-9]+(?:[._-]+[a-z0-9]+)*)*"
    rf"(?::[A-Za-z0-9_][A-Za-z0-9_.-]{{0,127}})?@sha256:{_HEX64}"
)
_IMAGE_ID = re.compile(rf"(?:sha256:)?{_HEX64}")
_TAG_REFERENCE = re.compile(r"[A-Za-z0-9][A-Za-z0-9._:/-]*")  # a name with an optional tag, no digest


def is_pinned(ref: str) -> bool:
    """True for ``name@sha256:<64 hex>`` (a tag before the digest is allowed and ignored by engines)
    and for an image id, ``sha256:<64 hex>`` or bare 64 hex."""
    return bool(_DIGEST_REFERENCE.fullmatch(ref) or _IMAGE_ID.fullmatch(ref))


def check_pinned(ref: str, allow_unpinned: bool = False) -> str:
    """Return `ref` if it names an image by content; raise BadInput for a mutable tag (e.g.
    ``python:3.11-slim``) unless `allow_unpinned`, and for anything that is not an image reference."""
    if is_pinned(ref):
        return ref
    if "@" in ref:
        raise BadInput(f"malformed image digest (want NAME@sha256:<64 hex>): {ref!r}")
    if not _TAG_REFERENCE.fullmatch(ref):
        raise BadInput(f"not an image reference: {ref!r}")
    if allow_unpinned:
        return ref
    raise BadInput(f"image reference {ref!r} is a mutable tag: pin it by digest (NAME@sha256:<64 hex>) "
                   "or by image id, or allow unpinned images explicitly")
