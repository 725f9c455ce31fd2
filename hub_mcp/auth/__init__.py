"""OAuth access tokens for the HTTP service: the issuer's signing keys (``keys``) and the checks a
JWT access token must pass (``tokens``). Plain async Python that knows nothing of MCP; the HTTP
layer (:mod:`hub_mcp.server.oauth`) puts it behind the SDK's resource-server machinery.

A client's token is only ever read here: it is never used for, or sent on with, any upstream request.
"""
