"""Hardened equivalents checked live, against a real ``docker-registry`` posing as ``dhi.io``.

The registry requires a login (HTTP Basic, htpasswd) as dhi.io does [documented: ../shared/docs/security-facts.md,
"Pulling from dhi.io needs a Docker login"; the token flow dhi.io uses is [assumed] to behave like any challenge the
registry client answers, which tests/registry covers for Bearer and Basic]. It holds a slice of the bundled table's
tags, with chosen gaps:

* python 3.12: every tag of the debian-13 runtime and dev definitions (verified as named);
* python 3.13: only the plain ``3.13`` tag of the runtime definition (the table's ``3.13-debian13`` is missing: the
  same line under another name is named instead);
* node: only line 24's runtime tags (node 22 is missing: the closest listed line is named, not exact);
* no alpine-base repository at all (nothing is named for alpine, and that is said).

Organization mirrors (``<org>/dhi-<image>``) are read from the anonymous session registry standing in for Docker
Hub's, and found through the fake Hub's namespace and repository listings.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import httpx
import pytest

from hub_mcp.config.settings import Settings
from hub_mcp.hardened import definitions, lookup
from hub_mcp.hardened.migration import equivalent_for
from hub_mcp.hardened.mirrors import HubMirrors, Mirrors
from hub_mcp.hardened.service import Ask, HardenedImages
from hub_mcp.hub.auth import HubAuth
from hub_mcp.hub.client import HubClient
from hub_mcp.hub.management import HubManagement
from hub_mcp.net.http import HttpClient
from hub_mcp.registry.client import RegistryClient
from hub_mcp.registry.models import ManifestHead, TagList
from hub_mcp.runtime import Runtime
from hub_mcp.vocab.references import ImageReference
from tests.conftest import Pushed
from tests.fakes import images
from tests.fakes.hub import FakeHub
from tests.fakes.registry import RunningRegistry, running_registry

USER, PASSWORD = "dhi-user", "dhi-token-for-tests"
TODAY = date(2026, 11, 30)  # the lines asked here are all supported then (the bundled catalog's end-of-life dates)
HUB = "https://hub.docker.com"
ALICE_PAT = "dckr_pat_alice_for_mirrors"


def _tags(image: str, distro: str, variant: str, line: str) -> tuple[str, ...]:
    """The tags of the table's definition of ``image`` on ``distro`` for ``variant`` whose tags name ``line``."""
    for d in definitions(image):
        if d.distro == distro and d.variant == variant and line in d.tags and not any("sfw" in t for t in d.tags):
            return d.tags
    raise AssertionError(f"the bundled table has no {image} {line} {variant} on {distro}")


@dataclass(frozen=True)
class Dhi:
    registry: RunningRegistry

    @property
    def url(self) -> str:
        return self.registry.url


@pytest.fixture(scope="module")
def dhi(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Dhi]:
    image = images.make_image(user="nonroot")
    pushed = {
        "python": (
            *_tags("python", "debian-13", "runtime", "3.12"),
            *_tags("python", "debian-13", "dev", "3.12-dev"),
            "3.13",
        ),
        "node": _tags("node", "debian-13", "runtime", "24"),
    }
    assert "3.13-debian13" not in pushed["python"]
    with running_registry(tmp_path_factory.mktemp("dhi"), auth=(USER, PASSWORD)) as running:
        with running.client() as client:
            for repository, tags in pushed.items():
                images.push_image(client, repository, None, image)
                for tag in tags:
                    images.push_manifest(client, repository, tag, image.manifest)
        yield Dhi(running)


def hardened_images(registry: object, **options: Any) -> HardenedImages:
    return HardenedImages(registry, today=lambda: TODAY, **options)  # type: ignore[arg-type]


class Counting:
    """The registry client, counting what the checks ask of it."""

    def __init__(self, client: RegistryClient) -> None:
        self.client = client
        self.asked: list[str] = []

    def credentials_for(self, registry: str) -> tuple[str, str] | None:
        return self.client.credentials_for(registry)

    async def head_manifest(
        self, ref: ImageReference, reference: str | None = None, *, use_cache: bool = True
    ) -> ManifestHead | None:
        self.asked.append(f"HEAD {ref.familiar_name}:{reference or ref.tag}")
        return await self.client.head_manifest(ref, reference, use_cache=use_cache)

    async def list_tags(self, ref: ImageReference) -> TagList:
        self.asked.append(f"LIST {ref.familiar_name}")
        return await self.client.list_tags(ref)


@pytest.fixture
async def http() -> AsyncIterator[HttpClient]:
    async with HttpClient(max_retries=0) as client:
        yield client


