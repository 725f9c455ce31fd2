"""Hub's ordering sign is checked on every page, never assumed (hub-api.md, "Ordering direction").

Unit tests of :mod:`hub_mcp.hub.ordering`, then :class:`HubClient` against respx Hubs that read
``ordering`` the documented way, the Django way, or not at all.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import pytest
import respx

from hub_mcp.hub.auth import HubAuth
from hub_mcp.hub.client import HubClient
from hub_mcp.hub.models import Tag
from hub_mcp.hub.ordering import OrderingDirection, TagOrder, page_order, sort_locally
from hub_mcp.hub.queries import TagQuery
from hub_mcp.net.http import HttpClient

HUB = "https://hub.example"
TAGS = f"{HUB}/v2/namespaces/library/repositories/python/tags"
START = datetime(2026, 1, 1, tzinfo=UTC)


def tag(name: str, days: int | None) -> Tag:
    stamp = (START + timedelta(days=days)).isoformat() if days is not None else None
    return Tag.model_validate({"name": name, "last_updated": stamp})


def tags_by_age(n: int) -> list[Tag]:
    """n tags, t0 the oldest."""
    return [tag(f"t{i}", i) for i in range(n)]


def page_direction(tags: list[Tag], field: str) -> str:
    return page_order(tags, field).direction  # type: ignore[arg-type]


def test_page_direction_by_majority_ignoring_gaps() -> None:
    old_to_new = tags_by_age(5)
    assert page_direction(old_to_new, "last_updated") == "ascending"
    assert page_direction(old_to_new[::-1], "last_updated") == "descending"
    bumpy = [tag("a", 9), tag("b", 8), tag("c", None), tag("d", 9), tag("e", 3), tag("f", 1)]
    assert page_direction(bumpy, "last_updated") == "descending"
    assert page_direction([tag("a", 1)], "last_updated") == "unknown"
    assert page_direction([tag("a", 1), tag("b", 1)], "last_updated") == "unknown"  # all ties: nothing to learn
    assert page_direction([tag("b", 1), tag("a", 2), tag("c", 3)], "name") == "unknown"  # one up, one down


def test_direction_starts_documented_and_learns_the_other_sign() -> None:
    direction = OrderingDirection()
    assert direction.reading() == {"newest": "last_updated", "oldest": "-last_updated", "name": "name", "name_desc": "-name"}
    ascending = tags_by_age(4)
    assert direction.observe(TagOrder.NEWEST, "last_updated", ascending) is True  # asked newest, got oldest
    assert direction.param(TagOrder.NEWEST) == "-last_updated" and direction.param(TagOrder.OLDEST) == "last_updated"
    # a second request that was sent with the old sign before the lesson teaches the same, not a flip back
    assert direction.observe(TagOrder.NEWEST, "last_updated", ascending) is True
    assert direction.param(TagOrder.NEWEST) == "-last_updated"
    assert direction.observe(TagOrder.NEWEST, "-last_updated", ascending[::-1]) is False
    assert direction.param(TagOrder.NEWEST) == "-last_updated"
    assert direction.param(TagOrder.NAME) == "name"  # names are learned separately
    assert direction.corrections == 2


def test_sort_locally_puts_undated_tags_last() -> None:
    mixed = [tag("a", 2), tag("b", None), tag("c", 5), tag("d", 1)]
    assert [t.name for t in sort_locally(mixed, TagOrder.NEWEST)] == ["c", "a", "d", "b"]
    assert [t.name for t in sort_locally(mixed, TagOrder.OLDEST)] == ["d", "a", "c", "b"]
    assert [t.name for t in sort_locally(mixed, TagOrder.NAME_DESC)] == ["d", "c", "b", "a"]


# --- the client against Hubs of each reading ------------------------------------------------


class RespxHub:
    """A tag list endpoint that sorts ``tags`` as ``convention`` reads ``ordering``, 10 per page."""

    def __init__(self, tags: list[Tag], convention: str, page_size: int = 10) -> None:
        self.tags = tags
        self.convention = convention
        self.page_size = page_size
        self.orderings: list[str] = []

    def __call__(self, request: httpx.Request) -> httpx.Response:
        ordering = request.url.params.get("ordering", "")
        self.orderings.append(ordering)
        page = int(request.url.params.get("page", "1"))
        size = int(request.url.params.get("page_size", str(self.page_size)))
        items = sorted(self.tags, key=lambda t: t.name)
        if self.convention != "ignored":
            newest_first = (ordering == "last_updated") == (self.convention == "documented")
            items = sorted(items, key=lambda t: t.last_updated or START, reverse=newest_first)
        start = (page - 1) * size
        chunk = items[start : start + size]
        body: dict[str, Any] = {
            "count": len(items),
            "next": f"{TAGS}?page={page + 1}" if start + size < len(items) else None,
            "previous": None,
            "results": [{"name": t.name, "last_updated": t.last_updated.isoformat() if t.last_updated else None} for t in chunk],
        }
        return httpx.Response(200, json=body)


def make_client() -> HubClient:
    http = HttpClient(max_retries=0)
    return HubClient(http, HUB, HubAuth(http, HUB, None, None), cache_ttl={"tags": 0})


@respx.mock
@pytest.mark.parametrize("convention", ["documented", "django"])
async def test_newest_first_whichever_sign_hub_uses(convention: str) -> None:
    hub = RespxHub(tags_by_age(30), convention)
    respx.get(TAGS).mock(side_effect=hub)
    client = make_client()
    page = await client.list_tags(TagQuery("library", "python", page_size=10, order=TagOrder.NEWEST))
    assert [t.name for t in page.results] == [f"t{i}" for i in range(29, 19, -1)]
    assert page.ordering_note is None
    if convention == "documented":
        assert hub.orderings == ["last_updated"]
    else:  # asked again once with the other sign, and remembered
        assert hub.orderings == ["last_updated", "-last_updated"]
    second = await client.list_tags(TagQuery("library", "python", page=2, page_size=10, order=TagOrder.NEWEST))
    assert [t.name for t in second.results] == [f"t{i}" for i in range(19, 9, -1)]
    oldest = await client.list_tags(TagQuery("library", "python", page_size=3, order=TagOrder.OLDEST))
    assert [t.name for t in oldest.results] == ["t0", "t1", "t2"]
    expected_extra = 0 if convention == "documented" else 1
    assert len(hub.orderings) == 3 + expected_extra


@respx.mock
async def test_a_whole_list_in_one_page_is_sorted_here_without_asking_again() -> None:
    hub = RespxHub(tags_by_age(6), "django")
    respx.get(TAGS).mock(side_effect=hub)
    client = make_client()
    page = await client.list_tags(TagQuery("library", "python", page_size=100, order=TagOrder.NEWEST))
    assert [t.name for t in page.results] == ["t5", "t4", "t3", "t2", "t1", "t0"]
    assert hub.orderings == ["last_updated"] and client.ordering.param(TagOrder.NEWEST) == "-last_updated"


@respx.mock
async def test_hub_ignoring_the_ordering_is_sorted_here_and_said() -> None:
    shuffled = [tag(f"t{i}", (i * 7) % 30) for i in range(30)]  # dates unrelated to names
    hub = RespxHub(shuffled, "ignored")
    respx.get(TAGS).mock(side_effect=hub)
    page = await make_client().list_tags(TagQuery("library", "python", page_size=10, order=TagOrder.NEWEST))
    dates = [t.last_updated for t in page.results]
    assert dates == sorted(dates, reverse=True)
    assert page.ordering_note and "other pages" in page.ordering_note
    assert len(hub.orderings) <= 2
