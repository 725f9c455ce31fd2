"""HttpClient: retries, Retry-After, bounded waits, rate-limit bookkeeping (respx)."""

from __future__ import annotations

import time

import httpx
import pytest
import respx

from hub_mcp.errors import RateLimited, Refused, TooLarge, Unreachable, Upstream
from hub_mcp.net.http import (
    BODY_LIMITS,
    INFLATE_STEP,
    READS_PER_CALL,
    WRITE,
    HttpClient,
    SendOptions,
    call_scope,
    parse_retry_after,
)

URL = "https://hub.example/v2/thing"


class Sleeps:
    """Records the waits instead of sleeping."""

    def __init__(self) -> None:
        self.calls: list[float] = []

    async def __call__(self, seconds: float) -> None:
        self.calls.append(seconds)


@pytest.fixture
def sleeps() -> Sleeps:
    return Sleeps()


@pytest.fixture
def client(sleeps: Sleeps) -> HttpClient:
    return HttpClient(max_retries=3, retry_max_wait=10, sleep=sleeps)


@respx.mock
async def test_retries_5xx_then_succeeds(client: HttpClient, sleeps: Sleeps) -> None:
    route = respx.get(URL).mock(
        side_effect=[httpx.Response(503), httpx.Response(502), httpx.Response(200, json={"ok": True})]
    )
    response = await client.send("GET", URL)
    assert response.data == {"ok": True}
    assert route.call_count == 3
    assert sleeps.calls == [0.5, 1.0]  # exponential backoff


@respx.mock
async def test_gives_up_after_max_retries_with_upstream_error(client: HttpClient) -> None:
    route = respx.get(URL).mock(return_value=httpx.Response(500))
    with pytest.raises(Upstream) as err:
        await client.send("GET", URL)
    assert route.call_count == 4
    assert "HTTP 500" in str(err.value) and "4 attempts" in str(err.value)
    assert err.value.status == 500


@respx.mock
async def test_honours_retry_after_seconds(client: HttpClient, sleeps: Sleeps) -> None:
    respx.get(URL).mock(
        side_effect=[httpx.Response(429, headers={"Retry-After": "3"}), httpx.Response(200, json=[1])]
    )
    response = await client.send("GET", URL)
    assert response.data == [1]
    assert sleeps.calls == [3.0]


@respx.mock
async def test_retry_after_beyond_budget_raises_rate_limited_at_once(client: HttpClient, sleeps: Sleeps) -> None:
    route = respx.get(URL).mock(return_value=httpx.Response(429, headers={"Retry-After": "120"}))
    with pytest.raises(RateLimited) as err:
        await client.send("GET", URL)
    assert route.call_count == 1  # no pointless retry
    assert sleeps.calls == []
    assert err.value.retry_after == 120
    assert "121 seconds" in str(err.value)


@respx.mock
async def test_total_wait_is_bounded(sleeps: Sleeps) -> None:
    client = HttpClient(max_retries=10, retry_max_wait=5, sleep=sleeps)
    respx.get(URL).mock(return_value=httpx.Response(429, headers={"Retry-After": "2"}))
    with pytest.raises(RateLimited):
        await client.send("GET", URL)
    assert sum(sleeps.calls) <= 5
    assert sleeps.calls == [2.0, 2.0]


@respx.mock
async def test_x_retry_after_unix_time(client: HttpClient, sleeps: Sleeps) -> None:
    respx.get(URL).mock(
        side_effect=[
            httpx.Response(429, headers={"X-Retry-After": str(int(time.time()) + 4)}),
            httpx.Response(200, json={}),
        ]
    )
    await client.send("GET", URL)
    assert len(sleeps.calls) == 1 and 2.5 <= sleeps.calls[0] <= 4.0


@respx.mock
async def test_a_connect_error_is_one_attempt_and_the_host_is_left_alone_briefly(client: HttpClient) -> None:
    """A refused connection is not a blip: one attempt, then the host fails at once for a while
    (a review of many FROM lines on an unreachable registry pays one connect, not four per line)."""
    route = respx.get(URL).mock(side_effect=[httpx.ConnectError("refused"), httpx.Response(200, json={"a": 1})])
    with pytest.raises(Unreachable) as err:
        await client.send("GET", URL)
    assert "cannot be reached" in str(err.value) and route.call_count == 1
    with pytest.raises(Unreachable):
        await client.send("GET", URL)
    assert route.call_count == 1  # not tried again within UNREACHABLE_FOR
    client.unreachable.clear()  # the window has passed
    assert (await client.send("GET", URL)).data == {"a": 1}


