"""The sandbox flags each CLI runtime puts on `run` (no engine needed: the argument lists only).

Docker cannot be run on the development machines; these tests are what checks its flags.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from verifier.errors import UsageError
from verifier.runtime.detect import detect_runtime, runtime_args_from_env
from verifier.runtime.docker import DockerRuntime
from verifier.runtime.interface import Mount, RunSpec, RuntimeUnavailable
from verifier.runtime.podman import PodmanRuntime

EXTRA = ["--runtime", "runc", "--ulimit", "nofile=1024:1024"]


def spec(**overrides: object) -> RunSpec:
    fields: dict[str, object] = {
        "image": "img", "command": ["python3", "-c", "pass"],
        "mounts": [Mount(Path("/srv/src"), "/src"), Mount(Path("/srv/out"), "/out", read_only=False)],
        "env": {"SOURCE_DATE_EPOCH": "1"}, "workdir": "/build", "user": "1000:1000", "memory": "2g",
        "pids_limit": 256, "tmpfs": ["/tmp", "/build:exec,size=2g"], "labels": {"verifier.job": "x"}}
    fields.update(overrides)
    return RunSpec(**fields)  # type: ignore[arg-type]


@pytest.mark.parametrize("runtime_class", [PodmanRuntime, DockerRuntime])
def test_run_is_sandboxed(runtime_class: type[PodmanRuntime | DockerRuntime]) -> None:
    argv = runtime_class(extra_args=EXTRA).run_argv(spec(), "verifier-test")
    assert argv[:4] == ["run", "--rm", "--name", "verifier-test"]
    assert argv[4:8] == EXTRA  # host-specific options right after the sub-command
    for flag in ("--network=none", "--cap-drop=ALL", "--read-only", "--pull=never"):
        assert flag in argv
    assert argv[argv.index("--security-opt") + 1] == "no-new-privileges"
    assert argv[argv.index("--memory") + 1] == "2g"
    assert argv[argv.index("--pids-limit") + 1] == "256"
    assert argv[argv.index("/srv/src:/src:ro") - 1] == "-v"
    assert argv[argv.index("/srv/out:/out:rw") - 1] == "-v"
    assert "SOURCE_DATE_EPOCH=1" in argv and "verifier.job=x" in argv
    assert argv[argv.index("--user") + 1] == "1000:1000"
    assert argv[-4:] == ["img", "python3", "-c", "pass"]


def test_network_and_writable_root_only_when_asked() -> None:
    argv = PodmanRuntime().run_argv(spec(network=True, read_only_root=False), "n")
    assert not any(a.startswith("--network") for a in argv)
    assert "--read-only" not in argv


def test_podman_read_only_adds_no_tmpfs_of_its_own_and_gives_tmpfs_to_the_user() -> None:
    argv = PodmanRuntime().run_argv(spec(), "n")
    assert "--read-only-tmpfs=false" in argv
    assert [argv[i + 1] for i, a in enumerate(argv) if a == "--tmpfs"] == ["/tmp:U", "/build:exec,size=2g,U"]
    argv = PodmanRuntime().run_argv(spec(user=None), "n")
    assert [argv[i + 1] for i, a in enumerate(argv) if a == "--tmpfs"] == ["/tmp", "/build:exec,size=2g"]


def test_docker_tmpfs_gets_a_mode_instead() -> None:
    argv = DockerRuntime().run_argv(spec(), "n")
    assert "--read-only-tmpfs=false" not in argv
    assert [argv[i + 1] for i, a in enumerate(argv) if a == "--tmpfs"] == [
        "/tmp:mode=1777", "/build:exec,size=2g,mode=1777"]


def test_docker_build_refuses_mounts(tmp_path: Path) -> None:
    with pytest.raises(RuntimeUnavailable, match="cannot mount"):
        DockerRuntime()._build_mount_args([Mount(tmp_path, "/etc/ssl/certs/ca-certificates.crt")])
    assert DockerRuntime()._build_mount_args([]) == []


def test_paths_with_a_colon_are_refused() -> None:
    with pytest.raises(UsageError):
        PodmanRuntime().run_argv(spec(mounts=[Mount(Path("/a:b"), "/src")]), "n")


def test_runtime_args_come_from_the_environment() -> None:
    assert runtime_args_from_env({}) == []
    value = "--runtime runc --ulimit 'nofile=1024:1024'"
    assert runtime_args_from_env({"VERIFIER_RUNTIME_ARGS": value}) == [
        "--runtime", "runc", "--ulimit", "nofile=1024:1024"]
    with pytest.raises(UsageError):
        runtime_args_from_env({"VERIFIER_RUNTIME_ARGS": "'unclosed"})


def test_unknown_runtime_names_are_usage_errors() -> None:
    with pytest.raises(UsageError):
        detect_runtime("lxc")


def test_a_missing_client_is_runtime_unavailable() -> None:
    with pytest.raises(RuntimeUnavailable, match="not installed"):
        PodmanRuntime("/nonexistent/podman").version()
