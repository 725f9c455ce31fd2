# source: influxdata/influxdb Dockerfile
# commit: 006d4db0c1ea4b9d065e3f8975f2bf32ec1df02f
# url: https://github.com/influxdata/influxdb/blob/006d4db0c1ea4b9d065e3f8975f2bf32ec1df02f/Dockerfile
# kept: ARG, FROM and COPY --from lines only, verbatim and in order; all other lines dropped
FROM quay.io/influxdb/rust:ci as build
FROM debian:buster-slim
COPY --from=build /root/influxdb_iox /usr/bin/influxdb_iox
