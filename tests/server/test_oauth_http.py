"""The HTTP service as an OAuth resource server, end to end: the real app under uvicorn on loopback, a local
issuer (tests/fakes/issuer.py) serving discovery and JWKS on loopback and signing tokens with generated keys,
and the SDK's own client or raw HTTP as the MCP client."""

from __future__ import annotations

import re
import time
from collections.abc import Callable, Iterator
from typing import Any

import httpx
import pytest

from hub_mcp.config.settings import Settings
from tests.fakes.hub import FakeHub
from tests.fakes.issuer import FakeIssuer, HangingIssuer, forge_hs256, forge_none
from tests.server.conftest import ALICE_PAT
from tests.server.test_http import (  # noqa: F401 (with_write_toolset is a fixture)
    INITIALIZE,
    JSON_HEADERS,
    RecordingTransport,
    mcp_client,
    serving,
    with_write_toolset,
)

AUDIENCE = "https://mcp.example.com/mcp"
METADATA_URL = "https://mcp.example.com/.well-known/oauth-protected-resource/mcp"


@pytest.fixture(scope="module")
def issuer() -> Iterator[FakeIssuer]:
    fake = FakeIssuer()
    with fake.serving():
        yield fake


@pytest.fixture
def recorder() -> RecordingTransport:
    return RecordingTransport(FakeHub(users={"alice": ALICE_PAT}, enforce_rate_limit=False))


def oauth_settings(issuer: FakeIssuer, **overrides: Any) -> Settings:
    values: dict[str, Any] = {
        "transport": "streamable-http",
        "retry_max_wait": 2,
        "oauth_issuer": issuer.url,
        "oauth_audience": AUDIENCE,
    }
    values.update(overrides)
    return Settings(**values)


def post(base: str, token: str | None) -> httpx.Response:
    headers = {**JSON_HEADERS, **({"Authorization": f"Bearer {token}"} if token is not None else {})}
    return httpx.post(f"{base}/mcp", json=INITIALIZE, headers=headers, timeout=20)


@pytest.mark.parametrize("mode", ["auto", "legacy"])
async def test_a_valid_token_is_served_and_never_sent_upstream(
    issuer: FakeIssuer, recorder: RecordingTransport, mode: str
) -> None:
    token = issuer.mint()
    with serving(oauth_settings(issuer), recorder) as base:
        assert post(base, token).status_code == 200
        async with mcp_client(base, mode, token=token) as client:
            answer = await client.call_tool("get_tag", {"repository": "python", "tag": "3.12-slim"})
    assert not answer.is_error and answer.structured_content["exists"] is True
    assert recorder.authorizations and all(token not in (sent or "") for sent in recorder.authorizations)


def test_a_token_just_past_its_expiry_is_served_within_the_clock_skew_and_refused_after(
    issuer: FakeIssuer, recorder: RecordingTransport
) -> None:
    """The validator allows 30 s of clock skew on exp; the SDK's backend checks the expiry again after it, so
    the skew must reach it too (a token 10 s past exp was 401 'expired' though the checks had passed)."""
    now = int(time.time())
    with serving(oauth_settings(issuer), recorder) as base:
        assert post(base, issuer.mint(exp=now - 10, iat=now - 600)).status_code == 200
        late = post(base, issuer.mint(exp=now - 120, iat=now - 600))
    assert late.status_code == 401 and 'error="invalid_token"' in late.headers["www-authenticate"]


def test_an_es256_token_from_the_ec_key_is_served(issuer: FakeIssuer, recorder: RecordingTransport) -> None:
    with serving(oauth_settings(issuer), recorder) as base:
        assert post(base, issuer.mint(kid="ec-1")).status_code == 200


def _ghost_key_token(issuer: FakeIssuer) -> str:
    """Signed with a key the issuer never published, under a kid its set does not have."""
    other = FakeIssuer()
    other.keys = {"ghost": other.rsa}
    other.url = issuer.url
    return other.mint(kid="ghost")


def _other_key_same_kid(issuer: FakeIssuer) -> str:
    other = FakeIssuer()
    other.url = issuer.url
    return other.mint(kid="rsa-1")


BAD_TOKENS: dict[str, Callable[[FakeIssuer], str]] = {
    "expired": lambda i: i.mint(exp=int(time.time()) - 3600, iat=int(time.time()) - 7200),
    "not yet valid": lambda i: i.mint(nbf=int(time.time()) + 3600),
    "wrong audience": lambda i: i.mint(aud="https://other.example.com/mcp"),
    "no audience": lambda i: i.mint(aud=None),
    "wrong issuer": lambda i: i.mint(iss="https://evil.example.com"),
    "unknown kid": _ghost_key_token,
    "signed by another key": _other_key_same_kid,
    "alg none": lambda i: forge_none(i.claims()),
    "HS256 with the public key": lambda i: forge_hs256(i.public_pem(), i.claims()),
    "not a JWT": lambda i: "not-a-jwt",
}


