# source: tiangolo/full-stack-fastapi-template frontend/Dockerfile
# commit: be5511540e265fd595dc442121a1079ab8764a14
# url: https://github.com/tiangolo/full-stack-fastapi-template/blob/be5511540e265fd595dc442121a1079ab8764a14/frontend/Dockerfile
# kept: ARG, FROM and COPY --from lines only, verbatim and in order; all other lines dropped
FROM node:20 AS build-stage
ARG VITE_API_URL=http://localhost
FROM nginx:1
COPY --from=build-stage /app/dist/ /usr/share/nginx/html
