# source: mattermost/mattermost build/Dockerfile
# commit: 019e665683bd78c8ce0fd041f5593f493ba8169f
# url: https://github.com/mattermost/mattermost/blob/019e665683bd78c8ce0fd041f5593f493ba8169f/build/Dockerfile
# kept: ARG, FROM and COPY --from lines only, verbatim and in order; all other lines dropped
FROM alpine:3.14.6@sha256:06b5d462c92fc39303e6363c65e074559f8d6b1363250027ed5053557e3398c5
ARG PUID=2000
ARG PGID=2000
ARG MM_PACKAGE="https://releases.mattermost.com/7.1.0/mattermost-7.1.0-linux-amd64.tar.gz?src=docker"
