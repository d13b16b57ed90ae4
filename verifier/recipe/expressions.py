"""Values a release workflow computes from the release itself, resolved with the release's facts.

A workflow often passes the tag or the version on to the build: `${{ github.ref_name }}`,
`${{ github.event.release.tag_name }}`, `${{ inputs.version }}` in an `env:` mapping, or the shell's
`$GITHUB_REF_NAME`, `${GITHUB_REF#refs/tags/}`, `${GITHUB_REF##*/}` and
`$(git log -1 --pretty=%ct)` (the tagged commit's time, for SOURCE_DATE_EPOCH). When the release
being verified is known (its tag, its version, its commit), those have one value; everything else
(`steps.*.outputs`, `secrets.*`, functions, other variables) stays unresolved and is listed.

Nothing is evaluated: each form is recognized by its text and replaced by a fact.
"""

from __future__ import annotations

import fnmatch
import re
from dataclasses import dataclass

_WORKFLOW_EXPRESSION = re.compile(r"\$\{\{(.*?)\}\}", re.DOTALL)
# ${NAME}, ${NAME#pattern}, ${NAME##pattern}, ${NAME%pattern}, ${NAME%%pattern}, or $NAME
_SHELL_VARIABLE = re.compile(r"\$\{([A-Za-z_][A-Za-z0-9_]*)(?:(##|#|%%|%)([^}]*))?\}|\$([A-Za-z_][A-Za-z0-9_]*)")
# $(git log -1 --pretty=%ct) and its spellings: the (tagged) HEAD commit's committer time
_COMMIT_TIME = re.compile(
    r"""\$\(\s*git\s+(?:log\s+(?:-1|-n\s*1|--max-count=1)|show\s+-s)\s+(?:--no-show-signature\s+)?"""
    r"""--(?:pretty|format)=(?:format:)?['"]?%ct['"]?(?:\s+HEAD)?\s*\)"""
    r"""|`\s*git\s+log\s+-1\s+--(?:pretty|format)=['"]?%ct['"]?\s*`"""
)


@dataclass(frozen=True)
class ReleaseFacts:
    """What is known of the release being verified."""

    tag: str  # as spelled in git: "v1.2.0"
    version: str  # the version being verified: "1.2.0"
    commit_time: int | None = None  # the tagged commit's committer time
    commit: str | None = None  # its sha1


@dataclass(frozen=True)
class Resolved:
    """A value with the release's facts put in: `value` None when any part stays unknown."""

    value: str | None
    used: tuple[str, ...] = ()  # "github.ref_name = v1.2.0", one per form resolved
    unresolved: tuple[str, ...] = ()  # the forms left, as written

    @property
    def changed(self) -> bool:
        return bool(self.used)


def _workflow_fact(expression: str, facts: ReleaseFacts) -> str | None:
    """The value of one `${{ … }}` expression, or None when it is not one the facts decide."""
    name = expression.strip()
    if name in ("github.ref_name", "github.event.release.tag_name", "github.event.workflow_run.head_branch"):
        return facts.tag
    if name == "github.ref":
        return f"refs/tags/{facts.tag}"
    if name == "github.sha" and facts.commit:
        return facts.commit
    for prefix in ("inputs.", "github.event.inputs."):
        if name.startswith(prefix) and re.fullmatch(r"[A-Za-z0-9_-]+", name[len(prefix):]):
            field = name[len(prefix):].lower().replace("-", "_")
            if "tag" in field:
                return facts.tag
            if "version" in field:
                return facts.version
    return None


def resolve_workflow_value(text: str, facts: ReleaseFacts) -> Resolved:
    """Replace the `${{ … }}` expressions of a workflow value that the release's facts decide."""
    used: list[str] = []
    unresolved: list[str] = []

    def replace(match: re.Match[str]) -> str:
        value = _workflow_fact(match.group(1), facts)
        if value is None:
            unresolved.append(match.group(0))
            return match.group(0)
        used.append(f"{match.group(1).strip()} = {value}")
        return value

    result = _WORKFLOW_EXPRESSION.sub(replace, text)
    return Resolved(None if unresolved else result, tuple(used), tuple(unresolved))


def _shell_facts(facts: ReleaseFacts) -> dict[str, str]:
    known = {"GITHUB_REF_NAME": facts.tag, "GITHUB_REF": f"refs/tags/{facts.tag}", "GITHUB_REF_TYPE": "tag"}
    if facts.commit:
        known["GITHUB_SHA"] = facts.commit
    return known


def _strip(value: str, operator: str, pattern: str) -> str:
    """The shell's `#`, `##` (prefix) and `%`, `%%` (suffix) removal of a glob pattern."""
    candidates = range(len(value) + 1)
    if operator in ("#", "##"):
        ends = candidates if operator == "#" else reversed(candidates)
        for end in ends:
            if fnmatch.fnmatchcase(value[:end], pattern):
                return value[end:]
        return value
    starts = reversed(candidates) if operator == "%" else candidates
    for start in starts:
        if fnmatch.fnmatchcase(value[start:], pattern):
            return value[:start]
    return value


def resolve_shell_value(text: str, facts: ReleaseFacts) -> Resolved:
    """Replace `$GITHUB_REF_NAME`-style variables and `$(git log -1 --pretty=%ct)` in a shell value."""
    used: list[str] = []
    unresolved: list[str] = []
    known = _shell_facts(facts)

    def commit_time(match: re.Match[str]) -> str:
        if facts.commit_time is None:
            unresolved.append(match.group(0))
            return match.group(0)
        used.append(f"{match.group(0)} = {facts.commit_time} (the tagged commit's time)")
        return str(facts.commit_time)

    def variable(match: re.Match[str]) -> str:
        name = match.group(1) or match.group(4)
        if name not in known:
            unresolved.append(match.group(0))
            return match.group(0)
        value = known[name] if not match.group(2) else _strip(known[name], match.group(2), match.group(3))
        used.append(f"{match.group(0)} = {value}")
        return value

    result = _SHELL_VARIABLE.sub(variable, _COMMIT_TIME.sub(commit_time, text))
    if ("$" in result or "`" in result) and not unresolved:
        unresolved.extend(re.findall(r"\$\{[^}]*\}?|\$\([^)]*\)?|`[^`]*`?|\$\S*", result))
    return Resolved(None if unresolved else result, tuple(used), tuple(unresolved))
