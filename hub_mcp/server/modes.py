"""Which tools this server offers: the toolsets chosen, and write tools only when they can work.

- ``--toolsets`` / ``HUB_MCP_TOOLSETS`` picks groups by the ``TOOLSET`` name each toolset module
  declares (``search``, ``repositories``, ``tags``, ``images``, ``advisor``, ``namespaces``).
- A write tool is any tool whose annotations do not say ``read_only_hint=True``. It is listed only
  when Docker Hub credentials are configured (the environment, or the docker config) and
  ``--read-only`` / ``HUB_MCP_READ_ONLY`` is off, and over HTTP only with ``HUB_MCP_HTTP_WRITES=1``
  (every HTTP client acts with the server's credentials: :attr:`Settings.writes_allowed`). The
  check is by annotation, so a new write tool is covered without being named here.

A tool left out is not registered, so it cannot run; a client may still call it (from a tool list
it kept, or a model guessing). Such a call gets a sentence naming the mode that left it out and
how to change it (:attr:`Offer.withheld`), not the SDK's bare "Unknown tool".
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from types import ModuleType
from typing import Any

from hub_mcp.config.settings import TOOLSETS, Settings
from hub_mcp.server.host import AnyFunction, ToolCollector
from hub_mcp.server.icons import toolset_icons


def is_write(options: dict[str, Any]) -> bool:
    """Whether a tool may change something: its annotations do not promise read-only."""
    annotations = options.get("annotations")
    return getattr(annotations, "read_only_hint", None) is not True


def tool_name(fn: AnyFunction, options: dict[str, Any]) -> str:
    return options.get("name") or fn.__name__


def toolset_name(module: ModuleType) -> str:
    name = getattr(module, "TOOLSET", None)
    if name not in TOOLSETS:
        raise ValueError(f"{module.__name__} declares TOOLSET={name!r}, not one of {', '.join(TOOLSETS)}")
    return name


@dataclass
class Offer:
    """The tools to register, and for each tool left out the sentence a call to it gets."""

    collector: ToolCollector = field(default_factory=ToolCollector)
    withheld: dict[str, str] = field(default_factory=dict)
    toolsets: tuple[str, ...] = ()
    """The chosen toolsets that exist as modules."""
    writes_offered: bool = False


def read_only_refusal(name: str) -> str:
    return (
        f"{name} changes Docker Hub, and this server runs in read-only mode (--read-only or HUB_MCP_READ_ONLY=1),"
        " so it is not offered and nothing was changed. To allow changes, restart the server without --read-only"
        " and with HUB_MCP_READ_ONLY unset (and Docker Hub credentials configured)."
    )


def no_credentials_refusal(name: str) -> str:
    return (
        f"{name} changes Docker Hub and needs a login, and this server has no Docker Hub credentials, so it is"
        " not offered and nothing was changed. Set HUB_USERNAME and HUB_PAT_TOKEN (an access token with write"
        " scope), or run `docker login`, then restart the server."
    )


def http_writes_refusal(name: str) -> str:
    return (
        f"{name} changes Docker Hub, and this server is shared over HTTP, where every client would act with its"
        " Docker Hub credentials, so it is not offered and nothing was changed. The operator can allow changes"
        " over HTTP with HUB_MCP_HTTP_WRITES=1 (or --http-writes) and a restart; or use the server on stdio."
    )


def toolset_refusal(name: str, toolset: str, chosen: Iterable[str]) -> str:
    return (
        f"{name} belongs to the toolset {toolset!r}, which this server does not offer (--toolsets or"
        f" HUB_MCP_TOOLSETS={','.join(chosen)}), so nothing was done. To use it, restart the server with"
        f" {toolset} added to --toolsets / HUB_MCP_TOOLSETS (or unset it for all toolsets)."
    )


def choose_tools(
    modules: Iterable[ModuleType], settings: Settings, has_credentials: Callable[[], bool]
) -> Offer:
    """Register the chosen toolsets' tools, minus write tools unless they can work.

    ``has_credentials`` is asked only when a chosen toolset has a write tool and read-only is
    off: finding credentials may read the docker config and run a credential helper.
    """
    offer = Offer()
    chosen = settings.toolsets
    candidates: list[tuple[AnyFunction, dict[str, Any]]] = []
    names: list[str] = []
    for module in modules:
        toolset = toolset_name(module)
        collector = ToolCollector()
        module.register(collector)
        if toolset not in chosen:
            for fn, options in collector.registered:
                offer.withheld[tool_name(fn, options)] = toolset_refusal(tool_name(fn, options), toolset, chosen)
            continue
        names.append(toolset)
        icons = toolset_icons(toolset)
        candidates.extend((fn, {"icons": icons, **options} if icons else options) for fn, options in collector.registered)
    offer.toolsets = tuple(names)
    writes = [(fn, options) for fn, options in candidates if is_write(options)]
    if writes:
        if settings.read_only:
            refusal: Callable[[str], str] | None = read_only_refusal
        elif not settings.writes_allowed:
            refusal = http_writes_refusal
        elif not has_credentials():
            refusal = no_credentials_refusal
        else:
            refusal = None
        offer.writes_offered = refusal is None
        if refusal is not None:
            for fn, options in writes:
                offer.withheld[tool_name(fn, options)] = refusal(tool_name(fn, options))
    for fn, options in candidates:
        if tool_name(fn, options) not in offer.withheld:
            offer.collector.registered.append((fn, options))
    return offer


def instructions_note(settings: Settings, offer: Offer) -> str:
    """A line for the server instructions when a mode narrows the tools (empty otherwise)."""
    notes = []
    if set(TOOLSETS) - set(settings.toolsets):
        notes.append(f"Only these toolsets are offered: {', '.join(offer.toolsets) or 'none'}.")
    if settings.read_only:
        notes.append("Read-only mode: no tool changes Docker Hub.")
    elif not settings.writes_allowed:
        notes.append("Shared over HTTP: no tool changes Docker Hub.")
    return ("\n" + " ".join(notes)) if notes else ""
