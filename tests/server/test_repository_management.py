"""The write tools through an MCP client, both client modes and both ``ordering`` readings: a whole
lifecycle against the stateful fake Hub, every way a deletion can be refused (nothing deleted, no
DELETE sent), refusals that name the fix, and no secret in any output, error or log line."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from typing import Any

import httpx
import pytest
from mcp import Client, types

from hub_mcp.server import create_server
from hub_mcp.server import repositories as repository_tools
from tests.fakes.hub import FakeHub
from tests.server.conftest import make_settings

ALICE_PAT = "dckr_pat_alice_lifecycle_secret"
BOB_PAT = "dckr_pat_bob_member_secret"
READER_PAT = "dckr_pat_reader_readonly_secret"
ACME_OAT = "dckr_oat_acme_org_secret"
SECRETS = (ALICE_PAT, BOB_PAT, READER_PAT, ACME_OAT)


@pytest.fixture
def hub(reading: str) -> FakeHub:
    return FakeHub(
        users={"alice": ALICE_PAT, "bob": BOB_PAT, "reader": READER_PAT, "acme": ACME_OAT},
        organizations={"acme": {"alice": "Owner", "bob": "Member"}},
        scopes={"alice": "repo:admin", "bob": "repo:admin", "reader": "repo:read", "acme": "repo:admin"},
        ordering_convention=reading,  # type: ignore[arg-type]
    )


Answer = Callable[[types.ElicitRequestParams], types.ElicitResult]


class Person:
    """The human behind an eliciting client: answers each question as told, and remembers it."""

    def __init__(self, answer: str = "accept", tick: bool = True) -> None:
        self.answer = answer
        self.tick = tick
        self.questions: list[str] = []

    async def __call__(self, context: Any, params: types.ElicitRequestParams) -> types.ElicitResult:
        self.questions.append(params.message)
        if self.answer == "accept":
            return types.ElicitResult(action="accept", content={"delete": self.tick})
        return types.ElicitResult(action=self.answer)  # type: ignore[arg-type]


@asynccontextmanager
async def session(
    hub: FakeHub, mode: str, person: Person | None = None, user: str | None = "alice", secret: str | None = ALICE_PAT
) -> AsyncIterator[Client]:
    settings = make_settings(username=user, pat_token=secret) if user else make_settings()
    server = create_server(settings, hub_transport=httpx.ASGITransport(app=hub.app))
    options: dict[str, Any] = {"elicitation_callback": person} if person else {}
    async with Client(server, mode=mode, **options) as client:
        yield client


def deletes(hub: FakeHub) -> list[str]:
    return [r.path for r in hub.requests if r.method == "DELETE"]


def text(result: types.CallToolResult) -> str:
    return " ".join(block.text for block in result.content if isinstance(block, types.TextContent))


def push(hub: FakeHub, name: str, *tags: str) -> None:
    for tag in tags:
        hub.push_tag("alice", name, tag, ("alice", "private-app", "latest"))


# --- the lifecycle ------------------------------------------------------------------------


@pytest.mark.anyio
async def test_lifecycle_create_update_list_delete_tag_delete_repository(hub: FakeHub, mode: str) -> None:
    person = Person("accept")
    async with session(hub, mode, person) as client:
        created = await client.call_tool(
            "create_repository", {"name": "shop-api", "description": "The shop's API", "private": True}
        )
        assert not created.is_error, text(created)
        assert created.structured_content["repository"] == "alice/shop-api"
        repo = hub.catalog.get("alice", "shop-api")
        assert repo is not None and repo.is_private and repo.description == "The shop's API" and repo.status == 1

        updated = await client.call_tool("update_repository", {"repository": "alice/shop-api", "readme": "# Shop API"})
        assert not updated.is_error and updated.structured_content["changed"] == ["readme"]
        assert repo.full_description == "# Shop API" and repo.description == "The shop's API" and repo.status == 1
        assert hub.write_bodies[-1][2] == {"full_description": "# Shop API"}  # no status, nothing else

        push(hub, "shop-api", "v1", "v2")
        listed = await client.call_tool("list_repositories", {"namespace": "alice", "ordering": "name"})
        assert not listed.is_error
        rows = {row["name"]: row for row in listed.structured_content["repositories"]}
        assert rows["shop-api"]["private"] is True and rows["shop-api"]["description"] == "The shop's API"

        tag_gone = await client.call_tool("delete_tag", {"repository": "alice/shop-api", "tag": "v1"})
        assert not tag_gone.is_error and tag_gone.structured_content["deleted"] is True
        assert [t.name for t in repo.tags] == ["v2"]
        assert "platforms: linux/amd64, linux/arm64/v8" in person.questions[-1]
        assert "alice/shop-api:v1" in person.questions[-1] and "last push:" in person.questions[-1]

        repo_gone = await client.call_tool("delete_repository", {"repository": "alice/shop-api"})
        assert not repo_gone.is_error and repo_gone.structured_content["deleted"] is True
        assert hub.catalog.get("alice", "shop-api") is None
        question = person.questions[-1]
        assert "alice/shop-api" in question and "1 tag(s)" in question and "v2" in question and "pulls: 0" in question
        assert deletes(hub) == ["/v2/repositories/alice/shop-api/tags/v1/", "/v2/repositories/alice/shop-api/"]

        after = await client.call_tool("list_repositories", {"namespace": "alice"})
        assert "shop-api" not in [row["name"] for row in after.structured_content["repositories"]]


# --- nothing goes without a yes -------------------------------------------------------------


@pytest.mark.anyio
@pytest.mark.parametrize(
    ("answer", "tick", "says"),
    [("decline", True, "the person declined"), ("cancel", True, "the person cancelled"),
     ("accept", False, "did not tick 'delete'")],
)
async def test_no_yes_deletes_nothing(hub: FakeHub, mode: str, answer: str, tick: bool, says: str) -> None:
    person = Person(answer, tick)
    async with session(hub, mode, person) as client:
        for tool, args in (
            ("delete_repository", {"repository": "alice/private-app"}),
            ("delete_tag", {"repository": "alice/private-app", "tag": "latest"}),
        ):
            result = await client.call_tool(tool, args)
            assert not result.is_error, text(result)
            assert result.structured_content["deleted"] is False
            assert says in result.structured_content["message"] and "Nothing was deleted" in result.structured_content["message"]
    assert len(person.questions) == 2
    assert deletes(hub) == []
    repo = hub.catalog.get("alice", "private-app")
    assert repo is not None and repo.tag("latest") is not None


@pytest.mark.anyio
async def test_wrong_confirm_deletes_nothing_and_asks_nobody(hub: FakeHub, mode: str) -> None:
    person = Person("accept")
    for who in (person, None):
        async with session(hub, mode, who) as client:
            for confirm in ("private-app", "alice/private-app:latest", "ALICE/PRIVATE-APP", "alice/other"):
                result = await client.call_tool(
                    "delete_repository", {"repository": "alice/private-app", "confirm": confirm}
                )
                message = result.structured_content["message"]
                assert result.structured_content["deleted"] is False
                assert "Nothing was deleted" in message and "confirm='alice/private-app'" in message
            tag = await client.call_tool(
                "delete_tag", {"repository": "alice/private-app", "tag": "latest", "confirm": "alice/private-app"}
            )
            assert tag.structured_content["deleted"] is False
            assert "confirm='alice/private-app:latest'" in tag.structured_content["message"]
    assert person.questions == []
    assert deletes(hub) == [] and hub.catalog.get("alice", "private-app") is not None


@pytest.mark.anyio
async def test_client_without_elicitation_needs_the_typed_reference(hub: FakeHub, mode: str) -> None:
    async with session(hub, mode, None) as client:
        first = await client.call_tool("delete_repository", {"repository": "alice/private-app"})
        assert not first.is_error and first.structured_content["deleted"] is False
        assert "cannot ask the person" in first.structured_content["message"]
        assert first.structured_content["reference"] == "alice/private-app"
        assert any(line.startswith("3 tag(s)") for line in first.structured_content["what_goes"])
        assert deletes(hub) == []

        tag = await client.call_tool(
            "delete_tag", {"repository": "alice/private-app", "tag": "v1.1.0", "confirm": "alice/private-app:v1.1.0"}
        )
        assert tag.structured_content["deleted"] is True
        assert hub.catalog.get("alice", "private-app").tag("v1.1.0") is None  # type: ignore[union-attr]

        typed = await client.call_tool("delete_repository", {"repository": "alice/private-app", "confirm": "alice/private-app"})
        assert typed.structured_content["deleted"] is True
    assert hub.catalog.get("alice", "private-app") is None
    assert deletes(hub) == ["/v2/repositories/alice/private-app/tags/v1.1.0/", "/v2/repositories/alice/private-app/"]


@pytest.mark.anyio
async def test_sdk_question_to_a_client_without_elicitation_deletes_nothing(
    hub: FakeHub, mode: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Should the capability check ever say yes wrongly, the SDK refuses to ask (a protocol error
    or an error result): the call still deletes nothing."""
    monkeypatch.setattr(repository_tools, "can_elicit", lambda ctx: True)
    async with session(hub, mode, None) as client:
        try:
            result = await client.call_tool(
                "delete_repository", {"repository": "alice/private-app", "confirm": "alice/private-app"}
            )
        except Exception as exc:  # the SDK's MISSING_REQUIRED_CLIENT_CAPABILITY error
            assert "elicitation" in str(exc).lower()
        else:
            assert result.is_error or result.structured_content["deleted"] is False
    assert deletes(hub) == [] and hub.catalog.get("alice", "private-app") is not None


