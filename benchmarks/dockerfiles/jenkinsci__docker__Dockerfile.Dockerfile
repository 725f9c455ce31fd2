# source: jenkinsci/docker Dockerfile
# commit: 0176b4157a7a43ddbf0526084a0d7b96b0fce1a3
# url: https://github.com/jenkinsci/docker/blob/0176b4157a7a43ddbf0526084a0d7b96b0fce1a3/Dockerfile
# kept: ARG, FROM and COPY --from lines only, verbatim and in order; all other lines dropped
FROM java:8-jdk
