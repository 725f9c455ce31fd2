"""Issue 10 through the MCP layer: call deadlines, refusals, input edges and crashes become sentences."""

from __future__ import annotations

import logging
import time
from collections.abc import AsyncIterator

import pytest
from mcp import Client
from mcp.shared.exceptions import MCPError

from hub_mcp.services import Services
from tests.fakes.hostile import MARKER, HostileRegistry
from tests.fakes.hub import FakeHub
from tests.server.conftest import client_of
from tests.server.test_tools import fail


@pytest.fixture
async def hostile() -> AsyncIterator[HostileRegistry]:
    async with HostileRegistry(drip_interval=0.5) as server:
        yield server


async def test_a_dripping_registry_ends_at_the_call_deadline(hub: FakeHub, mode: str, hostile: HostileRegistry) -> None:
    started = time.monotonic()
    async with client_of(hub, mode, timeout=30, call_timeout=2, max_retries=3) as client:
        text = await fail(client, "inspect_image", reference=hostile.ref("drip"))
    elapsed = time.monotonic() - started
    assert "did not finish within 2 seconds (HUB_MCP_CALL_TIMEOUT)" in text
    assert elapsed < 5, elapsed


async def test_a_slow_hub_ends_at_the_call_deadline(hub: FakeHub, mode: str) -> None:
    hub.latency = 5.0
    started = time.monotonic()
    async with client_of(hub, mode, call_timeout=1) as client:
        text = await fail(client, "get_repository", repository="python")
    assert "HUB_MCP_CALL_TIMEOUT" in text and time.monotonic() - started < 4


async def test_under_http_a_loopback_registry_is_refused_with_the_fix(
    hub: FakeHub, mode: str, hostile: HostileRegistry
) -> None:
    async with client_of(hub, mode, transport="streamable-http") as client:
        text = await fail(client, "inspect_image", reference=hostile.ref("html-error"))
    assert f"add '{hostile.host}' to HUB_MCP_ALLOWED_REGISTRIES" in text and hostile.requests == []
    async with client_of(hub, mode, transport="streamable-http", allowed_registries=(hostile.host,)) as client:
        text = await fail(client, "inspect_image", reference=hostile.ref("html-error"))
    assert "was not found" in text and MARKER not in text


async def test_a_redirect_and_a_realm_to_cloud_metadata_are_refused(
    hub: FakeHub, mode: str, hostile: HostileRegistry
) -> None:
    async with client_of(hub, mode) as client:
        redirect = await fail(client, "inspect_image", reference=hostile.ref("metadata-redirect"))
        realm = await fail(client, "list_tags", repository=f"{hostile.host}/metadata-realm/app")
    assert "refused a redirect" in redirect and "169.254.169.254" in redirect and "cannot be allowed" in redirect
    assert "refused the token realm" in realm and "169.254.169.254" in realm


@pytest.mark.parametrize(
    ("tool", "arguments", "words"),
    [
        ("inspect_image", {"reference": "localhost:99999/x:1"}, "a port is a number from 1 to 65535"),
        ("list_tags", {"repository": "localhost:0/x"}, "a port is a number from 1 to 65535"),
        ("get_tag", {"repository": "python", "tag": "３.１２"}, "ASCII letters, digits"),
        ("inspect_image", {"reference": "python:３.１２"}, "ASCII letters, digits"),
    ],
)
async def test_input_edges_are_refused_before_any_request(
    hub: FakeHub, mode: str, tool: str, arguments: dict[str, str], words: str
) -> None:
    async with client_of(hub, mode) as client:
        text = await fail(client, tool, **arguments)
    assert words in text and text.rstrip(".") != f"Error executing tool {tool}"
    assert hub.requests == []


