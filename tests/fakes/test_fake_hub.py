"""Tests of the fake Docker Hub itself: catalog invariants and HTTP behaviour.

Most tests talk to ``FakeHub.app`` in process through ``httpx.ASGITransport``; a few
go through :func:`serve` / :func:`serve_async` on loopback and the standalone CLI.
"""

from __future__ import annotations

import base64
import json
import subprocess
import sys
import time
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.fakes.catalog import (
    CATALOG_NOW,
    Catalog,
    Repository,
    Tag,
    default_catalog,
    parse_iso,
    pull_count_label,
)
from tests.fakes.hub import FakeHub, serve, serve_async

BASE = "https://hub.docker.com"
PAT = "dckr_pat_alice_0123456789"
REPO_ROOT = Path(__file__).resolve().parents[2]

TAG_KEYS = {
    "creator", "id", "images", "last_updated", "last_updater", "last_updater_username", "name",
    "repository", "full_size", "v2", "tag_status", "tag_last_pulled", "tag_last_pushed",
    "media_type", "content_type",
}
IMAGE_KEYS = {
    "architecture", "features", "variant", "digest", "os", "os_features", "os_version", "size",
    "status", "last_pulled", "last_pushed",
}
SEARCH_KEYS = {
    "id", "name", "slug", "type", "publisher", "created_at", "updated_at", "short_description",
    "badge", "star_count", "pull_count", "operating_systems", "architectures", "logo_url",
    "extension_reviewed", "categories", "archived",
}
REPO_KEYS = {
    "user", "name", "namespace", "repository_type", "status", "status_description", "description",
    "is_private", "is_automated", "star_count", "pull_count", "last_updated", "last_modified",
    "date_registered", "collaborator_count", "affiliation", "hub_user", "has_starred",
    "full_description", "permissions", "media_types", "content_types", "categories",
    "immutable_tags_settings", "storage_size", "source",
}


@pytest.fixture
def hub() -> FakeHub:
    return FakeHub(users={"alice": PAT, "acme": "dckr_oat_acme", "bob": "hunter2"}, mfa_users=["bob"])


@pytest.fixture
async def client(hub: FakeHub) -> AsyncIterator[httpx.AsyncClient]:
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=hub.app), base_url=BASE) as c:
        yield c


def repo_of(catalog: Catalog, full_name: str) -> Repository:
    namespace, name = full_name.split("/")
    repo = catalog.get(namespace, name)
    assert repo is not None, full_name
    return repo


def tag_of(repo: Repository, name: str) -> Tag:
    tag = repo.tag(name)
    assert tag is not None, f"{repo.full_name}:{name}"
    return tag


def jwt_payload(token: str) -> dict[str, Any]:
    segment = token.split(".")[1]
    return json.loads(base64.urlsafe_b64decode(segment + "=" * (-len(segment) % 4)))


async def login(client: httpx.AsyncClient, identifier: str = "alice", secret: str = PAT) -> str:
    response = await client.post("/v2/auth/token", json={"identifier": identifier, "secret": secret})
    assert response.status_code == 200, response.text
    return str(response.json()["access_token"])


async def all_tags(client: httpx.AsyncClient, url: str, limit: int = 50) -> tuple[list[dict[str, Any]], int]:
    """Follow absolute ``next`` links until null; return the tags and the page count."""
    results: list[dict[str, Any]] = []
    pages = 0
    next_url: str | None = url
    while next_url:
        pages += 1
        assert pages <= limit, "pagination does not terminate"
        response = await client.get(next_url)
        assert response.status_code == 200, response.text
        body = response.json()
        results.extend(body["results"])
        next_url = body["next"]
    return results, pages


# ---------------------------------------------------------------------- catalog


def test_catalog_is_deterministic_and_fresh_per_call() -> None:
    first, second = default_catalog(), default_catalog()
    assert first is not second
    assert [r.full_name for r in first.repositories] == [r.full_name for r in second.repositories]
    python, other = repo_of(first, "library/python"), repo_of(second, "library/python")
    assert tag_of(python, "latest").digest == tag_of(other, "latest").digest
    tag_of(python, "latest").images.clear()
    python.tags.clear()
    assert tag_of(other, "latest").images
    assert repo_of(default_catalog(), "library/python").tags


def test_catalog_contents() -> None:
    catalog = default_catalog()
    names = {r.full_name for r in catalog.repositories}
    expected_official = {
        "python", "node", "golang", "eclipse-temurin", "openjdk", "nginx", "postgres", "redis",
        "alpine", "debian", "ubuntu", "php", "ruby", "rust", "httpd", "mysql", "busybox",
    }
    assert {f"library/{n}" for n in expected_official} <= names
    assert {"bitnami/redis", "someuser/python-tools", "jupyter/base-notebook", "alice/private-app"} <= names
    badges = {r.full_name: r.badge for r in catalog.repositories}
    assert badges["bitnami/redis"] == "verified_publisher"
    assert badges["jupyter/base-notebook"] == "open_source"
    assert badges["someuser/python-tools"] == "none"
    assert badges["someuser/legacy-scraper"] is None
    assert 15_000 <= len(repo_of(catalog, "library/python").full_description) <= 25_000
    for repo in catalog.repositories:
        assert len(repo.description) <= 100, repo.full_name
        for tag in repo.tags:
            assert parse_iso(tag.last_updated) < CATALOG_NOW
            assert tag.last_updated.endswith("Z")


