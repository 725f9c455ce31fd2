# source: docker/getting-started Dockerfile
# commit: 08099ee422d3284426c7f1dc41fbeb324ec86621
# url: https://github.com/docker/getting-started/blob/08099ee422d3284426c7f1dc41fbeb324ec86621/Dockerfile
# kept: ARG, FROM and COPY --from lines only, verbatim and in order; all other lines dropped
FROM python:alpine AS base
FROM node:12-alpine AS app-base
FROM app-base AS test
FROM app-base AS app-zip-creator
FROM base AS dev
FROM base AS build
FROM nginx:alpine
COPY --from=app-zip-creator /app.zip /usr/share/nginx/html/assets/app.zip
COPY --from=build /app/site /usr/share/nginx/html
