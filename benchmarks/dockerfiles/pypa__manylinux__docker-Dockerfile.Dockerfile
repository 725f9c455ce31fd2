# source: pypa/manylinux docker/Dockerfile
# commit: 003b95769f13c8992858d8abea3bd6b0f1a4e028
# url: https://github.com/pypa/manylinux/blob/003b95769f13c8992858d8abea3bd6b0f1a4e028/docker/Dockerfile
# kept: ARG, FROM and COPY --from lines only, verbatim and in order; all other lines dropped
ARG BASEIMAGE=amd64/debian:9
ARG POLICY=manylinux_2_24
ARG PLATFORM=x86_64
ARG DEVTOOLSET_ROOTPATH=
ARG LD_LIBRARY_PATH_ARG=
ARG PREPEND_PATH=
FROM $BASEIMAGE AS runtime_base
FROM runtime_base AS build_base
FROM build_base AS build_git
FROM build_base AS build_swig
FROM build_base AS build_cpython
FROM build_cpython AS build_cpython36
FROM build_cpython AS build_cpython37
FROM build_cpython AS build_cpython38
FROM build_cpython AS build_cpython39
FROM build_cpython AS build_cpython310
FROM build_cpython AS all_python
COPY --from=build_cpython36 /opt/_internal /opt/_internal/
COPY --from=build_cpython37 /opt/_internal /opt/_internal/
COPY --from=build_cpython38 /opt/_internal /opt/_internal/
COPY --from=build_cpython39 /opt/_internal /opt/_internal/
COPY --from=build_cpython310 /opt/_internal /opt/_internal/
FROM runtime_base
COPY --from=build_git /manylinux-rootfs /
COPY --from=build_swig /manylinux-rootfs /
COPY --from=build_cpython /manylinux-rootfs /
COPY --from=all_python /opt/_internal /opt/_internal/