def test_aliases_share_digests_and_platform_digests() -> None:
    python = repo_of(default_catalog(), "library/python")
    group = [tag_of(python, n) for n in ("3.14", "3.14-trixie", "3.14.0", "3", "latest", "trixie")]
    digests = {t.digest for t in group}
    assert len(digests) == 1
    assert len({tuple(i.digest for i in t.images) for t in group}) == 1
    slim = tag_of(python, "3.14-slim")
    assert slim.digest not in digests
    assert tag_of(python, "slim").digest == slim.digest


def test_stale_multi_arch_windows_and_legacy_tags() -> None:
    catalog = default_catalog()
    python = repo_of(catalog, "library/python")
    assert tag_of(python, "3.8-slim").tag_last_pushed.startswith("2024-10-07")
    assert tag_of(python, "3.9").last_updated.startswith("2025-10")
    latest = tag_of(python, "latest")
    platforms = {i.platform for i in latest.platform_images}
    assert platforms == {"linux/amd64", "linux/arm64/v8", "linux/arm/v7", "linux/ppc64le", "linux/s390x"}
    assert any(i.is_attestation for i in latest.images)
    assert latest.full_size == next(i.size for i in latest.images if i.architecture == "amd64")
    assert 300_000_000 < latest.full_size < 450_000_000
    assert 10_000_000 < tag_of(python, "alpine").full_size < 30_000_000
    windows = tag_of(python, "3.14-windowsservercore-ltsc2022")
    assert [i.platform for i in windows.images] == ["windows/amd64"]
    assert (windows.images[0].os_version or "").startswith("10.0.20348")
    # riscv64 only for newer Alpine.
    assert tag_of(python, "3.14-alpine3.22").has_platform("riscv64")
    assert not tag_of(python, "3.8-alpine3.20").has_platform("riscv64")
    old = tag_of(python, "2.7.9")
    assert old.digest is None and "digest" not in old.to_api()
    assert [i.platform for i in old.images] == ["linux/amd64"] and old.tag_status == "inactive"
    openjdk = repo_of(catalog, "library/openjdk")
    assert "deprecated" in openjdk.description.lower()
    assert max(t.last_updated for t in openjdk.tags) < "2023"


def test_pull_count_label() -> None:
    assert pull_count_label(9_124_337_803) == "1B+"
    assert pull_count_label(510_000_000) == "500M+"
    assert pull_count_label(12_345) == "10K+"
    assert pull_count_label(734) == "734"


# ---------------------------------------------------------------------- search


async def test_search_v4_shape_and_best_match(client: httpx.AsyncClient) -> None:
    response = await client.get("/api/search/v4", params={"query": "python", "size": 5})
    assert response.status_code == 200
    body = response.json()
    assert set(body) == {"total", "results"}
    assert body["total"] >= 3 and len(body["results"]) == min(5, body["total"])
    first = body["results"][0]
    assert set(first) == SEARCH_KEYS
    assert first["name"] == "python" and first["badge"] == "official" and first["type"] == "image"
    assert first["pull_count"] == "1B+" and isinstance(first["star_count"], int)
    assert {"name": "arm64", "label": "ARM 64"} in first["architectures"]
    assert {a["name"] for a in first["architectures"]} >= {"amd64", "arm", "ppc64le", "s390x"}
    assert {o["name"] for o in first["operating_systems"]} == {"linux", "windows"}
    assert set(first["logo_url"]) == {"large", "small"}
    names = [r["name"] for r in body["results"]]
    assert "someuser/python-tools" in names and "alice/private-app" not in names


async def test_search_v4_exact_match_then_pull_count(client: httpx.AsyncClient) -> None:
    body = (await client.get("/api/search/v4", params={"query": "redis"})).json()
    names = [r["name"] for r in body["results"]]
    assert names[:2] == ["redis", "bitnami/redis"]


async def test_search_v4_partial_or_whole_words() -> None:
    for matching, expected in (("partial", ["python"]), ("whole_words", [])):
        hub = FakeHub(search_matching=matching)  # type: ignore[arg-type]
        async with httpx.AsyncClient(transport=httpx.ASGITransport(app=hub.app), base_url="https://hub.docker.com") as c:
            found = (await c.get("/api/search/v4", params={"query": "pyth", "badges": "official"})).json()
            assert [r["name"] for r in found["results"]] == expected, matching
            whole = (await c.get("/api/search/v4", params={"query": "python", "badges": "official"})).json()
            assert [r["name"] for r in whole["results"]] == ["python"], matching


