"""HubAuth against the fake Hub: expiry in the middle of a session, revoked tokens, organization
tokens, two-factor accounts, and the status a write asks for. No secret in any message or log."""

from __future__ import annotations

import logging
import time
from collections.abc import AsyncIterator

import httpx
import pytest

from hub_mcp.config.credentials import Login, access_token
from hub_mcp.config.settings import Secret
from hub_mcp.errors import NotFound
from hub_mcp.hub.auth import REFRESH_MARGIN, HubAuth, credential_kind
from hub_mcp.hub.client import HubClient
from hub_mcp.net.http import HttpClient
from tests.fakes.hub import FakeHub

HUB = "https://hub.docker.com"
PAT = "dckr_pat_alice_TOPSECRET"
OAT = "dckr_oat_acme_TOPSECRET"
PASSWORD = "hunter2-TOPSECRET"
SECRETS = (PAT, OAT, PASSWORD)

pytestmark = pytest.mark.anyio


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


@pytest.fixture
def hub() -> FakeHub:
    return FakeHub(users={"alice": PAT, "acme": OAT, "bob": PASSWORD, "carol": PASSWORD}, mfa_users=["bob"])


@pytest.fixture
async def http(hub: FakeHub) -> AsyncIterator[HttpClient]:
    async def no_sleep(_: float) -> None:
        return None

    client = HttpClient(max_retries=1, retry_max_wait=1, sleep=no_sleep, transport=httpx.ASGITransport(app=hub.app))
    yield client
    await client.aclose()


def client_for(http: HttpClient, hub: FakeHub, user: str | None, secret: str | None, *, aligned: bool = True,
               source: str | None = None) -> HubClient:
    """A Hub client; ``aligned``: the auth reads time from the fake's clock (so it sees expiry coming)."""
    clock = hub.now if aligned else time.time
    if source is None:
        auth = HubAuth(http, HUB, user, secret, clock=clock)
    else:
        login = Login("docker.io", user or "", Secret(secret or ""), source)
        auth = HubAuth.for_login(http, HUB, login, clock=clock)
    return HubClient(http, HUB, auth, cache_ttl={"repository": 0, "tag": 0, "tags": 0, "search": 0})


def assert_no_secret(*texts: object) -> None:
    for text in texts:
        for secret in SECRETS:
            assert secret not in str(text)


async def test_token_is_refreshed_before_exp_without_a_401(hub: FakeHub, http: HttpClient) -> None:
    client = client_for(http, hub, "alice", PAT)
    await client.get_repository("alice", "private-app")
    hub.advance(hub.token_lifetime - REFRESH_MARGIN + 1)  # inside the margin: the auth sees it coming
    await client.get_repository("alice", "private-app")
    assert [t.endpoint for t in hub.issued_tokens] == ["/v2/auth/token", "/v2/auth/token"]
    assert hub.request_count("/v2/namespaces/alice/repositories/private-app") == 2  # no refused request retried
    assert client.auth.notice is None


async def test_token_expiring_mid_session_is_renewed_once_after_the_401(hub: FakeHub, http: HttpClient) -> None:
    """The auth's clock does not know the fake's: the token runs out unseen, Hub answers 401, and one
    fresh login (not more) carries the same request through."""
    client = client_for(http, hub, "alice", PAT, aligned=False)
    await client.get_repository("alice", "private-app")
    hub.advance(hub.token_lifetime + 5)
    repo = await client.get_repository("alice", "private-app")
    assert repo.name == "private-app"
    assert len(hub.issued_tokens) == 2 and client.auth.logins == 2
    assert hub.request_count("/v2/namespaces/alice/repositories/private-app") == 3
    assert client.auth.notice is None


