# source: minio/minio Dockerfile
# commit: 0128481f45ff682e4392bb7b9168037dd7417b27
# url: https://github.com/minio/minio/blob/0128481f45ff682e4392bb7b9168037dd7417b27/Dockerfile
# kept: ARG, FROM and COPY --from lines only, verbatim and in order; all other lines dropped
FROM ubuntu:14.04