NAME_HINT = "check the network or the registry name, or try again in a minute."
NETWORK_HINT = "check the network (or HTTPS_PROXY), or try again in a minute."


@pytest.mark.parametrize(
    ("options", "hint"),
    [
        (SendOptions(), NETWORK_HINT),  # Docker Hub: nobody named it, so no name to check
        (SendOptions(service="the registry reg.example", named=True), NAME_HINT),
    ],
)
@respx.mock
async def test_an_unreachable_host_is_told_to_check_its_name_only_when_the_user_named_it(
    client: HttpClient, options: SendOptions, hint: str
) -> None:
    """Issue 17: "Docker Hub cannot be reached (...); check the network or the registry name" told a user who
    named no registry to check its name. The name is worth checking only when the user gave it."""
    respx.get(URL).mock(side_effect=httpx.ConnectError("refused"))
    with pytest.raises(Unreachable) as err:
        await client.send("GET", URL, options=options)
    with pytest.raises(Unreachable) as benched:  # the fast refusal while the host is left alone says the same
        await client.send("GET", URL, options=options)
    for message in (str(err.value), str(benched.value)):
        assert message.startswith(f"{options.service} cannot be reached (hub.example:443") and message.endswith(hint)


@respx.mock
async def test_a_redirect_target_that_cannot_be_reached_is_not_blamed_on_the_registry_name(client: HttpClient) -> None:
    """The user named the registry, not the host it sent us to: the hint is the network's."""

    def refuse(request: httpx.Request) -> httpx.Response:
        raise httpx.ConnectError("refused", request=request)

    respx.get(URL).mock(return_value=httpx.Response(307, headers={"Location": "https://cdn.example/blob/1"}))
    respx.get("https://cdn.example/blob/1").mock(side_effect=refuse)
    with pytest.raises(Unreachable) as err:
        await client.send("GET", URL, options=SendOptions(service="the registry hub.example", named=True))
    assert "cdn.example:443, reached from hub.example:443" in str(err.value)
    assert str(err.value).endswith(NETWORK_HINT)


@respx.mock
async def test_malformed_json_is_retried_then_reported(client: HttpClient) -> None:
    route = respx.get(URL).mock(return_value=httpx.Response(200, content=b'{"results": [tru'))
    with pytest.raises(Upstream) as err:
        await client.send("GET", URL)
    assert route.call_count == 4
    assert "not valid JSON" in str(err.value)


@respx.mock
async def test_4xx_is_returned_not_retried(client: HttpClient) -> None:
    route = respx.get(URL).mock(return_value=httpx.Response(404, json={"message": "object not found"}))
    response = await client.send("GET", URL)
    assert response.status == 404 and response.data == {"message": "object not found"}
    assert route.call_count == 1


@respx.mock
async def test_post_is_not_retried_on_5xx(client: HttpClient) -> None:
    route = respx.post(URL).mock(return_value=httpx.Response(503))
    response = await client.send("POST", URL, json_body={"x": 1}, options=WRITE)
    assert response.status == 503 and route.call_count == 1


@respx.mock
async def test_rate_limit_headers_are_recorded(client: HttpClient) -> None:
    reset = int(time.time()) + 30
    respx.get(URL).mock(
        return_value=httpx.Response(
            200,
            json={},
            headers={"X-RateLimit-Limit": "180", "X-RateLimit-Remaining": "17", "X-RateLimit-Reset": str(reset)},
        )
    )
    await client.send("GET", URL)
    state = client.rate_limit(URL)
    assert state is not None and (state.limit, state.remaining, state.reset_at) == (180, 17, reset)


@respx.mock
async def test_used_up_budget_waits_for_reset_or_refuses(client: HttpClient, sleeps: Sleeps) -> None:
    headers = {"X-RateLimit-Limit": "180", "X-RateLimit-Remaining": "0"}
    route = respx.get(URL).mock(
        return_value=httpx.Response(200, json={}, headers={**headers, "X-RateLimit-Reset": str(int(time.time()) + 600)})
    )
    await client.send("GET", URL)
    with pytest.raises(RateLimited) as err:  # reset is 600 s away, beyond the 10 s budget: refuse without sending
        await client.send("GET", URL)
    assert route.call_count == 1
    assert err.value.retry_after and err.value.retry_after > 500

    client.rate_limits["hub.example"].reset_at = time.time() + 3  # soon: wait, then send
    await client.send("GET", URL)
    assert route.call_count == 2 and len(sleeps.calls) == 1 and 2 <= sleeps.calls[0] <= 3


