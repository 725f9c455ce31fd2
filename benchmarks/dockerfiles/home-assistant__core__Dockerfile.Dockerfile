# source: home-assistant/core Dockerfile
# commit: 005c812f43d6d657587fc5c2c53386e1d7df2857
# url: https://github.com/home-assistant/core/blob/005c812f43d6d657587fc5c2c53386e1d7df2857/Dockerfile
# kept: ARG, FROM and COPY --from lines only, verbatim and in order; all other lines dropped
ARG BUILD_FROM
FROM ${BUILD_FROM}
ARG QEMU_CPU
