"""Deviations: every change from the tagged configuration, and the options that make them."""

from __future__ import annotations

from verifier.pants.config import read_pants_config
from verifier.pants.deviations import IMAGE_CA_BUNDLE, PEX_TOOL_URL, config_overrides, deviations

from .conftest import WriteTree
from .test_config import BACKEND_AI_LIKE

IMAGE = ("3.9.2", "3.11.2")
PEX_LINE = "v2.1.134|linux_x86_64|" + "1" * 64 + "|4085828"


def test_backend_ai_like_configuration(write_tree: WriteTree) -> None:
    tree = write_tree({"pants.toml": BACKEND_AI_LIKE})
    found = deviations(tree, build_pythons=IMAGE, pex_known_version=PEX_LINE, pex_same_as_official="no")
    assert [d.what for d in found] == [
        "[python].interpreter_constraints",
        "[python-bootstrap].search_path",
        "[python-repos].indexes",
        "[pex-cli].version, known_versions, url_template",
        "[GLOBAL].ca_certs_path",
    ]
    constraints, search_path, indexes, pex, ca_certs = found
    assert (constraints.original, constraints.replacement) == ("['CPython==3.11.3']", "['CPython==3.11.*']")
    assert "3.11.2" in constraints.why
    assert (search_path.original, search_path.replacement) == ("['<PYENV>']", "['<PATH>']")
    assert indexes.original == "['https://dist.backend.ai/pypi/simple/', 'https://pypi.org/simple/']"
    assert indexes.replacement == "['https://pypi.org/simple/']"
    assert pex.original.startswith("(unset: Pants' default version")
    assert PEX_TOOL_URL in pex.replacement and PEX_LINE in pex.replacement
    assert "not the release's bytes" in pex.why
    assert ca_certs.replacement == IMAGE_CA_BUNDLE


def test_options_match_the_deviations(write_tree: WriteTree) -> None:
    config = read_pants_config(write_tree({"pants.toml": BACKEND_AI_LIKE}))
    assert [o.option for o in config_overrides(config, IMAGE)] == [
        "--python-interpreter-constraints=['CPython==3.11.*']",
        "--python-bootstrap-search-path=['<PATH>']",
        "--python-repos-indexes=['https://pypi.org/simple/']",
    ]
    assert [o.option for o in config_overrides(config, IMAGE, indexes=None)][-1].startswith(
        "--python-bootstrap-search-path")


def test_a_configuration_that_fits_needs_only_the_image_deviations(write_tree: WriteTree) -> None:
    tree = write_tree({"pants.toml": """\
        [GLOBAL]
        pants_version = "2.16.0"
        [python]
        interpreter_constraints = ["CPython>=3.11,<3.12"]
        [python-bootstrap]
        search_path = ["<PATH>", "<PYENV>"]
        [pex-cli]
        version = "v2.1.137"
    """})
    found = deviations(tree, build_pythons=IMAGE, pex_known_version=None, host_ca_bundle=False)
    assert [d.what for d in found] == ["[pex-cli].version, known_versions, url_template", "[GLOBAL].ca_certs_path"]
    assert found[0].original == "v2.1.137 from the GitHub release"
    assert "Debian CA bundle" in found[1].why
