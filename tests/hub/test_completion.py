"""Completions without MCP: answers reused, keystrokes coalesced, bounded, failures swallowed.

Request counts are read from the fake Hub (``hub.requests``) for the Hub-backed source, and
from a counting fake source for the machinery alone. Expected values come from the fake
catalog, under both readings of Hub's ``ordering`` sign.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from datetime import date

import httpx
import pytest

from hub_mcp.hub.completion import (
    MAX_VALUES,
    Completer,
    HubCompletionSource,
    Matches,
    suggest,
    suggest_in_list,
)
from hub_mcp.runtime import Runtime
from hub_mcp.services import Services
from hub_mcp.vocab.tags import non_production
from tests.fakes.catalog import default_catalog
from tests.fakes.hub import FakeHub
from tests.server.conftest import ALICE_PAT, make_settings

QUIET = 0.05


@pytest.fixture(params=["documented", "django"])
def hub(request: pytest.FixtureRequest) -> FakeHub:
    return FakeHub(users={"alice": ALICE_PAT}, ordering_convention=request.param)


@pytest.fixture
async def services(hub: FakeHub) -> AsyncIterator[Services]:
    runtime = Runtime(
        make_settings(max_retries=0), hub_transport=httpx.ASGITransport(app=hub.app), today=date(2026, 11, 26)
    )
    try:
        yield await runtime.services()
    finally:
        await runtime.aclose()


def completer_for(services: Services, **kwargs: object) -> Completer:
    return Completer(HubCompletionSource(services.hub.client), quiet=QUIET, **kwargs)  # type: ignore[arg-type]


def searches(hub: FakeHub) -> int:
    return hub.request_count("/api/search/v4")


def tag_lists(hub: FakeHub) -> int:
    return hub.request_count("/v2/namespaces/library/repositories/python/tags")


def python_tags_starting(prefix: str) -> list[str]:
    return [t.name for t in default_catalog().get("library", "python").tags if t.name.startswith(prefix)]


# --- the Hub-backed source --------------------------------------------------------------


async def test_official_names_complete_from_a_prefix(services: Services, hub: FakeHub) -> None:
    completer = completer_for(services)
    found = await completer.names("library", "pyth")
    assert found.values == ["python"] and found.total == 1 and not found.has_more
    assert searches(hub) == 1
    query = hub.requests[-1].query
    assert "query=pyth" in query and "badges=official" in query


async def test_a_longer_prefix_is_answered_from_a_complete_broader_answer(services: Services, hub: FakeHub) -> None:
    completer = completer_for(services)
    await completer.names("library", "pyth")
    for typed in ("pytho", "python", "pythons"):
        found = await completer.names("library", typed)
        assert found.values == (["python"] if typed != "pythons" else [])
    assert searches(hub) == 1 and completer.fetches == 1


async def test_tags_complete_newest_first_and_reuse_a_complete_answer(services: Services, hub: FakeHub) -> None:
    completer = completer_for(services)
    found = await completer.tags("library", "python", "3.12")
    expected = python_tags_starting("3.12")
    assert sorted(found.values) == sorted(expected) and found.total == len(expected) and not found.has_more
    catalog = {t.name: t.last_updated for t in default_catalog().get("library", "python").tags}
    dates = [catalog[name] for name in found.values]
    assert dates == sorted(dates, reverse=True), "tags are offered newest first, whichever way Hub spells it"
    requests = tag_lists(hub)
    assert "name=3.12" in hub.requests[-1].query
    narrower = await completer.tags("library", "python", "3.12-sl")
    assert narrower.values and all(v.startswith("3.12-sl") for v in narrower.values)
    assert sorted(narrower.values) == sorted(python_tags_starting("3.12-sl"))
    assert tag_lists(hub) == requests, "a complete answer for 3.12 answers 3.12-sl without a request"


async def test_tags_complete_released_lines_before_prereleases(services: Services, hub: FakeHub) -> None:
    """Typing 3.1 offers 3.14, 3.13, ... before 3.15.0a1 and 3.15-rc, though those were pushed last."""
    completer = completer_for(services)
    found = await completer.tags("library", "python", "3.1")
    flags = [non_production(v) is not None for v in found.values]
    assert any(flags) and not flags[0], found.values  # prereleases are offered, after the released tags
    assert flags == sorted(flags), found.values
    assert found.values.index("3.14") < found.values.index("3.15.0a1")
    assert found.values.index("3.13") < found.values.index("3.15-rc")
    catalog = {t.name: t.last_updated for t in default_catalog().get("library", "python").tags}
    for group in (False, True):  # each group newest first
        dates = [catalog[v] for v, flag in zip(found.values, flags, strict=True) if flag is group]
        assert dates == sorted(dates, reverse=True)
    newest = max(catalog, key=lambda name: catalog[name] if name.startswith("3.1") else "")
    assert non_production(newest) is not None  # without the rule, a prerelease would lead


async def test_an_incomplete_answer_is_not_reused_for_a_longer_prefix(services: Services, hub: FakeHub) -> None:
    completer = completer_for(services)
    broad = await completer.tags("library", "python", "3")
    assert len(python_tags_starting("3")) > MAX_VALUES
    assert broad.has_more and broad.total is None and 0 < len(broad.values) <= MAX_VALUES
    before = tag_lists(hub)
    narrow = await completer.tags("library", "python", "3.12")
    assert tag_lists(hub) > before and sorted(narrow.values) == sorted(python_tags_starting("3.12"))


async def test_a_burst_of_keystrokes_costs_one_request(services: Services, hub: FakeHub) -> None:
    completer = completer_for(services)
    typed = ["p", "py", "pyt", "pyth", "pytho"]
    answers = await asyncio.gather(*(completer.names("library", t) for t in typed))
    assert searches(hub) == 1, "one search for the whole burst"
    assert "query=pytho" in hub.requests[-1].query, "the latest prefix is the one fetched"
    assert answers[-1].values == ["python"] and not answers[-1].has_more
    # earlier keystrokes get the values that start with what they typed, marked as maybe more
    assert answers[0].values == ["python"] and answers[0].has_more


async def test_keystrokes_of_tags_coalesce_and_later_ones_reuse(services: Services, hub: FakeHub) -> None:
    completer = completer_for(services)
    before = tag_lists(hub)
    await asyncio.gather(*(completer.tags("library", "python", t) for t in ("3", "3.", "3.1", "3.12")))
    assert tag_lists(hub) - before == 1
    await asyncio.gather(*(completer.tags("library", "python", t) for t in ("3.12-", "3.12-s", "3.12-sl")))
    assert tag_lists(hub) - before == 1, "3.12 was complete: the next burst needs no request"


async def test_other_namespaces_are_read_from_their_repository_list(services: Services, hub: FakeHub) -> None:
    completer = completer_for(services)
    found = await completer.names("bitnami", "")
    assert not found.has_more and set(found.values) == {r.name for r in default_catalog().in_namespace("bitnami")}
    assert (await completer.names("bitnami", "po")).values == ["postgresql"]
    lists = [r for r in hub.requests if r.path == "/v2/namespaces/bitnami/repositories"]
    assert searches(hub) == 0 and len(lists) == 1  # one page serves every keystroke
    assert "name=" not in lists[0].query  # Hub's name filter is not relied on (its matching is undocumented)
    assert (await completer.names("nosuchspace", "x")).values == []


async def test_namespaces_complete(services: Services, hub: FakeHub) -> None:
    completer = Completer(HubCompletionSource(services.hub.client, "alice"), quiet=QUIET)
    assert (await completer.namespaces("")).values == ["library", "alice"]
    assert searches(hub) == 0
    assert "bitnami" in (await completer.namespaces("bit")).values
    assert (await completer.namespaces("li")).values[0] == "library"


async def test_a_missing_repository_completes_to_nothing(services: Services, hub: FakeHub) -> None:
    found = await completer_for(services).tags("nosuch", "thing", "1")
    assert found.values == [] and not found.has_more


async def test_upstream_failure_is_an_empty_completion_and_not_kept(services: Services, hub: FakeHub) -> None:
    completer = completer_for(services)
    hub.fail_path("/api/search/v4", 503)
    failed = await completer.names("library", "pyth")
    assert failed.values == [] and failed.total is None
    hub.clear_faults()
    assert (await completer.names("library", "pyth")).values == ["python"]


# --- the machinery alone ----------------------------------------------------------------


class CountingSource:
    def __init__(self, names: list[str], *, fail: bool = False) -> None:
        self.names = names
        self.fail = fail
        self.asked: list[str] = []

    async def repository_names(self, namespace: str, prefix: str) -> Matches:
        self.asked.append(prefix)
        await asyncio.sleep(0)
        if self.fail:
            raise RuntimeError("upstream down")
        return Matches(tuple(n for n in self.names if n.startswith(prefix)), complete=True)

    async def tag_names(self, namespace: str, name: str, prefix: str) -> Matches:
        return await self.repository_names(namespace, prefix)

    async def namespaces(self, prefix: str) -> Matches:
        return await self.repository_names("", prefix)


async def test_values_are_bounded_with_total_and_has_more() -> None:
    source = CountingSource([f"app{i:03d}" for i in range(250)])
    found = await Completer(source, quiet=0).names("acme", "app")
    assert len(found.values) == MAX_VALUES and found.total == 250 and found.has_more
    assert found.values[0] == "app000"


async def test_answers_expire(monkeypatch: pytest.MonkeyPatch) -> None:
    now = [0.0]
    source = CountingSource(["redis"])
    completer = Completer(source, quiet=0, ttl={"names": 10.0}, clock=lambda: now[0])
    await completer.names("acme", "re")
    await completer.names("acme", "red")
    assert source.asked == ["re"]
    now[0] = 11.0
    await completer.names("acme", "red")
    assert source.asked == ["re", "red"]


async def test_separate_scopes_do_not_share_a_burst() -> None:
    source = CountingSource(["redis", "rabbitmq"])
    completer = Completer(source, quiet=QUIET)
    first, second = await asyncio.gather(completer.names("acme", "re"), completer.names("other", "ra"))
    assert first.values == ["redis"] and second.values == ["rabbitmq"] and sorted(source.asked) == ["ra", "re"]


async def test_a_failing_source_never_raises() -> None:
    source = CountingSource([], fail=True)
    completer = Completer(source, quiet=QUIET)
    answers = await asyncio.gather(*(completer.tags("acme", "app", t) for t in ("1", "1.", "1.2")))
    assert all(a.values == [] for a in answers) and source.asked == ["1.2"]


def test_suggest_keeps_order_and_drops_duplicates() -> None:
    assert suggest(["b1", "a1", "b1", "b2"], "b").values == ["b1", "b2"]
    partial = suggest(["b1"], "b", complete=False)
    assert partial.total is None and partial.has_more


def test_a_comma_list_completes_its_last_item() -> None:
    found = suggest_in_list(["linux/amd64", "linux/arm64", "linux/arm/v7"], "linux/amd64, linux/ar")
    assert found.values == ["linux/amd64, linux/arm64", "linux/amd64, linux/arm/v7"]
    assert suggest_in_list(["small", "secure"], "").values == ["small", "secure"]
    assert suggest_in_list(["small", "secure"], "small,s").values == ["small, secure"]


async def test_a_burst_waits_for_the_previous_fetch_instead_of_sending_another(
    services: Services, hub: FakeHub
) -> None:
    hub.latency = 0.4  # Hub is slower than a pause in typing
    completer = completer_for(services)
    first = asyncio.ensure_future(completer.names("library", "pyth"))
    await asyncio.sleep(QUIET * 3)  # the first burst has ended and its search is out
    second = await completer.names("library", "pytho")
    assert (await first).values == ["python"] and second.values == ["python"]
    assert searches(hub) == 1 and completer.fetches == 1


@pytest.mark.parametrize("matching", ["partial", "whole_words"])
async def test_names_under_either_reading_of_search_matching(matching: str) -> None:
    """If Hub's search matched whole words only, a partial prefix finds nothing, but that empty
    answer must not hide the name once it is typed in full; other namespaces work either way."""
    hub = FakeHub(enforce_rate_limit=False, search_matching=matching)  # type: ignore[arg-type]
    runtime = Runtime(make_settings(max_retries=0), hub_transport=httpx.ASGITransport(app=hub.app))
    try:
        completer = completer_for(await runtime.services())
        partial = await completer.names("library", "pyth")
        assert partial.values == (["python"] if matching == "partial" else [])
        assert (await completer.names("library", "python")).values == ["python"]
        assert (await completer.names("bitnami", "re")).values == ["redis"]
        assert (await completer.tags("library", "python", "3.12-sl")).values
    finally:
        await runtime.aclose()
