"""HubClient writes and HubManagement against the stateful fake Hub: what is sent, what Hub's state
becomes, which cached answers a write drops, and the sentence each refusal gives."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from hub_mcp.errors import Conflict, Forbidden, InvalidInput, NotFound, Unauthorized
from hub_mcp.hub.auth import HubAuth
from hub_mcp.hub.client import HubClient
from hub_mcp.hub.management import HubManagement, check_repository_name
from hub_mcp.hub.ordering import RepositoryOrder
from hub_mcp.hub.queries import RepositoryQuery, TagQuery
from hub_mcp.net.http import HttpClient
from tests.fakes.hub import FakeHub, _not_found

HUB = "https://hub.docker.com"
ALICE_PAT = "dckr_pat_alice_write_token"
BOB_PAT = "dckr_pat_bob_member_token"
READER_PAT = "dckr_pat_reader_read_only"
ACME_OAT = "dckr_oat_acme_org_token"


async def no_sleep(_: float) -> None:
    return None


def fake(**switches: Any) -> FakeHub:
    options: dict[str, Any] = {
        "users": {"alice": ALICE_PAT, "bob": BOB_PAT, "reader": READER_PAT, "acme": ACME_OAT},
        "organizations": {"acme": {"alice": "Owner", "bob": "Member"}},
        "scopes": {"alice": "repo:admin", "bob": "repo:admin", "reader": "repo:read", "acme": "repo:admin"},
    }
    options.update(switches)
    return FakeHub(**options)


def client_for(hub: FakeHub, username: str | None = "alice", secret: str | None = ALICE_PAT) -> HubClient:
    http = HttpClient(max_retries=1, retry_max_wait=1, sleep=no_sleep, transport=httpx.ASGITransport(app=hub.app))
    return HubClient(http, HUB, HubAuth(http, HUB, username, secret))


def sent(hub: FakeHub, method: str) -> list[str]:
    return [r.path for r in hub.requests if r.method == method]


# --- names ------------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["ab", "my-app", "a.b_c-d", "x" * 255, "v2"])
def test_valid_names_pass(name: str) -> None:
    assert check_repository_name(name) == name


@pytest.mark.parametrize(
    ("name", "suggested"),
    [("My_App", "'my_app'"), ("a", None), ("-app", "'app'"), ("app--x", "'app-x'"), ("x" * 256, None), ("my app", "'my-app'")],
)
def test_invalid_names_are_refused_with_a_name_that_would_do(name: str, suggested: str | None) -> None:
    with pytest.raises(InvalidInput) as caught:
        check_repository_name(name)
    message = str(caught.value)
    assert "not a valid Docker Hub repository name" in message and "Nothing was sent" in message
    if suggested:
        assert f"e.g. {suggested}" in message


async def test_invalid_name_sends_nothing() -> None:
    hub = fake()
    with pytest.raises(InvalidInput):
        await HubManagement(client_for(hub)).create_repository("Bad Name!")
    assert hub.requests == []


# --- create / update / delete ------------------------------------------------------------


async def test_create_update_delete_change_hubs_state() -> None:
    hub = fake()
    client = client_for(hub)
    created = await client.create_repository("alice", "shop", description="The shop", private=True)
    assert created.is_private is True
    repo = hub.catalog.get("alice", "shop")
    assert repo is not None and repo.is_private and repo.description == "The shop" and repo.status == 1

    await client.update_repository("alice", "shop", {"full_description": "# Shop"})
    assert repo.full_description == "# Shop" and repo.description == "The shop" and repo.status == 1
    assert hub.write_bodies[-1] == ("PATCH", "/v2/namespaces/alice/repositories/shop", {"full_description": "# Shop"})

    hub.push_tag("alice", "shop", "v1", ("alice", "private-app", "latest"))
    hub.push_tag("alice", "shop", "v2", ("alice", "private-app", "latest"))
    await client.delete_tag("alice", "shop", "v1")
    assert [t.name for t in repo.tags] == ["v2"]
    await client.delete_repository("alice", "shop")
    assert hub.catalog.get("alice", "shop") is None
    assert sent(hub, "DELETE") == ["/v2/repositories/alice/shop/tags/v1/", "/v2/repositories/alice/shop/"]


@pytest.mark.parametrize("status", [200, 202, 204])
async def test_every_deleted_status_counts_as_done(status: int) -> None:
    hub = fake(delete_status=status)
    client = client_for(hub)
    assert await client.delete_repository("alice", "private-app") == status
    assert hub.catalog.get("alice", "private-app") is None


async def test_a_write_drops_the_cached_answers_it_changes() -> None:
    hub = fake()
    client = client_for(hub)
    before = await client.list_repositories(RepositoryQuery("alice"))
    assert [r.name for r in before.results] == ["private-app"]
    again = await client.list_repositories(RepositoryQuery("alice"))  # from the cache: no new request
    assert again is before
    await client.create_repository("alice", "second")
    after = await client.list_repositories(RepositoryQuery("alice"))
    assert sorted(r.name for r in after.results) == ["private-app", "second"]

    tags = await client.list_tags(TagQuery("alice", "private-app"))
    info = await client.get_repository("alice", "private-app")
    await client.delete_tag("alice", "private-app", "v1.1.0")
    assert "v1.1.0" not in [t.name for t in (await client.list_tags(TagQuery("alice", "private-app"))).results]
    assert len(tags.results) == 3
    await client.update_repository("alice", "private-app", {"description": "new words"})
    assert (await client.get_repository("alice", "private-app")).description == "new words" != info.description


async def test_update_sends_only_the_fields_given_never_status() -> None:
    hub = fake()
    management = HubManagement(client_for(hub))
    await management.update_repository("alice/private-app", description="Only this")
    await management.update_repository("alice/private-app", readme="# Readme")
    bodies = [body for method, _, body in hub.write_bodies if method == "PATCH"]
    assert bodies == [{"description": "Only this"}, {"full_description": "# Readme"}]
    assert hub.catalog.get("alice", "private-app").status == 1  # type: ignore[union-attr]
    await management.update_repository("alice/private-app", status="archived")
    assert hub.write_bodies[-1][2] == {"status": 6}
    with pytest.raises(InvalidInput, match="Nothing to update"):
        await management.update_repository("alice/private-app")


@pytest.mark.parametrize("conflict_status", [400, 409])
async def test_already_exists_is_a_conflict_not_a_duplicate(conflict_status: int) -> None:
    hub = fake(conflict_status=conflict_status)
    client = client_for(hub)
    with pytest.raises(Conflict, match="already exists on Docker Hub: nothing was created"):
        await client.create_repository("alice", "private-app")
    assert sent(hub, "POST") == ["/v2/auth/token"]  # refused before the POST: the repository was visible

    class Hidden(FakeHub):
        """Hub's own "already exists" answer: the check before the POST does not see the repository."""

        async def _repository(self, request: Any, p: dict[str, str], user: str | None) -> Any:
            raise _not_found()

    hidden = Hidden(users={"alice": ALICE_PAT}, scopes={"alice": "repo:admin"}, conflict_status=conflict_status)
    with pytest.raises(Conflict, match="already exists"):
        await client_for(hidden).create_repository("alice", "private-app")
    assert len([r for r in hidden.catalog.repositories if r.full_name == "alice/private-app"]) == 1


