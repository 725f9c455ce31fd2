"""inspect_image, and list_tags / get_tag on registries other than Docker Hub, through mcp.Client
against real docker-registry processes (fixtures in tests/conftest.py)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import pytest
from mcp import Client

from hub_mcp.server import create_server
from tests.conftest import AUTH_PASSWORD, AUTH_USER, Pushed
from tests.server.conftest import make_settings
from tests.server.test_tools import call, fail


@pytest.fixture
async def client(registry: Pushed, mode: str) -> AsyncIterator[Client]:
    # Docker Hub references go to HUB_MCP_REGISTRY_URL: here, the local registry.
    async with Client(create_server(make_settings(registry_url=registry.registry.url)), mode=mode) as c:
        yield c


async def test_inspect_reports_exactly_what_was_pushed(client: Client, registry: Pushed) -> None:
    image = registry.nonroot
    info = await call(client, "inspect_image", reference=f"{registry.host}/test/nonroot:2", platform="aarch64")
    assert info["platform"] == "linux/arm64/v8" and info["platforms"] == ["linux/arm64/v8"]
    assert info["user"] == image.config["config"]["User"] == "1000:1000"
    assert info["runs_as_root"] is False and "warnings" not in info
    assert info["size_bytes"] == image.compressed_size and info["layers"] == len(image.layers)
    assert info["labels"]["org.opencontainers.image.licenses"] == image.config["config"]["Labels"][
        "org.opencontainers.image.licenses"
    ]
    assert info["pinned_reference"] == f"{registry.host}/test/nonroot:2@{info['manifest_digest']}"


async def test_inspect_multi_arch_picks_the_platform_and_hides_attestations(client: Client, registry: Pushed) -> None:
    info = await call(client, "inspect_image", reference=f"{registry.host}/test/multi:1.0", platform="linux/arm/v7")
    assert sorted(info["platforms"]) == sorted(registry.multi.platforms)
    arm = next(i for i in registry.multi.images if i.platform == "linux/arm/v7")
    assert info["size_bytes"] == arm.compressed_size
    assert info["index_digest"] and info["pinned_reference"].endswith(info["index_digest"])


async def test_docker_hub_names_go_through_the_configured_registry(client: Client, registry: Pushed) -> None:
    info = await call(client, "inspect_image", reference="python:3.12")
    assert info["reference"] == "python:3.12" and info["runs_as_root"] is True
    assert any("root" in w for w in info["warnings"])
    assert len(info["platforms"]) == len(registry.multi.platforms)


async def test_missing_platform_lists_the_ones_that_exist(client: Client, registry: Pushed) -> None:
    message = await fail(client, "inspect_image", reference=f"{registry.host}/test/multi:1.0", platform="s390x")
    assert "linux/s390x" in message and "linux/arm64/v8" in message


@pytest.mark.parametrize(
    ("reference", "words"),
    [("test/nothere:1", "not found"), ("test/multi:9.9", "not found"), ("test/multi:1.0", None)],
)
async def test_inspect_unknown_repository_and_tag(client: Client, registry: Pushed, reference: str, words: Any) -> None:
    result = await client.call_tool("inspect_image", {"reference": f"{registry.host}/{reference}"})
    if words is None:
        assert not result.is_error
    else:
        assert result.is_error and words in result.content[0].text


async def test_list_tags_on_another_registry_gives_names_and_says_what_it_cannot_know(
    client: Client, registry: Pushed
) -> None:
    page = await call(client, "list_tags", repository=f"{registry.host}/test/tags", limit=3)
    assert [t["name"] for t in page["tags"]] == ["a", "b", "c"] and page["total"] == 5 and page["next_page"] == 2
    assert "no push dates" in page["note"] and all("last_pushed" not in t for t in page["tags"])
    assert "architecture/os filters" in await fail(
        client, "list_tags", repository=f"{registry.host}/test/tags", architecture="arm64"
    )


async def test_get_tag_on_another_registry(client: Client, registry: Pushed) -> None:
    info = await call(client, "get_tag", repository=f"{registry.host}/test/multi", tag="1.0")
    assert info["exists"] is True and "stale" not in info and "no push dates" in info["note"]
    sizes = {p["platform"]: p["size_bytes"] for p in info["platforms"]}
    assert sizes == {i.platform: i.compressed_size for i in registry.multi.images}
    missing = await call(client, "get_tag", repository=f"{registry.host}/test/multi:1.1")
    assert missing["exists"] is False and [a["tag"] for a in missing["alternatives"]] == ["1.0"]


async def test_a_digest_in_tag_is_checked_on_another_registry(client: Client, registry: Pushed) -> None:
    repository = f"{registry.host}/test/multi"
    current = await call(client, "get_tag", repository=repository, tag="1.0")
    same = await call(client, "get_tag", repository=repository, tag=f"1.0@{current['digest']}")
    assert same["digest_matches"] is True and same["message"].startswith(f"{repository}:1.0 points at the digest you gave.")
    moved = await call(client, "get_tag", repository=repository, tag="1.0@sha256:" + "ab" * 32)
    assert moved["digest_matches"] is False and "could not be verified" in moved["message"]


async def test_basic_auth_registry_needs_configured_credentials(auth_registry: Pushed, mode: str) -> None:
    reference = f"{auth_registry.host}/private/app:1"
    async with Client(create_server(make_settings()), mode=mode) as anonymous:
        message = await fail(anonymous, "inspect_image", reference=reference, platform="arm64")
    assert "no credentials are configured for" in message and AUTH_PASSWORD not in message
    logins = f"{auth_registry.host}={AUTH_USER}:{AUTH_PASSWORD}"
    async with Client(create_server(make_settings(registry_credentials=logins)), mode=mode) as alice:
        info = await call(alice, "inspect_image", reference=reference, platform="arm64")
    assert info["user"] == "1000:1000"


async def test_tag_given_as_number_is_refused(client: Client) -> None:
    assert "quotes" in await fail(client, "inspect_image", reference="python:3.12", platform=64)


async def test_docker_hub_inspection_follows_the_token_challenge_and_caches(mode: str) -> None:
    """Like Docker Hub: 401 + Bearer challenge, a token from the realm (Basic with the Hub PAT),
    then manifests; a repeat within the tag TTL costs no request at all."""
    import respx

    from tests.fakes import images
    from tests.registry.bearer import REGISTRY, BearerRegistry

    with respx.mock(assert_all_called=False) as router:
        fake = BearerRegistry(credentials=("alice", "dckr_pat_hub"), private={"library/app"})
        fake.add_index("library/app", "1", images.multi_arch_index())
        fake.install(router)
        settings = make_settings(registry_url=REGISTRY, username="alice", pat_token="dckr_pat_hub")
        async with Client(create_server(settings), mode=mode) as client:
            first = await call(client, "inspect_image", reference="app:1", platform="arm64")
            sent = len(fake.registry_requests) + len(fake.token_requests)
            second = await call(client, "inspect_image", reference="app:1", platform="arm64")
            assert len(fake.registry_requests) + len(fake.token_requests) == sent  # warm: nothing sent
    assert first == second and first["platform"] == "linux/arm64/v8"
    assert fake.token_requests[0].headers["authorization"].startswith("Basic ")
    assert fake.registry_requests[0].url.path == "/v2/library/app/manifests/1"


async def test_a_docker_login_in_the_docker_config_opens_a_private_registry(
    auth_registry: Pushed, mode: str, tmp_path: Any, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    """Logged in with `docker login <host>` (an auths entry) and nothing in the environment: it just works,
    the log says where the login came from, and a wrong one names the config file as the thing to fix."""
    import base64
    import json
    import logging

    caplog.set_level(logging.DEBUG)
    reference = f"{auth_registry.host}/private/app:1"

    def login(password: str) -> None:
        auth = base64.b64encode(f"{AUTH_USER}:{password}".encode()).decode()
        (tmp_path / "config.json").write_text(json.dumps({"auths": {auth_registry.host: {"auth": auth}}}))

    monkeypatch.setenv("DOCKER_CONFIG", str(tmp_path))
    login(AUTH_PASSWORD)
    async with Client(create_server(make_settings()), mode=mode) as client:
        info = await call(client, "inspect_image", reference=reference, platform="arm64")
    assert info["user"] == "1000:1000"
    assert f"credentials for {auth_registry.host} (user {AUTH_USER}) from {tmp_path}/config.json (auths)" in caplog.text
    login("wrong-password")
    async with Client(create_server(make_settings()), mode=mode) as client:
        message = await fail(client, "inspect_image", reference=reference, platform="arm64")
    assert f"{tmp_path}/config.json (auths)" in message and "wrong-password" not in message
    async with Client(create_server(make_settings(no_docker_config=True)), mode=mode) as client:
        assert "no credentials are configured" in await fail(client, "inspect_image", reference=reference)
    assert AUTH_PASSWORD not in caplog.text and "wrong-password" not in caplog.text
