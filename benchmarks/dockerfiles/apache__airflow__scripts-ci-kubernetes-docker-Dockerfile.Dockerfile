# source: apache/airflow scripts/ci/kubernetes/docker/Dockerfile
# commit: 1424baad992a19f8dec14336a457f14583b844fc
# url: https://github.com/apache/airflow/blob/1424baad992a19f8dec14336a457f14583b844fc/scripts/ci/kubernetes/docker/Dockerfile
# kept: ARG, FROM and COPY --from lines only, verbatim and in order; all other lines dropped
FROM ubuntu:16.04
