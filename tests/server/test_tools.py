"""The tools as the model sees them, through mcp.Client against the fake Hub."""

from __future__ import annotations

import json
import logging
from typing import Any

import httpx
import pytest
from mcp import Client

from hub_mcp.server import create_server
from hub_mcp.vocab.tags import is_prerelease
from tests.fakes.hub import FakeHub
from tests.server.conftest import ALICE_PAT, client_of, make_settings


async def call(client: Client, tool: str, **args: Any) -> dict[str, Any]:
    result = await client.call_tool(tool, args)
    assert not result.is_error, result.content[0].text
    text = result.content[0].text
    assert json.loads(text) == result.structured_content  # the text block is the same data, compact
    # compact separators, no pretty-printing, non-ASCII as itself: exactly the compact rendering
    assert text == json.dumps(result.structured_content, separators=(",", ":"), ensure_ascii=False)
    return result.structured_content


async def fail(client: Client, tool: str, **args: Any) -> str:
    result = await client.call_tool(tool, args)
    assert result.is_error, result.structured_content
    return result.content[0].text


# --- search_images ----------------------------------------------------------------------


async def test_search_puts_the_exact_name_first_and_is_compact(client: Client) -> None:
    found = await call(client, "search_images", query="python")
    first = found["results"][0]
    assert first["reference"] == "python" and first["trust"] == "official"
    assert first["pulls"] == "1B+" and "arm64" in first["architectures"]
    assert all("readme" not in hit and "full_description" not in hit for hit in found["results"])
    assert {hit["trust"] for hit in found["results"]} >= {"official", "community"}


async def test_search_exact_match_is_moved_first_even_when_hub_ranks_it_lower(client: Client) -> None:
    found = await call(client, "search_images", query="redis")
    assert found["results"][0]["reference"] == "redis"
    assert "bitnami/redis" in [hit["reference"] for hit in found["results"]]
    bitnami = next(hit for hit in found["results"] if hit["reference"] == "bitnami/redis")
    assert bitnami["trust"] == "verified_publisher"


async def test_search_filters_and_pages(client: Client) -> None:
    official = await call(client, "search_images", query="redis", badges=["official"])
    assert [hit["trust"] for hit in official["results"]] == ["official"] * len(official["results"])
    first = await call(client, "search_images", query="a", limit=3)
    assert first["next_page"] == 2 and len(first["results"]) == 3
    second = await call(client, "search_images", query="a", limit=3, page=2)
    assert {h["reference"] for h in first["results"]}.isdisjoint(h["reference"] for h in second["results"])


async def test_search_bounds_are_enforced(client: Client) -> None:
    assert await fail(client, "search_images", query="python", limit=500) == (
        "limit must be between 1 and 50 (got 500): send a number in that range."
    )
    message = await fail(client, "search_images", query="python", limit=50, page=60)
    assert "first 2500 results" in message
    assert "empty" in await fail(client, "search_images", query="   ")


async def test_search_with_no_hit_says_what_to_try(client: Client) -> None:
    found = await call(client, "search_images", query="zzqqxxnothing")
    assert found["results"] == [] and "Try" in found["note"]


# --- get_repository ---------------------------------------------------------------------


async def test_repository_facts_without_readme_by_default(client: Client) -> None:
    info = await call(client, "get_repository", repository="library/python")
    assert info["reference"] == "python" and info["official"] is True and info["status"] == "active"
    assert "readme" not in info and info["readme_chars"] > 10000


async def test_readme_on_request_is_cut_and_says_so(client: Client) -> None:
    info = await call(client, "get_repository", repository="python", include_readme=True, readme_max_chars=1000)
    assert len(info["readme"]) == 1000 and info["readme_truncated"] is True and info["readme_chars"] > 1000
    small = await call(client, "get_repository", repository="openjdk", include_readme=True)
    assert small["readme_truncated"] is False and len(small["readme"]) == small["readme_chars"]


