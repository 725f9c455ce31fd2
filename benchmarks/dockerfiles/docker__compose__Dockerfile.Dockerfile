# source: docker/compose Dockerfile
# commit: 01207821904b17a72735c3a1f0d90c6dcd4814e5
# url: https://github.com/docker/compose/blob/01207821904b17a72735c3a1f0d90c6dcd4814e5/Dockerfile
# kept: ARG, FROM and COPY --from lines only, verbatim and in order; all other lines dropped
ARG DOCKER_VERSION=19.03.5
ARG PYTHON_VERSION=3.7.5
ARG BUILD_ALPINE_VERSION=3.10
ARG BUILD_DEBIAN_VERSION=slim-stretch
ARG RUNTIME_ALPINE_VERSION=3.10.3
ARG RUNTIME_DEBIAN_VERSION=stretch-20191118-slim

ARG BUILD_PLATFORM=alpine

FROM docker:${DOCKER_VERSION} AS docker-cli
FROM python:${PYTHON_VERSION}-alpine${BUILD_ALPINE_VERSION} AS build-alpine
FROM python:${PYTHON_VERSION}-${BUILD_DEBIAN_VERSION} AS build-debian
FROM build-${BUILD_PLATFORM} AS build
COPY --from=docker-cli /usr/local/bin/docker /usr/local/bin/docker
FROM alpine:${RUNTIME_ALPINE_VERSION} AS runtime-alpine
FROM debian:${RUNTIME_DEBIAN_VERSION} AS runtime-debian
FROM runtime-${BUILD_PLATFORM} AS runtime
COPY --from=docker-cli  /usr/local/bin/docker           /usr/local/bin/docker
COPY --from=build       /usr/local/bin/docker-compose   /usr/local/bin/docker-compose
