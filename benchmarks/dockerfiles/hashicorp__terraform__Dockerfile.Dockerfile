# source: hashicorp/terraform Dockerfile
# commit: 05acf0cba805a10f8ac57237eb45cd5f60852e17
# url: https://github.com/hashicorp/terraform/blob/05acf0cba805a10f8ac57237eb45cd5f60852e17/Dockerfile
# kept: ARG, FROM and COPY --from lines only, verbatim and in order; all other lines dropped
FROM ubuntu:14.04
