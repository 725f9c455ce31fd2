"""Search hits that are Docker Hardened Images: `type: "dhi"` or badge `hardened` [documented: hub-api.md, Search
("newer" values); security-facts.md: Hub search returns DHI results first]. How Hub names them is not documented, so
both readings are tested: the image's own name and a namespaced one; an organization's mirror keeps its name."""

from __future__ import annotations

import pytest

from hub_mcp.hardened import definitions
from hub_mcp.hub.models import SearchResult
from hub_mcp.hub.service import HubService


def hit(**fields: object) -> SearchResult:
    return SearchResult.model_validate({"name": "python", "type": "image", **fields})


@pytest.mark.parametrize(
    ("fields", "reference"),
    [
        ({"name": "python", "type": "dhi", "badge": "hardened"}, "dhi.io/python"),  # the image's own name
        ({"name": "dhi/python", "type": "dhi"}, "dhi.io/python"),  # under a namespace
        ({"name": "python", "badge": "hardened"}, "dhi.io/python"),  # the badge alone says it
        ({"name": "acme/dhi-python", "badge": "hardened"}, "acme/dhi-python"),  # an org mirror: what members pull
        # newer than the bundled catalog: still pulled from dhi.io (a bare name would pull docker.io's)
        ({"name": "dhi/not-in-the-catalog-x", "type": "dhi"}, "dhi.io/not-in-the-catalog-x"),
        ({"name": "not-in-the-catalog-x", "type": "dhi"}, "dhi.io/not-in-the-catalog-x"),
        ({"name": "bitnami/python", "badge": "hardened"}, "bitnami/python"),  # another namespace: its own name
    ],
)
def test_a_hardened_hit_is_named_as_it_is_pulled(fields: dict[str, object], reference: str) -> None:
    made = HubService._hit(hit(**fields))  # noqa: SLF001 - the one place a hit is read
    assert made.trust == "hardened" and made.reference == reference
    if reference.startswith("dhi.io/") and "not-in-the-catalog" not in reference:
        assert definitions(reference)  # an image the bundled catalog has


def test_an_ordinary_hit_is_unchanged() -> None:
    made = HubService._hit(hit(name="library/python", badge="official"))  # noqa: SLF001
    assert (made.reference, made.trust) == ("python", "official")
