"""User configuration: a TOML file, overridden by environment variables, overridden by options.

File: `$VERIFIER_CONFIG`, else `$XDG_CONFIG_HOME/verifier/config.toml` (`~/.config/...`). Every key
is optional:

    base-image = "sha256:..."             # or VERIFIER_BASE_IMAGE; a digest-pinned reference
    runtime = "podman"                    # or VERIFIER_RUNTIME: podman | docker
    runtime-args = ["--runtime", "runc"]  # or VERIFIER_RUNTIME_ARGS (shell words): host-specific flags
    build-index-url = "https://pypi.org/simple/"
    cache-dir = "~/.cache/verifier"       # or VERIFIER_CACHE_DIR
    pins = ["setuptools==68.0.0"]         # build requirements pinned by hand
    build-timeout = 1800                  # seconds
"""

from __future__ import annotations

import os
import shlex
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from verifier.errors import ConfigError

PYPI_SIMPLE = "https://pypi.org/simple/"
_KNOWN = {"base-image", "runtime", "runtime-args", "build-index-url", "cache-dir", "pins", "build-timeout"}


@dataclass(frozen=True)
class Settings:
    base_image: str | None = None
    runtime: str | None = None
    runtime_args: tuple[str, ...] = ()
    build_index_url: str = PYPI_SIMPLE
    cache_dir: Path = field(default_factory=lambda: Path.home() / ".cache" / "verifier")
    pins: tuple[str, ...] = ()
    build_timeout: int = 1800
    source: str = "defaults"  # where the settings came from, for the report


def config_path(environ: dict[str, str] | None = None) -> Path:
    environ = dict(os.environ) if environ is None else environ
    if environ.get("VERIFIER_CONFIG"):
        return Path(environ["VERIFIER_CONFIG"]).expanduser()
    base = Path(environ.get("XDG_CONFIG_HOME") or Path.home() / ".config")
    return base / "verifier" / "config.toml"


def _read(path: Path) -> dict[str, Any]:
    try:
        with open(path, "rb") as handle:
            data = tomllib.load(handle)
    except FileNotFoundError:
        return {}
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path}: {exc}") from exc
    except OSError as exc:
        raise ConfigError(f"cannot read {path}: {exc.strerror or exc}") from exc
    unknown = sorted(set(data) - _KNOWN)
    if unknown:
        raise ConfigError(f"{path}: unknown key(s) {', '.join(unknown)}; known: {', '.join(sorted(_KNOWN))}")
    return data


def _strings(value: Any, key: str, path: Path) -> tuple[str, ...]:
    if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
        raise ConfigError(f"{path}: {key} must be a list of strings")
    return tuple(value)


def load_settings(environ: dict[str, str] | None = None) -> Settings:
    environ = dict(os.environ) if environ is None else environ
    path = config_path(environ)
    data = _read(path)
    sources = [str(path)] if data else []
    base_image = data.get("base-image")
    runtime = data.get("runtime")
    runtime_args = _strings(data.get("runtime-args", []), "runtime-args", path)
    build_index_url = data.get("build-index-url", PYPI_SIMPLE)
    cache_dir = Path(str(data.get("cache-dir", Path.home() / ".cache" / "verifier"))).expanduser()
    pins = _strings(data.get("pins", []), "pins", path)
    timeout = data.get("build-timeout", 1800)
    if not isinstance(timeout, int) or timeout <= 0:
        raise ConfigError(f"{path}: build-timeout must be a positive number of seconds")
    for key in ("base-image", "runtime", "build-index-url"):
        if key in data and not isinstance(data[key], str):
            raise ConfigError(f"{path}: {key} must be a string")
    if environ.get("VERIFIER_BASE_IMAGE"):
        base_image = environ["VERIFIER_BASE_IMAGE"]
        sources.append("VERIFIER_BASE_IMAGE")
    if environ.get("VERIFIER_RUNTIME"):
        runtime = environ["VERIFIER_RUNTIME"]
    if environ.get("VERIFIER_RUNTIME_ARGS"):
        runtime_args = tuple(shlex.split(environ["VERIFIER_RUNTIME_ARGS"]))
    if environ.get("VERIFIER_CACHE_DIR"):
        cache_dir = Path(environ["VERIFIER_CACHE_DIR"]).expanduser()
    if runtime not in (None, "podman", "docker"):
        raise ConfigError(f"runtime must be podman or docker, not {runtime!r}")
    return Settings(
        base_image=base_image,
        runtime=runtime,
        runtime_args=runtime_args,
        build_index_url=build_index_url,
        cache_dir=cache_dir,
        pins=pins,
        build_timeout=timeout,
        source=", ".join(sources) or "defaults",
    )
