# source: rust-lang/crates.io backend.Dockerfile
# commit: 00d6078042190581659fbb3641c610b44bec59b7
# url: https://github.com/rust-lang/crates.io/blob/00d6078042190581659fbb3641c610b44bec59b7/backend.Dockerfile
# kept: ARG, FROM and COPY --from lines only, verbatim and in order; all other lines dropped
ARG RUST_VERSION=1.93.1
FROM rust:$RUST_VERSION
ARG DIESEL_CLI_VERSION=2.3.6