@pytest.mark.parametrize("case", list(BAD_TOKENS))
def test_a_bad_token_is_401_with_the_resource_metadata(
    issuer: FakeIssuer, recorder: RecordingTransport, case: str
) -> None:
    with serving(oauth_settings(issuer), recorder) as base:
        answer = post(base, BAD_TOKENS[case](issuer))
    assert answer.status_code == 401
    challenge = answer.headers["www-authenticate"]
    assert challenge.startswith("Bearer ") and 'error="invalid_token"' in challenge
    assert f'resource_metadata="{METADATA_URL}"' in challenge
    assert recorder.authorizations == []  # nothing reached Docker Hub


HOSTILE_KID = 'k", error="insufficient_scope", x="\r\nSet-Cookie: a=1\\ \u00e9\u202e' + "A" * 300
"""A kid meant to break out of the challenge's quoted string (quotes, CR LF, a backslash, non-ASCII, length)."""


def _hostile_kid_token(issuer: FakeIssuer) -> str:
    other = FakeIssuer()
    other.keys = {HOSTILE_KID: other.rsa}
    other.url = issuer.url
    return other.mint(kid=HOSTILE_KID)


REFUSALS: dict[str, tuple[Callable[[FakeIssuer], str], str]] = {
    "alg none": (BAD_TOKENS["alg none"], "algorithm 'none' is not accepted"),
    "expired": (BAD_TOKENS["expired"], "Signature has expired"),
    "unknown kid": (_ghost_key_token, "no key 'ghost' in the issuer's key set"),
    "hostile kid": (_hostile_kid_token, "no key 'k, error=insufficient_scope, x=rnSet-Cookie: a=1 "),
}
# RFC 6750, section 3: error_description="..." holds %x20-21 / %x23-5B / %x5D-7E only (no quote, no backslash).
CHALLENGE = re.compile(
    r'Bearer error="invalid_token", error_description="([\x20\x21\x23-\x5b\x5d-\x7e]*)", resource_metadata="([^"]*)"'
)


@pytest.mark.parametrize("case", list(REFUSALS))
def test_a_refused_token_is_told_why_in_the_challenge_and_the_body(
    issuer: FakeIssuer, recorder: RecordingTransport, case: str
) -> None:
    """The SDK said only "Authentication required" for every refused token; the reason the validator has is
    now in error_description (RFC 6750, section 3), header and body, fit for a quoted-string and bounded,
    whatever a hostile kid holds; never the token."""
    make, reason = REFUSALS[case]
    token = make(issuer)
    with serving(oauth_settings(issuer), recorder) as base:
        answer = post(base, token)
    assert answer.status_code == 401
    challenge = CHALLENGE.fullmatch(answer.headers["www-authenticate"])
    assert challenge, answer.headers["www-authenticate"]
    description, metadata = challenge.groups()
    assert metadata == METADATA_URL
    assert reason in description and len(description) <= 200
    assert answer.json() == {"error": "invalid_token", "error_description": description}
    assert token not in answer.text and token not in answer.headers["www-authenticate"]
    assert recorder.authorizations == []


def test_no_token_is_401_and_health_stays_open(issuer: FakeIssuer, recorder: RecordingTransport) -> None:
    with serving(oauth_settings(issuer), recorder) as base:
        answer = post(base, None)
        health = httpx.get(f"{base}/health")
    assert answer.status_code == 401 and f'resource_metadata="{METADATA_URL}"' in answer.headers["www-authenticate"]
    assert health.status_code == 200


@pytest.mark.parametrize("authorization", [None, "Basic dXNlcjpwYXNz"], ids=["no header", "another scheme"])
def test_a_request_without_a_bearer_token_gets_a_challenge_without_an_error_code(
    issuer: FakeIssuer, recorder: RecordingTransport, authorization: str | None
) -> None:
    """RFC 6750, section 3.1: a request that lacks authentication (no credentials, or an unsupported
    scheme) gets no error code, only the challenge; a bad token gets error="invalid_token" (the test above)."""
    headers = {**JSON_HEADERS, **({"Authorization": authorization} if authorization else {})}
    with serving(oauth_settings(issuer), recorder) as base:
        answer = httpx.post(f"{base}/mcp", json=INITIALIZE, headers=headers, timeout=20)
    assert answer.status_code == 401
    challenge = answer.headers["www-authenticate"]
    assert challenge == f'Bearer resource_metadata="{METADATA_URL}"'
    assert "error" not in answer.json()
    assert issuer.url in answer.json()["error_description"]


@pytest.mark.parametrize("outage", ["stopped", "answering 500"])
def test_an_issuer_that_cannot_be_reached_is_503_never_the_tokens_fault(
    recorder: RecordingTransport, outage: str, caplog: pytest.LogCaptureFixture
) -> None:
    down = FakeIssuer()
    with down.serving():
        token = down.mint()  # a good token from an issuer that then goes away
        down.status = 500
        if outage == "answering 500":
            with serving(oauth_settings(down), recorder) as base:
                answer = post(base, token)
    if outage == "stopped":
        with serving(oauth_settings(down), recorder) as base:
            answer = post(base, token)
    assert answer.status_code == 503
    assert "www-authenticate" not in answer.headers  # no challenge: the token is not in question
    assert answer.headers["retry-after"].isdigit()
    message = answer.json()["error"]["message"]
    assert message.startswith("The identity provider") and "retry" in message and message.count(". ") == 0
    assert "token is" not in message and "invalid" not in message
    assert any(
        record.levelname == "WARNING" and "signing keys" in record.getMessage() for record in caplog.records
    ), "no log line says why"
    assert token not in caplog.text
    assert recorder.authorizations == []


