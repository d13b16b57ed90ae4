"""The sandbox, for real: runs containers from the offline base image with this host's runtime."""

from __future__ import annotations

import io
import subprocess
import tarfile
import time
import uuid
from pathlib import Path

import pytest

from verifier.runtime.images import BaseImage
from verifier.runtime.interface import ContainerRuntime, Mount, RunSpec, RuntimeUnavailable

from .conftest import writable_by_builder


def run_shell(runtime: ContainerRuntime, base: BaseImage, script: str, log: Path, **fields: object) -> str:
    spec = RunSpec(image=base.image_id, command=["sh", "-c", script], timeout_s=60, **fields)  # type: ignore[arg-type]
    result = runtime.run(spec, log)
    assert not result.timed_out
    return log.read_text()


def test_version_answers(runtime: ContainerRuntime) -> None:
    assert runtime.version()[0].isdigit()


def test_output_and_exit_code_are_kept(runtime: ContainerRuntime, base_image: BaseImage, tmp_path: Path) -> None:
    log = tmp_path / "logs" / "run.log"
    result = runtime.run(RunSpec(image=base_image.image_id,
                                 command=["sh", "-c", "echo to-stdout; echo to-stderr >&2; exit 7"]), log)
    assert (result.exit_code, result.timed_out, result.log_path) == (7, False, log)
    assert not result.ok
    assert log.read_text().splitlines() == ["to-stdout", "to-stderr"]


def test_there_is_no_network(runtime: ContainerRuntime, base_image: BaseImage, tmp_path: Path) -> None:
    script = """python3 - <<'EOF'
import socket
try:
    socket.getaddrinfo("pypi.org", 443)
    print("RESOLVED")
except OSError as exc:
    print("NO-NAME-RESOLUTION", exc)
print("interfaces:", sorted(name for _, name in socket.if_nameindex()))
EOF"""
    output = run_shell(runtime, base_image, script, tmp_path / "net.log")
    assert "NO-NAME-RESOLUTION" in output
    assert "interfaces: ['lo']" in output


def test_root_is_read_only_and_tmpfs_is_writable(runtime: ContainerRuntime, base_image: BaseImage,
                                                 tmp_path: Path) -> None:
    script = ("touch /x 2>/dev/null && echo ROOT-WRITABLE; touch /etc/y 2>/dev/null && echo ETC-WRITABLE;"
              " touch /tmp/x && echo TMP-OK; touch /build/x && echo BUILD-OK; id -u")
    output = run_shell(runtime, base_image, script, tmp_path / "ro.log", user="1000:1000",
                       tmpfs=["/tmp", "/build:exec,size=64m"])
    assert output.split() == ["TMP-OK", "BUILD-OK", "1000"]


def test_capabilities_are_dropped_and_privileges_cannot_grow(runtime: ContainerRuntime, base_image: BaseImage,
                                                            tmp_path: Path) -> None:
    output = run_shell(runtime, base_image, "grep -E '^(CapEff|CapBnd|NoNewPrivs)' /proc/self/status",
                       tmp_path / "caps.log")
    fields = dict(line.split(":\t") for line in output.splitlines())
    assert fields == {"CapEff": "0000000000000000", "CapBnd": "0000000000000000", "NoNewPrivs": "1"}


def test_mounts_env_workdir(runtime: ContainerRuntime, base_image: BaseImage, tmp_path: Path) -> None:
    source = tmp_path / "src"
    source.mkdir()
    (source / "hello.txt").write_text("hello\n")
    source.chmod(0o755)
    out = writable_by_builder(tmp_path / "out")
    script = ('cat /src/hello.txt; touch /src/new 2>/dev/null || echo SRC-READ-ONLY; '
              'echo "$GREETING" > /out/greeting; pwd')
    output = run_shell(runtime, base_image, script, tmp_path / "mounts.log", user="1000:1000",
                       mounts=[Mount(source, "/src"), Mount(out, "/out", read_only=False)],
                       env={"GREETING": "hi there"}, workdir="/tmp")
    assert output.split("\n") == ["hello", "SRC-READ-ONLY", "/tmp", ""]
    assert (out / "greeting").read_text() == "hi there\n"
    assert not (source / "new").exists()


def test_the_time_limit_kills_the_container(runtime: ContainerRuntime, base_image: BaseImage,
                                            tmp_path: Path) -> None:
    token = uuid.uuid4().hex
    started = time.monotonic()
    result = runtime.run(RunSpec(image=base_image.image_id, command=["sleep", "600"], timeout_s=2,
                                 labels={"verifier.test": token}), tmp_path / "sleep.log")
    assert result.timed_out and not result.ok
    assert time.monotonic() - started < 20
    left = subprocess.run([runtime.executable, "ps", "-a", "--filter", f"label=verifier.test={token}",  # type: ignore[attr-defined]
                           "--format", "{{.ID}}"], capture_output=True, text=True, timeout=60, check=True)
    assert left.stdout.strip() == ""


def test_import_inspect_remove(runtime: ContainerRuntime, tmp_path: Path) -> None:
    tar_path = tmp_path / "tiny.tar"
    with tarfile.open(tar_path, "w") as archive:
        info = tarfile.TarInfo("hello.txt")
        info.size = 6
        archive.addfile(info, io.BytesIO(b"hello\n"))
    tag = f"localhost/verifier-test-import:{uuid.uuid4().hex[:12]}"
    image_id = runtime.import_rootfs(tar_path, tag)
    try:
        assert image_id.startswith("sha256:") and len(image_id) == 71
        assert runtime.image_id(tag) == image_id
        assert runtime.image_id(image_id) == image_id
    finally:
        runtime.remove_image(tag)
    assert runtime.image_id(tag) is None
    runtime.remove_image(tag)  # gone already: not an error


def test_a_failing_image_build_is_runtime_unavailable(runtime: ContainerRuntime, base_image: BaseImage,
                                                      tmp_path: Path) -> None:
    (tmp_path / "Containerfile").write_text(f"FROM {base_image.image_id.removeprefix('sha256:')}\n"
                                            "RUN echo building && exit 3\n")
    tag = f"localhost/verifier-test-fail:{uuid.uuid4().hex[:12]}"
    with pytest.raises(RuntimeUnavailable, match="failed with exit") as caught:
        runtime.build_image(tmp_path, tmp_path / "Containerfile", tag, log_path=tmp_path / "build.log")
    assert "build.log" in caught.value.message
    assert "building" in (tmp_path / "build.log").read_text()
    assert runtime.image_id(tag) is None
