# source: jaegertracing/jaeger cmd/all-in-one/Dockerfile
# commit: 08dd3b17a461cd25fb565b4645036ec3c029d9e6
# url: https://github.com/jaegertracing/jaeger/blob/08dd3b17a461cd25fb565b4645036ec3c029d9e6/cmd/all-in-one/Dockerfile
# kept: ARG, FROM and COPY --from lines only, verbatim and in order; all other lines dropped
FROM registry.access.redhat.com/ubi8/ubi-minimal:latest
