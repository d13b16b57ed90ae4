"""Every change the rebuild makes to the tagged Pants configuration, as options and as explanations.

Two kinds, each listed by `deviations`:

* depending on the repository (computed here, passed to build.sh as Pants options by the host):
  ``[python].interpreter_constraints`` relaxed to a Python the image has,
  ``[python-bootstrap].search_path`` to ``<PATH>`` when it does not search there,
  ``[python-repos].indexes`` replaced (PyPI only, the one index the verifier's hosts reach);
* depending on the image (set by build.sh itself): where the pex tool comes from
  (``[pex-cli]``: version, known_versions, url_template) and ``[GLOBAL].ca_certs_path``.

Not listed, because they change where things are kept or how Pants runs, not what it builds:
the store and named-cache directories (cache mounts), ``--no-pantsd``, ``--no-dynamic-ui``, and in
the package phase ``--no-local-cache`` (every process runs again instead of being replayed).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from verifier.pants.config import PantsConfig, read_pants_config
from verifier.pants.interface import Deviation
from verifier.pants.pythons import relax_interpreter_constraints
from verifier.runtime.builders import CA_BUNDLE_TARGET

__all__ = [
    "IMAGE_CA_BUNDLE",
    "PEX_TOOL_URL",
    "PYPI_SIMPLE",
    "PantsOverride",
    "config_overrides",
    "deviations",
    "image_deviations",
]

PYPI_SIMPLE = "https://pypi.org/simple/"
#: The CA bundle build.sh gives Pants: the image's, where the host's is mounted when one is given.
IMAGE_CA_BUNDLE = CA_BUNDLE_TARGET
#: Where build.sh points [pex-cli].url_template.
PEX_TOOL_URL = "file:///opt/pex-tool/pex"


@dataclass(frozen=True, slots=True)
class PantsOverride:
    """One Pants command-line option the host passes to build.sh, and the deviation it makes."""

    option: str  # exactly as given to Pants: --python-interpreter-constraints=['CPython==3.11.*']
    deviation: Deviation


def _show(values: Sequence[str], is_set: bool) -> str:
    return repr(list(values)) if is_set else f"(unset: Pants default {list(values)!r})"


def config_overrides(config: PantsConfig, build_pythons: Sequence[str], *,
                     indexes: Sequence[str] | None = (PYPI_SIMPLE,)) -> list[PantsOverride]:
    """The options that adapt `config` to the Pants image whose Pythons are `build_pythons` (full
    versions) and to the reachable `indexes` (None keeps the configured ones). Raises
    RuntimeUnavailable when no Python of the image fits the interpreter constraints."""
    overrides: list[PantsOverride] = []
    relaxed = relax_interpreter_constraints(config.interpreter_constraints, build_pythons)
    if relaxed != config.interpreter_constraints:
        overrides.append(PantsOverride(
            f"--python-interpreter-constraints={list(relaxed)!r}",
            Deviation("[python].interpreter_constraints",
                      _show(config.interpreter_constraints, config.interpreter_constraints_set), repr(list(relaxed)),
                      f"the image's Pythons are {', '.join(build_pythons)} (Debian); a patch-release pin is widened "
                      "to its minor series. Pants writes the constraints into a generated setup.py's "
                      "python_requires unless the repository sets it (backend.ai's setupgen plugin derives "
                      "'>=3.11,<3.12' from either spelling)")))
    if "<PATH>" not in config.bootstrap_search_path:
        overrides.append(PantsOverride(
            "--python-bootstrap-search-path=['<PATH>']",
            Deviation("[python-bootstrap].search_path",
                      _show(config.bootstrap_search_path, config.bootstrap_search_path_set), "['<PATH>']",
                      "the image's interpreters are on PATH (/usr/bin), not in pyenv; Pants only locates "
                      "the interpreter with it")))
    if indexes is not None and tuple(indexes) != config.indexes:
        overrides.append(PantsOverride(
            f"--python-repos-indexes={list(indexes)!r}",
            Deviation("[python-repos].indexes", _show(config.indexes, config.indexes_set), repr(list(indexes)),
                      "only these indexes are reachable from the build; requirements pinned by a lockfile "
                      "resolve to the same files wherever they are listed")))
    return overrides


def image_deviations(config: PantsConfig, *, pex_known_version: str | None, pex_same_as_official: str = "unknown",
                     host_ca_bundle: bool = True) -> list[Deviation]:
    """The deviations build.sh makes for the image: the pex tool and the CA bundle."""
    found: list[Deviation] = []
    pex_version = pex_known_version.split("|", 1)[0] if pex_known_version else "(the Pants default)"
    original = (f"{config.pex_cli_version} from the GitHub release" if config.pex_cli_version
                else "(unset: Pants' default version, downloaded from github.com/pantsbuild/pex releases)")
    bytes_note = {"yes": "it has the same bytes as the release",
                  "no": "same release and code, but not the release's bytes (the release is built from a git "
                        "checkout); Pants runs it as a tool, it is not part of the sdist"}.get(
        pex_same_as_official, "whether it has the release's bytes is not known")
    found.append(Deviation(
        "[pex-cli].version, known_versions, url_template", original,
        f"{pex_version} built from PyPI's pex wheel: {PEX_TOOL_URL}, known_versions "
        f"{pex_known_version or '(computed in the image)'}",
        f"GitHub is not reachable from the verifier's hosts; {bytes_note}"))
    found.append(Deviation(
        "[GLOBAL].ca_certs_path", config.ca_certs_path or "(unset: Pants' built-in roots)", IMAGE_CA_BUNDLE,
        ("the host's CA bundle, mounted into the container, so TLS through a re-signing proxy verifies"
         if host_ca_bundle else "the image's Debian CA bundle") + "; it only affects downloads"))
    return found


def deviations(tree: Path, *, build_pythons: Sequence[str] = ("3.9.2", "3.11.2"),
               indexes: Sequence[str] | None = (PYPI_SIMPLE,), pex_known_version: str | None = None,
               pex_same_as_official: str = "unknown", host_ca_bundle: bool = True) -> list[Deviation]:
    """Every change from the configuration of the Pants repository at `tree` that a rebuild in an
    image with `build_pythons` makes, in the order: interpreter constraints, bootstrap search path,
    indexes, pex tool, CA bundle."""
    config = read_pants_config(tree)
    found = [override.deviation for override in config_overrides(config, build_pythons, indexes=indexes)]
    found += image_deviations(config, pex_known_version=pex_known_version,
                              pex_same_as_official=pex_same_as_official, host_ca_bundle=host_ca_bundle)
    return found
