"""pants.toml reading: detection, the pinned release, list options and their edit form."""

from __future__ import annotations

import pytest

from verifier.pants.config import (
    DEFAULT_BOOTSTRAP_SEARCH_PATH,
    DEFAULT_INDEXES,
    DEFAULT_INTERPRETER_CONSTRAINTS,
    detect,
    pants_version,
    read_pants_config,
)
from verifier.pants.interface import ConfigError

from .conftest import WriteTree

BACKEND_AI_LIKE = """\
    [GLOBAL]
    pants_version = "2.16.0rc2"
    local_execution_root_dir = "%(buildroot)s/.tmp"
    pants_ignore = ["scripts", "tools/pants-plugins"]

    [python]
    interpreter_constraints = ["CPython==3.11.3"]

    [python-bootstrap]
    search_path = ["<PYENV>"]

    [python-repos]
    indexes = ["https://dist.backend.ai/pypi/simple/", "https://pypi.org/simple/"]
"""


def test_detect_needs_pants_toml_at_the_root(write_tree: WriteTree) -> None:
    assert detect(write_tree({"pants.toml": BACKEND_AI_LIKE}))
    assert not detect(write_tree({"sub/pants.toml": BACKEND_AI_LIKE, "pyproject.toml": ""}))


def test_reads_the_options_a_rebuild_needs(write_tree: WriteTree) -> None:
    tree = write_tree({"pants.toml": BACKEND_AI_LIKE})
    config = read_pants_config(tree)
    assert pants_version(tree) == "2.16.0rc2"
    assert config.interpreter_constraints == ("CPython==3.11.3",) and config.interpreter_constraints_set
    assert config.bootstrap_search_path == ("<PYENV>",)
    assert config.indexes == ("https://dist.backend.ai/pypi/simple/", "https://pypi.org/simple/")
    assert config.local_execution_root_dir == "<buildroot>/.tmp"
    assert config.execution_root_in_buildroot() == ".tmp"
    assert config.pants_ignore == ("scripts", "tools/pants-plugins")
    assert config.pex_cli_version is None and config.ca_certs_path is None


def test_unset_options_are_pants_defaults(write_tree: WriteTree) -> None:
    config = read_pants_config(write_tree({"pants.toml": '[GLOBAL]\npants_version = "2.15.0"\n'}))
    assert config.interpreter_constraints == DEFAULT_INTERPRETER_CONSTRAINTS
    assert not config.interpreter_constraints_set
    assert config.bootstrap_search_path == DEFAULT_BOOTSTRAP_SEARCH_PATH
    assert config.indexes == DEFAULT_INDEXES and not config.indexes_set
    assert config.execution_root_in_buildroot() is None


def test_list_edits_apply_to_the_default(write_tree: WriteTree) -> None:
    config = read_pants_config(write_tree({"pants.toml": """\
        [GLOBAL]
        pants_version = "2.16.0"
        [python-repos]
        indexes.add = ["https://example.org/simple/"]
        [python-bootstrap]
        search_path.remove = ["<PYENV>"]
        [pex-cli]
        version = "v2.1.137"
    """}))
    assert config.indexes == ("https://pypi.org/simple/", "https://example.org/simple/")
    assert config.indexes_set
    assert config.bootstrap_search_path == ("<PATH>",)
    assert config.pex_cli_version == "v2.1.137"


@pytest.mark.parametrize("value, expected", [
    ('"/abs/elsewhere"', None),
    ('"%(buildroot)s/../outside"', None),
    ('"%(buildroot)s/build/tmp"', "build/tmp"),
])
def test_execution_root_only_inside_the_build_root(write_tree: WriteTree, value: str, expected: str | None) -> None:
    tree = write_tree({"pants.toml": f'[GLOBAL]\npants_version = "2.16.0"\nlocal_execution_root_dir = {value}\n'})
    assert read_pants_config(tree).execution_root_in_buildroot() == expected


@pytest.mark.parametrize("text, message", [
    ("[GLOBAL]\nbackend_packages = []\n", "no [GLOBAL] pants_version"),
    ("[GLOBAL\n", "not valid TOML"),
    ('[GLOBAL]\npants_version = 2\n', "must be a string"),
    ('[GLOBAL]\npants_version = "2.16.0"\n[python]\ninterpreter_constraints = "CPython==3.11.*"\n',
     "must be a list of strings"),
])
def test_malformed_configuration_is_a_config_error(write_tree: WriteTree, text: str, message: str) -> None:
    with pytest.raises(ConfigError, match=message.replace("[", r"\[").replace("]", r"\]")):
        read_pants_config(write_tree({"pants.toml": text}))


def test_missing_pants_toml_is_a_config_error(write_tree: WriteTree) -> None:
    with pytest.raises(ConfigError, match="not a Pants repository"):
        pants_version(write_tree({"README": "x"}))