async def test_deprecated_and_archived_repositories_carry_warnings(client: Client) -> None:
    openjdk = await call(client, "get_repository", repository="openjdk")
    assert any("deprecated" in w for w in openjdk["warnings"])
    archived = await call(client, "get_repository", repository="someuser/legacy-scraper")
    assert any("archived" in w for w in archived["warnings"])


@pytest.mark.parametrize(
    ("repository", "words"),
    [
        ("nosuch/thing", "does not exist on Docker Hub"),
        ("Python", "lowercase"),
        ("ghcr.io/owner/img", "Docker Hub only"),
        ("a/b/c", "two parts"),
    ],
)
async def test_repository_errors_say_what_to_do(client: Client, repository: str, words: str) -> None:
    assert words in await fail(client, "get_repository", repository=repository)


async def test_private_repository_needs_credentials_and_never_leaks_them(
    client: Client, alice: Client, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    message = await fail(client, "get_repository", repository="alice/private-app")
    assert "HUB_PAT_TOKEN" in message
    info = await call(alice, "get_repository", repository="alice/private-app")
    assert info["private"] is True
    assert ALICE_PAT not in caplog.text and ALICE_PAT not in json.dumps(info)


async def test_rejected_token_still_answers_public_reads_with_a_notice(hub: FakeHub, mode: str) -> None:
    """A token Hub rejects (expired, revoked, mistyped) must not break public reads. (The placeholders
    shipped in claude_desktop_config.json never get this far: tests/config/test_placeholders.py.)"""
    server = create_server(
        make_settings(username="alice", pat_token="dckr_pat_wrong"), hub_transport=httpx.ASGITransport(app=hub.app)
    )
    async with Client(server, mode=mode) as c:
        info = await call(c, "get_repository", repository="python")
        tag = await call(c, "get_tag", repository="python", tag="3.13-slim")
        private = await fail(c, "get_repository", repository="alice/private-app")
    assert info["name"] == "python" and tag["exists"] is True
    for answer in (info, tag):
        assert len(answer["notices"]) == 1
        assert "rejected the access token for 'alice'" in answer["notices"][0]
        assert "expired, revoked" in answer["notices"][0] and "answered anonymously" in answer["notices"][0]
        assert "HUB_PAT_TOKEN" in answer["notices"][0] and "dckr_pat_wrong" not in json.dumps(answer)
    assert "credentials were rejected" in private and "dckr_pat_wrong" not in private


# --- list_tags --------------------------------------------------------------------------


async def test_list_tags_newest_first_with_platforms_sizes_and_next_page(client: Client, hub: FakeHub) -> None:
    page = await call(client, "list_tags", repository="python", limit=10)
    assert page["total"] > 100 and page["next_page"] == 2 and len(page["tags"]) == 10
    assert page["order"] == "newest"
    pushed = [t["last_pushed"] for t in page["tags"]]
    assert pushed == sorted(pushed, reverse=True)
    newest_in_catalog = max(t.last_updated for t in hub.catalog.get("library", "python").tags)
    assert pushed[0] == newest_in_catalog[:10]  # the catalog's own newest push, not Hub's sign
    second = await call(client, "list_tags", repository="python", limit=10, page=2)
    assert second["tags"][0]["last_pushed"] <= pushed[-1]
    row = page["tags"][0]
    assert "linux/amd64" in row["platforms"] and row["size_bytes"] > 0 and row["digest"].startswith("sha256:")
    assert not any("unknown" in p for t in page["tags"] for p in t["platforms"])  # attestations hidden


async def test_list_tags_other_orders(client: Client) -> None:
    oldest = await call(client, "list_tags", repository="python", ordering="oldest", limit=5)
    assert oldest["tags"][0]["name"] == "2.7.9" and oldest["order"] == "oldest"
    pushed = [t["last_pushed"] for t in oldest["tags"]]
    assert pushed == sorted(pushed)
    by_name = await call(client, "list_tags", repository="python", ordering="name", limit=20)
    names = [t["name"] for t in by_name["tags"]]
    assert names == sorted(names)
    backwards = await call(client, "list_tags", repository="python", ordering="name_desc", limit=20)
    assert [t["name"] for t in backwards["tags"]] == sorted((t["name"] for t in backwards["tags"]), reverse=True)


async def test_list_tags_marks_tags_not_meant_for_production(client: Client) -> None:
    page = await call(client, "list_tags", repository="python", limit=25)
    marked = {t["name"]: t["prerelease"] for t in page["tags"] if "prerelease" in t}
    # the newest pushes of the fake python are 3.15's alpha and release candidate
    assert marked.get("3.15.0a1") == "a" and marked.get("3.15-rc") == "rc", marked
    assert all(not name.startswith(("3.14", "3.13", "3.12")) or "rc" in name for name in marked)
    released = [t for t in page["tags"] if "prerelease" not in t]
    assert released and all(not is_prerelease(t["name"]) for t in released)


@pytest.mark.parametrize("ordering", ["name", "name_desc"])
async def test_list_tags_by_name_puts_released_lines_first(client: Client, ordering: str) -> None:
    page = await call(client, "list_tags", repository="python", name="3.14", ordering=ordering, limit=100)
    flags = ["prerelease" in t for t in page["tags"]]
    assert any(flags) and flags == sorted(flags), [t["name"] for t in page["tags"]]
    for group in (False, True):  # within each group, still in the asked name order
        names = [t["name"] for t, flag in zip(page["tags"], flags, strict=True) if flag is group]
        assert names == sorted(names, reverse=ordering == "name_desc")


@pytest.mark.parametrize("mode", ["auto"])
async def test_list_tags_when_hub_ignores_the_ordering_sorts_the_page_and_says_so(mode: str) -> None:
    hub = FakeHub(ordering_convention="ignored")
    async with client_of(hub, mode) as c:
        page = await call(c, "list_tags", repository="python", limit=20)
        whole = await call(c, "list_tags", repository="alpine", limit=100)
    pushed = [t["last_pushed"] for t in page["tags"]]
    assert pushed == sorted(pushed, reverse=True)
    assert "did not sort" in page["note"] and "other pages" in page["note"]
    assert "next_page" not in whole and "note" not in whole  # the whole list in one page: simply sorted
    assert [t["last_pushed"] for t in whole["tags"]] == sorted((t["last_pushed"] for t in whole["tags"]), reverse=True)


@pytest.mark.parametrize("mode", ["auto"])
async def test_get_tag_when_hub_ignores_the_ordering_judges_staleness_by_the_repository(mode: str) -> None:
    hub = FakeHub(ordering_convention="ignored")
    async with client_of(hub, mode) as c:
        old = await call(c, "get_tag", repository="python:3.8-slim")
        fresh = await call(c, "get_tag", repository="python:3.13-slim")
    assert old["stale"] is True and fresh["stale"] is False
    assert "did not list tags newest first" in old["note"]


@pytest.mark.parametrize("mode", ["auto"])
async def test_page_past_the_end_is_said_whether_hub_sends_404_or_an_empty_page(mode: str) -> None:
    hub = FakeHub(past_end="empty")
    async with client_of(hub, mode) as c:
        message = await fail(c, "list_tags", repository="python", limit=100, page=50)
    assert "past the end" in message and "3 page(s) of 100" in message


@pytest.mark.parametrize("mode", ["auto"])
async def test_platform_filter_holds_when_hub_ignores_it(mode: str) -> None:
    hub = FakeHub(apply_platform_filters=False)
    async with client_of(hub, mode) as c:
        riscv = await call(c, "list_tags", repository="python", architecture="riscv64", limit=100)
    assert riscv["tags"] and all("linux/riscv64" in t["platforms"] for t in riscv["tags"])


async def test_list_tags_size_is_for_the_asked_platform(client: Client) -> None:
    amd = await call(client, "list_tags", repository="python", name="3.13-slim-trixie", limit=1)
    arm = await call(client, "list_tags", repository="python", name="3.13-slim-trixie", limit=1, architecture="aarch64")
    assert arm["size_platform"] == "linux/arm64/v8" and amd["size_platform"] == "linux/amd64"
    assert arm["tags"][0]["name"] == amd["tags"][0]["name"]
    assert arm["tags"][0]["size_bytes"] != amd["tags"][0]["size_bytes"]


async def test_list_tags_platform_filter_drops_tags_without_it(client: Client) -> None:
    windows = await call(client, "list_tags", repository="python", os="windows", limit=50)
    assert windows["tags"] and all(p.startswith("windows/") for t in windows["tags"] for p in t["platforms"])
    riscv = await call(client, "list_tags", repository="python", architecture="riscv64", limit=100)
    assert riscv["tags"] and all("linux/riscv64" in t["platforms"] for t in riscv["tags"])


async def test_list_tags_page_past_the_end_says_how_many_pages(client: Client) -> None:
    message = await fail(client, "list_tags", repository="python", limit=100, page=50)
    assert "past the end" in message and "3 page(s) of 100" in message


async def test_unknown_repository_is_named_as_missing(client: Client) -> None:
    for tool, args in (
        ("list_tags", {"repository": "nvidia/cuda"}),
        ("get_tag", {"repository": "nvidia/cuda", "tag": "12"}),
        ("get_repository", {"repository": "nvidia/cuda"}),
    ):
        message = await fail(client, tool, **args)
        assert "nvidia/cuda does not exist on Docker Hub (or it is private: set HUB_USERNAME" in message, message
        assert "page" not in message.lower() and ".." not in message and "None" not in message


async def test_list_tags_biggest_page_stays_far_below_the_token_cut(client: Client) -> None:
    result = await client.call_tool("list_tags", {"repository": "python", "limit": 100})
    assert not result.is_error and len(result.content[0].text) < 50_000  # ~12k tokens; Claude Code cuts at 25k


# --- get_tag ----------------------------------------------------------------------------


async def test_existing_tag_has_platforms_digest_and_pin(client: Client) -> None:
    info = await call(client, "get_tag", repository="python", tag="3.13-slim")
    assert info["exists"] is True and info["stale"] is False
    assert info["reference"] == "python:3.13-slim"
    assert info["pinned_reference"] == f"python:3.13-slim@{info['digest']}"
    platforms = {p["platform"]: p for p in info["platforms"]}
    assert {"linux/amd64", "linux/arm64/v8"} <= set(platforms)
    assert all(p["size_bytes"] > 0 and p["digest"].startswith("sha256:") for p in platforms.values())
    assert info["newer_on_line"][0] == "3.14-slim"
    # 3.14 is another version line: the message calls them newer versions of the variant (a new user
    # read "Newer on the same line: 3.14" as wrong)
    assert "Newer versions of the same variant: 3.14-slim" in info["message"], info["message"]


async def test_missing_tag_answers_with_the_closest_existing_tags(client: Client, hub: FakeHub) -> None:
    info = await call(client, "get_tag", repository="python", tag="3.99")
    assert info["exists"] is False and "does not exist" in info["message"]
    names = [a["tag"] for a in info["alternatives"]]
    assert names[:4] == ["3.14", "3.13", "3.12", "3.11"]  # newest supported lines first
    catalog = hub.catalog.get("library", "python")
    assert all(catalog.tag(name) is not None for name in names)  # never an invented tag


@pytest.mark.parametrize(
    ("wanted", "first"),
    [("3.99", "3.14"), ("3.9.99-slim", "3.14.0-slim"), ("3.10.99-alpine", "3.14.0-alpine"), ("3.12.99", "3.12.12")],
)
async def test_alternatives_are_supported_lines_newest_first_without_release_candidates(
    client: Client, hub: FakeHub, wanted: str, first: str
) -> None:
    """On 2026-11-30 python 3.10 is past end of life (2026-10-31): never offered; nor 3.14.0rc3."""
    info = await call(client, "get_tag", repository="python", tag=wanted)
    names = [a["tag"] for a in info["alternatives"]]
    assert info["exists"] is False and names[0].startswith(first), names
    assert not any(n.startswith(("3.10", "3.9", "3.8")) for n in names), names
    assert not any(is_prerelease(n) for n in names), names
    python = hub.catalog.get("library", "python")
    assert all(python.tag(n) is not None for n in names)


async def test_a_release_candidate_is_offered_when_one_was_asked(client: Client) -> None:
    info = await call(client, "get_tag", repository="python", tag="3.15.0rc9")
    assert any(is_prerelease(a["tag"]) for a in info["alternatives"]), info["alternatives"]


async def test_missing_variant_tag_suggests_same_variant(client: Client) -> None:
    info = await call(client, "get_tag", repository="python", tag="3.99-slim")
    assert info["alternatives"][0]["tag"] == "3.14-slim"
    typo = await call(client, "get_tag", repository="python:3.13-slimm")
    assert typo["alternatives"][0]["tag"] == "3.13-slim"


async def test_stale_tag_is_flagged_with_maintained_replacements(client: Client) -> None:
    info = await call(client, "get_tag", repository="python:3.8-slim")
    assert info["exists"] is True and info["stale"] is True and info["last_pushed"] == "2024-10-07"
    assert "no longer gets rebuilds" in info["message"]
    assert info["newer_on_line"][:3] == ["3.14-slim", "3.13-slim", "3.12-slim"]
    assert "3.9-slim" not in info["newer_on_line"]  # itself stale: never recommended
    assert "3.10-slim" not in info["newer_on_line"]  # past end of life: never recommended


async def test_get_tag_asks_hub_three_things_and_repeats_cost_nothing(client: Client, hub: FakeHub, reading: str) -> None:
    tags_path = "/v2/namespaces/library/repositories/python/tags"
    await call(client, "get_tag", repository="python", tag="3.99-slim")
    first = hub.request_count(tags_path)
    if reading == "documented":
        assert first == 3  # tag, newest, family
    else:  # the first page that runs the other way teaches the sign: at most one more request per list
        assert 3 < first <= 5
    await call(client, "get_tag", repository="python", tag="3.12-alpine")
    # the sign is known now, whichever it is, and the newest page is remembered: the tag and its family
    assert hub.request_count(tags_path) - first == 2
    before = len(hub.requests)
    again = await call(client, "get_tag", repository="python", tag="3.12-alpine")
    assert again["exists"] is True and len(hub.requests) == before  # asked within a minute: from memory


OTHER_DIGEST = "sha256:" + "ab" * 32


async def test_a_digest_in_tag_is_checked_against_the_tag(client: Client) -> None:
    """Issue 17: '3.12@sha256:...' answered for 3.12 as if the digest were not there (exists: true)."""
    current = await call(client, "get_tag", repository="python", tag="3.12")
    assert "digest_matches" not in current  # no digest given: nothing to say about one
    digest, pinned = current["digest"], current["pinned_reference"]

    moved = await call(client, "get_tag", repository="python", tag=f"3.12@{OTHER_DIGEST}")
    assert moved["exists"] is True and moved["digest_matches"] is False
    assert moved["message"].startswith(
        f"python:3.12 now points at {digest}, not the digest you gave ({OTHER_DIGEST}), and hub-mcp cannot read"
        " a tag's past digests, so whether yours was ever a build of it could not be verified:"
        f" to pin the tag's current build write {pinned}. python:3.12 exists for"
    )
    assert "older" not in moved["message"]

    same = await call(client, "get_tag", repository="python", tag=f"3.12@{digest}")
    assert same["digest_matches"] is True and same["message"].startswith("python:3.12 points at the digest you gave.")
    # the digest may come with the repository instead, as a FROM line writes it
    assert (await call(client, "get_tag", repository=f"python:3.12@{digest}")) == same

    platform = next(p for p in current["platforms"] if p["platform"] == "linux/arm64/v8")
    one = await call(client, "get_tag", repository="python", tag=f"3.12@{platform['digest']}")
    assert one["digest_matches"] is True
    assert one["message"].startswith(
        "The digest you gave is python:3.12's linux/arm64/v8 image, not its multi-platform index:"
        f" a FROM pinned to it builds only for linux/arm64/v8; pin {pinned}."
    )

    missing = await call(client, "get_tag", repository="python", tag=f"3.99@{digest}")
    assert missing["exists"] is False and "digest_matches" not in missing


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            {"repository": f"python@{OTHER_DIGEST}"},
            f"get_tag checks a tag, and python@{OTHER_DIGEST} names only a digest: give the tag too"
            f" (e.g. 'python:3.12@{OTHER_DIGEST}'), or read the image with inspect_image.",
        ),
        (
            {"repository": f"python:3.12@{OTHER_DIGEST}", "tag": "3.12@sha256:" + "cd" * 32},
            f"Two different digests were given: {OTHER_DIGEST} in repository and sha256:{'cd' * 32} in tag. Give one.",
        ),
        ({"repository": "python", "tag": "3.12@sha256:abc"}, "has an invalid digest 'sha256:abc': a digest looks like"),
    ],
)
async def test_a_digest_that_cannot_be_checked_is_refused(client: Client, args: dict[str, Any], message: str) -> None:
    assert message in await fail(client, "get_tag", **args)


