"""Tool registration with stored schemas: the start-up cost of the JSON schemas, paid once.

Registering a tool the SDK's way (``@server.tool``) derives its ``inputSchema`` and
``outputSchema`` with pydantic's JSON-schema generator: about 40 ms of hub-mcp's start-up for
seven tools, on every start, for schemas that only change when the code does. So the toolsets
register on a :class:`ToolCollector`, and :func:`build_tools` builds each ``Tool`` with the
schemas stored in ``hub_mcp/tool_schemas.json`` when that file is fresh, else the SDK's way.

Fresh means: its fingerprint equals :func:`fingerprint`, a hash of the source of every module
that shapes a schema (the toolsets and ``args.py`` in ``server/``, ``answers/views.py``,
``advisor/requests.py``) and of the versions of mcp, pydantic and pydantic-core. Any edit there, or an upgrade, makes the stored schemas
stale and registration falls back to deriving them: never a wrong schema, only a slower
start. A test fails while the file is stale; rewrite it with
``.venv/bin/python -m hub_mcp.server.registration``.

Everything else is built as the SDK builds it: the argument model (which validates calls)
comes from the SDK's own ``func_metadata``, and the output model is the view named in the
return annotation, so calls are validated exactly as before. A test compares every field of
both ways.

Re-weighed for issue 22 (13 tools), because the file costs a regeneration commit after every
change to a toolset or a view and leans on five SDK internals. The stored schemas were removed
on a branch and measured against this module with ``benchmarks/startup.py``, runs alternated on
the same 2-core machine:

- in process (settings, ``create_server``, ``tools/list`` as JSON; medians of 11 fresh
  interpreters): derived 42.8, 46.5, 47.2 ms; stored 30.4-36.1 ms in five runs. Deriving adds
  about 12-15 ms, a third of hub-mcp's own start-up work;
- spawn -> ``tools/list`` over the SDK's floor (medians of 15): derived +14.0, +14.9, +17.5 %;
  stored +7.1 to +12.6 % in five runs. The benchmark's goal is at most +10 %: derived missed it
  every time, stored met it in two of five.

So the time shows in the benchmark that sets the start-up goal, and the stored schemas stay.
"""

from __future__ import annotations

import hashlib
import inspect
import json
import sys
import typing
from importlib import metadata
from pathlib import Path
from typing import Any

import pydantic
import pydantic_core
from mcp.server.mcpserver.resolve import build_resolver_plans, find_resolved_parameters, returns_input_required
from mcp.server.mcpserver.tools import Tool
from mcp.server.mcpserver.utilities.context_injection import find_context_parameter
from mcp.server.mcpserver.utilities.func_metadata import FuncMetadata, func_metadata
from mcp.types import CallToolResult
from pydantic import BaseModel

from hub_mcp.server.host import AnyFunction, ToolCollector

PACKAGE = Path(__file__).resolve().parent.parent
SCHEMAS_FILE = PACKAGE / "tool_schemas.json"
SHAPING_SOURCES: tuple[str, ...] = ("server/*.py", "answers/views.py", "advisor/requests.py")
"""Globs under ``hub_mcp/`` whose source shapes a tool's schemas: the toolsets, their argument
types and the views (a new toolset module is included without a change here)."""
NOT_SHAPING: frozenset[str] = frozenset(
    {
        "server/__init__.py",
        "server/app.py",
        "server/apps.py",
        "server/completions.py",
        "server/host.py",
        "server/http_app.py",
        "server/modes.py",
        "server/oauth.py",
        "server/prompts.py",
        "server/resources.py",
        "server/results.py",
        "server/stdio.py",
        "server/registration.py",
        "server/toolsets.py",
        "server/tool_calls.py",
        "server/workers.py",
    }
)
"""Matched by the globs but shaping no tool schema: editing them does not make the file stale.
(Should one start to, the freshness test still fails: it compares with derived schemas.)"""

def fingerprint() -> str | None:
    """A hash of what shapes the schemas; None when a source file cannot be read (the
    stored schemas are then never used)."""
    digest = hashlib.sha256()
    try:
        versions = (
            f"mcp=={metadata.version('mcp')} pydantic=={pydantic.VERSION} pydantic-core=={pydantic_core.__version__}"
        )
    except metadata.PackageNotFoundError:
        return None
    digest.update(versions.encode() + b"\0")
    paths = sorted(
        path
        for path in {path for pattern in SHAPING_SOURCES for path in PACKAGE.glob(pattern)}
        if path.relative_to(PACKAGE).as_posix() not in NOT_SHAPING
    )
    if not paths:
        return None
    for path in paths:
        try:
            source = path.read_bytes()
        except OSError:
            return None
        digest.update(path.relative_to(PACKAGE).as_posix().encode() + b"\0" + source + b"\0")
    return digest.hexdigest()


