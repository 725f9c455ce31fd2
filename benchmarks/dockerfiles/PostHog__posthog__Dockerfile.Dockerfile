# source: PostHog/posthog Dockerfile
# commit: 0034da42b676cc198f06047ef06fce9a08648fb6
# url: https://github.com/PostHog/posthog/blob/0034da42b676cc198f06047ef06fce9a08648fb6/Dockerfile
# kept: ARG, FROM and COPY --from lines only, verbatim and in order; all other lines dropped
FROM node:18.19.1-bookworm-slim AS frontend-build
FROM ghcr.io/posthog/rust-node-container:bookworm_rust_1.80.1-node_18.19.1 AS plugin-server-build
FROM python:3.11.9-slim-bookworm AS posthog-build
COPY --from=frontend-build /code/frontend/dist /code/frontend/dist
FROM debian:bookworm-slim AS fetch-geoip-db
FROM unit:1.33.0-python3.11 
ARG COMMIT_HASH
COPY --from=plugin-server-build --chown=posthog:posthog /code/common/plugin_transpiler/dist /code/common/plugin_transpiler/dist
COPY --from=plugin-server-build --chown=posthog:posthog /code/plugin-server/dist /code/plugin-server/dist
COPY --from=plugin-server-build --chown=posthog:posthog /code/plugin-server/node_modules /code/plugin-server/node_modules
COPY --from=plugin-server-build --chown=posthog:posthog /code/plugin-server/package.json /code/plugin-server/package.json
COPY --from=posthog-build --chown=posthog:posthog /code/staticfiles /code/staticfiles
COPY --from=posthog-build --chown=posthog:posthog /python-runtime /python-runtime
COPY --from=frontend-build --chown=posthog:posthog /code/frontend/dist /code/frontend/dist
COPY --from=fetch-geoip-db --chown=posthog:posthog /code/share/GeoLite2-City.mmdb /code/share/GeoLite2-City.mmdb
