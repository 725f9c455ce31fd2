"""Completions through mcp.Client (both modes, both ordering readings): template and prompt
arguments complete from the fake Hub and from local tables, with bounded requests, never an error."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator

import pytest
from mcp import Client
from mcp.types import PromptReference, ResourceTemplateReference

from hub_mcp.hub.completion import MAX_VALUES
from tests.fakes.catalog import default_catalog
from tests.fakes.hub import FakeHub
from tests.server.conftest import ALICE_PAT, client_of

TAG = ResourceTemplateReference(uri="dockerhub://repositories/{namespace}/{name}/tags/{tag}")
REPOSITORY = ResourceTemplateReference(uri="dockerhub://repositories/{namespace}/{name}")
TABLE = ResourceTemplateReference(uri="dockerhub://repositories/{namespace}/{name}/tags")
LIFECYCLE = ResourceTemplateReference(uri="hub-mcp://lifecycle/{runtime}")
EXPLAIN = PromptReference(name="explain-image")
CHOOSE = PromptReference(name="choose-base-image")
AUDIT = PromptReference(name="audit-dockerfile")


async def values(
    client: Client,
    ref: PromptReference | ResourceTemplateReference,
    name: str,
    value: str,
    known: dict[str, str] | None = None,
) -> list[str]:
    result = await client.complete(ref, {"name": name, "value": value}, known)
    return result.completion.values


def python_tags(prefix: str) -> set[str]:
    return {t.name for t in default_catalog().get("library", "python").tags if t.name.startswith(prefix)}


async def test_official_name_from_a_prefix(client: Client) -> None:
    assert await values(client, REPOSITORY, "name", "pyth", {"namespace": "library"}) == ["python"]
    assert await values(client, TABLE, "name", "pyth") == ["python"], "library when no namespace is given"


async def test_name_within_the_namespace_of_the_context(client: Client) -> None:
    assert await values(client, TAG, "name", "re", {"namespace": "bitnami"}) == ["redis"]
    assert await values(client, EXPLAIN, "name", "bitnami/po") == ["bitnami/postgresql"]


async def test_tags_of_the_repository_in_the_context(client: Client) -> None:
    result = await client.complete(TAG, {"name": "tag", "value": "3.12"}, {"namespace": "library", "name": "python"})
    assert set(result.completion.values) == python_tags("3.12")
    assert result.completion.total == len(python_tags("3.12")) and not result.completion.has_more
    broad = await client.complete(TAG, {"name": "tag", "value": "3.1"}, {"namespace": "library", "name": "python"})
    assert broad.completion.values and all(v.startswith("3.1") for v in broad.completion.values)
    assert len(broad.completion.values) <= MAX_VALUES
    assert await values(client, EXPLAIN, "tag", "8.2", {"name": "bitnami/redis"}) == [
        "8.2.2-debian-12-r3",
        "8.2.2",
        "8.2",
    ]


async def test_tag_without_a_repository_completes_to_nothing(hub: FakeHub, client: Client) -> None:
    before = len(hub.requests)
    assert await values(client, TAG, "tag", "3") == []
    assert len(hub.requests) == before


async def test_namespace(client: Client) -> None:
    assert "bitnami" in await values(client, TAG, "namespace", "bit")
    assert await values(client, EXPLAIN, "namespace", "lib") == ["library"]


async def test_local_completions(client: Client) -> None:
    assert await values(client, LIFECYCLE, "runtime", "pyth") == ["python"]
    assert await values(client, CHOOSE, "what", "nod") == ["node"]
    versions = await values(client, CHOOSE, "version", "3.1", {"what": "python"})
    assert "3.14" in versions and "3.8" not in versions and all(v.startswith("3.1") for v in versions)
    assert await values(client, CHOOSE, "priorities", "small, s") == ["small, secure"]
    assert "linux/amd64, linux/arm64" in await values(client, AUDIT, "platforms", "linux/amd64, linux/arm6")
    assert await values(client, AUDIT, "dockerfile", "FROM") == []


async def test_keystrokes_sent_together_cost_one_request(hub: FakeHub, client: Client) -> None:
    before = hub.request_count("/api/search/v4")
    answers = await asyncio.gather(
        *(values(client, REPOSITORY, "name", typed, {"namespace": "library"}) for typed in ("p", "py", "pyt", "pyth"))
    )
    assert hub.request_count("/api/search/v4") - before == 1
    assert answers[-1] == ["python"]
    for typed in ("pytho", "python"):
        assert await values(client, REPOSITORY, "name", typed, {"namespace": "library"}) == ["python"]
    assert hub.request_count("/api/search/v4") - before == 1, "the complete answer for 'pyth' answers the rest"


@pytest.fixture
async def fragile(hub: FakeHub, mode: str) -> AsyncIterator[Client]:
    async with client_of(hub, mode, max_retries=0) as c:
        yield c


async def test_upstream_failure_is_an_empty_completion(hub: FakeHub, fragile: Client) -> None:
    hub.fail_path("/api/search/v4", 503)
    hub.fail_path("/v2/namespaces/library/repositories/python/tags", 500)
    result = await fragile.complete(REPOSITORY, {"name": "name", "value": "pyth"}, {"namespace": "library"})
    assert result.completion.values == []
    assert await values(fragile, TAG, "tag", "3.1", {"name": "python"}) == []
    hub.clear_faults()
    assert await values(fragile, REPOSITORY, "name", "pyth", {"namespace": "library"}) == ["python"]


async def test_private_namespace_of_the_user(hub: FakeHub, mode: str) -> None:
    async with client_of(hub, mode, username="alice", pat_token=ALICE_PAT) as client:
        assert "alice" in await values(client, TAG, "namespace", "al")
        tags = await values(client, TAG, "tag", "v1", {"namespace": "alice", "name": "private-app"})
        assert set(tags) == {"v1.2.0", "v1.1.0"}


async def test_the_server_offers_completions(client: Client) -> None:
    capabilities = client.server_capabilities
    assert capabilities is not None and capabilities.completions is not None


async def test_a_namespace_argument_completes_in_any_template(client: Client) -> None:
    """Arguments complete by name: the namespaces resource (dockerhub://namespaces/{namespace},
    added with the repository list) gets namespace completion without a change here."""
    namespaces = ResourceTemplateReference(uri="dockerhub://namespaces/{namespace}")
    assert "bitnami" in await values(client, namespaces, "namespace", "bitn")


async def test_a_slow_hub_gives_an_empty_completion_within_the_bound(hub: FakeHub, mode: str) -> None:
    """A completion answers while someone types: when Hub is slow it offers nothing, promptly."""
    import time

    hub.latency = 5.0
    async with client_of(hub, mode, call_timeout=1) as client:
        started = time.monotonic()
        found = await values(client, REPOSITORY, "name", "pyth", {"namespace": "library"})
        took = time.monotonic() - started
    assert found == [] and took < 3, took
