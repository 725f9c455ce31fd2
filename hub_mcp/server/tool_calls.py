"""How a tool call's arguments are taken before a tool sees them, for every tool, in one place.

- A JSON ``null`` means the argument was left out. Models send ``"tag": null`` or
  ``"limit": null`` for arguments they do not mean to set; the tool then runs with its default.
  (A null for a required argument is therefore reported as missing.)
- An argument the tool does not have is refused, naming the one it most likely meant:
  ``get_tag has no argument 'tga' (did you mean 'tag'?): its arguments are repository, tag.``
  The SDK's argument model ignores unknown keys, so ``list_tags`` with ``page_size: 1000``
  answered a default page of tags as if all were well. (The input schemas say
  ``additionalProperties: false``: registration.py.) A tool name the server does not know gets
  the same "did you mean".
- A crash the tool did not turn into a sentence becomes one (the traceback goes to the log).
- An invalid argument is refused with one sentence that names it, says what was wrong and
  what to send instead, e.g. ``limit must be between 1 and 100 (got 0): send a number in that
  range.`` The SDK would hand the model pydantic's multi-line dump, with error types, the
  input echoed and a documentation URL.

Prompts get the same care (:meth:`ToolCallServer.get_prompt`): an unknown prompt or argument,
or a required argument left out, is one sentence, not "Internal server error" and a traceback.

The hook is :meth:`MCPServer.call_tool`, which the SDK's ``tools/call`` handler calls in every
client mode, before the arguments are validated. When they do not fit the input schema it
raises ``ToolError`` caused by pydantic's ``ValidationError`` (the SDK's handler tells
validation failures apart the same way); that error is raised again here with the sentence
instead of the dump, keeping the cause, so the SDK still logs only the rejected field names.
"""

from __future__ import annotations

import json
import typing
from collections.abc import Iterable, Mapping
from typing import Any, TypeVar

from mcp.server import MCPServer
from mcp.server.lowlevel.helper_types import ReadResourceContents
from mcp.server.mcpserver import Context
from mcp.server.mcpserver.exceptions import ResourceNotFoundError, ToolError, UnexpectedToolError
from mcp.shared.exceptions import MCPError
from mcp.types import INVALID_PARAMS, CallToolResult, GetPromptResult, InputRequiredResult
from pydantic import AnyUrl, ValidationError
from pydantic_core import ErrorDetails

from hub_mcp.vocab.common import clip, closest, quoted

LifespanT = TypeVar("LifespanT")

_SHORT = 40  # longest input echoed back; anything longer is described, never repeated


