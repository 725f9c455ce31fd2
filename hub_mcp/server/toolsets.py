"""The toolset modules, in the order ``tools/list`` gives their tools.

Its own module so that :mod:`hub_mcp.server.app` (which offers the tools), the tests and the
catalog's tool list can ask for the toolsets without importing the server.
"""

from __future__ import annotations

from types import ModuleType


def toolsets() -> tuple[ModuleType, ...]:
    """The modules whose ``register(host)`` declares the tools, in the order tools/list gives them.
    Each declares its ``TOOLSET`` name (one of :data:`hub_mcp.config.settings.TOOLSETS`); which of their
    tools are offered is decided in :mod:`hub_mcp.server.modes`."""
    import hub_mcp.server.advisor as advisor
    import hub_mcp.server.images as images
    import hub_mcp.server.namespaces as namespaces
    import hub_mcp.server.repositories as repositories
    import hub_mcp.server.search as search
    import hub_mcp.server.tags as tags

    return (search, repositories, tags, images, advisor, namespaces)
