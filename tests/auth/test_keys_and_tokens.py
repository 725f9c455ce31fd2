"""The issuer's keys and the token checks, against the local test issuer on loopback (real HTTP, real keys)."""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Iterator

import pytest

from hub_mcp.auth.keys import (
    FETCH_DEADLINE,
    KEYS_TTL,
    REFETCH_AFTER,
    RETRY_AFTER_FAILURE,
    IssuerKeys,
    KeysUnavailable,
    discovery_urls,
    read_keys,
)
from hub_mcp.auth.tokens import TokenRejected, TokenValidator, scopes_of
from tests.fakes.issuer import FakeIssuer, HangingIssuer

AUDIENCE = "https://mcp.example.com/mcp"


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def issuer() -> Iterator[FakeIssuer]:
    fake = FakeIssuer()
    with fake.serving():
        yield fake


def test_discovery_urls_follow_oidc_then_rfc_8414() -> None:
    assert discovery_urls("https://login.example.com/realms/team") == [
        "https://login.example.com/realms/team/.well-known/openid-configuration",
        "https://login.example.com/.well-known/oauth-authorization-server/realms/team",
    ]


def test_a_jwk_set_keeps_public_signing_keys_only() -> None:
    issuer = FakeIssuer()
    document = issuer.jwks()
    document["keys"].append({**document["keys"][0], "kid": "enc", "use": "enc"})
    assert sorted(k or "" for k in read_keys(document)) == ["ec-1", "rsa-1"]  # no oct, no encryption key
    with pytest.raises(ValueError):
        read_keys({"keys": "nope"})


async def test_an_unknown_kid_refetches_once_and_rotation_is_picked_up(issuer: FakeIssuer) -> None:
    clock = Clock()
    keys = IssuerKeys(issuer.url, clock=clock)
    validator = TokenValidator(issuer.url, AUDIENCE, keys)
    try:
        await validator.validate(issuer.mint(aud=AUDIENCE))
        assert issuer.jwks_fetches == 1
        await validator.validate(issuer.mint(aud=AUDIENCE, kid="ec-1"))
        assert issuer.jwks_fetches == 1  # cached
        new = issuer.rotate()
        fresh = issuer.mint(aud=AUDIENCE, kid=new)
        with pytest.raises(TokenRejected, match="no key"):  # too soon after the last fetch to fetch again
            await validator.validate(fresh)
        assert issuer.jwks_fetches == 1
        clock.now += REFETCH_AFTER
        assert (await validator.validate(fresh)).subject == "user-42"
        assert issuer.jwks_fetches == 2
        clock.now += REFETCH_AFTER
        with pytest.raises(TokenRejected, match="no key 'made-up'"):
            other = FakeIssuer()
            other.url, other.keys = issuer.url, {"made-up": other.rsa}
            await validator.validate(other.mint(aud=AUDIENCE, kid="made-up"))
        assert issuer.jwks_fetches == 3
        clock.now += KEYS_TTL
        await validator.validate(issuer.mint(aud=AUDIENCE))
        assert issuer.jwks_fetches == 4  # the set is fetched again once its time is up
    finally:
        await validator.aclose()


async def test_the_rfc_8414_document_is_used_when_there_is_no_openid_one() -> None:
    fake = FakeIssuer(openid=False)
    with fake.serving():
        validator = TokenValidator(fake.url, AUDIENCE)
        try:
            claims = await validator.validate(fake.mint(aud=AUDIENCE, scope="hub-mcp hub-mcp:write"))
        finally:
            await validator.aclose()
    assert claims.scopes == ("hub-mcp", "hub-mcp:write") and claims.client_id == "team-agent"


async def test_an_issuer_whose_document_names_another_issuer_is_not_trusted(issuer: FakeIssuer) -> None:
    issuer.claimed = "https://login.example.com"
    validator = TokenValidator(issuer.url, AUDIENCE)
    try:
        with pytest.raises(KeysUnavailable, match="names another issuer"):  # the server's problem, not the token's
            await validator.validate(issuer.mint(aud=AUDIENCE))
    finally:
        await validator.aclose()
    assert issuer.jwks_fetches == 0


