"""The list questions are values and cache keys; the page models are one generic model.

The shared cache's Redis key for a query must stay what the hand-built key tuples gave, so that
replicas running the code before and after this change share answers and never misread them.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import pytest

from hub_mcp.hub.models import OrganizationPage, Page, RepositoryPage, TagPage
from hub_mcp.hub.ordering import RepositoryOrder, TagOrder
from hub_mcp.hub.queries import RepositoryQuery, TagQuery
from hub_mcp.net.shared_state import Codec, SharedAnswerCache


def shared_key(key: Any) -> str:
    cache: SharedAnswerCache[Any, Any] = SharedAnswerCache.__new__(SharedAnswerCache)
    cache._prefix = "hub-mcp:test:answer:scope:"
    return cache.key(key, "3")


def test_a_tag_query_is_hashed_in_redis_as_the_tuple_key_was() -> None:
    asked = TagQuery("library", "python", page=2, page_size=100, name_filter="-slim", order="oldest", os="linux")
    query = replace(asked, architecture="arm64").for_identity("alice")
    legacy = ("ordered", "alice", "library", "python", 2, 100, "-slim", TagOrder.OLDEST, "arm64", "linux")
    assert query.cache_form() == legacy
    assert shared_key(query) == shared_key(legacy)
    assert shared_key(TagQuery("library", "python")) == shared_key(
        ("ordered", "", "library", "python", 1, 25, None, TagOrder.NEWEST, None, None)
    )


def test_a_repository_query_is_hashed_in_redis_as_the_tuple_key_was() -> None:
    query = RepositoryQuery("acme", page=3, page_size=10, name_filter="api", order="most_pulled")
    legacy = ("repos", "", "acme", 3, 10, "api", RepositoryOrder.MOST_PULLED)
    assert shared_key(query) == shared_key(legacy)


def test_equal_questions_are_one_key_and_the_identity_tells_answers_apart() -> None:
    asked = TagQuery("library", "python", page_size=100, name_filter="", order="newest")
    same = TagQuery("library", "python", page_size=100, order=TagOrder.NEWEST)
    assert asked == same and hash(asked) == hash(same) and asked.name_filter is None
    assert asked.order is TagOrder.NEWEST
    alice = asked.for_identity("alice")
    assert alice != asked and alice.for_identity("alice") is alice
    assert {asked: 1}[same] == 1
    assert TagQuery("acme", "api") != RepositoryQuery("acme")
    with pytest.raises(ValueError):
        TagQuery("library", "python", order="sideways")


def test_the_query_words_the_request_parameters() -> None:
    query = TagQuery("library", "python", page=2, page_size=500, name_filter="3.", architecture="arm64", os="linux")
    assert query.params("-last_updated") == {
        "page": 2,
        "page_size": 100,  # Hub's largest page
        "ordering": "-last_updated",
        "name": "3.",
        "architecture": "arm64",
        "os": "linux",
    }
    assert TagQuery("library", "python").params("last_updated") == {
        "page": 1,
        "page_size": 25,
        "ordering": "last_updated",
    }
    assert RepositoryQuery("acme", name_filter="api").params("-name") == {
        "page": 1,
        "page_size": 25,
        "ordering": "-name",
        "name": "api",
    }


@pytest.mark.parametrize(
    ("model", "entry"),
    [
        (TagPage, {"name": "3.12"}),
        (RepositoryPage, {"name": "python", "namespace": "library"}),
        (OrganizationPage, {"orgname": "acme"}),
    ],
)
def test_every_page_is_one_tolerant_generic_model_and_round_trips_the_shared_cache(
    model: type[Page[Any]], entry: dict[str, Any]
) -> None:
    odd = model.model_validate({"count": 2, "next": "", "previous": "", "results": [entry, "junk", 7]})
    assert issubclass(model, Page) and odd.next is None and odd.previous is None and len(odd.results) == 1
    assert model.model_validate({"results": entry}).results == odd.results  # one object is a list of one
    assert model.model_validate({"results": None}).results == []
    codec = Codec([TagPage, RepositoryPage, OrganizationPage])
    stored = codec.encode(odd.model_copy(update={"ordering_note": "sorted here"}))
    assert stored is not None and stored.startswith(b'{"type":"%s"' % model.__name__.encode())
    decoded = codec.decode(stored)
    assert decoded is not None
    value, error = decoded
    assert error is None and type(value) is model and value.results == odd.results
    assert value.ordering_note == "sorted here"