# --- refusals ----------------------------------------------------------------------------


async def test_no_credentials_refuse_every_write_with_the_fix() -> None:
    hub = fake()
    client = client_for(hub, None, None)
    for call in (
        client.create_repository("alice", "x1"),
        client.update_repository("alice", "private-app", {"description": "x"}),
        client.delete_repository("alice", "private-app"),
        client.delete_tag("alice", "private-app", "latest"),
    ):
        with pytest.raises(Unauthorized, match="set HUB_USERNAME and HUB_PAT_TOKEN.*or run `docker login`"):
            await call
    assert hub.requests == []


async def test_rejected_credentials_refuse_writes_and_keep_public_reads() -> None:
    hub = fake()
    client = client_for(hub, "alice", "dckr_pat_wrong")
    assert (await client.get_repository("library", "python")).name == "python"
    assert client.auth.notice and "rejected" in client.auth.notice
    with pytest.raises(Unauthorized, match="nothing was sent. Docker Hub rejected the access token.*HUB_PAT_TOKEN"):
        await client.create_repository("alice", "x1")
    assert sent(hub, "POST") == ["/v2/auth/token"]


async def test_read_only_scope_names_the_scope_to_create() -> None:
    hub = fake()
    with pytest.raises(Forbidden) as caught:
        await client_for(hub, "reader", READER_PAT).create_repository("reader", "tool")
    message = str(caught.value)
    assert "scope is too low" in message and "Read & Write" in message and "HUB_PAT_TOKEN" in message
    assert hub.catalog.get("reader", "tool") is None