@pytest.mark.anyio
async def test_a_client_that_can_ask_asks_even_with_the_right_confirm(hub: FakeHub, mode: str) -> None:
    person = Person("decline")
    async with session(hub, mode, person) as client:
        result = await client.call_tool("delete_repository", {"repository": "alice/private-app", "confirm": "alice/private-app"})
        assert result.structured_content["deleted"] is False and "declined" in result.structured_content["message"]
    assert len(person.questions) == 1 and deletes(hub) == []


# --- refusals that name the fix ------------------------------------------------------------


@pytest.mark.anyio
async def test_member_of_an_organization_is_refused_before_being_asked(hub: FakeHub, mode: str) -> None:
    person = Person("accept")
    async with session(hub, mode, person, "bob", BOB_PAT) as client:
        result = await client.call_tool("delete_repository", {"repository": "acme/internal-api"})
        assert result.is_error
        assert "bob (its role in acme: member) may read acme/internal-api but not change it" in text(result)
        created = await client.call_tool("create_repository", {"name": "tooling", "namespace": "acme"})
        assert created.is_error and "bob is only a member of the organization acme" in text(created)
        namespaces = await client.call_tool("list_namespaces", {})
        assert {"name": "acme", "kind": "organization", "role": "member", "can_create": False} in (
            namespaces.structured_content["namespaces"]
        )
    assert person.questions == [] and deletes(hub) == []
    assert hub.catalog.get("acme", "internal-api") is not None and hub.catalog.get("acme", "tooling") is None