async def test_search_v4_filters_sort_and_paging(client: httpx.AsyncClient) -> None:
    verified = (await client.get("/api/search/v4", params={"query": "", "badges": "verified_publisher"})).json()
    assert verified["total"] == 2 and {r["badge"] for r in verified["results"]} == {"verified_publisher"}
    community = (await client.get("/api/search/v4", params={"query": "", "badges": "none"})).json()
    assert {r["name"] for r in community["results"]} == {"someuser/python-tools", "someuser/legacy-scraper"}
    windows = (await client.get("/api/search/v4", params={"query": "", "operating_systems": "windows"})).json()
    assert {r["name"] for r in windows["results"]} == {"python", "golang", "openjdk"}
    by_pulls = (await client.get(
        "/api/search/v4", params={"query": "", "sort": "pull_count", "order": "asc", "size": 100})).json()
    labels = [r["name"] for r in by_pulls["results"]]
    assert labels[0] == "someuser/legacy-scraper" and labels[-1] == "nginx"
    window = (await client.get("/api/search/v4", params={"query": "", "from": 3, "size": 2})).json()
    everything = (await client.get("/api/search/v4", params={"query": "", "size": 100})).json()
    assert [r["name"] for r in window["results"]] == [r["name"] for r in everything["results"][3:5]]
    assert window["total"] == everything["total"] == len(everything["results"])
    plugins = (await client.get("/api/search/v4", params={"query": "python", "type": "dhi"})).json()
    assert plugins == {"total": 0, "results": []}


async def test_search_v4_validation(client: httpx.AsyncClient) -> None:
    too_big = await client.get("/api/search/v4", params={"query": "python", "size": 101})
    assert too_big.status_code == 400 and "message" in too_big.json()
    assert (await client.get("/api/search/v4", params={"query": "x", "from": 2450, "size": 100})).status_code == 400
    assert (await client.get("/api/search/v4")).status_code == 400
    assert (await client.get("/api/search/v4", params={"query": "x", "sort": "stars"})).status_code == 400


async def test_search_v4_library_names_option() -> None:
    hub = FakeHub(official_search_name="library")
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=hub.app), base_url=BASE) as client:
        body = (await client.get("/api/search/v4", params={"query": "python"})).json()
    assert body["results"][0]["name"] == "library/python"


async def test_legacy_search(client: httpx.AsyncClient) -> None:
    body = (await client.get("/v2/search/repositories/", params={"query": "python", "page_size": 2})).json()
    assert body["previous"] == "" and body["next"].startswith(f"{BASE}/v2/search/repositories/?page=2")
    first = body["results"][0]
    assert set(first) == {"repo_name", "short_description", "star_count", "pull_count", "repo_owner",
                          "is_automated", "is_official"}
    assert first["repo_name"] == "python" and first["is_official"] is True
    assert isinstance(first["pull_count"], int) and first["pull_count"] > 1_000_000_000
    last = (await client.get(body["next"])).json()
    assert last["previous"].startswith(BASE)


# ---------------------------------------------------------------------- repositories


async def test_repository_info_both_paths(client: httpx.AsyncClient) -> None:
    new = await client.get("/v2/namespaces/library/repositories/python")
    legacy = await client.get("/v2/repositories/library/python/")
    no_slash = await client.get("/v2/repositories/library/python")
    assert new.status_code == legacy.status_code == no_slash.status_code == 200
    body = new.json()
    assert body == legacy.json() == no_slash.json()
    assert set(body) == REPO_KEYS
    assert body["namespace"] == "library" and body["status"] == 1 and body["status_description"] == "active"
    assert isinstance(body["pull_count"], int) and body["is_private"] is False
    assert body["permissions"] == {"read": True, "write": False, "admin": False}
    assert len(body["full_description"]) > 15_000
    assert "application/vnd.oci.image.index.v1+json" in body["media_types"]
    assert body["categories"] == [{"name": "Languages & frameworks", "slug": "languages-and-frameworks"}]
    head = await client.head("/v2/namespaces/library/repositories/python")
    assert head.status_code == 200 and head.content == b""
    assert head.headers["content-type"] == "application/json"


async def test_missing_repository_404(client: httpx.AsyncClient) -> None:
    for path in ("/v2/namespaces/library/repositories/pythonn",
                 "/v2/repositories/nobody/nothing/",
                 "/v2/namespaces/library/repositories/pythonn/tags",
                 "/v2/namespaces/library/repositories/Python"):
        response = await client.get(path)
        assert response.status_code == 404, path
        assert response.json() == {"message": "object not found", "errinfo": {}}
    head = await client.head("/v2/namespaces/library/repositories/pythonn")
    assert head.status_code == 404 and head.content == b""


