"""Whether a release was likely made with `python setup.py sdist` rather than a PEP 517 frontend.

A setup.py that reads `sys.argv` can act on the exact command line (asn1crypto 1.5.1 adds its docs
and LICENSE only when `sys.argv[1:] == ['sdist']`): PEP 517's setuptools backend runs it with
other arguments, so such a release reproduces only with the command its publisher typed.
"""

from __future__ import annotations

import re
from pathlib import Path

from verifier.recipe.tree_files import join_relative, read_tree_file

_READS_ARGV = re.compile(r"\bsys\.argv\b|\bfrom\s+sys\s+import\s+[^\n]*\bargv\b")


def setup_py_reads_argv(tree: Path, subdir: str) -> str | None:
    """Where the project's setup.py reads its command line ("setup.py:44: …"), or None."""
    relative = join_relative(subdir, "setup.py")
    if relative is None:
        return None
    text, _problem = read_tree_file(tree, relative)
    if text is None:
        return None
    for number, line in enumerate(text.splitlines(), start=1):
        if _READS_ARGV.search(line.split("#", 1)[0]):
            return f"{relative}:{number}: {line.strip()[:120]}"
    return None
