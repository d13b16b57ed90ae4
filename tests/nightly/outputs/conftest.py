"""The sample history written once into a temporary directory, shared by the tests of the outputs."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.nightly.outputs.sample import sample_dicts
from verifier.nightly.outputs import History, write_all


@dataclass
class Written:
    history: History
    files: dict[str, Path]
    site: Path  # the --out DIR
    base: Path  # its parent: holds the site and the work directory with the reports, nothing else

    def text(self, relative: str) -> str:
        return (self.site / relative).read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def written(tmp_path_factory: pytest.TempPathFactory) -> Written:
    base = tmp_path_factory.mktemp("nightly")
    history = History.from_dicts(*sample_dicts(base / "work"))
    site = base / "site"
    return Written(history, write_all(history, site), site, base)
