#!/bin/bash
# Build the sdist (or a wheel) of the project in /src, inside the verifier's builder container,
# without network.
#
# Mounts:  /src        the clean checkout (with .git), READ-ONLY
#          /sdist      BUILD_TARGET=wheel-from-sdist only: the rebuilt sdist (one *.tar.gz), READ-ONLY
#          /wheelhouse READ-ONLY: wheels + requirements.txt pinned with --hash (the build requirements)
#          /out        writable by this user: receives environment.json, requires.json, dist/*.tar.gz
#          /build      writable scratch (tmpfs, exec)
# Environment: SOURCE_DATE_EPOCH (optional), BUILD_SUBDIR (project directory inside the repository,
#          "" or unset for its root), BUILD_UMASK (optional, octal, e.g. 002: the publisher's umask,
#          applied to the copied tree's permissions and to the files the build writes), BUILD_FRONTEND
#          ("flit": `flit build --format sdist` from the wheelhouse, "flit-setup-py" with --setup-py;
#          "setup.py": `python setup.py sdist`, "setup.py-release": `python setup.py egg_info -Db '' sdist`;
#          each instead of PyPA build; frontend.py's RELEASE_COMMANDS), BUILD_TARGET
#          ("sdist", the default; "wheel": a wheel from the tree; "wheel-from-sdist": a wheel from the
#          sdist in /sdist, unpacked the way pip does before it calls build_wheel), BUILD_TAR_WRITER
#          (optional, e.g. "cpython-3.8": /tar-writer/tarfile.py, READ-ONLY, goes first on the build
#          venv's sys.path, so the backend writes the sdist with that tarfile module). Any other
#          variable given to the container (e.g. one the release workflow sets) reaches the backend.
#          BUILD_WINDOWS (optional, sdist only): emulate a Windows release machine. The tree is checked
#          out again by git as git for Windows does by default (core.symlinks=false: a symlink becomes a
#          file holding its target); "lf-checkout": line ends as committed; "crlf-checkout": git's own
#          core.autocrlf=true conversion (.gitattributes honoured, the copy's config says so). Both:
#          the tree's files 0666 (0777 for .exe/.bat/.cmd/.com, any case: what CPython's os.stat reports
#          on Windows), directories 0777, umask 000 (Windows has none), and text-mode writes in the build
#          venv end lines with CRLF and os.chmod sets only Windows' read-only attribute (windows_text.py,
#          loaded by a .pth; frontend.py checks it is active).
#          BUILD_PREBUILD_COUNT=N and BUILD_PREBUILD_1..N: shell commands the release workflow ran before
#          building (a generator script, a clean-up), run in order with bash at the root of the copied
#          tree, as this user, with the build venv first on PATH, no network, each within
#          BUILD_PREBUILD_TIMEOUT seconds (default 600); not for wheel-from-sdist (the sdist holds
#          what they made).
#
# Exit codes:
#   0   the sdist (or wheel) is in /out/dist
#   2   unusable input: no /src, /out not writable, no /wheelhouse/requirements.txt, a bad BUILD_SUBDIR,
#       no project there
#   3   installing the wheelhouse into the build venv failed
#   4   a backend hook failed while asking for the build requirements
#   5   the sdist (or wheel) build failed
#   6   a pre-build step failed (or ran out of time)
#   42  build requirements are missing from the wheelhouse: /out/requires.json lists them; the host
#       resolves them, adds them to the wheelhouse and runs again
#   other: an unexpected failure of this script (see the log)
#
# The backend and its requirements come only from /wheelhouse, installed into a venv made without
# pip or setuptools; the frontend (PyPA build, in /opt/verifier-tools) drives it from outside.
set -euo pipefail
readonly BUILD_WINDOWS="${BUILD_WINDOWS:-}"
case "$BUILD_WINDOWS" in
    "" | lf-checkout | crlf-checkout) ;;
    *) echo "build.sh: BUILD_WINDOWS must be lf-checkout or crlf-checkout: '$BUILD_WINDOWS'" >&2; exit 2 ;;
