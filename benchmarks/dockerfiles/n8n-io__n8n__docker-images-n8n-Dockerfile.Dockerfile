# source: n8n-io/n8n docker/images/n8n/Dockerfile
# commit: 003abfdc4f53791ebe60fd579af8de28a2a782a6
# url: https://github.com/n8n-io/n8n/blob/003abfdc4f53791ebe60fd579af8de28a2a782a6/docker/images/n8n/Dockerfile
# kept: ARG, FROM and COPY --from lines only, verbatim and in order; all other lines dropped
ARG NODE_VERSION=22
ARG N8N_VERSION=snapshot
ARG LAUNCHER_VERSION=1.3.0
ARG TARGETPLATFORM
ARG http_proxy
ARG https_proxy
ARG no_proxy
ARG HTTP_PROXY
ARG HTTPS_PROXY
ARG NO_PROXY
FROM n8nio/base:${NODE_VERSION} AS system-deps
FROM alpine:3.22.0 AS app-artifact-processor
FROM alpine:3.22.0 AS launcher-downloader
FROM system-deps AS runtime
COPY --from=app-artifact-processor /app /usr/local/lib/node_modules/n8n
COPY --from=launcher-downloader /launcher-bin/* /usr/local/bin/