async def test_list_repositories(client: httpx.AsyncClient) -> None:
    body = (await client.get("/v2/namespaces/library/repositories",
                             params={"page_size": 5, "ordering": "pull_count"})).json()  # documented: largest first
    library = [r for r in default_catalog().repositories if r.namespace == "library"]
    assert body["count"] == len(library) > 5 and len(body["results"]) == 5
    assert body["results"][0]["name"] == "nginx"
    assert "full_description" not in body["results"][0] and "permissions" not in body["results"][0]
    assert body["next"].startswith(f"{BASE}/v2/namespaces/library/repositories?page=2&page_size=5")
    filtered = (await client.get("/v2/repositories/library/", params={"name": "py", "ordering": "name"})).json()
    assert [r["name"] for r in filtered["results"]] == ["python"]
    bad = await client.get("/v2/namespaces/library/repositories", params={"page_size": 1000})
    assert bad.status_code == 400 and "page_size" in bad.json()["fields"]


# ---------------------------------------------------------------------- tags


async def test_tag_pagination_follows_absolute_next(client: httpx.AsyncClient, hub: FakeHub) -> None:
    python = repo_of(hub.catalog, "library/python")
    first = (await client.get("/v2/namespaces/library/repositories/python/tags", params={"page_size": 100})).json()
    assert set(first) == {"count", "next", "previous", "results"}
    assert first["count"] == len(python.tags) and first["previous"] is None
    assert first["next"] == f"{BASE}/v2/namespaces/library/repositories/python/tags?page=2&page_size=100"
    tags, pages = await all_tags(client, "/v2/namespaces/library/repositories/python/tags?page_size=100")
    assert pages == -(-len(python.tags) // 100)
    assert sorted(t["name"] for t in tags) == sorted(t.name for t in python.tags)
    # Default ordering is newest first (assumed).
    stamps = [t["last_updated"] for t in tags]
    assert stamps == sorted(stamps, reverse=True)
    sample = next(t for t in tags if t["name"] == "latest")
    assert TAG_KEYS | {"digest"} == set(sample)
    assert set(sample["images"][0]) == IMAGE_KEYS and sample["v2"] is True
    assert sample["tag_status"] == "active" and sample["content_type"] == "image"


async def test_tag_pagination_legacy_path_and_previous(client: httpx.AsyncClient) -> None:
    body = (await client.get("/v2/repositories/library/alpine/tags", params={"page": 2, "page_size": 5})).json()
    assert body["previous"] == f"{BASE}/v2/repositories/library/alpine/tags?page=1&page_size=5"
    assert body["next"] == f"{BASE}/v2/repositories/library/alpine/tags?page=3&page_size=5"
    past = await client.get("/v2/repositories/library/alpine/tags", params={"page": 40, "page_size": 5})
    assert past.status_code == 404
    assert past.json()["message"] == "httperror 404: page not found" and "errinfo" in past.json()
    for size in (0, 101, "x"):
        bad = await client.get("/v2/repositories/library/alpine/tags", params={"page_size": size})
        assert bad.status_code == 400
        assert set(bad.json()) == {"fields", "text"} and "page_size" in bad.json()["fields"]


async def test_next_link_quirks() -> None:
    hub = FakeHub(next_base_url="https://index.docker.io", drop_library_in_next=True)
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=hub.app), base_url=BASE) as client:
        body = (await client.get("/v2/repositories/library/python/tags?page_size=100")).json()
        assert body["next"] == "https://index.docker.io/v2/repositories/python/tags?page=2&page_size=100"
        path = body["next"].removeprefix("https://index.docker.io")
        second = (await client.get(path)).json()
        assert second["count"] == body["count"] and second["results"][0]["name"] != body["results"][0]["name"]


async def test_tag_ordering_and_filters(client: httpx.AsyncClient) -> None:
    url = "/v2/namespaces/library/repositories/python/tags"
    by_name = (await client.get(url, params={"ordering": "name", "page_size": 100})).json()
    names = [t["name"] for t in by_name["results"]]
    assert names == sorted(names)
    oldest = (await client.get(url, params={"ordering": "-last_updated", "page_size": 1})).json()
    assert oldest["results"][0]["name"] == "2.7.9"
    slim = (await client.get(url, params={"name": "3.13-slim", "page_size": 100})).json()
    assert {t["name"] for t in slim["results"]} == {"3.13-slim", "3.13-slim-trixie", "3.13-slim-bookworm"}
    windows = (await client.get(url, params={"os": "windows", "page_size": 100})).json()
    assert windows["count"] == 12
    assert all(i["os"] == "windows" for t in windows["results"] for i in t["images"])
    riscv = (await client.get(url, params={"architecture": "riscv64", "page_size": 100})).json()
    assert riscv["count"] > 0 and all("alpine" in t["name"] for t in riscv["results"])
    bad = await client.get(url, params={"ordering": "size"})
    assert bad.status_code == 400 and "ordering" in bad.json()["fields"]