def test_parse_retry_after_forms() -> None:
    assert parse_retry_after({"retry-after": "7"}) == 7
    assert parse_retry_after({"retry-after": "soon"}) is None
    assert parse_retry_after({"x-retry-after": "1000"}, now=990) == 10
    assert parse_retry_after({}) is None
    assert parse_retry_after({"retry-after": "Wed, 21 Oct 2015 07:28:00 GMT"}, now=1445412470) == 10


# --- issue 10: bodies within limits, redirects by hand ------------------------------------------


@respx.mock
async def test_an_error_body_is_cut_at_its_limit_and_a_token_past_its_limit_is_refused(client: HttpClient) -> None:
    respx.get(URL).mock(return_value=httpx.Response(404, content=b"x" * (BODY_LIMITS["error"] * 3)))
    response = await client.send("GET", URL)
    assert response.status == 404 and response.truncated and len(response.content) == BODY_LIMITS["error"]
    respx.get("https://auth.example/token").mock(
        return_value=httpx.Response(200, content=b'{"token":"' + b"a" * BODY_LIMITS["token"] + b'"}')
    )
    options = SendOptions(service="the token service", body="token")
    with pytest.raises(TooLarge) as err:
        await client.send("GET", "https://auth.example/token", options=options)
    assert "(64 KiB, the limit for a token response" in str(err.value)


@respx.mock
async def test_redirects_are_followed_by_hand_and_checked_each_hop(client: HttpClient) -> None:
    respx.get(URL).mock(return_value=httpx.Response(307, headers={"Location": "https://cdn.example/blob"}))
    respx.get("https://cdn.example/blob").mock(return_value=httpx.Response(200, json={"ok": 1}))
    response = await client.send("GET", URL)
    assert response.data == {"ok": 1} and response.url == "https://cdn.example/blob"
    respx.get("https://hub.example/v2/meta").mock(
        return_value=httpx.Response(302, headers={"Location": "http://[fd00:ec2::254]/latest/"})
    )
    with pytest.raises(Refused) as err:
        await client.send("GET", "https://hub.example/v2/meta")
    assert "a redirect from hub.example to [fd00:ec2::254]" in str(err.value)


@respx.mock
async def test_a_failed_redirect_target_is_blamed_and_benched_not_its_origin(client: HttpClient) -> None:
    """Issue 17: after a redirect to a host that refuses, the message named the origin and every
    request to the origin was refused for a while. Health is kept per host and port, for the host
    that failed."""
    origin = "https://registry.example:5000/v2/library/a/blobs/sha256:1"

    def refuse(request: httpx.Request) -> httpx.Response:
        raise httpx.ConnectError("refused", request=request)

    respx.get(origin).mock(return_value=httpx.Response(307, headers={"Location": "https://cdn.example/blob/1"}))
    respx.get("https://cdn.example/blob/1").mock(side_effect=refuse)
    other = respx.get("https://registry.example:5000/v2/").mock(return_value=httpx.Response(200, json={}))
    with pytest.raises(Unreachable) as err:
        await client.send("GET", origin)
    assert "cdn.example:443, reached from registry.example:5000" in str(err.value)
    assert set(client.unreachable) == {"cdn.example:443"}
    await client.send("GET", "https://registry.example:5000/v2/")  # the origin is still reachable
    assert other.call_count == 1


def _gzip(data: bytes) -> bytes:
    import gzip

    return gzip.compress(data, compresslevel=9)


async def test_a_gzip_bomb_is_refused_while_inflating_in_bounded_steps() -> None:
    """Issue 17: bodies were bounded after inflation, so 200 KB of gzip cost ~200 MB at once. Now
    the inflated bytes are bounded as they are produced: refused past the limit, with peak memory
    near the limit, whatever the bomb's size. (A plain MockTransport: respx inflates bodies itself.)"""
    import tracemalloc

    bomb = _gzip(b"\0" * (256 * 1024 * 1024))  # 256 MiB of zeros, about 250 KB compressed

    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, stream=httpx.ByteStream(bomb), headers={"Content-Encoding": "gzip"})

    client = HttpClient(transport=httpx.MockTransport(handler), max_retries=0)
    tracemalloc.start()
    try:
        with pytest.raises(TooLarge):
            await client.send("GET", URL)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
        await client.aclose()
    assert peak < 3 * BODY_LIMITS["json"] + 4 * 1024 * 1024, peak  # a few times the 8 MiB limit, not 256 MiB


