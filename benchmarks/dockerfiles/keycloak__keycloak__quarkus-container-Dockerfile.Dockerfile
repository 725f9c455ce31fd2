# source: keycloak/keycloak quarkus/container/Dockerfile
# commit: 0463815bc93acbe22cf0b347af7cbd11e5a56d65
# url: https://github.com/keycloak/keycloak/blob/0463815bc93acbe22cf0b347af7cbd11e5a56d65/quarkus/container/Dockerfile
# kept: ARG, FROM and COPY --from lines only, verbatim and in order; all other lines dropped
FROM registry.access.redhat.com/ubi9 AS ubi-micro-build
ARG KEYCLOAK_DIST=https://github.com/keycloak/keycloak/releases/download/$KEYCLOAK_VERSION/keycloak-$KEYCLOAK_VERSION.tar.gz
FROM registry.access.redhat.com/ubi9-micro
COPY --from=ubi-micro-build /tmp/null/rootfs/ /
COPY --from=ubi-micro-build --chown=1000:0 /opt/keycloak /opt/keycloak
