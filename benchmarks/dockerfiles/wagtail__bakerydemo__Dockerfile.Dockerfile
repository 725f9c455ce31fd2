# source: wagtail/bakerydemo Dockerfile
# commit: 0b2f2600324ada6f352bc635685458a36c7df318
# url: https://github.com/wagtail/bakerydemo/blob/0b2f2600324ada6f352bc635685458a36c7df318/Dockerfile
# kept: ARG, FROM and COPY --from lines only, verbatim and in order; all other lines dropped
FROM python:3.5-alpine