@pytest.mark.parametrize(
    ("convention", "newest_first", "largest_pulls_first"),
    [("documented", "last_updated", "pull_count"), ("django", "-last_updated", "-pull_count")],
)
async def test_ordering_conventions(convention: str, newest_first: str, largest_pulls_first: str) -> None:
    """hub-api.md documents ``last_updated`` as newest first; the "django" switch reverses dates and
    counts (the reading hub-mcp must also survive), and leaves names alone."""
    hub = FakeHub(ordering_convention=convention)  # type: ignore[arg-type]
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=hub.app), base_url=BASE) as client:
        url = "/v2/namespaces/library/repositories/python/tags"
        newest = (await client.get(url, params={"ordering": newest_first, "page_size": 50})).json()["results"]
        stamps = [t["last_updated"] for t in newest]
        assert stamps == sorted(stamps, reverse=True) and len(set(stamps)) > 1
        other = "-last_updated" if newest_first == "last_updated" else "last_updated"
        oldest = (await client.get(url, params={"ordering": other, "page_size": 1})).json()["results"]
        assert oldest[0]["name"] == "2.7.9"
        names = [t["name"] for t in (await client.get(url, params={"ordering": "name", "page_size": 30})).json()["results"]]
        assert names == sorted(names)
        repos = (await client.get("/v2/namespaces/library/repositories",
                                  params={"ordering": largest_pulls_first, "page_size": 3})).json()["results"]
        assert repos[0]["name"] == "nginx"
        assert [r["pull_count"] for r in repos] == sorted((r["pull_count"] for r in repos), reverse=True)


async def test_ordering_ignored_and_page_past_the_end_switches() -> None:
    hub = FakeHub(ordering_convention="ignored", past_end="empty", apply_platform_filters=False)
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=hub.app), base_url=BASE) as client:
        url = "/v2/namespaces/library/repositories/python/tags"
        pages = [
            [t["name"] for t in (await client.get(url, params={"ordering": o, "page_size": 40})).json()["results"]]
            for o in ("last_updated", "-last_updated", "name")
        ]
        assert pages[0] == pages[1] == pages[2] and pages[0] != sorted(pages[0])
        past = await client.get(url, params={"page": 99, "page_size": 100})
        assert past.status_code == 200 and past.json()["results"] == [] and past.json()["count"] > 0
        riscv = (await client.get(url, params={"architecture": "riscv64", "page_size": 100})).json()
        assert any(all(i["architecture"] != "riscv64" for i in t["images"]) for t in riscv["results"])


async def test_tag_detail_and_missing_tag(client: httpx.AsyncClient) -> None:
    for path in ("/v2/namespaces/library/repositories/python/tags/3.13-slim",
                 "/v2/repositories/library/python/tags/3.13-slim/"):
        response = await client.get(path)
        assert response.status_code == 200
        assert response.json()["name"] == "3.13-slim"
    missing = await client.get("/v2/namespaces/library/repositories/python/tags/1.277")
    assert missing.status_code == 404
    body = missing.json()
    assert body["message"] == "httperror 404: tag '1.277' not found" and isinstance(body["errinfo"], dict)
    head = await client.head("/v2/repositories/library/python/tags/3.13-slim")
    assert head.status_code == 200 and head.content == b""
    assert (await client.head("/v2/repositories/library/python/tags/nope")).status_code == 404
    old = (await client.get("/v2/repositories/library/openjdk/tags/8-jdk-alpine")).json()
    assert "digest" not in old and [i["architecture"] for i in old["images"]] == ["amd64"]


async def test_percent_encoded_and_invalid_paths(client: httpx.AsyncClient) -> None:
    encoded = await client.get("/v2/namespaces/library/repositories/py%74hon/tags/3.13%2Dslim")
    assert encoded.status_code == 200 and encoded.json()["name"] == "3.13-slim"
    weird = [
        "/v2/namespaces/library/repositories/py%2Fthon",
        "/v2/namespaces/library/repositories/py%2Fthon/tags",
        "/v2/namespaces/library/repositories/%E2%9C%93",
        "/v2/namespaces/library/repositories/python/tags/%00bad",
        "/v2/namespaces/library/repositories/python/tags/..%2F..%2Fetc",
        "/v2/namespaces/lib%20rary/repositories/python",
        "/v2/namespaces/library/repositories/%ZZ",
        "/v2/repositories//python/",
        "/nope",
    ]
    for path in weird:
        response = await client.get(path)
        assert response.status_code == 404, path
        assert response.headers["content-type"] == "application/json", path
        response.json()
    assert (await client.delete("/v2/namespaces/library/repositories/python")).status_code == 405


