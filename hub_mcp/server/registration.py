"""Tool registration: the toolsets register on a :class:`~hub_mcp.server.host.ToolCollector`, and :func:`build_tools`
builds each collected tool the SDK's way (``Tool.from_function``, as ``@server.tool`` does).

Collecting first lets ``modes.py`` choose which tools to offer (``--toolsets``, ``--read-only``,
write tools only with credentials) before the server is built.

Each tool's ``inputSchema`` and ``outputSchema`` are derived by the SDK at every start, from the
signature and the view named in the return annotation. Until issue 22 they were stored in
``hub_mcp/tool_schemas.json`` (fresh while a fingerprint of the sources that shape them matched)
and the tools were assembled from five SDK internals, to save what was measured then as about
40 ms; the file had to be regenerated after every change to a toolset or a view. Measured again
for issue 22 on 2 cores shared with other work, stored vs derived, interleaved runs:

- ``build_tools`` for the 13 tools, fresh interpreters: 9.8 vs 27.0 ms (medians of 21);
- settings + ``create_server`` + ``tools/list`` as JSON, after ``import mcp.server`` (the start-up
  benchmark's "in process" line): 33.1 vs 47.7 ms wall, 32.7 vs 47.1 ms CPU (medians of 41,
  interquartile ranges under 4 ms): deriving costs about 15 ms;
- spawn -> ``tools/list`` answered (``benchmarks/startup.py``'s spawns; the commit before and this
  one, interleaved with the floor, 40 each, machine lightly loaded): medians 434.9 vs 433.3 ms
  and 436.4 vs 435.3 ms (floor 389.6 and 394.2 ms); paired differences derived - stored had
  medians of +5.9 and -1.5 ms (interquartile ranges -11..+18 and -14..+8). Under heavier load
  (floor 500-1000 ms) four more such runs gave +42, +6, +2 and -20 ms, each +-90 ms wide. The
  goal line (floor + 10 %) is at the edge either way: 11.6 % vs 11.2 %, 10.7 % vs 10.4 %.
  (``--only startup --runs 30`` run one after the other drifts with the floor: overhead +36.6
  and +50.1 ms stored, +60.6 and +63.9 ms derived; its in-process line 30.1 vs 44.4 ms.)

So deriving costs about 15 ms of work in process and nothing the start-up benchmark can see
from spawn to ``tools/list``: the time does not matter enough to keep the SDK internals, the
generated file and its regenerations. ``tests/server/test_schema_snapshot.py`` keeps the
schemas the model sees in review; ``tests/server/test_registration.py`` checks that every tool
listed is what ``@server.tool`` gives.
"""

from __future__ import annotations

from mcp.server.mcpserver.tools import Tool

from hub_mcp.server.host import ToolCollector


def build_tools(collector: ToolCollector) -> list[Tool]:
    """The collected tools, built as ``@server.tool(**options)`` builds them."""
    return [Tool.from_function(fn, **options) for fn, options in collector.registered]
