# The verifier's builder base: what every builder recipe (builders/<name>/Containerfile) is built on.
#
# BASE_IMAGE must provide python3 (with the venv and ensurepip modules), git and
# /etc/ssl/certs/ca-certificates.crt (a host CA bundle is mounted over it while recipes pip-install). Its default is a
# public image pinned by digest; tests and offline hosts pass a locally made base instead
# (mmdebstrap + import, see verifier/runtime/images.py) as --build-arg BASE_IMAGE=<image id>.
ARG BASE_IMAGE=docker.io/library/python:3.11-bookworm@sha256:94c2dca43c9c127e42dfd021039cc83d8399752097612b49bdc7b00716b6d826
FROM ${BASE_IMAGE}

RUN python3 -c "import venv, ensurepip" \
 && git --version >/dev/null \
 && test -f /etc/ssl/certs/ca-certificates.crt \
 && groupadd --gid 1000 builder \
 && useradd --uid 1000 --gid 1000 --create-home --home-dir /home/builder --shell /bin/sh builder \
 && mkdir -p /src /out /wheelhouse /build \
 && chown builder:builder /out /build \
 && rm -f /etc/pip.conf /etc/xdg/pip/pip.conf /root/.pip/pip.conf /root/.config/pip/pip.conf

ENV PYTHONDONTWRITEBYTECODE=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    PIP_NO_INPUT=1 \
    LANG=C.UTF-8

USER 1000:1000
WORKDIR /build
