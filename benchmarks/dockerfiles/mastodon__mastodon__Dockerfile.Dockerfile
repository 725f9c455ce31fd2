# source: mastodon/mastodon Dockerfile
# commit: 00297341af4ac8226753b1b82efff5df8f3c4d1b
# url: https://github.com/mastodon/mastodon/blob/00297341af4ac8226753b1b82efff5df8f3c4d1b/Dockerfile
# kept: ARG (before/between stages), FROM and COPY --from lines only, verbatim and in order; all other lines dropped
ARG BASE_IMAGE="gchr.io/mastodon/mastodon/base"
ARG UID="991"
ARG GID="991"
ARG MASTODON_HOME="/opt/mastodon"
ARG TZ="Etc/UTC"
ARG MASTODON_VERSION_PRERELEASE=""
ARG MASTODON_VERSION_METADATA=""
ARG RAILS_ENV="production"
ARG NODE_ENV="production"
ARG RAILS_SERVE_STATIC_FILES="true"
ARG BIND="0.0.0.0"
FROM ${BASE_IMAGE} as base
FROM base as builder-base
FROM builder-base as bundle-installer
FROM builder-base as yarn-installer
FROM base
COPY --link --from=bundle-installer ${MASTODON_HOME}/vendor/bundle ${MASTODON_HOME}/vendor/bundle
COPY --link --from=yarn-installer ${MASTODON_HOME}/node_modules ${MASTODON_HOME}/node_modules
