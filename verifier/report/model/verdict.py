"""One verdict type for every command, and the exit code each verdict means.

Exit codes (README, "Exit codes"): 0 reproducible / from source, 1 different / not from source,
2 bad input or usage, 3 could not verify.
"""

from __future__ import annotations

import enum

from verifier.errors import EXIT_BAD_INPUT, EXIT_COULD_NOT_VERIFY, EXIT_DIFFERENT, EXIT_REPRODUCIBLE


class Verdict(enum.StrEnum):
    # compare / verify
    IDENTICAL = "identical"  # the same bytes
    EQUIVALENT = "equivalent"  # the same bytes once the selected normalizations are applied
    DIFFERENT = "different"
    # audit
    FROM_SOURCE = "from-source"  # every file of the sdist is a copy of a tracked file or a checked generated one
    NOT_FROM_SOURCE = "not-from-source"
    # any command that could not reach a verdict
    COULD_NOT_VERIFY = "could-not-verify"  # build failed, runtime missing, index unreachable, ...
    ERROR = "error"  # bad input or usage
    TIMEOUT = "timeout"  # the nightly job's time limit ended the verification

    @property
    def exit_code(self) -> int:
        return _EXIT_CODES[self]

    @property
    def reproducible(self) -> bool:
        """Identical or equivalent (or, for audit, from source): the good outcomes."""
        return self.exit_code == EXIT_REPRODUCIBLE

    @property
    def verified(self) -> bool:
        """A verdict was reached (good or bad), as opposed to could-not-verify / error / timeout."""
        return self.exit_code in (EXIT_REPRODUCIBLE, EXIT_DIFFERENT)


_EXIT_CODES: dict[Verdict, int] = {
    Verdict.IDENTICAL: EXIT_REPRODUCIBLE,
    Verdict.EQUIVALENT: EXIT_REPRODUCIBLE,
    Verdict.FROM_SOURCE: EXIT_REPRODUCIBLE,
    Verdict.DIFFERENT: EXIT_DIFFERENT,
    Verdict.NOT_FROM_SOURCE: EXIT_DIFFERENT,
    Verdict.ERROR: EXIT_BAD_INPUT,
    Verdict.COULD_NOT_VERIFY: EXIT_COULD_NOT_VERIFY,
    Verdict.TIMEOUT: EXIT_COULD_NOT_VERIFY,
}
