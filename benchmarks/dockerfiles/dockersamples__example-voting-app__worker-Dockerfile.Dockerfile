# source: dockersamples/example-voting-app worker/Dockerfile
# commit: 06a791f9e7e70c2938ea3e00d1d94d7e459ed5a7
# url: https://github.com/dockersamples/example-voting-app/blob/06a791f9e7e70c2938ea3e00d1d94d7e459ed5a7/worker/Dockerfile
# kept: ARG, FROM and COPY --from lines only, verbatim and in order; all other lines dropped
FROM mcr.microsoft.com/dotnet/core/sdk:2.1 as builder
FROM mcr.microsoft.com/dotnet/core/runtime:2.1
COPY --from=builder /out .
