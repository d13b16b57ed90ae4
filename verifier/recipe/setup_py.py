"""What a project's setup.py and setup.cfg say about a release made with `python setup.py …`.

- A setup.py that tests `sys.argv` for `sdist` can act on the exact command line (asn1crypto 1.5.1
  adds its docs and LICENSE only when `sys.argv[1:] == ['sdist']`): PEP 517's setuptools backend
  runs it with other arguments, so such a release reproduces only with the command its publisher
  typed. The common `if sys.argv[-1] == "publish":` (requests, certifi) changes no sdist: not read.
- A setup.cfg that tags development builds (`[egg_info] tag_build = dev`, `tag_date = true`) makes
  every plain build `X.devYYYYMMDD`; its releases were made with `python setup.py egg_info -Db ''
  sdist` (usually its `[aliases] release`), which drops the tags (Pygments 2.7.4).
"""

from __future__ import annotations

import configparser
import re
from dataclasses import dataclass
from pathlib import Path

from verifier.recipe.tree_files import join_relative, read_project_file

_READS_ARGV = re.compile(r"\bargv\b")  # sys.argv, or argv imported from sys


@dataclass(frozen=True)
class SetupPyFacts:
    """Where the setup.py reads its argv, and the egg_info tags setup.cfg sets (None: it does not)."""

    reads_argv: str | None = None  # "setup.py:44: if sys.argv[1:] == ['sdist']:"
    egg_info_tags: str | None = None  # "setup.cfg: [egg_info] tag_build = dev, tag_date = true"


def setup_py_facts(tree: Path, subdir: str) -> SetupPyFacts:
    return SetupPyFacts(setup_py_reads_argv(tree, subdir), egg_info_tags(tree, subdir))


def setup_py_reads_argv(tree: Path, subdir: str) -> str | None:
    """Where the project's setup.py tests its command line for `sdist` ("setup.py:44: …"), or None."""
    text = read_project_file(tree, subdir, "setup.py")
    if text is None:
        return None
    for number, line in enumerate(text.splitlines(), start=1):
        code = line.split("#", 1)[0]
        if _READS_ARGV.search(code) and "sdist" in code:
            return f"{join_relative(subdir, 'setup.py')}:{number}: {line.strip()[:120]}"
    return None


def egg_info_tags(tree: Path, subdir: str) -> str | None:
    """The development tags the project's setup.cfg gives every build (`tag_build`, a true
    `tag_date`), as "setup.cfg: [egg_info] tag_build = dev, tag_date = true"; None without."""
    text = read_project_file(tree, subdir, "setup.cfg")
    if text is None:
        return None
    parser = configparser.ConfigParser(interpolation=None, strict=False)
    try:
        parser.read_string(text)
    except configparser.Error:
        return None
    if not parser.has_section("egg_info"):
        return None
    section = parser["egg_info"]
    tags = []
    if section.get("tag_build", "").strip():
        tags.append(f"tag_build = {section['tag_build'].strip()}")
    if section.get("tag_date", "").strip().lower() in ("1", "true", "yes", "on"):
        tags.append(f"tag_date = {section['tag_date'].strip()}")
    return f"{join_relative(subdir, 'setup.cfg')}: [egg_info] {', '.join(tags)}" if tags else None