# ---------------------------------------------------------------------- auth and private repositories


async def test_auth_token_and_private_repository(client: httpx.AsyncClient, hub: FakeHub) -> None:
    private = "/v2/namespaces/alice/repositories/private-app"
    assert (await client.get(private)).status_code == 404
    assert (await client.get(f"{private}/tags")).status_code == 404
    token = await login(client)
    claims = jwt_payload(token)
    assert claims["https://hub.docker.com"]["username"] == "alice"
    assert claims["exp"] - claims["iat"] == 600
    assert len(token.split(".")) == 3
    headers = {"Authorization": f"Bearer {token}"}
    body = (await client.get(private, headers=headers)).json()
    assert body["is_private"] is True and body["permissions"]["admin"] is True
    tags = (await client.get(f"{private}/tags", headers=headers)).json()
    assert {t["name"] for t in tags["results"]} == {"latest", "v1.2.0", "v1.1.0"}
    # Collaborator access to another namespace's private repository.
    assert (await client.get("/v2/repositories/acme/internal-api/", headers=headers)).status_code == 200
    listing = (await client.get("/v2/namespaces/alice/repositories", headers=headers)).json()
    assert [r["name"] for r in listing["results"]] == ["private-app"]
    anonymous = (await client.get("/v2/namespaces/alice/repositories")).json()
    assert anonymous["count"] == 0
    assert [t.username for t in hub.issued_tokens] == ["alice"]
    assert hub.issued_tokens[0].source == "pat" and hub.issued_tokens[0].endpoint == "/v2/auth/token"


async def test_private_repository_hidden_from_other_users(client: httpx.AsyncClient) -> None:
    token = await login(client, "acme", "dckr_oat_acme")
    headers = {"Authorization": f"Bearer {token}"}
    assert (await client.get("/v2/namespaces/alice/repositories/private-app", headers=headers)).status_code == 404
    assert (await client.get("/v2/namespaces/acme/repositories/internal-api", headers=headers)).status_code == 200


async def test_bad_credentials_and_expired_tokens(client: httpx.AsyncClient, hub: FakeHub) -> None:
    wrong = await client.post("/v2/auth/token", json={"identifier": "alice", "secret": "dckr_pat_nope"})
    assert wrong.status_code == 401
    assert wrong.json() == {"detail": "Incorrect authentication credentials"}
    unknown = await client.post("/v2/users/login", json={"username": "mallory", "password": "x"})
    assert unknown.status_code == 401
    missing = await client.post("/v2/auth/token", json={"identifier": "alice"})
    assert missing.status_code == 400 and "secret" in missing.json()["fields"]

    token = await login(client)
    headers = {"Authorization": f"Bearer {token}"}
    assert (await client.get("/v2/namespaces/alice/repositories/private-app", headers=headers)).status_code == 200
    hub.advance(601)
    expired = await client.get("/v2/namespaces/alice/repositories/private-app", headers=headers)
    assert expired.status_code == 401 and "detail" in expired.json()
    # A bad token is rejected even on public endpoints; no token is fine.
    assert (await client.get("/v2/namespaces/library/repositories/python", headers=headers)).status_code == 401
    forged = {"Authorization": "Bearer aaa.bbb.ccc"}
    assert (await client.get("/v2/namespaces/library/repositories/python", headers=forged)).status_code == 401
    assert (await client.get("/v2/namespaces/library/repositories/python")).status_code == 200


async def test_users_login_and_mfa(client: httpx.AsyncClient) -> None:
    response = await client.post("/v2/users/login", json={"username": "alice", "password": PAT})
    assert response.status_code == 200 and set(response.json()) == {"token"}
    assert jwt_payload(response.json()["token"])["https://hub.docker.com"]["username"] == "alice"
    mfa = await client.post("/v2/users/login", json={"username": "bob", "password": "hunter2"})
    assert mfa.status_code == 401 and mfa.json()["login_2fa_token"]


async def test_token_lifetime_is_configurable() -> None:
    hub = FakeHub(users={"alice": PAT}, token_lifetime=30)
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=hub.app), base_url=BASE) as client:
        claims = jwt_payload(await login(client))
    assert claims["exp"] - claims["iat"] == 30
    assert hub.issued_tokens[0].expires_at - hub.issued_tokens[0].issued_at == 30


# ---------------------------------------------------------------------- limits and faults


async def test_rate_limit_headers_and_exhaustion() -> None:
    now = [1_800_000_000.0]
    hub = FakeHub(rate_limit=3, clock=lambda: now[0])
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=hub.app), base_url=BASE) as client:
        seen = []
        for _ in range(3):
            response = await client.get("/v2/repositories/library/alpine/")
            assert response.status_code == 200
            assert response.headers["X-RateLimit-Limit"] == "3"
            assert response.headers["X-RateLimit-Reset"] == str(1_800_000_060)
            seen.append(int(response.headers["X-RateLimit-Remaining"]))
        assert seen == [2, 1, 0]
        now[0] += 15
        limited = await client.get("/v2/repositories/library/alpine/")
        assert limited.status_code == 429 and limited.json() == {"detail": "Rate limit exceeded"}
        assert limited.headers["Retry-After"] == "45"
        now[0] += 45
        again = await client.get("/v2/repositories/library/alpine/")
        assert again.status_code == 200 and again.headers["X-RateLimit-Remaining"] == "2"