async def test_a_refused_body_is_not_kept_alive_by_its_exception() -> None:
    """Issue 17: a review keeps each FROM line's exception until every line is answered, and an
    exception's traceback keeps the frame that raised it. The body read so far (up to the 8 MiB
    limit) was kept with it: 20 gzip bombs held 80 MB. The frame's buffer is now emptied first."""
    bomb = _gzip(b"\0" * (64 * 1024 * 1024))

    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, stream=httpx.ByteStream(bomb), headers={"Content-Encoding": "gzip"})

    client = HttpClient(transport=httpx.MockTransport(handler), max_retries=0)
    with pytest.raises(TooLarge) as err:
        await client.send("GET", URL)
    await client.aclose()
    held = 0
    traceback = err.value.__traceback__
    while traceback is not None:
        if "hub_mcp" in traceback.tb_frame.f_code.co_filename:
            held += sum(len(v) for v in traceback.tb_frame.f_locals.values() if isinstance(v, bytes | bytearray))
        traceback = traceback.tb_next
    assert held <= INFLATE_STEP, held  # one inflation step at most, not the limit's 8 MiB


async def test_one_call_reads_at_most_a_few_bodies_at_once_and_never_waits_for_another_call() -> None:
    """Issue 17: what one call can make the process hold is bounded by reading at most READS_PER_CALL
    bodies at a time within its scope; a second call (its own scope) is not held up by the first."""
    import asyncio

    reading = 0
    most = 0

    class Slow(httpx.AsyncByteStream):
        async def __aiter__(self):  # type: ignore[override]
            nonlocal reading, most
            reading += 1
            most = max(most, reading)
            try:
                for _ in range(3):
                    await asyncio.sleep(0.01)
                    yield b"{}"[:0]
                yield b"{}"
            finally:
                reading -= 1

    client = HttpClient(transport=httpx.MockTransport(lambda request: httpx.Response(200, stream=Slow())), max_retries=0)

    async def one_call(n: int) -> None:
        with call_scope():
            await asyncio.gather(*(client.send("GET", f"{URL}?{n}-{i}") for i in range(3 * READS_PER_CALL)))

    await one_call(0)
    assert most == READS_PER_CALL
    most = 0
    await asyncio.gather(one_call(1), one_call(2))  # two calls: each has its own slots
    assert most == 2 * READS_PER_CALL
    await client.aclose()


@respx.mock
@pytest.mark.parametrize("encoding", ["gzip", "deflate", "deflate-raw", "identity"])
async def test_compressed_bodies_are_still_read(client: HttpClient, encoding: str) -> None:
    import zlib

    body = b'{"name": "python", "tags": [' + b'"x",' * 2000 + b'"y"]}'
    sent = {
        "gzip": _gzip(body),
        "deflate": zlib.compress(body),
        "deflate-raw": zlib.compress(body, wbits=-zlib.MAX_WBITS),
        "identity": body,
    }[encoding]
    header = "deflate" if encoding.startswith("deflate") else encoding
    respx.get(URL).mock(return_value=httpx.Response(200, content=sent, headers={"Content-Encoding": header}))
    assert (await client.send("GET", URL)).data["name"] == "python"
    assert respx.calls.last.request.headers["Accept-Encoding"] == "gzip, deflate"


@respx.mock
async def test_an_encoding_not_asked_for_is_a_clear_upstream_error(client: HttpClient) -> None:
    """Accept-Encoding says gzip, deflate (RFC 9110: a server should honour it); one that sends br
    anyway gets a sentence, not a crash or an unbounded inflate by a library."""
    respx.get(URL).mock(return_value=httpx.Response(200, content=b"\x1b\x00", headers={"Content-Encoding": "br"}))
    with pytest.raises(Upstream) as err:
        await client.send("GET", URL)
    assert "encoding hub-mcp does not read (br)" in str(err.value)


@pytest.mark.parametrize("value", ["1e400", "1" + "0" * 400, "inf", "nan", str(10 * 86400)])
def test_an_absurd_retry_after_counts_as_unknown(value: str) -> None:
    assert parse_retry_after({"retry-after": value}) is None
    assert parse_retry_after({"x-retry-after": value}, now=0) is None