async def test_an_algorithm_the_key_does_not_declare_is_refused(issuer: FakeIssuer) -> None:
    """rsa-1 declares RS256: a PS256 token under it is refused, though PS256 is on the allow-list."""
    validator = TokenValidator(issuer.url, AUDIENCE)
    try:
        with pytest.raises(TokenRejected, match="does not fit"):
            await validator.validate(issuer.mint(aud=AUDIENCE, alg="PS256"))
        with pytest.raises(TokenRejected, match="not accepted"):
            await validator.validate(issuer.mint(aud=AUDIENCE, alg="RS384"))
    finally:
        await validator.aclose()


async def test_a_small_clock_skew_is_tolerated(issuer: FakeIssuer) -> None:
    validator = TokenValidator(issuer.url, AUDIENCE)
    now = int(time.time())
    try:
        await validator.validate(issuer.mint(aud=AUDIENCE, exp=now - 5, nbf=now + 5))
        with pytest.raises(TokenRejected, match="Expired"):
            await validator.validate(issuer.mint(aud=AUDIENCE, exp=now - 120))
        with pytest.raises(TokenRejected, match="MissingRequiredClaim"):
            await validator.validate(issuer.mint(aud=AUDIENCE, exp=None))
    finally:
        await validator.aclose()


def test_scopes_are_read_from_scope_or_scp() -> None:
    assert scopes_of({"scope": "a b a"}) == ("a", "b")
    assert scopes_of({"scp": ["a", 3, "c"]}) == ("a", "c")
    assert scopes_of({"scp": "x y"}) == ("x", "y")
    assert scopes_of({}) == ()


async def test_an_unreachable_issuer_is_not_a_rejected_token() -> None:
    """KeysUnavailable, not TokenRejected: the token may be fine, the server cannot tell (the HTTP layer
    answers 503, not 401)."""
    fake = FakeIssuer()
    with fake.serving():
        url = fake.url
    validator = TokenValidator(url, AUDIENCE)  # the issuer has stopped: nothing listens there
    try:
        with pytest.raises(KeysUnavailable, match="metadata could not be read"):
            await validator.validate(fake.mint(aud=AUDIENCE))
    finally:
        await validator.aclose()


async def test_a_failed_fetch_is_answered_again_without_asking_for_a_few_seconds() -> None:
    """While the issuer is down, a flood of tokens costs it one attempt per RETRY_AFTER_FAILURE seconds, and
    each request its answer at once (not one queued attempt each, with its timeouts and retries)."""
    fake = FakeIssuer()
    fake.status = 500
    clock = Clock()
    with fake.serving():
        validator = TokenValidator(fake.url, AUDIENCE, IssuerKeys(fake.url, clock=clock))
        token = fake.mint(aud=AUDIENCE)
        try:
            with pytest.raises(KeysUnavailable, match="HTTP 500"):
                await validator.validate(token)
            asked = fake.requests
            assert asked >= 1
            clock.now += RETRY_AFTER_FAILURE - 1
            with pytest.raises(KeysUnavailable, match="HTTP 500"):
                await validator.validate(token)
            assert fake.requests == asked
            fake.status = None  # the issuer is back
            clock.now += 1
            assert (await validator.validate(token)).subject == "user-42"
            assert fake.jwks_fetches == 1
        finally:
            await validator.aclose()


def test_a_trailing_slash_issuer_is_discovered_without_a_double_slash() -> None:
    assert discovery_urls("https://team.eu.auth0.com/") == [
        "https://team.eu.auth0.com/.well-known/openid-configuration",
        "https://team.eu.auth0.com/.well-known/oauth-authorization-server",
    ]


async def test_a_hanging_issuer_is_given_up_on_at_the_fetch_deadline() -> None:
    """An issuer that accepts connections and never answers: one fetch of the keys (discovery, both URLs,
    and the JWK Set) ends at its deadline, not after each request's timeout times its attempts times the
    discovery URLs (10 s x 2 x 2 = 40 s before). Requests that waited for that fetch get its failure at once."""
    assert FETCH_DEADLINE <= 10  # the default deadline bounds what a request with a token can wait
    hanging = HangingIssuer()
    with hanging.serving() as url:
        keys = IssuerKeys(url, deadline=0.5)  # the default per-request timeout and retries, a small deadline
        try:
            waiting = asyncio.gather(*(keys.key_for("rsa-1") for _ in range(4)), return_exceptions=True)
            results = await asyncio.wait_for(waiting, 30)  # a bound for the test only, never reached
        finally:
            await keys.aclose()
        connections = hanging.connections
    assert all(isinstance(result, KeysUnavailable) for result in results), results
    assert all("no complete answer within 0.5 s" in str(result) for result in results)
    assert connections == 1  # one fetch for all four, and it gave up on the first URL


