"""The token benchmark's answer keys: taken from the catalog, checked against answers, and the raw
baseline for get_tag the smallest page that really holds the key's tags."""

from __future__ import annotations

import httpx

from benchmarks.tokens import (
    HUB_URL,
    QUESTIONS,
    key_missing_tag,
    key_tag,
    missing_facts,
    raw_missing_tag,
    raw_tag,
)
from tests.fakes.catalog import default_catalog
from tests.fakes.hub import FakeHub


def test_every_question_has_a_key_and_a_goal_target() -> None:
    catalog = default_catalog()
    assert {q.kind for q in QUESTIONS} == {"tool", "resource"}
    for question in QUESTIONS:
        assert question.key(catalog), question.label


def test_keys_come_from_the_catalog() -> None:
    catalog = default_catalog()
    tag = catalog.get("library", "python").tag("3.12-slim")
    facts = key_tag(catalog)
    assert (tag.digest,) in facts and ("3.14-slim",) in facts and ("3.13-slim",) in facts
    assert key_missing_tag(catalog) == [("does not exist",), ('"3.14"',), ('"3.13"',)]


def test_missing_facts_names_what_an_answer_lacks() -> None:
    facts = [("3.14",), ("20479", "20,479"), ("sha256:abc",)]
    assert missing_facts(facts, "python 3.14, 20,479 characters") == ["sha256:abc"]
    assert missing_facts(facts, "") == ["3.14", "20479", "sha256:abc"]


async def test_the_smallest_raw_page_holds_the_keys_tags() -> None:
    catalog = default_catalog()
    hub = FakeHub(enforce_rate_limit=False)
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=hub.app), base_url=HUB_URL) as client:
        for raw, wanted in ((raw_tag, {"3.14-slim", "3.13-slim"}), (raw_missing_tag, {"3.14", "3.13"})):
            path, params = raw(catalog)[1]
            page = (await client.get(path, params=params)).json()
            names = [tag["name"] for tag in page["results"]]
            assert wanted <= set(names) and names[-1] in wanted, "just big enough"
