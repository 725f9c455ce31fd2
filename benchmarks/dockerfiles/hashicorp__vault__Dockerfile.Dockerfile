# source: hashicorp/vault Dockerfile
# commit: 024c09b6651c8f1f568915ad01411862af89aaca
# url: https://github.com/hashicorp/vault/blob/024c09b6651c8f1f568915ad01411862af89aaca/Dockerfile
# kept: ARG, FROM and COPY --from lines only, verbatim and in order; all other lines dropped
FROM alpine:3 as default
ARG BIN_NAME
ARG NAME=vault
ARG VERSION
ARG TARGETOS TARGETARCH