@pytest.mark.anyio
async def test_without_credentials_writes_say_what_to_set(hub: FakeHub, mode: str) -> None:
    async with session(hub, mode, Person("accept"), None, None) as client:
        for tool, args in (
            ("create_repository", {"name": "x1", "namespace": "alice"}),
            ("update_repository", {"repository": "alice/private-app", "description": "x"}),
            ("delete_repository", {"repository": "alice/private-app"}),
            ("delete_tag", {"repository": "alice/private-app", "tag": "latest"}),
            ("list_namespaces", {}),
        ):
            result = await client.call_tool(tool, args)
            assert result.is_error and "HUB_USERNAME and HUB_PAT_TOKEN" in text(result), (tool, text(result))
    assert [r for r in hub.requests if r.method != "GET"] == []


@pytest.mark.anyio
async def test_listing_repositories_anonymously_needs_a_namespace(hub: FakeHub, mode: str) -> None:
    async with session(hub, mode, None, None, None) as client:
        result = await client.call_tool("list_repositories", {})
        assert result.is_error and "Give namespace" in text(result) and "HUB_USERNAME" in text(result)
        public = await client.call_tool("list_repositories", {"namespace": "someuser", "ordering": "name"})
        assert [r["name"] for r in public.structured_content["repositories"]] == ["legacy-scraper", "python-tools"]
        assert public.structured_content["repositories"][0]["status"] == "archived"


@pytest.mark.anyio
async def test_read_only_mode_offers_no_write_tool_and_deletes_nothing(hub: FakeHub, mode: str) -> None:
    settings = make_settings(username="alice", pat_token=ALICE_PAT, read_only=True)
    server = create_server(settings, hub_transport=httpx.ASGITransport(app=hub.app))
    async with Client(server, mode=mode, elicitation_callback=Person("accept")) as client:
        names = {tool.name for tool in (await client.list_tools()).tools}
        assert {"list_namespaces", "list_repositories"} <= names
        assert not names & {"create_repository", "update_repository", "delete_tag", "delete_repository"}
        result = await client.call_tool("delete_repository", {"repository": "alice/private-app", "confirm": "alice/private-app"})
        assert result.is_error and "read-only mode" in text(result)
    assert deletes(hub) == [] and hub.catalog.get("alice", "private-app") is not None


