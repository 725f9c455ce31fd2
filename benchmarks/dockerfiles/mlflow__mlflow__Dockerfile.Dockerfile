# source: mlflow/mlflow Dockerfile
# commit: 061344c2af637c4a7f3a07f3e2620524e3f2d889
# url: https://github.com/mlflow/mlflow/blob/061344c2af637c4a7f3a07f3e2620524e3f2d889/Dockerfile
# kept: ARG, FROM and COPY --from lines only, verbatim and in order; all other lines dropped
FROM continuumio/miniconda3