async def test_error_responses_carry_rate_limit_headers(client: httpx.AsyncClient) -> None:
    for path in ("/nope", "/v2/namespaces/library/repositories/pythonn"):
        response = await client.get(path)
        assert response.status_code == 404
        assert {"x-ratelimit-limit", "x-ratelimit-remaining", "x-ratelimit-reset"} <= set(response.headers)


async def test_injected_429_styles(client: httpx.AsyncClient, hub: FakeHub) -> None:
    hub.rate_limit_next(1, retry_after=7)
    hub.rate_limit_next(1, retry_after=5, style="x-retry-after")
    first = await client.get("/api/search/v4", params={"query": "python"})
    assert first.status_code == 429 and first.headers["Retry-After"] == "7"
    assert first.json() == {"detail": "Rate limit exceeded"}
    assert first.headers["X-RateLimit-Remaining"] == "0"
    second = await client.get("/api/search/v4", params={"query": "python"})
    assert second.status_code == 429 and "Retry-After" not in second.headers
    assert abs(int(second.headers["X-Retry-After"]) - (time.time() + 5)) <= 2
    assert (await client.get("/api/search/v4", params={"query": "python"})).status_code == 200


async def test_fail_next_malformed_and_fail_path(client: httpx.AsyncClient, hub: FakeHub) -> None:
    url = "/v2/namespaces/library/repositories/python/tags"
    hub.fail_next(2, status=503)
    for _ in range(2):
        failed = await client.get(url)
        assert failed.status_code == 503 and "message" in failed.json()
    assert (await client.get(url)).status_code == 200

    hub.malformed_next()
    hub.malformed_next(kind="html")
    for _ in range(2):
        broken = await client.get(url)
        assert broken.status_code == 200
        with pytest.raises(json.JSONDecodeError):
            json.loads(broken.content)
    assert (await client.get(url)).json()["count"] > 0

    hub.fail_path("/api/search", 500)
    assert (await client.get("/api/search/v4", params={"query": "x"})).status_code == 500
    assert (await client.get(url)).status_code == 200
    hub.clear_faults()
    assert (await client.get("/api/search/v4", params={"query": "x"})).status_code == 200


async def test_requests_are_recorded_and_latency_applies(client: httpx.AsyncClient, hub: FakeHub) -> None:
    await client.get("/v2/namespaces/library/repositories/py%74hon/tags", params={"page_size": 3})
    await client.head("/v2/repositories/library/python/")
    assert hub.requests[0] == ("GET", "/v2/namespaces/library/repositories/python/tags", "page_size=3")
    assert hub.requests[1].method == "HEAD"
    assert hub.request_count("/v2/") == 2 and hub.request_count(method="HEAD") == 1
    hub.latency = 0.15
    started = time.monotonic()
    await client.get("/v2/repositories/library/python/")
    assert time.monotonic() - started >= 0.15


# ---------------------------------------------------------------------- loopback


def test_serve_on_loopback_follows_next() -> None:
    hub = FakeHub(users={"alice": PAT})
    with serve(hub) as base_url:
        assert base_url.startswith("http://127.0.0.1:")
        with httpx.Client(base_url=base_url, timeout=10) as client:
            response = client.get("/v2/namespaces/library/repositories/node/tags", params={"page_size": 50})
            assert response.status_code == 200
            assert int(response.headers["X-RateLimit-Remaining"]) == 179
            body = response.json()
            assert body["next"].startswith(f"{base_url}/v2/namespaces/library/repositories/node/tags?page=2")
            names = [t["name"] for t in body["results"]]
            while body["next"]:
                body = client.get(body["next"]).json()
                names += [t["name"] for t in body["results"]]
            assert len(names) == len(set(names)) == len(repo_of(hub.catalog, "library/node").tags)
            head = client.head("/v2/namespaces/library/repositories/node/tags/lts")
            assert head.status_code == 200 and head.content == b""
            token = client.post("/v2/auth/token", json={"identifier": "alice", "secret": PAT}).json()["access_token"]
            private = client.get("/v2/repositories/alice/private-app/", headers={"Authorization": f"Bearer {token}"})
            assert private.status_code == 200
    with pytest.raises(httpx.TransportError):
        httpx.get(f"{base_url}/v2/repositories/library/node/", timeout=2)


