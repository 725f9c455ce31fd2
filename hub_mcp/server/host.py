"""What a toolset registers its tools on: the one thing every toolset module imports from here.

Kept apart from :mod:`hub_mcp.server.registration` (which builds the tools with the SDK) so that
a toolset imports nothing of the SDK's tool machinery and nothing that imports the toolsets back.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Protocol

AnyFunction = Callable[..., Any]


class ToolHost(Protocol):
    """What a toolset registers on: ``MCPServer`` and :class:`ToolCollector` both are one."""

    def tool(self, *args: Any, **kwargs: Any) -> Callable[[AnyFunction], AnyFunction]: ...


@dataclass
class ToolCollector:
    """Records ``@host.tool(...)`` registrations so that :func:`hub_mcp.server.registration.build_tools`
    can build them."""

    registered: list[tuple[AnyFunction, dict[str, Any]]] = field(default_factory=list)

    def tool(self, **options: Any) -> Callable[[AnyFunction], AnyFunction]:
        def decorator(fn: AnyFunction) -> AnyFunction:
            self.registered.append((fn, options))
            return fn

        return decorator