@respx.mock
@pytest.mark.parametrize("value", ["1e400", "1" + "0" * 400])
async def test_a_429_with_an_absurd_retry_after_is_rate_limited_not_a_crash(client: HttpClient, value: str) -> None:
    respx.get(URL).mock(return_value=httpx.Response(429, headers={"Retry-After": value}))
    with pytest.raises(RateLimited) as refused:
        await client.send("GET", URL)
    assert "rate limiting" in str(refused.value)


@respx.mock
@pytest.mark.parametrize("reset", ["1" + "0" * 400, "-5", "0"])
async def test_an_absurd_rate_limit_reset_is_no_time(client: HttpClient, reset: str) -> None:
    headers = {"X-RateLimit-Limit": "180", "X-RateLimit-Remaining": "17", "X-RateLimit-Reset": reset}
    respx.get(URL).mock(return_value=httpx.Response(200, json={}, headers=headers))
    response = await client.send("GET", URL)
    state = client.rate_limit(URL)
    assert response.ok and state is not None and (state.remaining, state.reset_at) == (17, None)


# --- issue 17: permanent faults are said once, not retried as an outage -------------------------


@respx.mock
@pytest.mark.parametrize(
    ("location", "words"),
    [
        ("http://0177.0.0.1/latest/", "0177.0.0.1 (127.0.0.1)"),  # loopback in octal: refused by the policy
        ("http://0251.0376.0251.0376/latest/", "0251.0376.0251.0376 (169.254.169.254)"),
        ("http://300.1.1.1/x", "'http://300.1.1.1/x' is not a valid URL (Invalid IPv4 address"),
        ("http://[::1/x", "is not a valid URL"),
    ],
)
async def test_a_redirect_to_a_location_httpx_cannot_read_is_one_attempt_and_a_sentence(
    client: HttpClient, sleeps: Sleeps, location: str, words: str
) -> None:
    route = respx.get(URL).mock(return_value=httpx.Response(302, headers={"Location": location}))
    with pytest.raises((Refused, Upstream)) as err:
        await client.send("GET", URL)
    message = str(err.value)
    assert route.call_count == 1 and sleeps.calls == []
    assert "hub.example" in message and words in message
    assert "temporary outage" not in message and "attempts" not in message


@respx.mock
async def test_a_same_host_downgrade_to_http_is_refused_and_nothing_is_sent_in_clear(client: HttpClient) -> None:
    respx.get(URL).mock(return_value=httpx.Response(301, headers={"Location": "http://hub.example/v2/thing"}))
    clear = respx.get("http://hub.example/v2/thing").mock(return_value=httpx.Response(200, json={}))
    with pytest.raises(Refused) as err:
        await client.send("GET", URL, headers={"Authorization": "Bearer secret-value"})
    assert clear.call_count == 0
    assert "from https://hub.example to http://hub.example" in str(err.value)
    respx.get("http://hub.example/up").mock(return_value=httpx.Response(301, headers={"Location": URL}))
    respx.get(URL).mock(return_value=httpx.Response(200, json={"ok": 1}))
    assert (await client.send("GET", "http://hub.example/up")).data == {"ok": 1}  # an upgrade is followed


async def test_oversized_response_headers_are_one_attempt_and_a_sentence_naming_the_host(sleeps: Sleeps) -> None:
    """Issue 17: 1 MB of response headers was called a temporary outage and asked for 4 times. Against a
    real loopback server (httpx and h11 as users run them): httpx raises RemoteProtocolError('Receive buffer
    too long'), h11's 431 hint, once the head passes httpcore's 100 KiB."""
    import asyncio

    from hub_mcp.net.egress import EgressPolicy

    connections = 0

    async def answer(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        nonlocal connections
        connections += 1
        await reader.readuntil(b"\r\n\r\n")
        try:
            writer.write(b"HTTP/1.1 200 OK\r\nX-Pad: " + b"a" * 1_000_000 + b"\r\nContent-Length: 2\r\n\r\n{}")
            await writer.drain()
        except ConnectionError:
            pass
        writer.close()

    server = await asyncio.start_server(answer, "127.0.0.1", 0)
    port = server.sockets[0].getsockname()[1]
    try:
        async with HttpClient(max_retries=3, retry_max_wait=10, sleep=sleeps, policy=EgressPolicy(local=True)) as http:
            with pytest.raises(Upstream) as err:
                await http.send("GET", f"http://127.0.0.1:{port}/v2/", options=SendOptions(service="the registry"))
    finally:
        server.close()
    message = str(err.value)
    assert connections == 1 and sleeps.calls == []
    assert f"127.0.0.1:{port}" in message and "headers larger than" in message
    assert "temporary outage" not in message
