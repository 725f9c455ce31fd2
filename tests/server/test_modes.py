"""Modes: --toolsets chooses tool groups; write tools are listed only with credentials and without
--read-only; a tool left out and called anyway gets a sentence naming the mode and the fix."""

from __future__ import annotations

import base64
import json
import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

import httpx
import pytest
from mcp import Client

from hub_mcp.config.settings import TOOLSETS
from hub_mcp.server import app, modes
from hub_mcp.server.app import create_server
from hub_mcp.server.toolsets import toolsets
from tests.fakes.hub import FakeHub
from tests.server import modes_toolset
from tests.server.conftest import ALICE_PAT, make_settings

READ_TOOLS = {"search_images", "get_repository", "list_tags", "get_tag", "inspect_image", "list_image_packages",
              "get_image_provenance", "list_image_vulnerabilities", "compare_images", "suggest_base_images",
              "review_base_images", "list_repositories", "list_namespaces", "plan_tag_cleanup",
              "get_rate_limit"}
WRITE_TOOLS = {"create_repository", "update_repository", "delete_tag", "delete_repository", "apply_tag_cleanup"}


@pytest.fixture
def hub() -> FakeHub:
    return FakeHub(users={"alice": ALICE_PAT}, enforce_rate_limit=False)


@pytest.fixture
def with_test_toolset(monkeypatch: pytest.MonkeyPatch) -> None:
    """The real toolsets plus the test one (one read tool, one write tool)."""
    real = toolsets()
    monkeypatch.setattr(app, "toolsets", lambda: (*real, modes_toolset))


@asynccontextmanager
async def session(hub: FakeHub, mode: str, **settings: Any) -> AsyncIterator[Client]:
    server = create_server(make_settings(**settings), hub_transport=httpx.ASGITransport(app=hub.app))
    async with Client(server, mode=mode) as client:
        yield client


async def tool_names(client: Client) -> set[str]:
    return {tool.name for tool in (await client.list_tools()).tools}


async def refusal(client: Client, tool: str, args: dict[str, Any] | None = None) -> str:
    result = await client.call_tool(tool, args or {})
    assert result.is_error
    return result.content[0].text


def test_every_toolset_module_declares_a_known_name_in_the_documented_order() -> None:
    names = [modes.toolset_name(module) for module in toolsets()]
    assert names == [name for name in TOOLSETS if name in names]
    assert set(names) == set(TOOLSETS)


def test_a_tool_is_a_write_unless_its_annotations_promise_read_only() -> None:
    from mcp.types import ToolAnnotations

    assert modes.is_write({"annotations": modes_toolset.WRITE})
    assert modes.is_write({}) and modes.is_write({"annotations": ToolAnnotations()})
    assert not modes.is_write({"annotations": ToolAnnotations(read_only_hint=True)})


@pytest.mark.usefixtures("with_test_toolset")
async def test_with_credentials_the_write_tool_is_listed_and_knows_the_login(hub: FakeHub, mode: str) -> None:
    async with session(hub, mode, username="alice", pat_token=ALICE_PAT) as client:
        names = await tool_names(client)
        assert READ_TOOLS | {"peek_repository", "touch_namespace"} <= names
        result = await client.call_tool("touch_namespace", {})
    assert not result.is_error
    assert result.structured_content == {"usable": True, "kind": "pat", "namespace": "alice"}


@pytest.mark.usefixtures("with_test_toolset")
async def test_read_only_lists_no_write_tool_and_refuses_a_write_call(hub: FakeHub, mode: str) -> None:
    async with session(hub, mode, username="alice", pat_token=ALICE_PAT, read_only=True) as client:
        names = await tool_names(client)
        assert "touch_namespace" not in names and READ_TOOLS | {"peek_repository"} <= names
        assert client.instructions and "Read-only mode: no tool changes Docker Hub." in client.instructions
        message = await refusal(client, "touch_namespace")
        assert hub.request_count() == 0  # refused before anything reached Docker Hub
        peek = await client.call_tool("peek_repository", {"repository": "python"})
    assert "read-only mode" in message and "--read-only" in message and "HUB_MCP_READ_ONLY" in message
    assert "nothing was changed" in message and not peek.is_error


