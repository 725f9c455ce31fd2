# source: saleor/saleor Dockerfile
# commit: 0036578a1679c3347b3a07720c76bd9992a00a61
# url: https://github.com/saleor/saleor/blob/0036578a1679c3347b3a07720c76bd9992a00a61/Dockerfile
# kept: ARG (before/between stages), FROM and COPY --from lines only, verbatim and in order; all other lines dropped
FROM python:3.9 as build-python
FROM python:3.9-slim
COPY --from=build-python /usr/local/lib/python3.9/site-packages/ /usr/local/lib/python3.9/site-packages/
COPY --from=build-python /usr/local/bin/ /usr/local/bin/
