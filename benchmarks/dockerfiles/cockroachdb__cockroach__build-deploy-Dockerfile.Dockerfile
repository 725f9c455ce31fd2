# source: cockroachdb/cockroach build/deploy/Dockerfile
# commit: 0116efa235b0dfd0e4fb375171b1e140e0cf9605
# url: https://github.com/cockroachdb/cockroach/blob/0116efa235b0dfd0e4fb375171b1e140e0cf9605/build/deploy/Dockerfile
# kept: ARG, FROM and COPY --from lines only, verbatim and in order; all other lines dropped
FROM registry.access.redhat.com/ubi8/ubi-minimal