def _registry(
    http: HttpClient, dhi: Dhi, *, login: tuple[str, str] | None = (USER, PASSWORD), hub_url: str | None = None
) -> Counting:
    credentials = {"dhi.io": login} if login else {}
    extra = {"docker_hub_url": hub_url} if hub_url else {}
    return Counting(RegistryClient(http, endpoints={"dhi.io": dhi.url}, credentials=credentials, **extra))


# --- dhi.io -----------------------------------------------------------------------------------------


async def test_a_tag_dhi_io_has_is_verified_as_named(http: HttpClient, dhi: Dhi) -> None:
    registry = _registry(http, dhi)
    asks: list[Ask] = [("python:3.12", "runtime"), ("python:3.12-slim", "build")]
    found = await hardened_images(registry).equivalents(asks)
    runtime, build = (found.get(*ask) for ask in asks)
    assert runtime is not None and build is not None
    assert runtime.reference == "dhi.io/python:3.12-debian13" and runtime.verified is True
    assert build.reference == "dhi.io/python:3.12-debian13-dev" and build.verified is True
    assert found.source == "checked live on dhi.io" and not found.remarks
    assert registry.asked == ["HEAD dhi.io/python:3.12-debian13", "HEAD dhi.io/python:3.12-debian13-dev"]


async def test_what_was_read_live_is_not_read_again(http: HttpClient, dhi: Dhi) -> None:
    registry = _registry(http, dhi)
    hardened = hardened_images(registry)
    first = await hardened.equivalents([("python:3.12", "runtime")])
    asked = len(registry.asked)
    again = await hardened.equivalents([("python:3.12", "runtime")])
    assert again == first and len(registry.asked) == asked == 1


async def test_a_tag_dhi_io_lacks_is_replaced_by_a_listed_tag_of_the_same_line(http: HttpClient, dhi: Dhi) -> None:
    table = equivalent_for("python:3.13", None, "runtime")
    assert table is not None and table[0].tag == "3.13-debian13"  # what the bundled table names
    registry = _registry(http, dhi)
    found = await hardened_images(registry).equivalents([("python:3.13", "runtime")])
    named = found.get("python:3.13", "runtime")
    assert named is not None and named.reference == "dhi.io/python:3.13"
    assert named.tag.exact is True and named.verified is True and named.tag.line == "3.13"
    assert found.remarks == (
        "dhi.io/python:3.13-debian13 (from the bundled catalog) is not on dhi.io: dhi.io/python:3.13 is named instead.",
    )
    assert registry.asked == ["HEAD dhi.io/python:3.13-debian13", "LIST dhi.io/python"]


async def test_each_tag_is_read_once_and_each_image_listed_once_per_answer(http: HttpClient, dhi: Dhi) -> None:
    """Asks that lead to the same DHI tag share its HEAD; checks that need an image's tag list share one read; the
    first check runs alone (a cold client learns the login challenge once). None of these tags is in the slice."""
    registry = _registry(http, dhi)
    asks: list[Ask] = [
        ("python:3.14-slim-trixie", "runtime"),
        ("python:3.14-trixie", "runtime"),
        ("python:3.14", "build"),
        ("python:3.11", "runtime"),
    ]
    found = await hardened_images(registry).equivalents(asks)
    assert all(found.get(*ask) is not None for ask in asks)
    heads = [a for a in registry.asked if a.startswith("HEAD")]
    assert sorted(heads) == [
        "HEAD dhi.io/python:3.11-debian13",
        "HEAD dhi.io/python:3.14-debian13",
        "HEAD dhi.io/python:3.14-debian13-dev",
    ]
    assert registry.asked.count("LIST dhi.io/python") == 1


async def test_a_line_dhi_io_lacks_gets_the_closest_listed_line_not_exact(http: HttpClient, dhi: Dhi) -> None:
    table = equivalent_for("node:22", None, "runtime")
    assert table is not None and table[0].tag.startswith("22")  # the table has line 22
    found = await hardened_images(_registry(http, dhi)).equivalents([("node:22", "runtime")])
    named = found.get("node:22", "runtime")
    assert named is not None and named.verified is True and named.tag.exact is False
    assert named.tag.tag.split("-")[0].split(".")[0] == "24" and lookup(named.reference) is not None
    assert named.tag.tag in _tags("node", "debian-13", "runtime", "24")


async def test_an_image_dhi_io_does_not_have_gets_none_and_the_notes_say_so(http: HttpClient, dhi: Dhi) -> None:
    found = await hardened_images(_registry(http, dhi)).equivalents([("alpine:3.22", "runtime"), ("python:3.12", "runtime")])
    assert found.get("alpine:3.22", "runtime") is None
    assert found.get("python:3.12", "runtime") is not None
    [remark] = found.remarks
    assert remark.startswith("dhi.io/alpine-base:3.22") and "no hardened equivalent is named" in remark
    assert found.source == "checked live on dhi.io"  # the missing one was checked too: it is not there


