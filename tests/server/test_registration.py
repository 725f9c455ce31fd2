"""Tools registered with stored schemas are the tools the SDK would build, and stale schemas are never used."""

from __future__ import annotations

import inspect
import json
import shutil
from pathlib import Path
from typing import Any

import pytest

from hub_mcp.server import create_server, registration
from hub_mcp.server.host import ToolCollector
from hub_mcp.server.registration import (
    build_tools,
    derive_schema_file,
    stored_schemas,
)
from hub_mcp.server.toolsets import toolsets

REGENERATE = "hub_mcp/tool_schemas.json is stale: run `.venv/bin/python -m hub_mcp.server.registration`"


def collected() -> ToolCollector:
    collector = ToolCollector()
    for toolset in toolsets():
        toolset.register(collector)
    return collector


def test_the_stored_schemas_are_fresh_and_equal_what_the_sdk_derives() -> None:
    stored = stored_schemas()
    assert stored is not None, REGENERATE
    assert stored == derive_schema_file()["tools"], REGENERATE


def test_a_tool_built_with_stored_schemas_equals_the_sdks() -> None:
    collector = collected()
    fast = build_tools(collector)
    slow = build_tools(collector, use_stored=False)
    assert [t.name for t in fast] == [t.name for t in slow] and len(fast) == 20
    for a, b in zip(fast, slow, strict=True):
        assert a.parameters == b.parameters, a.name
        assert a.output_schema == b.output_schema, a.name
        assert (a.title, a.description, a.annotations, a.icons, a.meta) == (b.title, b.description, b.annotations, b.icons, b.meta)
        assert (a.is_async, a.context_kwarg, a.resolved_params) == (b.is_async, b.context_kwarg, b.resolved_params)
        plans_a = {key: (p.wire_key, sorted(p.params)) for key, p in a.resolver_plans.items()}
        plans_b = {key: (p.wire_key, sorted(p.params)) for key, p in b.resolver_plans.items()}
        assert plans_a == plans_b, a.name
        assert a.fn is b.fn
        fa, fb = a.fn_metadata, b.fn_metadata
        assert fa.output_model is fb.output_model and fa.wrap_output == fb.wrap_output
        assert fa.arg_model.model_json_schema(by_alias=True) == fb.arg_model.model_json_schema(by_alias=True)
        assert {k: repr(v) for k, v in fa.arg_model.model_fields.items()} == {
            k: repr(v) for k, v in fb.arg_model.model_fields.items()
        }


@pytest.mark.parametrize("use_stored", [True, False], ids=["stored", "derived"])
def test_descriptions_are_dedented_and_schemas_closed_either_way(use_stored: bool) -> None:
    """Issue 17: the docstrings' indentation went to every client (a tenth of the characters), and
    the schemas did not say that an argument they do not name is refused (tool_calls.py)."""
    for tool in build_tools(collected(), use_stored=use_stored):
        assert tool.description == inspect.cleandoc(tool.description), tool.name
        assert not any(line.startswith(" ") for line in tool.description.splitlines()), tool.name
        assert tool.parameters["additionalProperties"] is False, tool.name


def test_confirmed_deletions_keep_their_resolvers_with_stored_schemas() -> None:
    tools = {tool.name: tool for tool in build_tools(collected())}
    for name in ("delete_repository", "delete_tag"):
        assert set(tools[name].resolved_params) == {"facts", "answer"}
        assert "facts" not in tools[name].parameters["properties"] and "answer" not in tools[name].parameters["properties"]
        assert len(tools[name].resolver_plans) == 2


def test_create_server_uses_the_stored_schemas(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*_: Any) -> Any:
        raise AssertionError("a schema was derived although the stored ones are fresh")

    monkeypatch.setattr(registration, "derived_tool", refuse)
    assert len(build_tools(collected())) == 20
    create_server()


def write_stored(path: Path, fingerprint: str | None) -> None:
    broken = {"input": {"type": "object", "properties": {"bogus": {"type": "string"}}}, "output": {"type": "object"}}
    tools = {name: broken for name in derive_schema_file()["tools"]}
    path.write_text(json.dumps({"fingerprint": fingerprint, "tools": tools}))


def test_stale_schemas_are_never_used(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    stale = tmp_path / "tool_schemas.json"
    write_stored(stale, "0" * 64)
    monkeypatch.setattr(registration, "SCHEMAS_FILE", stale)
    assert stored_schemas() is None
    for tool in build_tools(collected()):
        assert "bogus" not in tool.parameters["properties"]


def test_fresh_schemas_are_used_as_stored(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """The counterpart of the test above: with the right fingerprint the file's content is what
    the tools carry (so the staleness check above is what kept 'bogus' out)."""
    fresh = tmp_path / "tool_schemas.json"
    write_stored(fresh, registration.fingerprint())
    monkeypatch.setattr(registration, "SCHEMAS_FILE", fresh)
    assert all("bogus" in tool.parameters["properties"] for tool in build_tools(collected()))


@pytest.mark.parametrize("edited", ["answers/views.py", "server/args.py", "server/tags.py", "advisor/requests.py"])
def test_editing_a_source_that_shapes_schemas_changes_the_fingerprint(
    edited: str, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    copy = tmp_path / "hub_mcp"
    shutil.copytree(registration.PACKAGE, copy, ignore=shutil.ignore_patterns("__pycache__"))
    monkeypatch.setattr(registration, "PACKAGE", copy)
    before = registration.fingerprint()
    assert before is not None
    with (copy / edited).open("a") as source:
        source.write("\n# an edit\n")
    assert registration.fingerprint() not in (None, before)


@pytest.mark.parametrize(
    "edited", ["server/app.py", "server/prompts.py", "server/resources.py", "server/completions.py", "server/tool_calls.py"]
)
def test_editing_a_module_that_shapes_no_tool_schema_keeps_the_fingerprint(
    edited: str, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    copy = tmp_path / "hub_mcp"
    shutil.copytree(registration.PACKAGE, copy, ignore=shutil.ignore_patterns("__pycache__"))
    monkeypatch.setattr(registration, "PACKAGE", copy)
    before = registration.fingerprint()
    with (copy / edited).open("a") as source:
        source.write("\n# an edit\n")
    assert registration.fingerprint() == before


def test_a_missing_or_unreadable_file_means_deriving(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setattr(registration, "SCHEMAS_FILE", tmp_path / "missing.json")
    assert stored_schemas() is None
    (tmp_path / "garbage.json").write_text("{not json")
    monkeypatch.setattr(registration, "SCHEMAS_FILE", tmp_path / "garbage.json")
    assert stored_schemas() is None
    assert len(build_tools(collected())) == 20