DOWN_CASES: dict[str, tuple[Callable[[FakeIssuer], str], int]] = {
    "expired": (BAD_TOKENS["expired"], 401),
    "wrong issuer": (BAD_TOKENS["wrong issuer"], 401),
    "wrong audience": (BAD_TOKENS["wrong audience"], 401),
    "fine": (lambda i: i.mint(), 503),
}


@pytest.mark.parametrize("case", list(DOWN_CASES))
def test_while_the_issuer_is_down_a_token_whose_claims_fail_is_still_401(
    recorder: RecordingTransport, case: str
) -> None:
    """An expired token, or one for another issuer or audience, got 503 "retry in a few seconds" while the
    issuer was down, though no retry can help it: it is 401 now. A token with fine claims is 503 (only the
    keys can tell)."""
    make, status = DOWN_CASES[case]
    down = FakeIssuer()
    with down.serving():
        token = make(down)
        down.status = 500
        with serving(oauth_settings(down), recorder) as base:
            answer = post(base, token)
    assert answer.status_code == status
    if status == 401:
        assert 'error="invalid_token"' in answer.headers["www-authenticate"]
    else:
        assert "www-authenticate" not in answer.headers
    assert recorder.authorizations == []


def test_a_hanging_issuer_is_503_at_the_fetch_deadline(recorder: RecordingTransport) -> None:
    """An identity provider that accepts connections and never answers kept each request with a token
    waiting ~40 s (10 s timeout x 2 attempts x 2 discovery URLs); now one fetch of the keys has one
    deadline (FETCH_DEADLINE, 5 s). The bound asserted is generous: only far below the 40 s before."""
    hanging = HangingIssuer()
    with hanging.serving() as url:
        signer = FakeIssuer()
        signer.url = url
        with serving(oauth_settings(signer), recorder) as base:
            started = time.monotonic()
            answer = httpx.post(
                f"{base}/mcp", json=INITIALIZE, headers={**JSON_HEADERS, "Authorization": f"Bearer {signer.mint()}"},
                timeout=60,
            )
            waited = time.monotonic() - started
    assert answer.status_code == 503 and answer.headers["retry-after"].isdigit()
    assert waited < 30, f"waited {waited:.0f} s for the 503"
    assert recorder.authorizations == []


def test_a_token_without_the_required_scope_is_403(issuer: FakeIssuer, recorder: RecordingTransport) -> None:
    with serving(oauth_settings(issuer), recorder) as base:
        answer = post(base, issuer.mint(scope="openid profile"))
    assert answer.status_code == 403
    assert 'error="insufficient_scope"' in answer.headers["www-authenticate"]


def test_the_protected_resource_metadata_is_served(issuer: FakeIssuer, recorder: RecordingTransport) -> None:
    with serving(oauth_settings(issuer), recorder) as base:
        documents = [
            httpx.get(f"{base}/.well-known/oauth-protected-resource/mcp"),
            httpx.get(f"{base}/.well-known/oauth-protected-resource"),
        ]
    for document in documents:
        assert document.status_code == 200
        body = document.json()
        assert body["resource"] == AUDIENCE
        assert body["authorization_servers"] == [issuer.url]
        assert body["scopes_supported"] == ["hub-mcp", "hub-mcp:write"]
        assert body["bearer_methods_supported"] == ["header"]


@pytest.mark.usefixtures("with_write_toolset")
@pytest.mark.parametrize("stateful", [False, True], ids=["stateless", "stateful"])
async def test_a_write_tool_needs_the_write_scope(
    issuer: FakeIssuer, recorder: RecordingTransport, stateful: bool
) -> None:
    login = {"username": "alice", "pat_token": ALICE_PAT, "no_docker_config": True, "http_writes": True}
    settings = oauth_settings(issuer, stateful=stateful, **login)
    with serving(settings, recorder) as base:
        async with mcp_client(base, "legacy", token=issuer.mint(scope="hub-mcp")) as client:
            refused = await client.call_tool("touch_namespace", {})
            read = await client.call_tool("get_tag", {"repository": "python", "tag": "3.12-slim"})
        async with mcp_client(base, "legacy", token=issuer.mint(scope="hub-mcp hub-mcp:write")) as client:
            allowed = await client.call_tool("touch_namespace", {})
    assert refused.is_error
    assert refused.content[0].text == (
        "touch_namespace changes Docker Hub, which needs the OAuth scope 'hub-mcp:write', and the access token"
        " this call came with does not have it, so nothing was changed: ask your identity provider for a token"
        " with the hub-mcp:write scope (the server's HUB_MCP_OAUTH_WRITE_SCOPE), or use read-only tools."
    )
    assert not read.is_error
    assert not allowed.is_error and allowed.structured_content["usable"] is True
