# source: apache/superset Dockerfile
# commit: 003941c07e0574e9e2634bded9d1747baf0797a7
# url: https://github.com/apache/superset/blob/003941c07e0574e9e2634bded9d1747baf0797a7/Dockerfile
# kept: ARG, FROM and COPY --from lines only, verbatim and in order; all other lines dropped
ARG PY_VER=3.10-slim-bookworm
ARG BUILDPLATFORM=${BUILDPLATFORM:-amd64}
FROM --platform=${BUILDPLATFORM} node:18-bullseye-slim AS superset-node
ARG NPM_BUILD_CMD="build"
FROM python:${PY_VER} AS lean
COPY --chown=superset:superset --from=superset-node /app/superset/static/assets superset/static/assets
COPY --chown=superset:superset --from=superset-node /app/superset/superset/translations/*/LC_MESSAGES/*.json superset/static/translations
FROM lean AS dev
ARG GECKODRIVER_VERSION=v0.34.0 \
    FIREFOX_VERSION=125.0.3
FROM lean AS ci