async def test_pat_refused_endpoint_is_said_to_be_hubs_restriction() -> None:
    hub = fake(pat_forbidden=("delete",))
    with pytest.raises(Forbidden) as caught:
        await client_for(hub).delete_repository("alice", "private-app")
    assert caught.value.pat_restricted
    assert "personal access token" in str(caught.value) and "not a bug of this server" in str(caught.value)
    assert hub.catalog.get("alice", "private-app") is not None


async def test_member_without_write_rights_is_refused_clearly() -> None:
    hub = fake()
    management = HubManagement(client_for(hub, "bob", BOB_PAT))
    with pytest.raises(Forbidden) as caught:
        await management.create_repository("newthing", namespace="acme")
    assert "bob is only a member of the organization acme" in str(caught.value)
    assert hub.catalog.get("acme", "newthing") is None
    # on an existing repository the refusal comes before anything is written
    with pytest.raises(Forbidden, match=r"bob \(its role in acme: member\) may read acme/internal-api but not change"):
        await management.update_repository("acme/internal-api", description="x")
    with pytest.raises(Forbidden, match="may read acme/internal-api but not change it"):
        await management.repository_deletion("acme/internal-api")
    assert sent(hub, "PATCH") == [] and sent(hub, "DELETE") == []


async def test_owner_of_an_organization_writes_there() -> None:
    hub = fake()
    management = HubManagement(client_for(hub))
    await management.create_repository("tooling", namespace="acme", private=True)
    assert hub.catalog.get("acme", "tooling") is not None


async def test_token_expiring_between_writes_logs_in_again() -> None:
    hub = fake()
    client = client_for(hub)
    await client.create_repository("alice", "shop")
    hub.advance(700)  # past the 600 s lifetime: the fake answers 401 to the old JWT
    await client.update_repository("alice", "shop", {"description": "after expiry"})
    assert hub.catalog.get("alice", "shop").description == "after expiry"  # type: ignore[union-attr]
    assert sent(hub, "POST").count("/v2/auth/token") == 2
    assert sent(hub, "PATCH") == ["/v2/namespaces/alice/repositories/shop"] * 2  # the 401, then the retry


# --- reads: namespaces and repository lists ---------------------------------------------


async def test_namespaces_with_roles_in_one_call() -> None:
    hub = fake(organizations={"acme": {"alice": "Owner", "bob": "Member"}, "beta": {"bob": "Editor"}})
    alice = await HubManagement(client_for(hub)).list_namespaces()
    assert [(n.name, n.kind, n.role, n.can_create) for n in alice.namespaces] == [
        ("alice", "personal", "owner", True),
        ("acme", "organization", "owner", True),
    ]
    bob = await HubManagement(client_for(hub, "bob", BOB_PAT)).list_namespaces()
    assert [(n.name, n.role, n.can_create) for n in bob.namespaces] == [
        ("bob", "owner", True),
        ("acme", "member", False),
        ("beta", "editor", True),
    ]


async def test_organization_token_lists_its_organization() -> None:
    hub = fake()
    answer = await HubManagement(client_for(hub, "acme", ACME_OAT)).list_namespaces()
    assert [(n.name, n.kind, n.role) for n in answer.namespaces] == [("acme", "organization", "organization token")]
    assert sent(hub, "GET") == []  # nothing asked: /v2/user/orgs/ is for users


async def test_namespaces_when_hub_refuses_the_org_list_to_a_pat() -> None:
    hub = fake(pat_forbidden=("orgs",))
    answer = await HubManagement(client_for(hub)).list_namespaces()
    assert [n.name for n in answer.namespaces] == ["alice"]
    assert answer.note and "personal access tokens" in answer.note


async def test_private_repositories_only_for_those_permitted() -> None:
    hub = fake()
    anonymous = await HubManagement(client_for(hub, None, None)).list_repositories("acme")
    assert anonymous.repositories == [] and anonymous.total == 0
    owner = await HubManagement(client_for(hub)).list_repositories("acme")
    assert [(r.name, r.private) for r in owner.repositories] == [("internal-api", True)]


