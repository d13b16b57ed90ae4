#!/bin/bash
# Image step: install Pants ${PANTS_VERSION} for python${PANTS_PYTHON} into /opt/pants, add the
# `pants` launcher. Pants' wheels are CPython-version specific (cp37..cp39) and the image's pip runs
# on 3.11, so the wheels are downloaded for the target Python and platform and installed with
# `--target` (no venv: python3.9 from bullseye has no ensurepip/distutils).
# Environment (Containerfile ARGs): PANTS_VERSION, PANTS_PYTHON, PANTS_WHEEL_SHA256 (optional), PIP_CERT (optional).
set -euo pipefail
: "${PANTS_VERSION:?PANTS_VERSION is required}" "${PANTS_PYTHON:?PANTS_PYTHON is required}"

case "$(uname -m)" in
    x86_64) platform=manylinux2014_x86_64 ;;
    aarch64) platform=manylinux2014_aarch64 ;;
    *) echo "install-pants: no Pants wheels for $(uname -m)" >&2; exit 1 ;;
esac
pants_python="python${PANTS_PYTHON}"
command -v "$pants_python" >/dev/null || { echo "install-pants: the base has no $pants_python" >&2; exit 1; }

export PIP_CONFIG_FILE=/dev/null PIP_DISABLE_PIP_VERSION_CHECK=1 PIP_NO_INPUT=1
[ -n "${PIP_CERT:-}" ] && export PIP_CERT
wheels=$(mktemp -d)
target_args=(--only-binary :all: --python-version "$PANTS_PYTHON" --platform "$platform")

python3 -m pip download --quiet --no-cache-dir --dest "$wheels" "${target_args[@]}" \
    "pantsbuild.pants==${PANTS_VERSION}"
if [ -n "${PANTS_WHEEL_SHA256:-}" ]; then
    wheel=$(ls "$wheels"/pantsbuild.pants-*.whl)
    actual=$(sha256sum "$wheel" | cut -d' ' -f1)
    [ "$actual" = "$PANTS_WHEEL_SHA256" ] || {
        echo "install-pants: $(basename "$wheel") has sha256 $actual, PyPI says $PANTS_WHEEL_SHA256" >&2; exit 1; }
fi
python3 -m pip install --quiet --no-cache-dir --no-index --no-deps --no-compile --target /opt/pants \
    "${target_args[@]}" --ignore-requires-python "$wheels"/*.whl
# Precompiled once here: at build time the root filesystem is read-only (the base leaves out the
# standard library's caches, see verifier/pants/base_image.py).
"$pants_python" -m compileall -q /opt/pants >/dev/null
"$pants_python" -m compileall -q "/usr/lib/python${PANTS_PYTHON}" >/dev/null || true  # some test data is not Python 3

mkdir -p /opt/pants-recipe/provenance
(cd "$wheels" && sha256sum ./*.whl | sed 's| \./| |') > /opt/pants-recipe/provenance/pants-wheels.sha256
rm -rf "$wheels" /root/.cache

cat > /usr/local/bin/pants <<LAUNCHER
#!/bin/sh
# Pants ${PANTS_VERSION} on ${pants_python}, installed in /opt/pants.
PYTHONPATH=/opt/pants exec ${pants_python} -m pants "\$@"
LAUNCHER
chmod 0755 /usr/local/bin/pants

installed=$(PYTHONPATH=/opt/pants "$pants_python" -c 'from pants.version import VERSION; print(VERSION)')
[ "$installed" = "$PANTS_VERSION" ] || {
    echo "install-pants: /opt/pants holds Pants $installed, not $PANTS_VERSION" >&2; exit 1; }
echo "install-pants: Pants $installed on $("$pants_python" --version 2>&1)"
