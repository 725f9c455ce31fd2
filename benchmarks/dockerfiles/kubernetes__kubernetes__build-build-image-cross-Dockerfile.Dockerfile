# source: kubernetes/kubernetes build/build-image/cross/Dockerfile
# commit: 0036bc0087a3361ddc2456813283cba64912e16c
# url: https://github.com/kubernetes/kubernetes/blob/0036bc0087a3361ddc2456813283cba64912e16c/build/build-image/cross/Dockerfile
# kept: ARG, FROM and COPY --from lines only, verbatim and in order; all other lines dropped
FROM golang:1.13.4