esac
if [ -n "$BUILD_WINDOWS" ]; then BUILD_UMASK=000; fi  # Windows has no umask: what a build makes is 0666/0777
readonly BUILD_UMASK="${BUILD_UMASK:-022}"
case "$BUILD_UMASK" in
    [0-7][0-7][0-7] | 0[0-7][0-7][0-7]) ;;
    *) echo "build.sh: BUILD_UMASK must be octal, e.g. 022: '$BUILD_UMASK'" >&2; exit 2 ;;
esac
umask "$BUILD_UMASK"

readonly TOOLS=/opt/verifier-tools SRC=/src OUT=/out WHEELHOUSE=/wheelhouse WORK=/build
readonly BUILD_SUBDIR="${BUILD_SUBDIR:-}" BUILD_TARGET="${BUILD_TARGET:-sdist}"

fail() {
    local code=$1
    shift
    echo "build.sh: $*" >&2
    exit "$code"
}

# The tree as a Windows release machine had it: git for Windows' checkout (symlinks as files; with
# crlf-checkout its autocrlf conversion), the modes CPython's os.stat reports there (no permission
# bits on NTFS: the executable ones from the extension).
windows_tree() {
    local autocrlf=false
    if [ "$BUILD_WINDOWS" = crlf-checkout ]; then autocrlf=true; fi
    echo "== checking the tree out again as git for Windows does (core.symlinks=false, core.autocrlf=$autocrlf)"
    [ -d "$WORK/src/.git" ] || fail 2 "BUILD_WINDOWS needs the checkout's .git"
    git -C "$WORK/src" config core.symlinks false
    git -C "$WORK/src" config core.autocrlf "$autocrlf"
    rm -f "$WORK/src/.git/index"
    git -C "$WORK/src" reset --quiet --hard || fail 2 "git could not check the tree out again (core.autocrlf=$autocrlf)"
    echo "== Windows modes: files 0666 (.exe/.bat/.cmd/.com 0777), directories 0777"
    find "$WORK/src" -path "$WORK/src/.git" -prune -o -type d -exec chmod 0777 {} +
    find "$WORK/src" -path "$WORK/src/.git" -prune -o -type f -exec chmod 0666 {} +
    find "$WORK/src" -path "$WORK/src/.git" -prune -o -type f \( -iname '*.exe' -o -iname '*.bat' -o -iname '*.cmd' \
        -o -iname '*.com' \) -exec chmod 0777 {} +
}

# The release workflow's pre-build steps, in the copied tree, with the build venv on PATH (no network).
run_prebuild_steps() {
    local count="${BUILD_PREBUILD_COUNT}" limit="${BUILD_PREBUILD_TIMEOUT:-600}" number step status
    case "$count$limit" in *[!0-9]*) fail 2 "BUILD_PREBUILD_COUNT and BUILD_PREBUILD_TIMEOUT must be numbers" ;; esac
    for ((number = 1; number <= count; number++)); do
        step="BUILD_PREBUILD_$number"
        [ -n "${!step:-}" ] || fail 2 "$step is empty"
        echo "== pre-build step $number/$count (within ${limit} s): ${!step}"
        status=0
        (cd "$WORK/src" && PATH="$WORK/venv/bin:$PATH" VIRTUAL_ENV="$WORK/venv" \
            timeout --kill-after=10 "$limit" bash -c "${!step}" </dev/null) || status=$?
        if [ "$status" -eq 124 ] || [ "$status" -eq 137 ]; then
            fail 6 "pre-build step $number ran out of time (${limit} s): ${!step}"
        fi
        [ "$status" -eq 0 ] || fail 6 "pre-build step $number exited $status: ${!step}"
    done
}

