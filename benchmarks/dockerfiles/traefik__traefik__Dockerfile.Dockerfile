# source: traefik/traefik Dockerfile
# commit: 03490d64525c56f0ba0b8ca5fc5d36eeba917356
# url: https://github.com/traefik/traefik/blob/03490d64525c56f0ba0b8ca5fc5d36eeba917356/Dockerfile
# kept: ARG, FROM and COPY --from lines only, verbatim and in order; all other lines dropped
FROM alpine:3.21
ARG TARGETPLATFORM
