# source: grafana/loki cmd/loki/Dockerfile
# commit: 0230065a10abdce767a9c3b84a9e43cdf61a1b87
# url: https://github.com/grafana/loki/blob/0230065a10abdce767a9c3b84a9e43cdf61a1b87/cmd/loki/Dockerfile
# kept: ARG, FROM and COPY --from lines only, verbatim and in order; all other lines dropped
ARG GO_VERSION=1.23
ARG IMAGE_TAG
FROM node:22-alpine AS ui-builder
FROM golang:${GO_VERSION} AS build
ARG IMAGE_TAG
COPY --from=ui-builder /src/loki/pkg/dataobj/explorer/dist /src/loki/pkg/dataobj/explorer/dist
FROM gcr.io/distroless/static:debug
COPY --from=build /src/loki/cmd/loki/loki /usr/bin/loki
