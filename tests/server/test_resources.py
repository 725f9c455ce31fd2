"""Resources through mcp.Client: repository and tag facts by URI, the README and the tag table as
markdown, and the lifecycle table; not-found is the protocol's resource error (-32602)."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from datetime import date

import httpx
import pytest
from mcp import Client
from mcp.shared.exceptions import MCPError

from hub_mcp.server import create_server
from tests.fakes.catalog import default_catalog
from tests.fakes.hub import FakeHub
from tests.server.conftest import ALICE_PAT, make_settings

INVALID_PARAMS = -32602  # what ResourceNotFoundError reaches the client as (SEP-2164)


@pytest.fixture
async def client(hub: FakeHub, mode: str) -> AsyncIterator[Client]:
    server = create_server(make_settings(), hub_transport=httpx.ASGITransport(app=hub.app), today=date(2026, 11, 26))
    async with Client(server, mode=mode) as c:
        yield c


async def read_json(client: Client, uri: str) -> dict:
    result = await client.read_resource(uri)
    return json.loads(result.contents[0].text)


async def read_text(client: Client, uri: str) -> tuple[str, str | None]:
    result = await client.read_resource(uri)
    content = result.contents[0]
    return content.text, content.mime_type


async def test_templates_are_listed_with_their_mime_types(client: Client) -> None:
    templates = {t.uri_template: t.mime_type for t in (await client.list_resource_templates()).resource_templates}
    assert templates == {
        "dockerhub://repositories/{namespace}/{name}": "application/json",
        "dockerhub://repositories/{namespace}/{name}/tags/{tag}": "application/json",
        "dockerhub://repositories/{namespace}/{name}/readme": "text/markdown",
        "dockerhub://repositories/{namespace}/{name}/tags": "text/markdown",
        "dockerhub://namespaces/{namespace}": "application/json",
        "hub-mcp://lifecycle/{runtime}": "application/json",
    }


async def test_every_read_carries_the_template_mime_type(client: Client) -> None:
    for uri, mime in (
        ("dockerhub://repositories/library/python", "application/json"),
        ("dockerhub://repositories/library/python/tags/3.13-slim", "application/json"),
        ("dockerhub://repositories/library/python/readme", "text/markdown"),
        ("dockerhub://repositories/library/python/tags", "text/markdown"),
        ("dockerhub://namespaces/bitnami", "application/json"),
        ("hub-mcp://lifecycle/python", "application/json"),
    ):
        assert (await read_text(client, uri))[1] == mime, uri


async def test_readme_is_bounded_states_its_length_and_keeps_every_section(client: Client) -> None:
    readme = default_catalog().get("library", "python").full_description
    assert len(readme) > 10_000
    text, _ = await read_text(client, "dockerhub://repositories/library/python/readme")
    first = text.split("\n", 1)[0]
    assert f"{len(readme):,} characters" in first and "https://hub.docker.com/_/python" in first
    assert len(text) <= 4_500
    headings = [line for line in readme.split("\n") if line.startswith("# ")]
    assert headings and all(heading in text for heading in headings), "every top-level section heading is kept"
    assert "docker run --rm -it python:latest" in text, "the usage section survives the cut"
    assert text.count("```") % 2 == 0, "no code fence left open"


async def test_a_short_readme_comes_whole_and_a_missing_one_says_so(client: Client) -> None:
    readme = default_catalog().get("someuser", "python-tools").full_description
    text, _ = await read_text(client, "dockerhub://repositories/someuser/python-tools/readme")
    assert f"{len(readme):,} characters, complete" in text and readme.strip() in text
    empty, _ = await read_text(client, "dockerhub://repositories/someuser/legacy-scraper/readme")
    assert "has no README" in empty


async def test_tag_table_is_newest_first_with_aliases_on_one_row(client: Client) -> None:
    text, _ = await read_text(client, "dockerhub://repositories/library/python/tags")
    python = default_catalog().get("library", "python")
    rows = [line for line in text.split("\n") if line.startswith("| ") and not line.startswith("| tags")]
    dates = [row.split(" | ")[1] for row in rows]
    assert dates == sorted(dates, reverse=True), "newest first under either reading of Hub's ordering"
    newest = max(t.last_updated for t in python.tags)[:10]
    assert dates[0] == newest
    assert f"{len(python.tags):,} tags" in text and "the newest 100" in text
    latest = python.tag("latest")
    row = next(r for r in rows if "latest" in r.split(" | ")[0].removeprefix("| ").split(", "))
    aliases = {t.name for t in python.tags if t.digest == latest.digest}
    assert set(row.split(" | ")[0].removeprefix("| ").split(", ")) == aliases
    assert "arm64/v8" in row and f"{latest.full_size / 1e6:.1f}" in row
    shown = sum(len(r.split(" | ")[0].split(", ")) for r in rows)
    assert shown == 100 and len(rows) < 50


async def test_missing_repository_is_not_found_for_every_repository_resource(client: Client) -> None:
    for suffix in ("", "/readme", "/tags"):
        with pytest.raises(MCPError) as err:
            await client.read_resource(f"dockerhub://repositories/nosuch/thing{suffix}")
        assert err.value.code == INVALID_PARAMS and "does not exist" in err.value.message, suffix


async def test_repository_and_tag_by_uri(client: Client) -> None:
    repo = await read_json(client, "dockerhub://repositories/library/python")
    assert repo["reference"] == "python" and "readme" not in repo
    tag = await read_json(client, "dockerhub://repositories/library/python/tags/3.13-slim")
    assert tag["exists"] is True and tag["reference"] == "python:3.13-slim"
    missing = await read_json(client, "dockerhub://repositories/library/python/tags/3.99")
    assert missing["exists"] is False and missing["alternatives"][0]["tag"] == "3.14"


async def test_unknown_repository_is_resource_not_found(client: Client) -> None:
    with pytest.raises(MCPError) as err:
        await client.read_resource("dockerhub://repositories/nosuch/thing")
    assert err.value.code == INVALID_PARAMS and "does not exist" in str(err.value)


async def test_other_failures_are_resource_errors(hub: FakeHub, client: Client) -> None:
    hub.fail_path("/v2/namespaces/library/repositories/python", 400)
    with pytest.raises(MCPError) as err:
        await client.read_resource("dockerhub://repositories/library/python/readme")
    assert err.value.code == -32603 and "rejected the request" in err.value.message


async def test_lifecycle_resource(client: Client) -> None:
    python = await read_json(client, "hub-mcp://lifecycle/python")
    versions = [row["version"] for row in python["supported"]]
    assert "3.14" in versions and "3.10" not in versions and "3.8" not in versions
    assert all(row["source"] for row in python["supported"]) and python["table_taken"]
    with pytest.raises(MCPError) as err:
        await client.read_resource("hub-mcp://lifecycle/cobol")
    assert err.value.code == INVALID_PARAMS and "known runtimes" in str(err.value)


def _pushed(repo: object) -> str:
    return max(t.last_updated for t in repo.tags)  # type: ignore[attr-defined]


async def test_a_namespace_lists_its_repositories_newest_first(client: Client) -> None:
    listed = await read_json(client, "dockerhub://namespaces/bitnami")
    expected = sorted(default_catalog().in_namespace("bitnami"), key=_pushed, reverse=True)
    assert [row["name"] for row in listed["repositories"]] == [r.name for r in expected]
    assert listed["total"] == len(expected) and listed["order"] == "newest"


async def test_a_namespace_shows_private_repositories_only_to_those_who_may_see_them(hub: FakeHub, mode: str) -> None:
    anonymous = create_server(make_settings(), hub_transport=httpx.ASGITransport(app=hub.app))
    owner = create_server(
        make_settings(username="alice", pat_token=ALICE_PAT), hub_transport=httpx.ASGITransport(app=hub.app)
    )
    seen = {}
    for who, server in (("anonymous", anonymous), ("alice", owner)):
        async with Client(server, mode=mode) as c:
            try:
                listed = await read_json(c, "dockerhub://namespaces/alice")
                seen[who] = {row["name"]: row.get("private") for row in listed["repositories"]}
            except MCPError as exc:
                seen[who] = exc.error.code
    assert seen["alice"].get("private-app") is True
    assert seen["anonymous"] == INVALID_PARAMS or "private-app" not in seen["anonymous"]


async def test_an_unknown_namespace_is_resource_not_found(client: Client) -> None:
    with pytest.raises(MCPError) as err:
        await client.read_resource("dockerhub://namespaces/nosuchspace")
    assert err.value.error.code == INVALID_PARAMS