@pytest.mark.anyio
async def test_read_only_token_is_told_the_scope_to_use(hub: FakeHub, mode: str) -> None:
    async with session(hub, mode, None, "reader", READER_PAT) as client:
        result = await client.call_tool("create_repository", {"name": "tool"})
        assert result.is_error
        assert "read-only or public-repo-only token cannot write" in text(result) and "Read & Write" in text(result)
    assert hub.catalog.get("reader", "tool") is None


@pytest.mark.anyio
async def test_rejected_credentials_read_public_and_refuse_writes(hub: FakeHub, mode: str) -> None:
    async with session(hub, mode, None, "alice", "dckr_pat_not_the_right_one") as client:
        read = await client.call_tool("get_repository", {"repository": "python"})
        assert not read.is_error and "rejected" in read.structured_content["notices"][0]
        write = await client.call_tool("create_repository", {"name": "shop"})
        assert write.is_error and "rejected the access token for 'alice'" in text(write) and "HUB_PAT_TOKEN" in text(write)
        namespaces = await client.call_tool("list_namespaces", {})
        assert namespaces.is_error and "rejected the access token for 'alice'" in text(namespaces)
    assert hub.catalog.get("alice", "shop") is None


@pytest.mark.anyio
async def test_existing_repository_is_not_created_twice(hub: FakeHub, mode: str) -> None:
    async with session(hub, mode) as client:
        result = await client.call_tool("create_repository", {"name": "private-app"})
        assert result.is_error and "alice/private-app already exists on Docker Hub: nothing was created" in text(result)
        bad = await client.call_tool("create_repository", {"name": "Shop API"})
        assert bad.is_error and "not a valid Docker Hub repository name" in text(bad) and "'shop-api'" in text(bad)
    assert [r.path for r in hub.requests if r.method == "POST"] == ["/v2/auth/token"]


@pytest.mark.anyio
async def test_token_expiring_mid_sequence_is_refreshed(hub: FakeHub, mode: str) -> None:
    async with session(hub, mode, Person("accept")) as client:
        assert not (await client.call_tool("create_repository", {"name": "shop"})).is_error
        hub.advance(700)  # the JWT expired on the fake's clock: 401, then a new login
        assert not (await client.call_tool("update_repository", {"repository": "alice/shop", "description": "d"})).is_error
        hub.advance(700)
        push(hub, "shop", "v1")
        gone = await client.call_tool("delete_repository", {"repository": "alice/shop"})
        assert gone.structured_content["deleted"] is True
    assert hub.catalog.get("alice", "shop") is None
    assert len([t for t in hub.issued_tokens if t.username == "alice"]) == 3


@pytest.mark.anyio
async def test_organization_token_lists_and_writes_its_organization(hub: FakeHub, mode: str) -> None:
    async with session(hub, mode, None, "acme", ACME_OAT) as client:
        listed = await client.call_tool("list_namespaces", {})
        assert [n["name"] for n in listed.structured_content["namespaces"]] == ["acme"]
        created = await client.call_tool("create_repository", {"name": "tooling"})
        assert created.structured_content["repository"] == "acme/tooling"
    assert hub.catalog.get("acme", "tooling") is not None


@pytest.mark.anyio
async def test_update_without_status_never_sends_status(hub: FakeHub, mode: str) -> None:
    async with session(hub, mode) as client:
        await client.call_tool("update_repository", {"repository": "alice/private-app", "description": "d"})
        await client.call_tool("update_repository", {"repository": "alice/private-app", "readme": "r"})
        await client.call_tool("update_repository", {"repository": "alice/private-app", "description": "e", "readme": "s"})
        nothing = await client.call_tool("update_repository", {"repository": "alice/private-app"})
        assert nothing.is_error and "Nothing to update" in text(nothing)
        patches = [body for method, _, body in hub.write_bodies if method == "PATCH"]
        assert len(patches) == 3 and all("status" not in body for body in patches)
        assert hub.catalog.get("alice", "private-app").status == 1  # type: ignore[union-attr]
        odd = await client.call_tool("update_repository", {"repository": "alice/private-app", "status": "inactive"})
        assert odd.is_error and 'status must be one of "active", "archived"' in text(odd)
        archived = await client.call_tool("update_repository", {"repository": "alice/private-app", "status": "archived"})
        assert archived.structured_content["status"] == "archived"
    assert hub.write_bodies[-1][2] == {"status": 6} and len([b for b in hub.write_bodies if b[0] == "PATCH"]) == 4
    assert hub.catalog.get("alice", "private-app").status == 6  # type: ignore[union-attr]