class ToolCallServer(MCPServer[LifespanT]):
    """An ``MCPServer`` whose tools take null as absent and refuse invalid arguments in one sentence.

    ``withheld`` maps the name of a tool this server does not offer (read-only mode, no
    credentials, a toolset not chosen: :mod:`hub_mcp.server.modes`) to the sentence a call to it
    gets instead of the SDK's "Unknown tool". With ``write_scope`` (an OAuth-protected HTTP service), a
    write tool runs only for a caller whose access token has that scope (:mod:`hub_mcp.server.oauth`).
    """

    def __init__(
        self,
        *args: Any,
        withheld: Mapping[str, str] | None = None,
        write_scope: str | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self._withheld = dict(withheld or {})
        self._write_scope = write_scope

    async def call_tool(
        self, name: str, arguments: dict[str, Any], context: Context[LifespanT, Any] | None = None
    ) -> CallToolResult | InputRequiredResult:
        tool = self._tool_manager.get_tool(name)
        if tool is None:
            raise ToolError(self._withheld.get(name) or self._unknown_tool_message(name))
        if self._write_scope is not None:
            from hub_mcp.server.modes import is_write
            from hub_mcp.server.oauth import caller_scopes, write_refusal

            refusal = is_write({"annotations": tool.annotations}) and write_refusal(
                name, self._write_scope, caller_scopes(context)
            )
            if refusal:
                raise ToolError(refusal)
        given = {key: value for key, value in arguments.items() if value is not None}
        # in the signature's order (the stored schemas' properties are sorted): what the SDK validates
        known = [field.alias or key for key, field in tool.fn_metadata.arg_model.model_fields.items()]
        unknown = [key for key in given if key not in known]
        if unknown:
            raise ToolError(unknown_arguments_message(name, unknown, known))
        loose = _loose_scalars(tool.fn_metadata.arg_model.model_fields, given)
        if loose:  # the argument model is lax: true would be read as 1, "yes" as true, "2" as 2
            schema = await self._input_schema(name)
            raise ToolError(_loose_message(loose, schema))
        try:
            return await super().call_tool(name, given, context)
        except UnexpectedToolError as exc:
            # A crash outside the service call (answer() turns those into sentences): say what to do,
            # log the traceback, never hand the model the SDK's bare "Error executing tool".
            from hub_mcp.server.results import internal_error

            raise ToolError(str(internal_error(exc.__cause__ or exc))) from None
        except ToolError as exc:
            if isinstance(exc.__cause__, ValidationError):
                schema = await self._input_schema(name)
                raise ToolError(invalid_arguments_message(exc.__cause__, schema)) from exc.__cause__
            # The tool's own sentence, as the refusals above give theirs: without the SDK's
            # "Error executing tool <name>: " in front (the model knows which tool it called).
            prefix = f"Error executing tool {name}: "
            text = str(exc)
            if not text.startswith(prefix):
                raise
            raise ToolError(text[len(prefix) :]) from exc.__cause__

    async def get_prompt(
        self, name: str, arguments: dict[str, Any] | None = None, context: Context[LifespanT, Any] | None = None
    ) -> GetPromptResult | InputRequiredResult:
        """A prompt asked for by a name it does not have, or with an argument missing or unknown, is
        refused with one sentence as invalid params (-32602, as the MCP spec says for prompts/get).
        The SDK answered "Internal server error" in-process and logged a traceback at ERROR."""
        prompt = self._prompt_manager.get_prompt(name)
        if prompt is None:
            offered = [listed.name for listed in self._prompt_manager.list_prompts()]
            meant = closest(name, offered)
            hint = f" (did you mean {meant!r}?)" if meant else ""
            said = f"{self.name} has no prompt {quoted(name)}{hint}: its prompts are {', '.join(offered)}."
            raise MCPError(INVALID_PARAMS, said)
        declared = prompt.arguments or []
        known = [argument.name for argument in declared]
        unknown = [key for key in arguments or {} if key not in known]
        if unknown:
            raise MCPError(INVALID_PARAMS, unknown_arguments_message(name, unknown, known))
        missing = [argument for argument in declared if argument.required and not (arguments or {}).get(argument.name)]
        if missing:
            needed = "; ".join(
                f"{argument.name}" + (f" ({argument.description.rstrip('.')})" if argument.description else "")
                for argument in missing
            )
            what, them = ("the argument", "it") if len(missing) == 1 else ("the arguments", "them")
            raise MCPError(INVALID_PARAMS, f"{name} needs {what} {needed}: send {them}.")
        return await super().get_prompt(name, arguments, context)

    def _unknown_tool_message(self, name: str) -> str:
        offered = [tool.name for tool in self._tool_manager.list_tools()]
        meant = closest(name, [*offered, *self._withheld])
        hint = f" (did you mean {meant!r}?)" if meant else ""
        return f"{self.name} has no tool {quoted(name)}{hint}: its tools are {', '.join(offered)}."

    async def read_resource(
        self, uri: AnyUrl | str, context: Context[LifespanT, Any] | None = None
    ) -> Iterable[ReadResourceContents] | InputRequiredResult:
        """The SDK's, except that its "Unknown resource: <uri>" quotes a long URI by a short prefix."""
        try:
            return await super().read_resource(uri, context)
        except ResourceNotFoundError as exc:
            text, message = str(uri), str(exc)
            if clip(text) == text or text not in message:
                raise
            raise ResourceNotFoundError(message.replace(text, clip(text))) from None

    async def _input_schema(self, name: str) -> dict[str, Any]:
        for tool in await self.list_tools():
            if tool.name == name:
                return dict(tool.input_schema)
        return {}


ARGUMENT_SYNONYMS = {
    "page_size": "limit",
    "per_page": "limit",
    "max_results": "limit",
    "top_k": "limit",
    "count": "limit",
    "n": "limit",
    "q": "query",
    "repo": "repository",
    "image": "reference",
}
"""Names models use for an argument that is called otherwise here: the name meant, when the tool
has it (``page_size`` is ``limit``, not the ``page`` its spelling is closest to)."""


def _scalar_kind(annotation: Any) -> str | None:
    """``int`` / ``int | None`` → "integer", ``bool`` (optional too) → "boolean", anything else None."""
    arms = [arm for arm in typing.get_args(annotation) if arm is not type(None)] or [annotation]
    if len(arms) != 1:
        return None
    if arms[0] is bool:
        return "boolean"
    if arms[0] is int:
        return "integer"
    return None


def _loose_scalars(fields: Mapping[str, Any], given: Mapping[str, Any]) -> list[tuple[str, str, Any]]:
    """Arguments whose JSON type is not the one their field has, which the lax argument model would still
    read: a boolean or string for a whole number, anything but a boolean for true/false."""
    out = []
    for key, field in fields.items():
        name = field.alias or key
        if name not in given:
            continue
        value, kind = given[name], _scalar_kind(field.annotation)
        if value == "null" and type(None) in typing.get_args(field.annotation):
            continue  # the SDK reads the string "null" as null for a field that may be null
        if kind == "integer" and isinstance(value, bool | str):
            out.append((name, kind, value))
        elif kind == "boolean" and not isinstance(value, bool):
            out.append((name, kind, value))
    return out


def _loose_message(loose: list[tuple[str, str, Any]], schema: dict[str, Any]) -> str:
    """One sentence, one clause per argument sent as the wrong JSON type."""
    properties = schema.get("properties", {}) if isinstance(schema.get("properties"), dict) else {}
    clauses = []
    for name, kind, value in loose:  # worded as the argument model's own refusals of other values
        if kind == "integer":
            clauses.append(f"{name} must be a whole number (got {_describe(value)}): send {_expected(properties.get(name, {}))}")
        else:
            clauses.append(f"{name} must be true or false (got {_describe(value)}): send a JSON boolean")
    return "; ".join(clauses) + "."


def unknown_arguments_message(tool: str, unknown: list[str], known: list[str]) -> str:
    """One sentence naming each argument ``tool`` does not have, the one it probably meant, and all it has."""
    if not known:
        return f"{tool} takes no arguments: call it with none."
    clauses = []
    for argument in unknown:
        meant = closest(argument, known, synonyms=ARGUMENT_SYNONYMS)
        clauses.append(quoted(argument) + (f" (did you mean {meant!r}?)" if meant else ""))
    what = "argument" if len(clauses) == 1 else "arguments"
    return f"{tool} has no {what} {', '.join(clauses)}: its arguments are {', '.join(known)}."


def invalid_arguments_message(error: ValidationError, schema: dict[str, Any]) -> str:
    """One sentence for a failed argument validation: one clause per argument, first problem each."""
    clauses: dict[str, str] = {}
    for detail in error.errors(include_url=False):
        argument = str(detail["loc"][0]) if detail["loc"] else "arguments"
        if argument not in clauses:
            clauses[argument] = _clause(detail, schema).rstrip(".")
    return "; ".join(clauses.values()) + "."


def _clause(detail: ErrorDetails, schema: dict[str, Any]) -> str:
    loc = detail["loc"]
    where = _path(loc)
    expected = _expected(_subschema(schema, loc))
    kind = detail["type"]
    ctx = detail.get("ctx") or {}
    value = detail.get("input")
    got = _describe(value)

    if kind == "missing":
        return f"{where} is required: send {expected}"
    if kind == "value_error" and isinstance(ctx.get("error"), ValueError):
        # Our own validators (args.strict_string) already write the whole sentence.
        return str(ctx["error"])
    if kind in {"greater_than_equal", "less_than_equal", "greater_than", "less_than"}:
        low, high = _bounds(_subschema(schema, loc), ctx)
        if low is not None and high is not None:
            return f"{where} must be between {low} and {high} (got {got}): send a number in that range"
        if low is not None:
            return f"{where} must be at least {low} (got {got}): send a larger number"
        return f"{where} must be at most {high} (got {got}): send a smaller number"
    if kind == "string_too_long":
        length = f"{len(value)} characters" if isinstance(value, str) else "too many characters"
        return f"{where} is too long ({length}): send at most {ctx.get('max_length')} characters"
    if kind == "string_too_short":
        return f"{where} is empty: send {expected}"
    if kind == "too_long":
        return f"{where} has too many items ({ctx.get('actual_length')}): send at most {ctx.get('max_length')} items"
    if kind == "too_short":
        return f"{where} has too few items ({ctx.get('actual_length')}): send {expected}"
    if kind in {"literal_error", "enum"}:
        return f"{where} must be {expected} (got {got}): send one of these"
    if kind.startswith(("int_", "float_")):
        return f"{where} must be a whole number (got {got}): send {expected}"
    if kind.startswith("bool_"):
        return f"{where} must be true or false (got {got}): send a JSON boolean"
    if kind.startswith("string_"):
        return f"{where} must be a string (got {got}): send {expected}"
    if kind.startswith("list_"):
        return f"{where} must be a list (got {got}): send {expected}"
    if kind.startswith(("dict_", "model_")):
        return f"{where} must be an object (got {got}): send {expected}"
    # Anything else: pydantic's short message (no type, URL or input), and the fix.
    return f"{where} is invalid ({detail['msg'].rstrip('.')}, got {got}): send {expected}"


def _path(loc: tuple[int | str, ...]) -> str:
    """``platforms[1]``, ``build_args["PY"]``: where the value is, as the model wrote it."""
    if not loc:
        return "the arguments"
    text = str(loc[0])
    for part in loc[1:]:
        if isinstance(part, int):
            text += f"[{part}]"
        else:
            text += f"[{json.dumps(part)}]" if len(part) <= _SHORT else "[a long key]"
    return text


def _subschema(schema: dict[str, Any], loc: tuple[int | str, ...]) -> dict[str, Any]:
    """The JSON schema the value at ``loc`` had to fit (nullable wrappers looked through)."""
    node: dict[str, Any] = schema
    for depth, part in enumerate(loc):
        node = _non_null(node)
        if depth == 0:
            node = node.get("properties", {}).get(str(part), {})
        elif isinstance(part, int) and "items" in node:
            node = node["items"]
        elif isinstance(part, str) and isinstance(node.get("additionalProperties"), dict):
            node = node["additionalProperties"]
        else:
            break
    return node


def _non_null(node: dict[str, Any]) -> dict[str, Any]:
    """``{"anyOf": [X, {"type": "null"}], ...}`` → X, with the outer keys (bounds) kept."""
    arms = [arm for arm in node.get("anyOf", []) if arm.get("type") != "null"]
    if len(arms) != 1:
        return node
    outer = {key: value for key, value in node.items() if key != "anyOf"}
    return {**outer, **arms[0]}


def _bounds(node: dict[str, Any], ctx: dict[str, Any]) -> tuple[Any, Any]:
    node = _non_null(node)
    low = node.get("minimum", ctx.get("ge", ctx.get("gt")))
    high = node.get("maximum", ctx.get("le", ctx.get("lt")))
    return low, high


def _expected(node: dict[str, Any]) -> str:
    """What fits ``node``, in words: ``a whole number from 1 to 100``, ``one of "linux", "windows"``."""
    node = _non_null(node)
    if "enum" in node:
        return "one of " + ", ".join(json.dumps(choice) for choice in node["enum"])
    kind = node.get("type")
    if kind == "integer":
        if "minimum" in node and "maximum" in node:
            return f"a whole number from {node['minimum']} to {node['maximum']}"
        return "a whole number"
    if kind == "boolean":
        return "true or false"
    if kind == "string":
        longest = node.get("maxLength")
        text = "a non-empty string" if node.get("minLength", 0) >= 1 else "a string"
        return f"{text} of at most {longest} characters" if longest else text
    if kind == "array":
        items = _expected(node.get("items", {}))
        most = node.get("maxItems")
        return f"a list of up to {most} items, each {items}" if most else f"a list, each item {items}"
    if kind == "object":
        values = _expected(node.get("additionalProperties", {})) if node.get("additionalProperties") else "a value"
        return f"an object whose values are each {values}"
    return "a value that fits the tool's input schema"


def _describe(value: Any) -> str:
    """The input as it may be echoed: short scalars as JSON, anything else by its kind and size."""
    if isinstance(value, int) and not isinstance(value, bool) and abs(value) >= 10**_SHORT:
        return f"a number of more than {_SHORT} digits"
    if value is None or isinstance(value, bool | int | float):
        return json.dumps(value)
    if isinstance(value, str):
        return json.dumps(value) if len(value) <= _SHORT else f"a string of {len(value)} characters"
    if isinstance(value, list | tuple):
        return f"a list of {len(value)} item(s)"
    if isinstance(value, dict):
        return f"an object with {len(value)} key(s)"
    return f"a {type(value).__name__}"
