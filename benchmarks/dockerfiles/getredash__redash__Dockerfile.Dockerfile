# source: getredash/redash Dockerfile
# commit: 01641d8567b9650d44d8742fb7968bd1af5f614e
# url: https://github.com/getredash/redash/blob/01641d8567b9650d44d8742fb7968bd1af5f614e/Dockerfile
# kept: ARG (before/between stages), FROM and COPY --from lines only, verbatim and in order; all other lines dropped
FROM node:20-trixie AS frontend-builder
FROM python:3.11-slim-trixie
COPY --from=frontend-builder --chown=redash /frontend/client/dist /app/client/dist
