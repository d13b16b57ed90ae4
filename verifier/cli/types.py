"""Click parameter types: each option's value is checked (and converted) where it is parsed.

A bad value is a click usage error: exit 2 and one line naming the option and what was wrong.
The library behind an option stays the one judge of what it accepts (`parse_option` of the
normalization registry, of SOURCE_DATE_EPOCH); these types only ask it early.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

import click

from verifier.errors import UsageError

if TYPE_CHECKING:  # recent click's ParamType is generic in its value type; older click's is not subscriptable
    IntType = click.ParamType[int]
    StrType = click.ParamType[str]
    PairType = click.ParamType[tuple[str, str]]
else:
    IntType = StrType = PairType = click.ParamType

_SIZE_UNITS = {"": 1, "K": 2**10, "M": 2**20, "G": 2**30, "T": 2**40}


class ByteSize(IntType):
    """A size with an optional binary unit: 8G, 500M, 1.5GiB, 1024."""

    name = "SIZE"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> int:
        if isinstance(value, int):
            return value
        text = str(value).strip().upper().removesuffix("B").removesuffix("I")
        unit = text[-1:] if text[-1:] in _SIZE_UNITS else ""
        try:
            return int(float(text[: len(text) - len(unit)]) * _SIZE_UNITS[unit])
        except ValueError:
            self.fail(f"not a size: {value!r} (e.g. 8G, 500M)", param, ctx)


class NormalizationNames(StrType):
    """A comma-separated list of known normalization names, or 'none'; kept as given."""

    name = "NAME[,NAME...]"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> str:
        from verifier.normalize.registry import parse_option

        try:
            parse_option(str(value), strict=False)
        except UsageError as exc:
            self.fail(str(exc), param, ctx)
        return str(value)

    def shell_complete(self, ctx: click.Context, param: click.Parameter, incomplete: str) -> list[Any]:
        from click.shell_completion import CompletionItem

        from verifier.normalize.registry import ALL

        done, _, last = incomplete.rpartition(",")
        prefix = f"{done}," if done else ""
        return [CompletionItem(prefix + n.name) for n in ALL if n.name.startswith(last)]


class SourceDateEpoch(StrType):
    """Seconds since 1970, or tag / infer / unset; kept as given."""

    name = "N|tag|infer|unset"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> str:
        from verifier.recipe import epoch

        try:
            epoch.parse_option(str(value))
        except UsageError as exc:
            self.fail(str(exc).removeprefix("--source-date-epoch "), param, ctx)
        return str(value)


class EnvPair(PairType):
    """KEY=VALUE, the key a shell variable name: ("KEY", "VALUE")."""

    name = "KEY=VALUE"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> tuple[str, str]:
        if isinstance(value, tuple):
            return value
        key, sep, rest = str(value).partition("=")
        if not sep or not key or not key.replace("_", "a").isalnum() or key[0].isdigit():
            self.fail(f"expected KEY=VALUE: {value!r}", param, ctx)
        return key, rest


class BuildUser(StrType):
    """UID:GID or UID:GID:USER:GROUP, numeric ids; kept as given."""

    name = "UID:GID[:USER:GROUP]"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> str:
        parts = str(value).split(":")
        if len(parts) not in (2, 4) or not parts[0].isdigit() or not parts[1].isdigit():
            self.fail("expected UID:GID or UID:GID:USER:GROUP, e.g. 1001:123:runner:docker", param, ctx)
        return str(value)


class Umask(StrType):
    """An octal umask of up to four digits, as three digits: 2 -> "002", 0027 -> "027"."""

    name = "OCTAL"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> str:
        text = str(value)
        if not text.isdigit() or any(c not in "01234567" for c in text) or len(text) > 4:
            self.fail(f"not an octal umask: {text!r} (e.g. 002)", param, ctx)
        return text.zfill(3)[-3:]


class IsoTime(StrType):
    """An ISO 8601 time ('Z' allowed; no zone means UTC); kept as given."""

    name = "TIME"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> str:
        try:
            datetime.fromisoformat(str(value))
        except ValueError:
            self.fail(f"not an ISO 8601 time: {value!r} (e.g. 2024-05-01T12:00:00Z)", param, ctx)
        return str(value)


class UtcDateTime(click.DateTime):
    """click.DateTime read as UTC: an aware datetime."""

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> Any:
        moment = super().convert(value, param, ctx)
        return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment


class Pin(StrType):
    """A requirement that pins a version, NAME==VERSION; kept as given."""

    name = "NAME==VERSION"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> str:
        from packaging.requirements import InvalidRequirement, Requirement

        try:
            requirement = Requirement(str(value))
        except InvalidRequirement:
            self.fail(f"not a requirement: {value!r} (e.g. flit-core==3.12.0)", param, ctx)
        if not str(requirement.specifier):
            self.fail(f"{value!r} pins no version (e.g. flit-core==3.12.0)", param, ctx)
        return str(value)


class PythonVersion(StrType):
    """A Python version X.Y (or X.Y.Z); which ones have a base image is the pipeline's to say,
    since --base-image may bring any Python."""

    name = "X.Y"
    _FORM = re.compile(r"[0-9]+\.[0-9]+(\.[0-9]+)?")
    KNOWN = ("3.9", "3.11", "3.13")  # the Debian suites' (bullseye, bookworm, trixie)

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> str:
        if not self._FORM.fullmatch(str(value)):
            self.fail(f"not a Python version: {value!r} (e.g. {', '.join(self.KNOWN)})", param, ctx)
        return str(value)

    def shell_complete(self, ctx: click.Context, param: click.Parameter, incomplete: str) -> list[Any]:
        from click.shell_completion import CompletionItem

        return [CompletionItem(version) for version in self.KNOWN if version.startswith(incomplete)]


BYTE_SIZE = ByteSize()
NORMALIZATION_NAMES = NormalizationNames()
SOURCE_DATE_EPOCH = SourceDateEpoch()
ENV_PAIR = EnvPair()
BUILD_USER = BuildUser()
UMASK = Umask()
ISO_TIME = IsoTime()
PIN = Pin()
PYTHON_VERSION = PythonVersion()
RUNTIME = click.Choice(["podman", "docker"])
FRONTEND = click.Choice(["build", "flit", "flit-setup-py", "setup.py", "setup.py-release"])
TAR_WRITER = click.Choice(["cpython-3.7", "cpython-3.8"])
WINDOWS = click.Choice(["lf-checkout", "crlf-checkout"])