async def test_a_crash_in_a_service_becomes_a_sentence_and_a_logged_traceback(
    hub: FakeHub, mode: str, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    async def crash(self: Services, *args: object, **kwargs: object) -> None:
        raise OverflowError("int too large to convert")

    monkeypatch.setattr(Services, "get_tag", crash)
    caplog.set_level(logging.ERROR, logger="hub_mcp.server")
    async with client_of(hub, mode) as client:
        text = await fail(client, "get_tag", repository="python", tag="3.12")
    assert "internal error (OverflowError)" in text and "try again" in text
    assert "int too large" not in text and "Traceback" not in text
    assert any(r.exc_info and r.exc_info[0] is OverflowError for r in caplog.records)


async def test_a_deletion_facts_and_a_markdown_resource_end_at_the_call_deadline_too(hub: FakeHub, mode: str) -> None:
    """The facts a deletion shows the person, and the README/tag-table resources, are read within
    HUB_MCP_CALL_TIMEOUT like any answer (they are built outside respond())."""
    from mcp.shared.exceptions import MCPError

    from tests.server.conftest import ALICE_PAT

    hub.latency = 5.0
    started = time.monotonic()
    async with client_of(hub, mode, call_timeout=1, username="alice", pat_token=ALICE_PAT) as client:
        text = await fail(client, "delete_repository", repository="alice/private-app")
        with pytest.raises(MCPError) as err:
            await client.read_resource("dockerhub://repositories/library/python/readme")
    assert "HUB_MCP_CALL_TIMEOUT" in text and "HUB_MCP_CALL_TIMEOUT" in str(err.value)
    assert time.monotonic() - started < 6
    assert not [r for r in hub.requests if r.method == "DELETE"]


@pytest.mark.parametrize(("tool", "argument"), [("inspect_image", "reference"), ("list_tags", "repository")])
async def test_deeply_nested_json_from_a_registry_names_the_registry_not_the_arguments(
    hub: FakeHub, mode: str, hostile: HostileRegistry, tool: str, argument: str
) -> None:
    reference = hostile.ref("deep-json") if tool == "inspect_image" else f"{hostile.host}/deep-json/app"
    async with client_of(hub, mode) as client:
        text = await fail(client, tool, **{argument: reference})
    assert f"The registry {hostile.host} sent the " in text and "nested deeper than 64 levels" in text
    assert "internal error" not in text and "Check the arguments" not in text


async def test_a_deeply_nested_error_body_reads_as_its_status(hub: FakeHub, mode: str, hostile: HostileRegistry) -> None:
    async with client_of(hub, mode) as client:
        text = await fail(client, "inspect_image", reference=hostile.ref("deep-error"))
    assert "internal error" not in text and "not found" in text


@pytest.mark.parametrize("depth", [5000, 100])  # past the decoder's recursion; decodable but past 64 levels
async def test_deeply_nested_json_from_docker_hub_names_docker_hub(mode: str, depth: int) -> None:
    import httpx
    from mcp import Client

    from hub_mcp.server import create_server
    from tests.server.conftest import make_settings

    asked: list[str] = []

    def deep(request: httpx.Request) -> httpx.Response:
        asked.append(request.url.path)
        body = b'{"name":' + b"[" * depth + b"]" * depth + b"}"
        return httpx.Response(200, content=body, headers={"Content-Type": "application/json"})

    server = create_server(make_settings(), hub_transport=httpx.MockTransport(deep))
    async with Client(server, mode=mode) as client:
        text = await fail(client, "get_repository", repository="python")
    assert "Docker Hub (hub.docker.com) sent an answer as JSON nested deeper than 64 levels" in text
    assert "internal error" not in text and "Check the arguments" not in text
    assert len(asked) == 1  # not retried: the same body would come back


# --- a hostile Dockerfile (issue 17): the deadline covers CPU work, and inputs are never echoed whole


async def test_a_review_whose_parse_outlasts_the_deadline_gets_the_deadline_sentence(
    hub: FakeHub, mode: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The parse pauses between slices, so a deadline far shorter than the work stops it there:
    before, the 10,000 lines were all parsed (and reviewed) before the deadline could fire."""
    import hub_mcp.advisor.dockerfile as dockerfile

    parsed = 0
    real = dockerfile._parse_from

    def counting(*args: object, **kwargs: object) -> object:
        nonlocal parsed
        parsed += 1
        return real(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(dockerfile, "_parse_from", counting)
    text = "".join(f"FROM python:3.{i}\n" for i in range(10_000))
    async with client_of(hub, mode, call_timeout=0.001) as client:
        answer = await fail(client, "review_base_images", dockerfile=text)
    assert "did not finish within 0.001 seconds (HUB_MCP_CALL_TIMEOUT)" in answer
    assert "the input needs too much work" in answer
    assert parsed < 10_000


async def test_deeply_nested_expansions_are_a_sentence_not_an_internal_error(client: Client) -> None:
    depth = 10_000  # 60,000 characters: under the per-instruction bound, far over the nesting one
    answer = await fail(client, "review_base_images", dockerfile="FROM " + "${X:-" * depth + "x" + "}" * depth)
    assert "nested more than 32 deep" in answer and "internal error" not in answer
    assert len(answer) < 500


LONG = "a" * 180_000


@pytest.mark.parametrize(
    ("tool", "arguments"),
    [
        ("review_base_images", {"dockerfile": f"FROM {LONG}"}),
        ("review_base_images", {"dockerfile": f"FROM {LONG[:60_000]}"}),
        ("review_base_images", {"dockerfile": f"FROM python:3.12 AS {LONG[:60_000]}"}),
        ("review_base_images", {"dockerfile": f"FROM ${{{LONG[:60_000]}}}"}),
        ("review_base_images", {"reference": LONG}),
        ("get_tag", {"repository": LONG, "tag": "1"}),
        ("get_tag", {"repository": "python", "tag": LONG}),
        ("inspect_image", {"reference": LONG}),
        ("suggest_base_images", {"image": LONG}),
    ],
)
async def test_a_huge_input_is_quoted_by_a_short_prefix(client: Client, tool: str, arguments: dict[str, str]) -> None:
    result = await client.call_tool(tool, arguments)
    text = result.content[0].text
    assert len(text) < 3_000, text[:300]


@pytest.mark.parametrize(
    "uri",
    [
        f"dockerhub://repositories/library/{LONG}",
        f"dockerhub://repositories/library/python/tags/{LONG}",
        f"dockerhub://namespaces/{LONG}",
        f"hub-mcp://lifecycle/{LONG}",
    ],
)
async def test_a_huge_resource_uri_is_quoted_by_a_short_prefix(client: Client, uri: str) -> None:
    with pytest.raises(MCPError) as err:
        await client.read_resource(uri)
    assert len(str(err.value)) < 1_000, str(err.value)[:300]
