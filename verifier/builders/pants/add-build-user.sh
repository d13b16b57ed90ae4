#!/bin/bash
# Image step: the account builds run as. Its names end up in the sdists' tar headers (uname/gname),
# so they must be those of the publisher's build (backend.ai's CI: runner/docker, 1001:123).
# Environment (Containerfile ARGs): BUILD_UID, BUILD_GID, BUILD_USER, BUILD_GROUP.
set -euo pipefail
: "${BUILD_UID:?}" "${BUILD_GID:?}" "${BUILD_USER:?}" "${BUILD_GROUP:?}"

existing_group=$(getent group "$BUILD_GID" | cut -d: -f1 || true)
if [ -z "$existing_group" ]; then
    groupadd --gid "$BUILD_GID" "$BUILD_GROUP"
elif [ "$existing_group" != "$BUILD_GROUP" ]; then
    echo "add-build-user: gid $BUILD_GID is already group '$existing_group' in the base, not '$BUILD_GROUP'" >&2
    exit 1
fi
existing_user=$(getent passwd "$BUILD_UID" | cut -d: -f1 || true)
if [ -n "$existing_user" ]; then
    echo "add-build-user: uid $BUILD_UID is already user '$existing_user' in the base" >&2
    exit 1
fi
useradd --uid "$BUILD_UID" --gid "$BUILD_GID" --create-home --home-dir "/home/$BUILD_USER" \
    --shell /bin/sh "$BUILD_USER"
# The pex root is a cache mount; the directory is its mount point.
mkdir -p "/home/$BUILD_USER/.pex"
chown "$BUILD_UID:$BUILD_GID" "/home/$BUILD_USER/.pex"
echo "add-build-user: $(id "$BUILD_USER")"