@pytest.mark.parametrize("reading", ["documented", "django"])
@pytest.mark.parametrize(
    ("order", "key", "largest_first"),
    [(RepositoryOrder.MOST_PULLED, "pull_count", True), (RepositoryOrder.LEAST_PULLED, "pull_count", False),
     (RepositoryOrder.NEWEST, "last_updated", True), (RepositoryOrder.OLDEST, "last_updated", False)],
)
async def test_repository_order_is_checked_on_the_page_not_bet_on(
    reading: str, order: RepositoryOrder, key: str, largest_first: bool
) -> None:
    hub = fake(ordering_convention=reading)
    client = client_for(hub)
    for index in range(5):
        await client.create_repository("alice", f"repo{index}")
        hub.catalog.get("alice", f"repo{index}").pull_count = 10 * index + 3  # type: ignore[union-attr]
        hub.push_tag("alice", f"repo{index}", "v1", ("alice", "private-app", "latest"))
        hub.advance(60)
    page = await client.list_repositories(RepositoryQuery("alice", page=1, page_size=3, order=order))
    values = [getattr(r, key) for r in page.results]
    assert len(values) == 3 and values == sorted(values, reverse=largest_first)
    listed = await client.list_repositories(RepositoryQuery("alice", page_size=100))
    everything = sorted(getattr(r, key) for r in listed.results)
    expected = everything[::-1][:3] if largest_first else everything[:3]
    assert values == expected  # the right first page, not a page sorted the wrong way round


async def test_missing_repository_for_deletion_is_not_found() -> None:
    with pytest.raises(NotFound, match="alice/nope does not exist"):
        await HubManagement(client_for(fake())).repository_deletion("alice/nope")


async def test_write_scope_token_is_told_deleting_needs_the_delete_scope() -> None:
    hub = fake(scopes={"alice": "repo:write"})
    management = HubManagement(client_for(hub))
    await management.update_repository("alice/private-app", description="writing works")
    facts = await management.repository_deletion("alice/private-app")
    with pytest.raises(Forbidden) as caught:
        await management.delete_repository(facts)
    message = str(caught.value)
    assert "scope is too low" in message and "cannot delete" in message and "Read, Write & Delete" in message
    assert "no write rights" not in message  # its own namespace: the scope is the only reason
    assert hub.catalog.get("alice", "private-app") is not None


async def test_repository_order_hub_ignores_is_sorted_here_and_said() -> None:
    hub = fake(ordering_convention="ignored")
    client = client_for(hub)
    # the fake's "ignored" order is by a hash of the name: private-app, repo2, repo0, ...; these pull
    # counts make that page run neither way
    for index, pulls in enumerate((500, 3, 15, 40, 9)):
        await client.create_repository("alice", f"repo{index}")
        hub.catalog.get("alice", f"repo{index}").pull_count = pulls  # type: ignore[union-attr]
    page = await client.list_repositories(
        RepositoryQuery("alice", page=1, page_size=3, order=RepositoryOrder.MOST_PULLED)
    )
    pulls = [r.pull_count for r in page.results]
    assert pulls == sorted(pulls, reverse=True)
    assert page.ordering_note and "did not sort these repositories by pull_count" in page.ordering_note
    whole = await client.list_repositories(
        RepositoryQuery("alice", page=1, page_size=100, order=RepositoryOrder.MOST_PULLED)
    )
    assert [r.pull_count for r in whole.results] == sorted((r.pull_count for r in whole.results), reverse=True)
    assert whole.ordering_note is None  # the whole list in one page: sorted here, nothing missing


async def test_token_revoked_mid_session_refuses_the_write_with_the_fix() -> None:
    hub = fake()
    client = client_for(hub)
    await client.create_repository("alice", "shop")
    hub.users["alice"] = "dckr_pat_the_new_one"  # the person revoked the token on hub.docker.com
    hub.advance(700)
    with pytest.raises(Unauthorized) as caught:
        await client.update_repository("alice", "shop", {"description": "x"})
    assert "rejected the access token for 'alice'" in str(caught.value) and "HUB_PAT_TOKEN" in str(caught.value)
    assert len(sent(hub, "PATCH")) == 1  # the one answered 401; not sent again without a login
    assert hub.catalog.get("alice", "shop").description == ""  # type: ignore[union-attr]


@pytest.mark.parametrize("call", ["list", "create"])
async def test_a_path_as_namespace_is_refused_as_written_and_sends_nothing(call: str) -> None:
    """Issue 17: '../../x' went to Hub (quoted) and the messages said '././x'."""
    hub = fake()
    management = HubManagement(client_for(hub))
    with pytest.raises(InvalidInput) as err:
        if call == "list":
            await management.list_repositories("../../x")
        else:
            await management.create_repository("newthing", namespace="../../x")
    assert "'../../x' is not a Docker Hub namespace" in str(err.value) and "././" not in str(err.value)
    assert hub.requests == []