[ -d "$SRC" ] || fail 2 "no source tree at $SRC"
[ -w "$OUT" ] || fail 2 "$OUT is not writable by uid $(id -u)"
[ -w "$WORK" ] || fail 2 "$WORK is not writable by uid $(id -u)"
[ -z "$BUILD_WINDOWS" ] || [ "$BUILD_TARGET" = sdist ] || fail 2 "BUILD_WINDOWS is for BUILD_TARGET=sdist"
[ -f "$WHEELHOUSE/requirements.txt" ] || fail 2 "no $WHEELHOUSE/requirements.txt"
case "$BUILD_TARGET" in
    sdist | wheel | wheel-from-sdist) ;;
    *) fail 2 "BUILD_TARGET must be sdist, wheel or wheel-from-sdist: '$BUILD_TARGET'" ;;
esac
case "/$BUILD_SUBDIR/" in
    //*/ | */../* | */./*) fail 2 "BUILD_SUBDIR must be a relative path inside the repository: '$BUILD_SUBDIR'" ;;
esac

export HOME="$WORK/home" XDG_CACHE_HOME="$WORK/cache" TMPDIR="$WORK/tmp"
export PIP_CONFIG_FILE=/dev/null PYTHONDONTWRITEBYTECODE=1
mkdir -p "$HOME" "$XDG_CACHE_HOME" "$TMPDIR"

if [ "$BUILD_TARGET" = wheel-from-sdist ]; then
    # What pip does with an sdist: unpack it (tar's own times and modes, no links out) and build
    # the wheel in its top-level directory.
    sdists=(/sdist/*.tar.gz)
    [ ${#sdists[@]} -eq 1 ] && [ -f "${sdists[0]}" ] || fail 2 "BUILD_TARGET=wheel-from-sdist needs one /sdist/*.tar.gz"
    echo "== unpacking ${sdists[0]##*/} into $WORK/sdist"
    mkdir -p "$WORK/sdist"
    "$TOOLS/bin/python" - "${sdists[0]}" "$WORK/sdist" <<'UNPACK' || fail 2 "cannot unpack ${sdists[0]##*/}"
import os.path, sys, tarfile
archive = tarfile.open(sys.argv[1])
if hasattr(tarfile, "data_filter"):
    archive.extractall(sys.argv[2], filter="data")
else:  # a Python before 3.11.4: refuse what the "data" filter would (links may point inside only)
    def inside(path):
        return not path.startswith("/") and not os.path.normpath(path).startswith("..")
    for member in archive.getmembers():
        target = os.path.join(os.path.dirname(member.name), member.linkname) if member.issym() else member.linkname
        if not inside(member.name) or not (member.isfile() or member.isdir() or member.issym() or member.islnk()) \
                or ((member.issym() or member.islnk()) and not inside(target)):
            sys.exit(f"unsafe member in the sdist: {member.name}")
        member.mode &= 0o755  # as the data filter: no setuid/setgid, no group/other write
    archive.extractall(sys.argv[2])