async def test_tag_as_a_number_is_refused_with_advice_to_quote_it(client: Client) -> None:
    message = await fail(client, "get_tag", repository="python", tag=3.10)
    assert "send it in quotes" in message and "3.1" in message


@pytest.mark.parametrize(
    ("args", "words"),
    [
        ({"repository": "python"}, "No tag given"),
        ({"repository": "python:3.12", "tag": "3.13"}, "Two different tags"),
        ({"repository": "python", "tag": "-bad"}, "invalid tag"),
        ({"repository": "nosuch/thing", "tag": "1"}, "does not exist on Docker Hub"),
    ],
)
async def test_get_tag_errors(client: Client, args: dict[str, Any], words: str) -> None:
    text = await fail(client, "get_tag", **args)
    assert words in text
    # one form for every refusal, as the argument refusals are given: no SDK prefix (issue 17)
    assert not text.startswith("Error executing tool"), text


# --- Hub misbehaving ------------------------------------------------------------------


async def test_transient_5xx_and_malformed_bodies_are_retried(
    client: Client, hub: FakeHub, waits: list[float]
) -> None:
    hub.fail_next(2, 503)
    assert (await call(client, "get_repository", repository="python"))["name"] == "python"
    assert waits == [0.5, 1.0]  # exponential back-off between the three attempts
    hub.malformed_next(1)  # another repository: python's answer is remembered, it would not reach the Hub
    assert (await call(client, "get_repository", repository="node"))["name"] == "node"
    assert waits == [0.5, 1.0, 0.5]


async def test_persistent_outage_is_a_clear_error(client: Client, hub: FakeHub, waits: list[float]) -> None:
    hub.fail_next(10, 502)
    message = await fail(client, "get_repository", repository="python")
    assert "Docker Hub failed" in message and "try again" in message
    assert waits == [0.5, 1.0, 2.0]  # max_retries=3, 3.5 s in all: within retry_max_wait=5


async def test_rate_limit_with_short_retry_after_is_waited_out(
    client: Client, hub: FakeHub, waits: list[float]
) -> None:
    hub.rate_limit_next(1, retry_after=1)
    assert (await call(client, "search_images", query="python"))["results"]
    assert waits == [1.0]  # as long as Retry-After says


async def test_rate_limit_beyond_the_wait_budget_says_when_to_retry(
    client: Client, hub: FakeHub, waits: list[float]
) -> None:
    hub.rate_limit_next(1, retry_after=120)
    message = await fail(client, "search_images", query="python")
    assert "rate limiting" in message and "121 seconds" in message
    assert hub.request_count("/api/search") == 1
    assert waits == []  # beyond retry_max_wait: not waited at all