@pytest.mark.parametrize("outage", ["answering 500", "stopped"])
async def test_an_outage_is_warned_of_once_and_its_end_said_once(
    outage: str, caplog: pytest.LogCaptureFixture
) -> None:
    """Each failed refresh logged a ~600-character WARNING that said "try again" twice. Now: one short
    WARNING per outage (its first failure), DEBUG for the rest of it, one INFO when the issuer answers again;
    a later outage is warned of again. Never the token."""
    caplog.set_level(logging.DEBUG, logger="hub_mcp.auth")
    fake = FakeIssuer()
    clock = Clock()
    with fake.serving():
        token = fake.mint(aud=AUDIENCE)
        url = fake.url
        fake.status = 500
        if outage == "answering 500":
            validator = TokenValidator(url, AUDIENCE, IssuerKeys(url, clock=clock))
            try:
                for _ in range(3):
                    with pytest.raises(KeysUnavailable):
                        await validator.validate(token)
                    clock.now += RETRY_AFTER_FAILURE
                fake.status = None  # back
                await validator.validate(token)
                fake.status = 500  # a second outage, once the keys are due again
                clock.now += KEYS_TTL
                with pytest.raises(KeysUnavailable):
                    await validator.validate(token)
            finally:
                await validator.aclose()
    if outage == "stopped":
        validator = TokenValidator(url, AUDIENCE, IssuerKeys(url, clock=clock))
        try:
            for _ in range(3):
                with pytest.raises(KeysUnavailable):
                    await validator.validate(token)
                clock.now += RETRY_AFTER_FAILURE
        finally:
            await validator.aclose()
    records = [record for record in caplog.records if record.name == "hub_mcp.auth"]
    levels = [record.levelname for record in records]
    if outage == "answering 500":
        assert levels == ["WARNING", "DEBUG", "DEBUG", "INFO", "WARNING"]
        assert "answers again" in records[3].getMessage()
    else:
        assert levels == ["WARNING", "DEBUG", "DEBUG"]
    warning = records[0].getMessage()
    assert len(warning) <= 300, warning
    assert warning.lower().count("again") <= 1 and "a minute" not in warning and "try again" not in warning
    assert "signing keys" in warning and ("HTTP 500" in warning if outage == "answering 500" else "connect" in warning)
    assert token not in caplog.text


@pytest.mark.parametrize(
    ("case", "reason"),
    [
        ("expired", "ExpiredSignatureError"),
        ("wrong issuer", "InvalidIssuerError"),
        ("wrong audience", "InvalidAudienceError"),
        ("no exp", "MissingRequiredClaimError"),
    ],
)
async def test_claims_that_cannot_pass_are_refused_without_asking_for_keys(case: str, reason: str) -> None:
    """While the issuer is down, a token whose claims fail (expired, another issuer or audience) is refused,
    not KeysUnavailable (a 503 saying to retry, which cannot help it): its claims are read, unverified, before
    the keys are asked for. The issuer is not asked at all."""
    fake = FakeIssuer()
    now = int(time.time())
    with fake.serving():
        tokens = {
            "expired": fake.mint(aud=AUDIENCE, exp=now - 3600, iat=now - 7200),
            "wrong issuer": fake.mint(aud=AUDIENCE, iss="https://evil.example.com"),
            "wrong audience": fake.mint(aud="https://other.example.com/mcp"),
            "no exp": fake.mint(aud=AUDIENCE, exp=None),
        }
        fake.status = 500
        validator = TokenValidator(fake.url, AUDIENCE)
        try:
            with pytest.raises(TokenRejected, match=reason):
                await validator.validate(tokens[case])
            assert fake.requests == 0
            with pytest.raises(KeysUnavailable):  # the control: a token with fine claims needs the keys
                await validator.validate(fake.mint(aud=AUDIENCE))
        finally:
            await validator.aclose()


async def test_claims_that_pass_unverified_still_need_the_signature(issuer: FakeIssuer) -> None:
    """Reading the claims first decides nothing in the token's favour: fine claims under another key's
    signature are refused once the keys are at hand."""
    impostor = FakeIssuer()
    impostor.url = issuer.url
    validator = TokenValidator(issuer.url, AUDIENCE)
    try:
        with pytest.raises(TokenRejected, match="InvalidSignatureError"):
            await validator.validate(impostor.mint(aud=AUDIENCE))
    finally:
        await validator.aclose()