UNPACK
    tops=("$WORK"/sdist/*)
    [ ${#tops[@]} -eq 1 ] && [ -d "${tops[0]}" ] || fail 2 "the sdist has not exactly one top-level directory"
    project="${tops[0]}"
else
    echo "== copying $SRC to $WORK/src"
    cp -a --no-preserve=ownership "$SRC/." "$WORK/src"
    if [ -n "$BUILD_WINDOWS" ]; then
        echo "== emulating a Windows release machine ($BUILD_WINDOWS)"
        windows_tree
    elif [ "$BUILD_UMASK" != 022 ] && [ "$BUILD_UMASK" != 0022 ]; then
        # Git records only the executable bit; a checkout made under this umask has these modes.
        echo "== applying umask $BUILD_UMASK to the copied tree's permissions"
        mask=$((8#$BUILD_UMASK))
        find "$WORK/src" -type d -exec chmod "$(printf '%o' $((8#777 & ~mask)))" {} +
        find "$WORK/src" -type f -perm -u+x -exec chmod "$(printf '%o' $((8#777 & ~mask)))" {} +
        find "$WORK/src" -type f ! -perm -u+x -exec chmod "$(printf '%o' $((8#666 & ~mask)))" {} +
    fi
    if [ -n "${SOURCE_DATE_EPOCH:-}" ]; then
        echo "== setting every mtime to SOURCE_DATE_EPOCH=$SOURCE_DATE_EPOCH"
        find "$WORK/src" -exec touch --no-dereference --date="@$SOURCE_DATE_EPOCH" {} +
    fi
    project="$WORK/src${BUILD_SUBDIR:+/$BUILD_SUBDIR}"
    [ -f "$project/pyproject.toml" ] || [ -f "$project/setup.py" ] \
        || fail 2 "no pyproject.toml or setup.py in '${BUILD_SUBDIR:-.}'"
fi
echo "== creating the build venv (no pip, no setuptools) and installing the wheelhouse"
python3 -m venv --without-pip "$WORK/venv"
"$TOOLS/bin/python" -m pip --isolated --python "$WORK/venv/bin/python" install \
        --no-index --find-links "$WHEELHOUSE" --require-hashes --no-cache-dir --no-compile \
        --disable-pip-version-check --no-input -r "$WHEELHOUSE/requirements.txt" \
    || fail 3 "installing $WHEELHOUSE/requirements.txt into the build venv failed"

if [ -n "${BUILD_TAR_WRITER:-}" ]; then
    # A .pth line runs when the build venv's interpreter starts: /tar-writer then comes before the
    # standard library, for the backend and anything else the build venv runs (frontend.py checks).
    [ -f /tar-writer/tarfile.py ] || fail 2 "BUILD_TAR_WRITER=$BUILD_TAR_WRITER but no /tar-writer/tarfile.py"
    echo "== writing the sdist with the tar writer $BUILD_TAR_WRITER (/tar-writer/tarfile.py)"
    purelib=$("$WORK/venv/bin/python" -c 'import sysconfig; print(sysconfig.get_paths()["purelib"])')
    echo "import sys; sys.path.insert(0, '/tar-writer')" > "$purelib/00-verifier-tar-writer.pth"
fi

if [ -n "$BUILD_WINDOWS" ]; then
    # Loaded when the build venv's interpreter starts (frontend.py checks that it is active).
    echo "== text-mode writes end lines with CRLF and os.chmod sets Windows' modes ($TOOLS/recipe/windows_text.py)"
    purelib=$("$WORK/venv/bin/python" -c 'import sysconfig; print(sysconfig.get_paths()["purelib"])')
    cp "$TOOLS/recipe/windows_text.py" "$purelib/_verifier_windows_text.py"
    echo "import _verifier_windows_text" > "$purelib/00-verifier-windows-text.pth"
fi

if [ "$BUILD_TARGET" != wheel-from-sdist ] && [ "${BUILD_PREBUILD_COUNT:-0}" -gt 0 ]; then
    run_prebuild_steps
fi

# The release installed its own `build` for the build (a --with-requirement): that frontend drives
# the backend, from the build venv; otherwise the tools' pinned one.
frontend_python="$TOOLS/bin/python"
if "$WORK/venv/bin/python" -I -c 'import build, pyproject_hooks, packaging' 2>/dev/null; then
    frontend_python="$WORK/venv/bin/python"
    echo "== the build venv holds the release's own PyPA build: it is the frontend"
fi

echo "== asking the backend for its requirements, then building the $BUILD_TARGET"
cd "$project"
status=0
"$frontend_python" "$TOOLS/recipe/frontend.py" --tools-python "$TOOLS/bin/python" --project "$project" \
    --python "$WORK/venv/bin/python" --out "$OUT" --target "${BUILD_TARGET%-from-sdist}" || status=$?
exit "$status"
