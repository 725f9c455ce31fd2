# source: grafana/grafana Dockerfile
# commit: 0014fb6402029aa07f258cb103e8f52c705ad4e8
# url: https://github.com/grafana/grafana/blob/0014fb6402029aa07f258cb103e8f52c705ad4e8/Dockerfile
# kept: ARG, FROM and COPY --from lines only, verbatim and in order; all other lines dropped
FROM golang:1.12.4
FROM node:10.14.2
FROM debian:stretch-slim
ARG GF_UID="472"
ARG GF_GID="472"
COPY --from=0 /go/src/github.com/grafana/grafana/bin/linux-amd64/grafana-server /go/src/github.com/grafana/grafana/bin/linux-amd64/grafana-cli ./bin/
COPY --from=1 /usr/src/app/public ./public
COPY --from=1 /usr/src/app/tools ./tools
