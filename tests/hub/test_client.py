"""HubClient and HubAuth against respx: paths, encoding, login, refresh, error mapping."""

from __future__ import annotations

import base64
import json
import time

import httpx
import pytest
import respx

from hub_mcp.errors import Forbidden, InvalidInput, NotFound, Unauthorized, Upstream
from hub_mcp.hub.auth import HubAuth, jwt_claims
from hub_mcp.hub.client import HubClient
from hub_mcp.net.http import HttpClient

HUB = "https://hub.example"
PAT = "dckr_pat_SECRET_VALUE_123"


def make_jwt(exp: float, username: str = "alice") -> str:
    def part(obj: dict) -> str:
        return base64.urlsafe_b64encode(json.dumps(obj).encode()).decode().rstrip("=")

    return f"{part({'alg': 'none'})}.{part({'exp': int(exp), 'https://hub.docker.com': {'username': username}})}.sig"


async def no_sleep(_: float) -> None:
    return None


def make_client(username: str | None = None, secret: str | None = None) -> HubClient:
    http = HttpClient(max_retries=2, retry_max_wait=1, sleep=no_sleep)
    return HubClient(http, HUB, HubAuth(http, HUB, username, secret))


def test_jwt_claims_reads_exp_and_tolerates_garbage() -> None:
    assert jwt_claims(make_jwt(123))["exp"] == 123
    assert jwt_claims("not-a-jwt") == {}
    assert jwt_claims("a.!!!.c") == {}


@respx.mock
async def test_path_segments_are_url_encoded() -> None:
    route = respx.get(url__regex=r"https://hub\.example/v2/namespaces/.*").mock(
        return_value=httpx.Response(200, json={"name": "3.12 slim", "images": []})
    )
    client = make_client()
    await client.get_tag("library", "python", "3.12/../../x?y#z")
    raw_path = route.calls[0].request.url.raw_path.decode()
    assert raw_path == "/v2/namespaces/library/repositories/python/tags/3.12%2F..%2F..%2Fx%3Fy%23z"


@respx.mock
async def test_search_sends_filters_and_parses_string_pull_count() -> None:
    route = respx.get(f"{HUB}/api/search/v4").mock(
        return_value=httpx.Response(
            200,
            json={
                "total": 1,
                "results": [{"name": "python", "pull_count": "1B+", "badge": "official", "type": "dhi", "new": 1}],
            },
        )
    )
    page = await make_client().search("python", badges=["official"], architectures=["arm64"], size=5, offset=5)
    params = route.calls[0].request.url.params
    assert (params["query"], params["badges"], params["architectures"], params["from"], params["size"]) == (
        "python",
        "official",
        "arm64",
        "5",
        "5",
    )
    assert page.results[0].pull_count == "1B+" and page.results[0].type == "dhi"


@respx.mock
async def test_anonymous_requests_carry_no_authorization() -> None:
    route = respx.get(f"{HUB}/v2/namespaces/library/repositories/python").mock(
        return_value=httpx.Response(200, json={"name": "python", "namespace": "library"})
    )
    await make_client().get_repository("library", "python")
    assert "authorization" not in route.calls[0].request.headers


@respx.mock
async def test_login_once_and_bearer_on_every_request() -> None:
    token = make_jwt(time.time() + 600)
    login = respx.post(f"{HUB}/v2/auth/token").mock(return_value=httpx.Response(200, json={"access_token": token}))
    repo = respx.get(f"{HUB}/v2/namespaces/alice/repositories/app").mock(
        return_value=httpx.Response(200, json={"name": "app", "namespace": "alice", "is_private": True})
    )
    client = make_client("alice", PAT)
    await client.get_repository("alice", "app")
    await client.get_repository("alice", "app")
    assert login.call_count == 1
    assert json.loads(login.calls[0].request.content) == {"identifier": "alice", "secret": PAT}
    assert all(call.request.headers["authorization"] == f"Bearer {token}" for call in repo.calls)


@respx.mock
async def test_token_near_exp_is_refreshed_before_use() -> None:
    tokens = [make_jwt(time.time() + 30), make_jwt(time.time() + 600)]  # the first is inside the 60 s margin
    login = respx.post(f"{HUB}/v2/auth/token").mock(
        side_effect=[httpx.Response(200, json={"access_token": t}) for t in tokens]
    )
    respx.get(f"{HUB}/v2/namespaces/alice/repositories/app").mock(
        return_value=httpx.Response(200, json={"name": "app", "namespace": "alice"})
    )
    client = make_client("alice", PAT)
    await client.get_repository("alice", "app")
    client.cache.clear()  # the second read must go upstream again
    await client.get_repository("alice", "app")
    assert login.call_count == 2


@respx.mock
async def test_401_drops_token_and_logs_in_again_once() -> None:
    tokens = [make_jwt(time.time() + 600), make_jwt(time.time() + 600, "alice2")]
    login = respx.post(f"{HUB}/v2/auth/token").mock(
        side_effect=[httpx.Response(200, json={"access_token": t}) for t in tokens]
    )
    repo = respx.get(f"{HUB}/v2/namespaces/alice/repositories/app").mock(
        side_effect=[httpx.Response(401, json={"detail": "expired"}), httpx.Response(200, json={"name": "app", "namespace": "alice"})]
    )
    await make_client("alice", PAT).get_repository("alice", "app")
    assert login.call_count == 2 and repo.call_count == 2
    assert repo.calls[1].request.headers["authorization"] == f"Bearer {tokens[1]}"