@pytest.mark.anyio
async def test_repository_list_pages_are_bounded_and_say_where_more_is(hub: FakeHub, mode: str) -> None:
    async with session(hub, mode) as client:
        for index in range(5):
            await client.call_tool("create_repository", {"name": f"svc{index}"})
        first = await client.call_tool("list_repositories", {"ordering": "name", "limit": 2})
        assert [r["name"] for r in first.structured_content["repositories"]] == ["private-app", "svc0"]
        assert first.structured_content["total"] == 6 and first.structured_content["next_page"] == 2
        last = await client.call_tool("list_repositories", {"ordering": "name", "limit": 2, "page": 3})
        assert [r["name"] for r in last.structured_content["repositories"]] == ["svc3", "svc4"]
        assert "next_page" not in last.structured_content
        past = await client.call_tool("list_repositories", {"ordering": "name", "limit": 2, "page": 4})
        assert past.is_error and "Page 4 is past the end: alice has 6 matching repositories" in text(past)
        big = await client.call_tool("list_repositories", {"limit": 101})
        assert big.is_error and "limit must be between 1 and 100" in text(big)


# --- secrets ---------------------------------------------------------------------------------


@pytest.mark.anyio
async def test_no_secret_in_any_output_error_or_log(hub: FakeHub, mode: str, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)
    seen: list[str] = []

    async def call(client: Client, tool: str, args: dict[str, Any]) -> None:
        result = await client.call_tool(tool, args)
        seen.append(text(result))
        seen.append(repr(result.structured_content))

    person = Person("accept")
    async with session(hub, mode, person) as client:
        await call(client, "list_namespaces", {})
        await call(client, "create_repository", {"name": "shop", "private": True})
        await call(client, "create_repository", {"name": "shop"})  # already exists
        await call(client, "update_repository", {"repository": "alice/shop", "readme": "# r"})
        push(hub, "shop", "v1", "v2")
        await call(client, "list_repositories", {})
        hub.advance(700)
        await call(client, "delete_tag", {"repository": "alice/shop", "tag": "v1"})
        person.answer = "decline"
        await call(client, "delete_repository", {"repository": "alice/shop"})
        await call(client, "delete_repository", {"repository": "alice/shop", "confirm": "wrong"})
        person.answer = "accept"
        await call(client, "delete_repository", {"repository": "alice/shop"})
        await call(client, "delete_repository", {"repository": "alice/nope"})
    for user, secret in (("bob", BOB_PAT), ("reader", READER_PAT), ("alice", "dckr_pat_wrong_secret")):
        async with session(hub, mode, None, user, secret) as client:
            await call(client, "create_repository", {"name": "x1", "namespace": "acme"})
            await call(client, "delete_repository", {"repository": "acme/internal-api", "confirm": "acme/internal-api"})
    seen.extend(person.questions)
    seen.extend(record.getMessage() for record in caplog.records)
    seen.extend(str(record.args) for record in caplog.records)
    everything = "\n".join(seen)
    jwts = [token.token for token in hub.issued_tokens]
    assert len(jwts) >= 4 and caplog.records
    for secret in (*SECRETS, "dckr_pat_wrong_secret", *jwts):
        assert secret not in everything
    assert "Deleted the repository alice/shop" in everything  # the capture did see the lifecycle


async def test_the_person_is_shown_what_hub_holds_now_not_a_cached_copy(hub: FakeHub, mode: str) -> None:
    person = Person(answer="decline")
    async with session(hub, mode, person) as client:
        before = await client.call_tool("get_tag", {"repository": "alice/private-app", "tag": "v1.1.0"})  # cached now
        push(hub, "private-app", "v1.1.0")  # pushed again by someone else, behind this server's cache
        await client.call_tool("delete_tag", {"repository": "alice/private-app", "tag": "v1.1.0"})
    old = before.structured_content["last_pushed"][:10]
    now = hub.catalog.get("alice", "private-app").tag("v1.1.0").last_updated[:10]  # type: ignore[union-attr]
    assert old != now
    assert person.questions and f"last push: {now}" in person.questions[0], person.questions
    assert deletes(hub) == []
