# source: dockersamples/example-voting-app result/Dockerfile
# commit: 0a58f633dcf638065827c7a88cbb566f47a0155d
# url: https://github.com/dockersamples/example-voting-app/blob/0a58f633dcf638065827c7a88cbb566f47a0155d/result/Dockerfile
# kept: ARG, FROM and COPY --from lines only, verbatim and in order; all other lines dropped
FROM node:18-slim AS base
FROM base AS development
FROM base AS production