async def test_without_a_login_nothing_is_asked_and_the_notes_say_how_to_have_it_checked(
    http: HttpClient, dhi: Dhi
) -> None:
    registry = _registry(http, dhi, login=None)
    found = await hardened_images(registry).equivalents([("python:3.13", "runtime")])
    named = found.get("python:3.13", "runtime")
    assert named is not None and named.reference == "dhi.io/python:3.13-debian13"  # the table's, as it is
    assert named.verified is None and registry.asked == []
    assert "not checked live: no login for dhi.io" in found.source and "docker login dhi.io" in found.source
    assert "HUB_MCP_REGISTRY_CREDENTIALS=dhi.io=" in found.source


async def test_a_refused_login_answers_from_the_table_and_says_so_without_the_secret(http: HttpClient, dhi: Dhi) -> None:
    wrong = "not-the-token"
    found = await hardened_images(_registry(http, dhi, login=(USER, wrong))).equivalents([("python:3.12", "runtime")])
    named = found.get("python:3.12", "runtime")
    assert named is not None and named.verified is None and named.reference == "dhi.io/python:3.12-debian13"
    assert "not checked live: dhi.io refused the login" in found.source
    assert wrong not in found.source and PASSWORD not in found.source


async def test_a_registry_slower_than_the_budget_leaves_the_rest_unchecked() -> None:
    class Silent:
        def credentials_for(self, registry: str) -> tuple[str, str] | None:
            return ("u", "p")

        async def head_manifest(
            self, ref: ImageReference, reference: str | None = None, *, use_cache: bool = True
        ) -> ManifestHead | None:
            await asyncio.sleep(3600)
            return None

        async def list_tags(self, ref: ImageReference) -> TagList:
            raise AssertionError("not reached")

    found = await hardened_images(Silent(), within=0.05).equivalents([("python:3.12", "runtime")])
    named = found.get("python:3.12", "runtime")
    assert named is not None and named.verified is None
    assert found.source.endswith("not checked live: the registries did not answer within 0.05 s")


# --- organization mirrors -----------------------------------------------------------------------------


class FixedMirrors:
    def __init__(self, by_image: dict[str, str]) -> None:
        self.by_image = by_image

    async def mirrors(self) -> Mirrors:
        return Mirrors(self.by_image)


@pytest.fixture(scope="module")
def mirrored(registry: Pushed) -> Pushed:
    """``acme/dhi-python`` on the registry standing in for Docker Hub's: the 3.12 runtime tags only."""
    image = images.make_image(user="nonroot")
    with registry.registry.client() as client:
        images.push_image(client, "acme/dhi-python", None, image)
        for tag in _tags("python", "debian-13", "runtime", "3.12"):
            images.push_manifest(client, "acme/dhi-python", tag, image.manifest)
    return registry


async def test_a_mirror_the_user_can_pull_is_named_and_a_tag_it_lacks_falls_back_to_dhi_io(
    http: HttpClient, dhi: Dhi, mirrored: Pushed
) -> None:
    registry = _registry(http, dhi, hub_url=mirrored.registry.url)
    hardened = hardened_images(registry, mirrors=FixedMirrors({"python": "acme/dhi-python"}))
    found = await hardened.equivalents([("python:3.12", "runtime"), ("python:3.12", "build")])
    runtime, build = found.get("python:3.12", "runtime"), found.get("python:3.12", "build")
    assert runtime is not None and runtime.reference == "acme/dhi-python:3.12-debian13" and runtime.verified
    assert build is not None and build.reference == "dhi.io/python:3.12-debian13-dev" and build.verified
    assert found.source == "checked live on acme/dhi-python on Docker Hub, dhi.io"


async def test_a_mirror_is_checked_even_without_a_dhi_io_login(http: HttpClient, dhi: Dhi, mirrored: Pushed) -> None:
    registry = _registry(http, dhi, login=None, hub_url=mirrored.registry.url)
    hardened = hardened_images(registry, mirrors=FixedMirrors({"python": "acme/dhi-python"}))
    found = await hardened.equivalents([("python:3.12", "runtime"), ("node:24", "runtime")])
    python, node = found.get("python:3.12", "runtime"), found.get("node:24", "runtime")
    assert python is not None and python.verified and python.reference.startswith("acme/dhi-python:")
    assert node is not None and node.verified is None and node.reference.startswith("dhi.io/node:")
    assert found.source.startswith("checked live on acme/dhi-python on Docker Hub; 1 other(s) from the bundled")
    assert "no login for dhi.io" in found.source


def _hub_with_mirrors() -> FakeHub:
    return FakeHub(
        users={"alice": ALICE_PAT},
        organizations={"acme": {"alice": "Owner"}},
        scopes={"alice": "repo:admin"},
        enforce_rate_limit=False,
    )


