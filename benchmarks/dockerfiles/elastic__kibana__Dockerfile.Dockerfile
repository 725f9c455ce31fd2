# source: elastic/kibana Dockerfile
# commit: 33e13e386b2f4baacabda24298457967a8ad2aa1
# url: https://github.com/elastic/kibana/blob/33e13e386b2f4baacabda24298457967a8ad2aa1/Dockerfile
# kept: ARG, FROM and COPY --from lines only, verbatim and in order; all other lines dropped
FROM node:10.15.2
