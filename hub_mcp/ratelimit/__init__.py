"""Rate limits: Docker Hub's pull limit and API budget as their headers state them, and the notice every answer
carries when one runs low (:mod:`hub_mcp.ratelimit.status`; the strict header reading in
:mod:`hub_mcp.ratelimit.headers`). Plain typed async Python: it knows nothing of MCP."""
