"""plan_tag_cleanup's plan, against a 500-tag repository on the fake Hub: the right tags, computed here on their
own from the fixture's rules of construction (not with hub_mcp.cleanup), and what the plan costs in requests."""

from __future__ import annotations

from datetime import date

import httpx
import pytest

from hub_mcp.cleanup.plan import Rules, TagFacts, make_plan, plan_id
from hub_mcp.cleanup.service import CleanupService
from hub_mcp.errors import InvalidInput
from hub_mcp.hub.auth import HubAuth
from hub_mcp.hub.client import HubClient
from hub_mcp.hub.management import HubManagement
from hub_mcp.net.http import HttpClient
from tests.cleanup.fixtures import NOW, Spec, add_repository, digest_of, many
from tests.fakes.hub import FakeHub

HUB = "https://hub.docker.com"
ALICE_PAT = "dckr_pat_alice_cleanup_secret"
TODAY = NOW.date()


def expected(specs: list[Spec], *, older: int, not_pulled: int, keep_newest: int) -> set[str]:
    """The tags to delete under keep=['v*'], latest kept, keep_newest, older_than_days and not_pulled_days (a tag
    with no recorded pull idle since its push), and never one sharing its digest with a kept tag: written from the
    rules' words, independently of hub_mcp."""
    considered = [s for s in specs if not s.name.startswith("v") and s.name != "latest"]
    kept = {s.name for s in specs} - {s.name for s in considered}
    by_push = sorted(considered, key=lambda s: s.pushed_days)  # newest first
    kept |= {s.name for s in by_push[:keep_newest]}
    candidates = [
        s
        for s in by_push[keep_newest:]
        if s.pushed_days > older and (s.pulled_days if s.pulled_days is not None else s.pushed_days) >= not_pulled
    ]
    kept |= {s.name for s in considered if s not in candidates}
    kept_digests = {s.digest for s in specs if s.name in kept}
    return {s.name for s in candidates if s.digest not in kept_digests}


@pytest.fixture
def hub() -> FakeHub:
    hub = FakeHub(users={"alice": ALICE_PAT}, scopes={"alice": "repo:admin"}, enforce_rate_limit=False)
    add_repository(hub, "alice", "builds", many(500))
    return hub


async def test_a_plan_on_a_500_tag_repository_is_exactly_the_rules(hub: FakeHub) -> None:
    specs = many(500)
    async with HttpClient(transport=httpx.ASGITransport(app=hub.app)) as http:
        client = HubClient(http, HUB, HubAuth(http, HUB, "alice", ALICE_PAT))
        service = CleanupService(client, HubManagement(client), lambda: TODAY)
        before = len(hub.requests)
        rules = Rules(older_than_days=90, not_pulled_days=30, keep=("v*",), keep_newest=5)
        plan = await service.plan("alice/builds", rules)
        sent = [f"{r.method} {r.path}" for r in hub.requests[before:]]
    want = expected(specs, older=90, not_pulled=30, keep_newest=5)
    assert plan.tags_total == 504 and plan.delete_count == len(want) > 100
    listed = [t.tag for t in plan.delete]
    assert set(listed) <= want and len(listed) == 50  # the answer lists 50, oldest first
    pushed = [t.pushed for t in plan.delete]
    assert pushed == sorted(pushed)  # type: ignore[type-var]
    reasons = {k.reason: k.count for k in plan.kept}
    assert reasons["keep pattern 'v*'"] == 3 and reasons["among the newest 5"] == 5
    assert reasons["shares its digest with a kept tag"] > 0
    assert plan.delete_count + sum(reasons.values()) == 504
    by_name = {s.name: s for s in specs}
    assert plan.bytes_freed == sum(by_name[n].size for n in want if not (int(n.split("-")[1]) % 10 == 1 and f"build-{int(n.split('-')[1]) - 1}" in want))
    pages = [s for s in sent if s == "GET /v2/namespaces/alice/repositories/builds/tags"]
    assert len(pages) == 6 and len(sent) <= 8, sent  # 504 tags: 6 pages of 100, the repository, the login at most
    # the id hashes the exact list: the same rules give the same id, another list another one
    assert plan.plan_id == plan_id("alice/builds", [TagFacts(n, by_name[n].digest, None, None, None) for n in want])


def test_rules_refuse_what_cannot_be_a_plan() -> None:
    with pytest.raises(InvalidInput, match="give at least one of them"):
        Rules(keep=("v*",))
    with pytest.raises(InvalidInput, match="older_than_days must be between"):
        Rules(older_than_days=-1)
    with pytest.raises(InvalidInput, match="at most 20 keep patterns"):
        Rules(older_than_days=1, keep=tuple(f"p{i}" for i in range(21)))


def test_latest_is_kept_unless_asked_and_a_shared_digest_keeps_its_twin() -> None:
    old = NOW.replace(year=2020)
    tags = [
        TagFacts("latest", digest_of("a"), old, None, 10),
        TagFacts("old-a", digest_of("a"), old, None, 10),  # the same image as latest
        TagFacts("old-b", digest_of("b"), old, None, 20),
    ]
    plan = make_plan("alice/x", tags, Rules(older_than_days=30), date(2026, 11, 30))
    assert [t.name for t in plan.delete] == ["old-b"] and plan.bytes_freed == 20
    assert {k.tag.name: k.reason for k in plan.kept} == {
        "latest": "latest (include_latest=true to consider it)",
        "old-a": "shares its digest with the kept tag 'latest'",
    }
    everything = make_plan("alice/x", tags, Rules(older_than_days=30, include_latest=True), date(2026, 11, 30))
    assert [t.name for t in everything.delete] == ["latest", "old-a", "old-b"] and everything.bytes_freed == 30


@pytest.mark.parametrize("reading", ["never pulled", "pulls not recorded"])
def test_a_tag_without_a_recorded_pull_is_idle_only_since_its_push(reading: str) -> None:
    """hub-api.md lists tag_last_pulled but not what null means [assumed both ways: never pulled, or pulls Hub does
    not record]. Under either, a tag pushed 3 days ago is not "unpulled for 30 days", and one pushed 100 days ago
    with no recorded pull goes, the same plan for both readings (the fixture cannot tell them apart, nor can Hub's
    answer: that is the point)."""
    day = date(2026, 11, 30)
    tags = [
        TagFacts("fresh", digest_of("fresh"), NOW.replace(day=27), None, 10),
        TagFacts("stale", digest_of("stale"), NOW.replace(month=8, day=22), None, 20),
        TagFacts("used", digest_of("used"), NOW.replace(month=8, day=22), NOW.replace(day=29), 30),
    ]
    plan = make_plan("alice/x", tags, Rules(not_pulled_days=30), day)
    assert [t.name for t in plan.delete] == ["stale"]
    assert {k.tag.name: k.reason for k in plan.kept} == {
        "fresh": "no pull recorded, pushed within 30 days",
        "used": "pulled within 30 days",
    }


async def test_the_plan_says_how_many_of_its_tags_have_no_recorded_pull(hub: FakeHub) -> None:
    async with HttpClient(transport=httpx.ASGITransport(app=hub.app)) as http:
        client = HubClient(http, HUB, HubAuth(http, HUB, "alice", ALICE_PAT))
        plan = await CleanupService(client, HubManagement(client), lambda: TODAY).plan(
            "alice/builds", Rules(not_pulled_days=30, keep=("v*",))
        )
    specs = many(500)
    want = expected(specs, older=-1, not_pulled=30, keep_newest=0)
    never = sum(1 for s in specs if s.name in want and s.pulled_days is None)
    assert f"{never} of them have no pull recorded by Docker Hub" in plan.message
