"""plan_tag_cleanup and apply_tag_cleanup through an MCP client against the stateful fake Hub: declined (nothing
deleted), accepted (exactly the plan), a tag moved since the plan (skipped, said), a 429 mid-plan (Retry-After
honoured, and a rate limit that holds: the rest is left, a second run finishes), a client that cannot ask (typed
confirmation), an unknown plan, and the read-only mode (apply not offered)."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

import httpx
import pytest
from mcp import Client, types

from hub_mcp.server import create_server
from tests.cleanup.fixtures import NOW, add_repository, digest_of, many
from tests.fakes.hub import FakeHub
from tests.server.conftest import make_settings
from tests.server.test_repository_management import Person, text

ALICE_PAT = "dckr_pat_alice_cleanup_tools"
RULES = {"repository": "alice/builds", "older_than_days": 89, "keep": ["v*"]}


def fake(**options: Any) -> FakeHub:
    hub = FakeHub(users={"alice": ALICE_PAT}, scopes={"alice": "repo:admin"}, **options)
    add_repository(hub, "alice", "builds", many(120))  # 120 builds: those pushed more than 89 days ago go (30)
    return hub


@asynccontextmanager
async def session(
    hub: FakeHub, person: Person | None = None, app: Any = None, **settings: Any
) -> AsyncIterator[Client]:
    server = create_server(
        make_settings(username="alice", pat_token=ALICE_PAT, **settings),
        hub_transport=httpx.ASGITransport(app=app or hub.app),
        today=NOW.date(),
    )
    options: dict[str, Any] = {"elicitation_callback": person} if person else {}
    async with Client(server, mode="auto", **options) as client:
        yield client


def tags(hub: FakeHub) -> set[str]:
    repo = hub.catalog.get("alice", "builds")
    assert repo is not None
    return {t.name for t in repo.tags}


def deletes(hub: FakeHub) -> list[str]:
    return [r.path.rsplit("/tags/", 1)[1].strip("/") for r in hub.requests if r.method == "DELETE"]


async def plan(client: Client, **rules: Any) -> dict[str, Any]:
    result = await client.call_tool("plan_tag_cleanup", {**RULES, **rules})
    assert not result.is_error, text(result)
    assert result.structured_content is not None
    return result.structured_content


async def test_declined_deletes_nothing() -> None:
    hub = fake(enforce_rate_limit=False)
    person = Person("decline")
    async with session(hub, person) as client:
        planned = await plan(client)
        result = await client.call_tool("apply_tag_cleanup", {"plan_id": planned["plan_id"]})
    assert not result.is_error and result.structured_content["applied"] is False
    assert "declined" in result.structured_content["message"] and deletes(hub) == []
    assert planned["delete_count"] == 30 and len(tags(hub)) == 124
    [question] = person.questions  # asked once, for the whole plan
    assert f"30 tags of alice/builds" in question and "build-119" in question and "and 10 more" in question


async def test_accepted_deletes_exactly_the_plan_with_progress() -> None:
    hub = fake(enforce_rate_limit=False)
    progress: list[float] = []

    async def on_progress(done: float, total: float | None, message: str | None) -> None:
        progress.append(done)

    async with session(hub, Person("accept")) as client:
        planned = await plan(client)
        before = tags(hub)
        result = await client.call_tool(
            "apply_tag_cleanup", {"plan_id": planned["plan_id"]}, progress_callback=on_progress
        )
    assert not result.is_error, text(result)
    answer = result.structured_content
    planned_names = {t["tag"] for t in planned["delete"]}
    assert answer["applied"] and answer["deleted"] == 30 == len(planned_names)
    assert set(deletes(hub)) == planned_names and before - tags(hub) == planned_names
    assert {"v1", "v2", "v3", "latest"} <= tags(hub)
    assert progress and progress[-1] == 30


async def test_a_tag_moved_since_the_plan_is_skipped_and_said() -> None:
    hub = fake(enforce_rate_limit=False)
    async with session(hub, Person("accept")) as client:
        planned = await plan(client)
        moved = planned["delete"][3]["tag"]
        repo = hub.catalog.get("alice", "builds")
        assert repo is not None
        next(t for t in repo.tags if t.name == moved).digest = digest_of("rebuilt")  # pushed again meanwhile
        result = await client.call_tool("apply_tag_cleanup", {"plan_id": planned["plan_id"]})
    answer = result.structured_content
    assert answer["deleted"] == 29 and answer["skipped"] == 1 and answer["already_gone"] == 0
    assert moved in tags(hub) and moved not in deletes(hub)
    [changed] = [r for r in answer["results"] if r["result"] == "changed"]
    assert changed["tag"] == moved and "now sha256:" in changed["detail"]


def throttle_nth_delete(app: Any, nth: int) -> Any:
    """Hub answering one DELETE with 429 and Retry-After: 2 [documented: hub-api.md, Rate limits: 429 with
    Retry-After], then as usual."""
    seen = {"deletes": 0}

    async def wrapped(scope: Any, receive: Any, send: Any) -> None:
        if scope["type"] == "http" and scope["method"] == "DELETE":
            seen["deletes"] += 1
            if seen["deletes"] == nth:
                await send({"type": "http.response.start", "status": 429,
                            "headers": [(b"retry-after", b"2"), (b"content-type", b"application/json")]})
                await send({"type": "http.response.body", "body": b'{"detail": "Too Many Requests"}'})
                return
        await app(scope, receive, send)

    return wrapped


async def test_a_429_mid_plan_is_waited_out_and_the_plan_goes_on(waits: list[float]) -> None:
    hub = fake(enforce_rate_limit=False)
    async with session(hub, Person("accept"), app=throttle_nth_delete(hub.app, 5)) as client:
        planned = await plan(client)
        result = await client.call_tool("apply_tag_cleanup", {"plan_id": planned["plan_id"]})
    assert result.structured_content["deleted"] == 30 and 2.0 in waits


async def test_a_rate_limit_that_holds_leaves_the_rest_and_runs_again_finish_it() -> None:
    hub = fake(rate_limit=20, rate_window=1)  # 20 requests a second: the apply runs into it, a second later it is over
    runs: list[dict[str, Any]] = []
    async with session(hub, Person("accept")) as client:
        planned = await plan(client)
        for _ in range(6):
            result = await client.call_tool("apply_tag_cleanup", {"plan_id": planned["plan_id"]})
            assert not result.is_error, text(result)
            runs.append(result.structured_content or {})
            if not runs[-1]["not_tried"]:
                break
            await asyncio.sleep(1.1)  # the window passes (the server's own budget honours Hub's reset too)
    first = runs[0]
    assert 0 < first["deleted"] < 30 and first["not_tried"] == 30 - first["deleted"]
    assert "Not tried: Docker Hub's rate limit held" in first["message"]
    assert len(first["results"]) <= 2 * 20  # bounded per outcome
    assert len(runs) > 1 and runs[-1]["not_tried"] == 0
    assert sum(run["deleted"] for run in runs) == 30  # each planned tag deleted once, in all
    assert all(run["deleted"] + run["already_gone"] + run["not_tried"] == 30 for run in runs)
    assert not ({t["tag"] for t in planned["delete"]} & tags(hub)) and {"v1", "latest"} <= tags(hub)


async def test_a_client_that_cannot_ask_confirms_by_typing_the_plan_id() -> None:
    hub = fake(enforce_rate_limit=False)
    async with session(hub) as client:
        planned = await plan(client)
        first = (await client.call_tool("apply_tag_cleanup", {"plan_id": planned["plan_id"]})).structured_content
        assert first["applied"] is False and f"confirm='{planned['plan_id']}'" in first["message"]
        assert deletes(hub) == []
        wrong = (await client.call_tool("apply_tag_cleanup", {"plan_id": planned["plan_id"], "confirm": "yes"})).structured_content
        assert wrong["applied"] is False and deletes(hub) == []
        done = await client.call_tool("apply_tag_cleanup", {"plan_id": planned["plan_id"], "confirm": planned["plan_id"]})
    assert done.structured_content["deleted"] == 30


async def test_an_unknown_plan_is_one_sentence_and_nothing_is_asked() -> None:
    hub = fake(enforce_rate_limit=False)
    person = Person("accept")
    async with session(hub, person) as client:
        result = await client.call_tool("apply_tag_cleanup", {"plan_id": "cleanup-0123456789abcdef"})
    assert result.is_error and "call plan_tag_cleanup again" in text(result) and person.questions == []


async def test_read_only_mode_offers_the_plan_but_not_its_application() -> None:
    hub = fake(enforce_rate_limit=False)
    async with session(hub, read_only=True) as client:
        names = {tool.name for tool in (await client.list_tools()).tools}
        assert "plan_tag_cleanup" in names and "apply_tag_cleanup" not in names
        refused = await client.call_tool("apply_tag_cleanup", {"plan_id": "cleanup-0123456789abcdef"})
    assert refused.is_error and "read-only mode" in text(refused) and deletes(hub) == []


async def test_a_plan_that_deletes_nothing_is_said_and_applying_it_asks_nobody() -> None:
    hub = fake(enforce_rate_limit=False)
    person = Person("accept")
    async with session(hub, person) as client:
        planned = await plan(client, older_than_days=5000)
        assert planned["delete_count"] == 0 and "nothing to delete" in planned["message"]
        result = await client.call_tool("apply_tag_cleanup", {"plan_id": planned["plan_id"]})
    assert result.is_error and "deletes no tag" in text(result) and person.questions == [] and deletes(hub) == []


async def test_a_pattern_that_matches_nothing_and_a_repository_this_login_cannot_change_are_said() -> None:
    hub = fake(enforce_rate_limit=False)
    async with session(hub, Person("accept")) as client:
        regex = await plan(client, keep=["v[0-9]+"], older_than_days=1)
        other = await client.call_tool("plan_tag_cleanup", {"repository": "library/python", "older_than_days": 3650})
    assert "keep 'v[0-9]+' matched no tag: patterns are shell globs" in regex["message"]
    assert {"v1", "v2", "v3"} <= {t["tag"] for t in regex["delete"]}  # not protected by a pattern that matched none
    assert not other.is_error and "applying would be refused" in (other.structured_content or {})["message"]


async def test_a_plan_applied_to_the_end_is_done_and_nobody_is_asked_again() -> None:
    hub = fake(enforce_rate_limit=False)
    person = Person("accept")
    async with session(hub, person) as client:
        planned = await plan(client)
        first = await client.call_tool("apply_tag_cleanup", {"plan_id": planned["plan_id"]})
        again = await client.call_tool("apply_tag_cleanup", {"plan_id": planned["plan_id"]})
    assert (first.structured_content or {})["deleted"] == 30 and len(person.questions) == 1
    assert again.is_error and "is done: every tag it names is already gone" in text(again)
