# source: spring-projects/spring-petclinic Dockerfile
# commit: 00049281180100505fba226d90951ae445fe2cc9
# url: https://github.com/spring-projects/spring-petclinic/blob/00049281180100505fba226d90951ae445fe2cc9/Dockerfile
# kept: ARG, FROM and COPY --from lines only, verbatim and in order; all other lines dropped
FROM openjdk:16-alpine3.13
