# source: prometheus/prometheus Dockerfile
# commit: 0180c950db494b081f90d79b68883308da6e7029
# url: https://github.com/prometheus/prometheus/blob/0180c950db494b081f90d79b68883308da6e7029/Dockerfile
# kept: ARG, FROM and COPY --from lines only, verbatim and in order; all other lines dropped
FROM        quay.io/prometheus/busybox:latest