@pytest.mark.usefixtures("with_test_toolset")
async def test_without_credentials_no_write_tool_is_listed(hub: FakeHub, mode: str) -> None:
    async with session(hub, mode) as client:
        assert "touch_namespace" not in await tool_names(client)
        message = await refusal(client, "touch_namespace")
    assert "no Docker Hub credentials" in message and "HUB_PAT_TOKEN" in message and "docker login" in message


async def test_a_tool_nobody_offers_is_still_unknown(hub: FakeHub, mode: str) -> None:
    async with session(hub, mode) as client:
        message = await refusal(client, "no_such_tool")
    # not a withheld tool's reason (credentials, mode): the tools there are, as for any name not known
    assert message.startswith("hub-mcp has no tool 'no_such_tool': its tools are search_images,")
    assert "credentials" not in message and "read-only" not in message


@pytest.mark.usefixtures("with_test_toolset")
async def test_docker_config_credentials_enable_the_write_tools(
    hub: FakeHub, mode: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    auth = base64.b64encode(f"alice:{ALICE_PAT}".encode()).decode()
    (tmp_path / "config.json").write_text(json.dumps({"auths": {"https://index.docker.io/v1/": {"auth": auth}}}))
    monkeypatch.setenv("DOCKER_CONFIG", str(tmp_path))
    async with session(hub, mode) as client:
        assert "touch_namespace" in await tool_names(client)
        private = await client.call_tool("peek_repository", {"repository": "alice/private-app"})
        touched = await client.call_tool("touch_namespace", {})
    assert not private.is_error and private.structured_content["private"] is True
    assert touched.structured_content == {"usable": True, "kind": "pat", "namespace": "alice"}
    assert f"credentials for docker.io (user alice) from {tmp_path}/config.json (auths)" in caplog.text
    issued = [t.token for t in hub.issued_tokens]
    for text in (caplog.text, private.model_dump_json(), touched.model_dump_json()):
        assert ALICE_PAT not in text and auth not in text and not any(jwt in text for jwt in issued)
    async with session(hub, mode, no_docker_config=True) as client:
        assert "touch_namespace" not in await tool_names(client)
        assert (await client.call_tool("peek_repository", {"repository": "alice/private-app"})).is_error


async def test_toolsets_choose_tools_prompts_and_resources(hub: FakeHub, mode: str) -> None:
    async with session(hub, mode, toolsets="search,tags") as client:
        assert await tool_names(client) == {"search_images", "list_tags", "get_tag"}
        message = await refusal(client, "inspect_image", {"reference": "python:3.12"})
        prompts = (await client.list_prompts()).prompts
        templates = {t.uri_template for t in (await client.list_resource_templates()).resource_templates}
        instructions = client.instructions
    assert "toolset 'images'" in message and "HUB_MCP_TOOLSETS=search,tags" in message and "--toolsets" in message
    assert prompts == []  # the walk-throughs drive the advisor, or get_repository + inspect_image
    assert templates == {
        "dockerhub://repositories/{namespace}/{name}/tags/{tag}",
        "dockerhub://repositories/{namespace}/{name}/tags",
    }
    assert instructions and instructions.endswith("Only these toolsets are offered: search, tags.")


async def test_all_toolsets_by_default(hub: FakeHub, mode: str) -> None:
    async with session(hub, mode, username="alice", pat_token=ALICE_PAT) as client:
        assert await tool_names(client) == READ_TOOLS | WRITE_TOOLS  # the management tools, with credentials
    async with session(hub, mode) as client:
        assert await tool_names(client) == READ_TOOLS
        prompts = [p.name for p in (await client.list_prompts()).prompts]
        assert sorted(prompts) == ["audit-dockerfile", "choose-base-image", "explain-image"]
        assert len((await client.list_resource_templates()).resource_templates) == 6
