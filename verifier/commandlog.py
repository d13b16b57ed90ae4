"""Every external command the verifier runs (git, podman or docker, uv, diffoscope), logged with its
duration on the ``verifier.commands`` logger; ``-v`` shows them on stderr.

Library code only logs; the CLI decides where the log goes. Values that could hold secrets (URLs
with credentials) are masked in the logged line.
"""

from __future__ import annotations

import logging
import re
import shlex
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager

LOGGER = logging.getLogger("verifier.commands")
_CREDENTIALS = re.compile(r"(?<=://)[^/@\s]+@")


def describe(argv: Sequence[str]) -> str:
    return _CREDENTIALS.sub("***@", shlex.join(str(arg) for arg in argv))


@contextmanager
def logged(argv: Sequence[str]) -> Iterator[None]:
    """Log ``argv`` and how long the block that runs it took (also when it fails)."""
    started = time.monotonic()
    outcome = "failed"
    try:
        yield
        outcome = "done"
    finally:
        if LOGGER.isEnabledFor(logging.INFO):
            LOGGER.info("$ %s  [%s, %.2f s]", describe(argv), outcome, time.monotonic() - started)
