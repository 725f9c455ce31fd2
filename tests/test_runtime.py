"""The runtime: services built on first use."""

from __future__ import annotations

from hub_mcp.config import Settings
from hub_mcp.runtime import Runtime


async def test_both_clients_share_one_trust_store() -> None:
    runtime = Runtime(Settings(hub_url="http://127.0.0.1:9"))
    try:
        services = await runtime.services()
        assert services.hub is not None and services.registry is not None
        assert len(runtime._clients) == 2
        tls = {id(client._client._transport._pool._ssl_context) for client in runtime._clients}
        assert len(tls) == 1  # loaded once, not once per client
    finally:
        await runtime.aclose()
