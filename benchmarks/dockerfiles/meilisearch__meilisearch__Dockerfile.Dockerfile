# source: meilisearch/meilisearch Dockerfile
# commit: 02887fb5da710d0e849466f4241a38dbb01f4ce0
# url: https://github.com/meilisearch/meilisearch/blob/02887fb5da710d0e849466f4241a38dbb01f4ce0/Dockerfile
# kept: ARG, FROM and COPY --from lines only, verbatim and in order; all other lines dropped
FROM    rust:1.89-alpine3.22 AS compiler
ARG     COMMIT_SHA
ARG     COMMIT_DATE
ARG     GIT_TAG
FROM    alpine:3.22
COPY    --from=compiler /target/release/meilisearch /bin/meilisearch
COPY    --from=compiler /target/release/meilitool /bin/meilitool
