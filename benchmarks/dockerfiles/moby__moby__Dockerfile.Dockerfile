# source: moby/moby Dockerfile
# commit: 0004a187ba658fbb88953bcfd029d34a1f95f21e
# url: https://github.com/moby/moby/blob/0004a187ba658fbb88953bcfd029d34a1f95f21e/Dockerfile
# kept: ARG, FROM and COPY --from lines only, verbatim and in order; all other lines dropped
# syntax=docker/dockerfile:1

ARG CROSS="false"
ARG SYSTEMD="false"
ARG GO_VERSION=1.19.3
ARG DEBIAN_FRONTEND=noninteractive
ARG VPNKIT_VERSION=0.5.0

ARG BASE_DEBIAN_DISTRO="bullseye"
ARG GOLANG_IMAGE="golang:${GO_VERSION}-${BASE_DEBIAN_DISTRO}"

FROM ${GOLANG_IMAGE} AS base
FROM base AS criu
FROM base AS registry
FROM base AS swagger
FROM debian:${BASE_DEBIAN_DISTRO} AS frozen-images
FROM base AS cross-false
FROM --platform=linux/amd64 base AS cross-true
FROM cross-${CROSS} AS dev-base
FROM dev-base AS runtime-dev-cross-false
FROM --platform=linux/amd64 runtime-dev-cross-false AS runtime-dev-cross-true
FROM runtime-dev-cross-${CROSS} AS runtime-dev
FROM base AS delve
FROM base AS tomll
FROM base AS gowinres
FROM dev-base AS containerd
FROM base AS golangci_lint
FROM base AS gotestsum
FROM base AS shfmt
FROM dev-base AS dockercli
FROM runtime-dev AS runc
FROM dev-base AS tini
FROM dev-base AS rootlesskit
FROM base AS crun
FROM --platform=amd64 djs55/vpnkit:${VPNKIT_VERSION} AS vpnkit-amd64
FROM --platform=arm64 djs55/vpnkit:${VPNKIT_VERSION} AS vpnkit-arm64
FROM scratch AS vpnkit
COPY --from=vpnkit-amd64 /vpnkit /build/vpnkit.x86_64
COPY --from=vpnkit-arm64 /vpnkit /build/vpnkit.aarch64
FROM runtime-dev AS dev-systemd-false
COPY --from=dockercli     /build/ /usr/local/cli
COPY --from=frozen-images /build/ /docker-frozen-images
COPY --from=swagger       /build/ /usr/local/bin/
COPY --from=delve         /build/ /usr/local/bin/
COPY --from=tomll         /build/ /usr/local/bin/
COPY --from=gowinres      /build/ /usr/local/bin/
COPY --from=tini          /build/ /usr/local/bin/
COPY --from=registry      /build/ /usr/local/bin/
COPY --from=criu          /build/ /usr/local/bin/
COPY --from=gotestsum     /build/ /usr/local/bin/
COPY --from=golangci_lint /build/ /usr/local/bin/
COPY --from=shfmt         /build/ /usr/local/bin/
COPY --from=runc          /build/ /usr/local/bin/
COPY --from=containerd    /build/ /usr/local/bin/
COPY --from=rootlesskit   /build/ /usr/local/bin/
COPY --from=vpnkit        /build/ /usr/local/bin/
COPY --from=crun          /build/ /usr/local/bin/
FROM dev-systemd-false AS dev-systemd-true
FROM dev-systemd-${SYSTEMD} AS dev
FROM runtime-dev AS binary-base
COPY --from=tini          /build/ /usr/local/bin/
COPY --from=runc          /build/ /usr/local/bin/
COPY --from=containerd    /build/ /usr/local/bin/
COPY --from=rootlesskit   /build/ /usr/local/bin/
COPY --from=vpnkit        /build/ /usr/local/bin/
COPY --from=gowinres      /build/ /usr/local/bin/
FROM binary-base AS build-binary
FROM binary-base AS build-dynbinary
FROM binary-base AS build-cross
FROM scratch AS binary
COPY --from=build-binary /build/bundles/ /
FROM scratch AS dynbinary
COPY --from=build-dynbinary /build/bundles/ /
FROM scratch AS cross
COPY --from=build-cross /build/bundles/ /
FROM dev AS final
