# hub-mcp: a Docker Hub MCP server. stdio by default (Claude Desktop, Docker's MCP Toolkit):
#   docker run -i --rm -e HUB_USERNAME -e HUB_PAT_TOKEN hub-mcp
# HTTP by flag (a shared service; beyond loopback it needs a client token):
#   docker run --rm -p 8000:8000 -e HUB_MCP_AUTH_TOKEN hub-mcp --transport http --host 0.0.0.0
# No credentials are baked in: they come from the environment at run time.

ARG PYTHON_VERSION=3.11

# --- build: install the package and its dependencies into a virtualenv ----------------
FROM python:${PYTHON_VERSION}-slim-bookworm AS build
ENV PIP_DISABLE_PIP_VERSION_CHECK=1 PIP_NO_CACHE_DIR=1 PYTHONDONTWRITEBYTECODE=1
WORKDIR /src
COPY pyproject.toml README.md ./
COPY hub_mcp ./hub_mcp
RUN python -m venv /opt/hub-mcp \
    && /opt/hub-mcp/bin/pip install --no-compile ".[http]" \
    && /opt/hub-mcp/bin/python -m compileall -q /opt/hub-mcp/lib

# --- run: the virtualenv on a slim base, CA certificates, an unprivileged user ------------
FROM python:${PYTHON_VERSION}-slim-bookworm
RUN apt-get update \
    && apt-get install -y --no-install-recommends ca-certificates \
    && rm -rf /var/lib/apt/lists/* \
    && groupadd --system --gid 10001 hubmcp \
    && useradd --system --uid 10001 --gid 10001 --no-create-home --shell /usr/sbin/nologin hubmcp
COPY --from=build /opt/hub-mcp /opt/hub-mcp
ENV PATH=/opt/hub-mcp/bin:$PATH \
    PYTHONUNBUFFERED=1 \
    PYTHONDONTWRITEBYTECODE=1
LABEL org.opencontainers.image.title="hub-mcp" \
      org.opencontainers.image.description="A Docker Hub MCP server: search, tags and repository facts for LLM agents" \
      org.opencontainers.image.licenses="MIT"
USER 10001:10001
EXPOSE 8000
ENTRYPOINT ["hub-mcp"]
CMD []
