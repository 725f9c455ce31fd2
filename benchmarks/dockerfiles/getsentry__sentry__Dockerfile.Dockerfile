# source: getsentry/sentry Dockerfile
# commit: 163b2c59adcd584134aa4240b57829d0036d568a
# url: https://github.com/getsentry/sentry/blob/163b2c59adcd584134aa4240b57829d0036d568a/Dockerfile
# kept: ARG, FROM and COPY --from lines only, verbatim and in order; all other lines dropped
FROM python:3.8.13-slim-bullseye