@respx.mock
async def test_falls_back_to_users_login_when_auth_token_is_missing() -> None:
    respx.post(f"{HUB}/v2/auth/token").mock(return_value=httpx.Response(404, json={"message": "not found"}))
    legacy = respx.post(f"{HUB}/v2/users/login").mock(
        return_value=httpx.Response(200, json={"token": make_jwt(time.time() + 600)})
    )
    respx.get(f"{HUB}/v2/namespaces/alice/repositories/app").mock(
        return_value=httpx.Response(200, json={"name": "app", "namespace": "alice"})
    )
    await make_client("alice", PAT).get_repository("alice", "app")
    assert json.loads(legacy.calls[0].request.content) == {"username": "alice", "password": PAT}


@respx.mock
async def test_rejected_credentials_leave_public_reads_anonymous_with_a_notice() -> None:
    login = respx.post(f"{HUB}/v2/auth/token").mock(
        return_value=httpx.Response(401, json={"detail": "Incorrect authentication credentials"})
    )
    public = respx.get(f"{HUB}/v2/namespaces/library/repositories/python").mock(
        return_value=httpx.Response(200, json={"name": "python", "namespace": "library"})
    )
    private = respx.get(f"{HUB}/v2/namespaces/alice/repositories/app").mock(
        return_value=httpx.Response(404, json={"message": "object not found", "errinfo": {}})
    )
    client = make_client("alice", PAT)
    assert client.auth.notice is None
    repo = await client.get_repository("library", "python")
    assert repo.name == "python" and "authorization" not in public.calls[0].request.headers
    notice = client.auth.notice
    assert notice and "rejected" in notice and "HUB_PAT_TOKEN" in notice and "anonymously" in notice
    assert PAT not in notice
    with pytest.raises(NotFound) as err:  # a private repository cannot be seen: say why
        await client.get_repository("alice", "app")
    assert "credentials were rejected" in str(err.value) and PAT not in str(err.value)
    assert "authorization" not in private.calls[0].request.headers
    assert login.call_count == 1  # the rejection is remembered: no login per request


@respx.mock
@pytest.mark.parametrize(
    ("status", "body", "error", "words"),
    [
        (404, {"message": "object not found", "errinfo": {}}, NotFound, "does not exist"),
        (401, {"detail": "auth required"}, Unauthorized, "HUB_USERNAME"),
        (403, {"detail": "token issued from personal access token"}, Forbidden, "personal access token"),
        (400, {"fields": {"page_size": ["too big"]}, "text": ""}, InvalidInput, "page_size"),
        (418, None, Upstream, "HTTP 418"),
    ],
)
async def test_statuses_map_to_the_taxonomy(status: int, body: object, error: type, words: str) -> None:
    respx.get(f"{HUB}/v2/namespaces/library/repositories/nope").mock(
        return_value=httpx.Response(status, json=body) if body is not None else httpx.Response(status)
    )
    with pytest.raises(error) as err:
        await make_client().get_repository("library", "nope")
    assert words in str(err.value)


@respx.mock
async def test_unreadable_shape_is_upstream_error() -> None:
    respx.get(f"{HUB}/v2/namespaces/library/repositories/python").mock(return_value=httpx.Response(200, json=[1, 2]))
    with pytest.raises(Upstream) as err:
        await make_client().get_repository("library", "python")
    assert "shape" in str(err.value)


def raw_jwt(exp_text: str) -> str:
    """A JWT whose payload is written by hand: ``exp`` as any JSON number text (NaN, 1e999, 10**400)."""
    payload = '{"exp": %s, "https://hub.docker.com": {"username": "alice"}}' % exp_text
    encode = lambda text: base64.urlsafe_b64encode(text.encode()).decode().rstrip("=")  # noqa: E731
    return f"{encode('{}')}.{encode(payload)}.sig"


NOW = 1_800_000_000.0


@pytest.mark.parametrize(
    ("exp_text", "kept"),
    [
        (str(10**400), 600),  # float() of it overflows; past any date: absurd, so Hub's documented 10 minutes
        ("1e999", 600),  # Python reads it as infinity
        ("NaN", 600),
        ("-5", 600),
        ('"soon"', 600),
        (str(int(NOW) + 365 * 86_400), 3600),  # a real time a year on: kept an hour at most
        (str(int(NOW) + 300), 300),  # a real, ordinary one: its exp
    ],
    ids=["10**400", "1e999", "nan", "negative", "text", "a-year-on", "five-minutes"],
)
@respx.mock
async def test_an_absurd_exp_from_the_login_keeps_the_token_a_bounded_time(exp_text: str, kept: int) -> None:
    now = [NOW]
    login = respx.post(f"{HUB}/v2/auth/token").mock(
        return_value=httpx.Response(200, json={"access_token": raw_jwt(exp_text)})
    )
    http = HttpClient(max_retries=0, sleep=no_sleep)
    auth = HubAuth(http, HUB, "alice", PAT, clock=lambda: now[0])
    assert (await auth.headers())["Authorization"].startswith("Bearer ")
    now[0] = NOW + kept - 61  # the token is renewed 60 s before it is due
    await auth.headers()
    assert login.call_count == 1
    now[0] = NOW + kept - 59
    await auth.headers()
    assert login.call_count == 2


@pytest.mark.parametrize("exp_text", [str(10**400), "1e999", "NaN"])
async def test_a_saved_jwt_with_an_absurd_exp_is_used_until_hub_refuses_it(exp_text: str) -> None:
    http = HttpClient(max_retries=0, sleep=no_sleep)
    saved = raw_jwt(exp_text)
    auth = HubAuth(http, HUB, "alice", saved)
    assert auth.kind == "jwt" and await auth.headers() == {"Authorization": f"Bearer {saved}"}
