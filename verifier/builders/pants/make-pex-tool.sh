#!/bin/bash
# Image step: the pex tool Pants drives ([pex-cli]), built from PyPI's pex wheel instead of being
# downloaded from GitHub releases (unreachable from the verifier's hosts). The PEX is built with the
# options pex's own release script (scripts/package.py) uses, so that it behaves like the release:
# in particular --no-strip-pex-env (PEX_* variables Pants sets reach pex) and --include-tools.
# Its bytes still differ from the release's by a few dozen bytes in 4 MB (the release is built from
# a git checkout, not from the wheel); provenance/pex-official.txt says whether they are the same.
#
#   /opt/pex-tool/pex            the PEX, built by pex itself from the wheel, offline (reproducible:
#                                fixed timestamps, no bytecode)
#   /opt/pex-tool/version        vX.Y.Z
#   /opt/pex-tool/known_version  vX.Y.Z|linux_<arch>|<sha256>|<size>, for --pex-cli-known-versions
#   /opt/pants-recipe/provenance/pex-wheel.sha256, pex-official.txt (Pants' own known_versions line
#                                for the GitHub release and whether this PEX has the same bytes)
# Environment (Containerfile ARGs): PANTS_PYTHON, PEX_VERSION (empty: this Pants release's default), PIP_CERT.
set -euo pipefail
: "${PANTS_PYTHON:?}"

case "$(uname -m)" in
    x86_64) platform=linux_x86_64 ;;
    aarch64) platform=linux_arm64 ;;
    *) echo "make-pex-tool: unsupported machine $(uname -m)" >&2; exit 1 ;;
esac

# Pants' own defaults: its pex version and the known_versions lines of the GitHub release.
defaults=$(PYTHONPATH=/opt/pants "python${PANTS_PYTHON}" - <<'PY'
from pants.backend.python.util_rules.pex_cli import PexCli
print(PexCli.default_version)
for line in PexCli.default_known_versions:
    print(line)
PY
)
default_version=$(head -n 1 <<<"$defaults")
requested="${PEX_VERSION:-$default_version}"
version="v${requested#v}"
number="${version#v}"

export PIP_CONFIG_FILE=/dev/null PIP_DISABLE_PIP_VERSION_CHECK=1 PIP_NO_INPUT=1
[ -n "${PIP_CERT:-}" ] && export PIP_CERT
work=$(mktemp -d)
python3 -m venv "$work/venv"
"$work/venv/bin/pip" download --quiet --no-cache-dir --no-deps --only-binary :all: --dest "$work/dist" "pex==$number"
"$work/venv/bin/pip" install --quiet --no-cache-dir --no-index --no-deps "$work"/dist/pex-*.whl
mkdir -p /opt/pex-tool /opt/pants-recipe/provenance
PEX_ROOT="$work/pex_root" "$work/venv/bin/pex" --no-pypi --find-links "$work/dist" "pex==$number" \
    --disable-cache --no-build --no-compile --no-use-system-time --python-shebang "/usr/bin/env python" \
    --no-strip-pex-env --include-tools --console-script pex --output-file /opt/pex-tool/pex
chmod 0755 /opt/pex-tool/pex

sha256=$(sha256sum /opt/pex-tool/pex | cut -d' ' -f1)
size=$(stat -c %s /opt/pex-tool/pex)
echo "$version" > /opt/pex-tool/version
echo "$version|$platform|$sha256|$size" > /opt/pex-tool/known_version
(cd "$work/dist" && sha256sum pex-*.whl) > /opt/pants-recipe/provenance/pex-wheel.sha256

official=$(grep -F "$version|$platform|" <<<"$defaults" || true)
{
    echo "pants_default_version=$default_version"
    echo "official_known_version=${official:-none: not the default of this Pants release}"
    if [ -z "$official" ]; then
        echo "same_bytes_as_official=unknown"
    elif [ "$official" = "$version|$platform|$sha256|$size" ]; then
        echo "same_bytes_as_official=yes"
    else
        echo "same_bytes_as_official=no"
    fi
} > /opt/pants-recipe/provenance/pex-official.txt
rm -rf "$work" /root/.cache /root/.pex
echo "make-pex-tool: $(cat /opt/pex-tool/known_version)"
cat /opt/pants-recipe/provenance/pex-official.txt
