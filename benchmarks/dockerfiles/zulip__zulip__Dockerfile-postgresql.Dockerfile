# source: zulip/zulip Dockerfile-postgresql
# commit: 0b904606990fd5a00b65d9e560170fe33d4e4d94
# url: https://github.com/zulip/zulip/blob/0b904606990fd5a00b65d9e560170fe33d4e4d94/Dockerfile-postgresql
# kept: ARG, FROM and COPY --from lines only, verbatim and in order; all other lines dropped
FROM groonga/pgroonga:latest-alpine-10-slim