async def test_mirrors_are_found_in_the_namespaces_the_login_may_read() -> None:
    hub = _hub_with_mirrors()
    async with HttpClient(transport=httpx.ASGITransport(app=hub.app)) as http:
        management = HubManagement(HubClient(http, HUB, HubAuth(http, HUB, "alice", ALICE_PAT)))
        for name in ("dhi-python", "dhi-not-a-hardened-image", "python"):
            await management.create_repository(name, namespace="acme", private=True)
        finder = HubMirrors(management, has_login=lambda: True)
        found = await finder.mirrors()
        assert found == Mirrors({"python": "acme/dhi-python"})
        before = len(hub.requests)
        assert await finder.mirrors() == found and len(hub.requests) == before  # kept, not asked again


async def test_no_login_no_mirrors_and_no_request() -> None:
    hub = _hub_with_mirrors()
    async with HttpClient(transport=httpx.ASGITransport(app=hub.app)) as http:
        management = HubManagement(HubClient(http, HUB, HubAuth(http, HUB, None, None)))
        assert await HubMirrors(management, has_login=lambda: False).mirrors() == Mirrors({})
    assert hub.requests == []


# --- through the server's own wiring --------------------------------------------------------------------


async def test_the_server_checks_get_tag_on_the_dhi_registry_it_is_configured_with(dhi: Dhi, tmp_path: Path) -> None:
    """Settings -> credentials -> registry endpoints -> egress policy: HUB_MCP_DHI_URL and a dhi.io login from
    HUB_MCP_REGISTRY_CREDENTIALS make get_tag's equivalent verified; the same without the login is not."""
    hub = FakeHub(enforce_rate_limit=False)
    for credentials, verified in ((f"dhi.io={USER}:{PASSWORD}", True), (None, None)):
        settings = Settings(hub_url=HUB, dhi_url=dhi.url, registry_credentials=credentials, no_docker_config=True)
        runtime = Runtime(settings, hub_transport=httpx.ASGITransport(app=hub.app), today=TODAY)
        try:
            info = await (await runtime.services()).get_tag("python", "3.12")
        finally:
            await runtime.aclose()
        assert info.exists and info.hardened is not None
        assert info.hardened.reference == "dhi.io/python:3.12-debian13" and info.hardened.verified is verified


async def test_suggestions_and_reviews_name_only_tags_dhi_io_lists_when_it_is_checked(dhi: Dhi) -> None:
    """The fake Hub's newest python lines are not all in the slice on 'dhi.io': each candidate's equivalent is a
    tag the registry lists (the same line, else the closest), verified, and the notes say which were replaced."""
    from hub_mcp.advisor.requests import ReviewRequest, SuggestRequest

    listed = {f"dhi.io/python:{t}" for t in (*_tags("python", "debian-13", "runtime", "3.12"), "3.13")}
    listed |= {f"dhi.io/python:{t}" for t in _tags("python", "debian-13", "dev", "3.12-dev")}
    hub = FakeHub(enforce_rate_limit=False)
    settings = Settings(hub_url=HUB, dhi_url=dhi.url, registry_credentials=f"dhi.io={USER}:{PASSWORD}")
    runtime = Runtime(settings, hub_transport=httpx.ASGITransport(app=hub.app), today=TODAY)
    try:
        services = await runtime.services()
        suggestion = await services.suggest(SuggestRequest(runtime="python", limit=5))
        first = await services.suggest(SuggestRequest(runtime="python", limit=5, priorities=("hardened",)))
        review = await services.review(ReviewRequest(dockerfile="FROM python:3.12 AS build\nFROM python:3.12-slim\n"))
    finally:
        await runtime.aclose()
    named = [c.hardened for c in suggestion.candidates if c.hardened]
    # the table has an equivalent for every candidate; the slice on 'dhi.io' has no alpine tags, so the live check
    # finds none for the alpine ones: 'hardened' first still holds after it
    flags = [c.hardened is not None for c in first.candidates]
    assert not all(flags) and flags == sorted(flags, reverse=True), [(c.reference, c.hardened) for c in first.candidates]
    assert [c.rank for c in first.candidates] == list(range(1, len(flags) + 1))
    assert named and all(h.reference in listed and h.verified for h in named)
    assert any("checked live on dhi.io" in n for n in suggestion.notes)
    table = {c.reference: equivalent_for(c.reference, None, "runtime") for c in suggestion.candidates}
    replaced = [r for r, found in table.items() if found and found[0].reference not in listed]
    assert all(any(f"{table[r][0].reference} (from the bundled catalog) is not on dhi.io" in n for n in suggestion.notes)  # type: ignore[index]
               for r in replaced)
    build, final = review.from_lines
    assert build.hardened is not None and build.hardened.reference == "dhi.io/python:3.12-debian13-dev"
    assert final.hardened is not None and final.hardened.reference == "dhi.io/python:3.12-debian13"
    assert build.hardened.verified and final.hardened.verified