@pytest.mark.parametrize("tokens_too", [True, False], ids=["jwt-revoked-at-once", "jwt-runs-to-exp"])
async def test_revoked_token_gives_a_notice_with_the_fix_and_public_reads_stay(
    hub: FakeHub, http: HttpClient, tokens_too: bool, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    client = client_for(http, hub, "alice", PAT)
    await client.get_repository("alice", "private-app")
    hub.revoke("alice", tokens_too=tokens_too)
    if not tokens_too:
        hub.advance(hub.token_lifetime)  # the JWT minted before the revocation runs out
    public = await client.get_repository("library", "python")
    assert public.name == "python"
    notice = client.auth.notice
    assert notice and "rejected the access token for 'alice'" in notice and "expired, revoked" in notice
    assert "HUB_PAT_TOKEN" in notice and "personal-access-tokens" in notice and "anonymously" in notice
    with pytest.raises(NotFound) as err:
        await client.get_repository("alice", "private-app")
    status = await client.auth.status()
    assert status.usable is False and status.kind == "pat" and status.reason and "expired, revoked" in status.reason
    assert_no_secret(notice, err.value, status, caplog.text)


async def test_organization_token_with_a_persons_name_says_to_use_the_organizations(
    hub: FakeHub, http: HttpClient, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    client = client_for(http, hub, "alice", OAT)  # an OAT logs in as the organization, not as a person
    await client.get_repository("library", "python")
    notice = client.auth.notice
    assert notice and "organization access token" in notice and "organization's name" in notice
    status = await client.auth.status()
    assert (status.usable, status.kind) == (False, "oat")
    assert_no_secret(notice, status, caplog.text)


async def test_organization_token_status_names_the_organization(hub: FakeHub, http: HttpClient) -> None:
    client = client_for(http, hub, "acme", OAT)
    status = await client.auth.status()
    assert (status.usable, status.kind, status.namespace, status.reason) == (True, "oat", "acme", None)


async def test_two_factor_account_with_a_password_is_told_to_use_an_access_token(
    hub: FakeHub, http: HttpClient, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    client = client_for(http, hub, "bob", PASSWORD)
    await client.get_repository("library", "python")
    assert hub.request_count("/v2/users/login") == 1 and hub.request_count("/v2/auth/token") == 0
    notice = client.auth.notice
    assert notice and "two-factor authentication" in notice and "dckr_pat_" in notice
    status = await client.auth.status()
    assert status.kind == "password" and not status.usable and "two-factor" in (status.reason or "")
    assert_no_secret(notice, status, caplog.text)


async def test_a_password_logs_in_through_users_login(hub: FakeHub, http: HttpClient) -> None:
    client = client_for(http, hub, "carol", PASSWORD)
    status = await client.auth.status()
    assert (status.usable, status.kind, status.namespace) == (True, "password", "carol")
    assert [t.endpoint for t in hub.issued_tokens] == ["/v2/users/login"]


async def test_status_reads_the_personal_namespace_from_the_jwt_claim(hub: FakeHub, http: HttpClient) -> None:
    client = client_for(http, hub, "ALICE", PAT)  # the fake's claim spells the name its own way
    status = await client.auth.status()
    assert status.usable and status.kind == "pat" and status.namespace == "alice" and status.username == "ALICE"
    assert status.source == "HUB_USERNAME / HUB_PAT_TOKEN"


async def test_status_without_credentials_says_how_to_configure_them(hub: FakeHub, http: HttpClient) -> None:
    status = await client_for(http, hub, None, None).auth.status()
    assert (status.usable, status.kind, status.namespace) == (False, "none", None)
    assert "HUB_PAT_TOKEN" in (status.reason or "") and "docker login" in (status.reason or "")
    assert hub.request_count() == 0


async def test_docker_config_credentials_name_their_source_and_docker_login(hub: FakeHub, http: HttpClient) -> None:
    source = "~/.docker/config.json (credsStore desktop)"
    client = client_for(http, hub, "alice", "dckr_pat_stale", source=source)
    await client.get_repository("library", "python")
    notice = client.auth.notice
    assert notice and source in notice and "docker login" in notice
    assert "dckr_pat_stale" not in notice


def test_credential_kind_by_prefix_or_shape(hub: FakeHub) -> None:
    kinds = [credential_kind(s) for s in (PAT, OAT, hub.issue_token("x"), "a.b.c", PASSWORD, None, "")]
    assert kinds == ["pat", "oat", "jwt", "password", "password", "none", "none"]


async def test_a_jwt_saved_by_a_web_based_docker_login_is_used_until_its_exp(
    hub: FakeHub, http: HttpClient, caplog: pytest.LogCaptureFixture
) -> None:
    """docker/cli's web-based login saves `<access JWT>..<refresh token>`; credential_sources hands the
    JWT on, and the auth uses it as is (no login request), then says to log in again when it expires."""
    caplog.set_level(logging.DEBUG)
    jwt = hub.issue_token("alice", lifetime=300)
    saved = access_token("docker.io", f"{jwt}..REFRESH_TOKEN_SECRET")
    assert saved == jwt and access_token("ghcr.io", f"{jwt}..x") == f"{jwt}..x"
    client = client_for(http, hub, "alice", saved, source="~/.docker/config.json (credsStore desktop)")
    assert (await client.get_repository("alice", "private-app")).name == "private-app"
    status = await client.auth.status()
    assert (status.usable, status.kind, status.namespace) == (True, "jwt", "alice")
    assert hub.request_count("/v2/auth/token") + hub.request_count("/v2/users/login") == 0
    hub.advance(301)
    assert (await client.get_repository("library", "python")).name == "python"
    notice = client.auth.notice
    assert notice and "expired at" in notice and "cannot renew" in notice and "docker login" in notice
    with pytest.raises(NotFound):
        await client.get_repository("alice", "private-app")
    assert jwt not in notice and jwt not in caplog.text and "REFRESH_TOKEN_SECRET" not in caplog.text


async def test_a_saved_jwt_that_hub_refuses_says_to_log_in_again(hub: FakeHub, http: HttpClient) -> None:
    jwt = hub.issue_token("alice")
    client = client_for(http, hub, "alice", jwt, aligned=False, source="~/.docker/config.json (auths)")
    await client.get_repository("alice", "private-app")
    hub.revoke("alice")
    assert (await client.get_repository("library", "python")).name == "python"
    notice = client.auth.notice
    assert notice and "refused the login of 'alice' that `docker login` saved" in notice and "docker login" in notice
    assert hub.request_count("/v2/auth/token") == 0 and jwt not in notice
