# source: etcd-io/etcd Dockerfile
# commit: 0867b33de50c39b4c6dc0ec328f496a9b90c0342
# url: https://github.com/etcd-io/etcd/blob/0867b33de50c39b4c6dc0ec328f496a9b90c0342/Dockerfile
# kept: ARG (before/between stages), FROM and COPY --from lines only, verbatim and in order; all other lines dropped
FROM ubuntu:12.04
