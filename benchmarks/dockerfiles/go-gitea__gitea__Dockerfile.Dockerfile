# source: go-gitea/gitea Dockerfile
# commit: 03173b39ec924c76181370dd3c0dee3e75f6333a
# url: https://github.com/go-gitea/gitea/blob/03173b39ec924c76181370dd3c0dee3e75f6333a/Dockerfile
# kept: ARG, FROM and COPY --from lines only, verbatim and in order; all other lines dropped
FROM golang:1.24.10-alpine3.22 AS build-env
ARG GITEA_VERSION="release/v1.12"
ARG TAGS="sqlite sqlite_unlock_notify"
FROM alpine:3.22
COPY --from=build-env /go/src/code.gitea.io/gitea/gitea /app/gitea/gitea