def stored_schemas(expected: str | None = None) -> dict[str, dict[str, Any]] | None:
    """The stored schemas by tool name, or None when the file is missing, unreadable or stale."""
    expected = fingerprint() if expected is None else expected
    try:
        stored = json.loads(SCHEMAS_FILE.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if not isinstance(stored, dict) or expected is None or stored.get("fingerprint") != expected:
        return None
    tools = stored.get("tools")
    return tools if isinstance(tools, dict) else None


def output_view(fn: AnyFunction) -> type[BaseModel] | None:
    """The view of ``-> Annotated[CallToolResult, View]``, the one return shape our tools use."""
    hint = typing.get_type_hints(fn, include_extras=True).get("return")
    if typing.get_origin(hint) is not typing.Annotated:
        return None
    base, *extras = typing.get_args(hint)
    if base is not CallToolResult or len(extras) != 1:
        return None
    view = extras[0]
    return view if isinstance(view, type) and issubclass(view, BaseModel) else None


def tool_with_schemas(fn: AnyFunction, options: dict[str, Any], schemas: dict[str, Any]) -> Tool | None:
    """``Tool.from_function(fn, **options)``, but with the stored schemas instead of derived
    ones; None when ``fn`` is not of the shape this handles (the caller then derives)."""
    view = output_view(fn)
    name = options.get("name") or fn.__name__
    allowed = {"name", "title", "description", "annotations", "icons", "meta"}
    if view is None or not set(options) <= allowed or not inspect.iscoroutinefunction(fn):
        return None
    if not isinstance(schemas.get("input"), dict) or not isinstance(schemas.get("output"), dict):
        return None
    # Parameters a resolver fills (the person's confirmation of a deletion) are kept out of the
    # arguments and planned the SDK's way, as Tool.from_function does.
    resolved = find_resolved_parameters(fn)
    if resolved and returns_input_required(fn):
        return None
    context_kwarg = find_context_parameter(fn)
    skip = ([context_kwarg] if context_kwarg else []) + list(resolved)
    arguments = func_metadata(fn, skip_names=skip, structured_output=False)
    arg_names = {field.alias or name for name, field in arguments.arg_model.model_fields.items()}
    return Tool(
        fn=fn,
        name=name,
        title=options.get("title"),
        description=options.get("description") or fn.__doc__ or "",
        parameters=schemas["input"],
        fn_metadata=FuncMetadata(arg_model=arguments.arg_model, output_schema=schemas["output"], output_model=view),
        is_async=True,
        context_kwarg=context_kwarg,
        resolved_params=dict(resolved),
        resolver_plans=build_resolver_plans(resolved, arg_names),
        annotations=options.get("annotations"),
        icons=options.get("icons"),
        meta=options.get("meta"),
    )


def derived_tool(fn: AnyFunction, options: dict[str, Any]) -> Tool:
    """The SDK's way: schemas derived from the signature and the return annotation."""
    return Tool.from_function(fn, **options)


def build_tools(collector: ToolCollector, *, use_stored: bool = True) -> list[Tool]:
    """The collected tools, with stored schemas where fresh, derived ones otherwise."""
    stored = stored_schemas() if use_stored else None
    tools = []
    for fn, options in collector.registered:
        name = options.get("name") or fn.__name__
        options = {**options, "description": description(fn, options)}
        entry = stored.get(name) if stored else None
        tool = tool_with_schemas(fn, options, entry) if isinstance(entry, dict) else None
        tools.append(closed(tool if tool is not None else derived_tool(fn, options)))
    return tools


def description(fn: AnyFunction, options: dict[str, Any]) -> str:
    """The description a tool is listed with: the one given, else the docstring, without the
    docstring's indentation (which was a tenth of the characters every ``tools/list`` sends)."""
    return inspect.cleandoc(options.get("description") or fn.__doc__ or "")


def closed(tool: Tool) -> Tool:
    """The tool with an input schema that says it takes no argument besides those it names: a
    call with another is refused (:mod:`hub_mcp.server.tool_calls`), and clients can see that
    before calling. Written into the schema, not the SDK's argument model (``extra="forbid"``):
    func_metadata builds that model with no way to configure it, and rebuilding thirteen
    models cost 16 ms of start-up."""
    if tool.parameters.get("additionalProperties") is not False:
        tool.parameters = {**tool.parameters, "additionalProperties": False}
    return tool


def derive_schema_file() -> dict[str, Any]:
    """What ``tool_schemas.json`` should hold for the code as it is now."""
    from hub_mcp.server.toolsets import toolsets

    collector = ToolCollector()
    for toolset in toolsets():
        toolset.register(collector)
    tools = build_tools(collector, use_stored=False)
    return {
        "fingerprint": fingerprint(),
        "note": "Generated by `python -m hub_mcp.server.registration`; stale (and unused) after any change"
        " to hub_mcp/server/, answers/views.py, advisor/requests.py or the mcp/pydantic versions.",
        "tools": {tool.name: {"input": tool.parameters, "output": tool.output_schema} for tool in tools},
    }


def main() -> int:
    SCHEMAS_FILE.write_text(json.dumps(derive_schema_file(), indent=1, sort_keys=True) + "\n", encoding="utf-8")
    print(f"wrote {SCHEMAS_FILE}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