async def test_serve_async_on_loopback() -> None:
    hub = FakeHub()
    async with serve_async(hub) as base_url:
        async with httpx.AsyncClient(base_url=base_url, timeout=10) as client:
            response = await client.get("/api/search/v4", params={"query": "golang"})
            assert response.status_code == 200 and response.json()["results"][0]["name"] == "golang"
    assert hub.request_count("/api/search/v4") == 1


def test_standalone_cli_prints_url_first() -> None:
    process = subprocess.Popen(
        [sys.executable, "-m", "tests.fakes.hub", "--port", "0", "--user", f"alice={PAT}"],
        cwd=REPO_ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )
    try:
        assert process.stdout is not None
        url = process.stdout.readline().strip()
        assert url.startswith("http://127.0.0.1:")
        response = httpx.post(f"{url}/v2/auth/token", json={"identifier": "alice", "secret": PAT}, timeout=10)
        assert response.status_code == 200 and "access_token" in response.json()
        tag = httpx.get(f"{url}/v2/repositories/library/python/tags/3.8", timeout=10).json()
        assert tag["tag_last_pushed"].startswith("2024-10-07")
    finally:
        process.terminate()
        process.wait(timeout=10)


# --- management (stateful) ------------------------------------------------------------------


def managing_hub(**switches: Any) -> FakeHub:
    options: dict[str, Any] = {
        "users": {"alice": PAT, "carol": "dckr_pat_carol", "acme": "dckr_oat_acme"},
        "organizations": {"acme": {"alice": "Owner", "carol": "Member"}},
        "scopes": {"alice": "repo:admin", "carol": "repo:admin", "acme": "repo:admin"},
    }
    return FakeHub(**{**options, **switches})


async def test_writes_change_state_and_are_refused_as_documented_or_assumed() -> None:
    hub = managing_hub(delete_status=204)
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=hub.app), base_url=BASE) as c:
        anonymous = await c.post("/v2/namespaces/alice/repositories", json={"name": "x1"})
        assert anonymous.status_code == 401
        alice = {"Authorization": f"Bearer {await login(c)}"}
        created = await c.post(
            "/v2/namespaces/alice/repositories",
            json={"name": "x1", "namespace": "alice", "description": "d", "full_description": "", "is_private": True},
            headers=alice,
        )
        assert created.status_code == 201 and created.json()["is_private"] is True
        again = await c.post("/v2/namespaces/alice/repositories", json={"name": "x1"}, headers=alice)
        assert again.status_code == 400 and "already exists" in again.json()["text"]
        bad = await c.post("/v2/namespaces/alice/repositories", json={"name": "X 1"}, headers=alice)
        assert bad.status_code == 400 and "name" in bad.json()["fields"]
        patched = await c.patch("/v2/namespaces/alice/repositories/x1", json={"description": "new"}, headers=alice)
        assert patched.json()["description"] == "new" and patched.json()["status"] == 1
        gone = await c.delete("/v2/repositories/alice/x1/", headers=alice)
        assert gone.status_code == 204 and gone.content == b""
        assert hub.catalog.get("alice", "x1") is None

        carol = {"Authorization": f"Bearer {await login(c, 'carol', 'dckr_pat_carol')}"}
        seen = await c.get("/v2/namespaces/acme/repositories/internal-api", headers=carol)
        assert seen.status_code == 200 and seen.json()["permissions"] == {"read": True, "write": False, "admin": False}
        refused = await c.delete("/v2/repositories/acme/internal-api/", headers=carol)
        assert refused.status_code == 403 and hub.catalog.get("acme", "internal-api") is not None
        orgs = (await c.get("/v2/user/orgs/", headers=carol)).json()
        assert [(o["orgname"], o["user_role"]) for o in orgs["results"]] == [("acme", "Member")]

        oat = {"Authorization": f"Bearer {await login(c, 'acme', 'dckr_oat_acme')}"}
        assert (await c.get("/v2/user/orgs/", headers=oat)).status_code == 403
    assert [body for method, _, body in hub.write_bodies if method == "PATCH"] == [{"description": "new"}]


async def test_scopes_and_pat_refusals() -> None:
    hub = managing_hub(scopes={"alice": "repo:write"}, pat_forbidden=("update",))
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=hub.app), base_url=BASE) as c:
        token = await login(c)
        assert jwt_payload(token)["scope"] == "repo:write"
        alice = {"Authorization": f"Bearer {token}"}
        no_delete = await c.delete("/v2/repositories/alice/private-app/tags/latest/", headers=alice)
        assert no_delete.status_code == 403 and "scope" in no_delete.json()["detail"]
        no_pat = await c.patch("/v2/namespaces/alice/repositories/private-app", json={"description": "x"}, headers=alice)
        assert no_pat.status_code == 403 and "personal access token" in no_pat.json()["detail"]
    assert hub.catalog.get("alice", "private-app").tag("latest") is not None  # type: ignore[union-attr]
