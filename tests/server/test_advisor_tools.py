"""suggest_base_images, review_base_images and the choose-base-image prompt, through mcp.Client."""

from __future__ import annotations

import re
from collections.abc import AsyncIterator, Callable
from datetime import date
from typing import Any

import httpx
import pytest
from mcp import Client

from hub_mcp.server import create_server
from tests.conftest import Pushed
from tests.fakes.catalog import catalog_with_unmaintained
from tests.fakes.hub import FakeHub
from tests.server.conftest import make_settings
from tests.server.test_tools import call, fail

TODAY = date(2026, 11, 26)

DOCKERFILE = """# syntax=docker/dockerfile:1
ARG PY=3.8
FROM python:${PY}-slim AS build
RUN pip wheel -w /w .
FROM openjdk:17-jdk-slim AS java
FROM node AS assets
FROM python:3.12-slim
COPY --from=build /w /w
FROM scratch AS empty
FROM build AS again
FROM golang:${GO} AS gobuild
"""


@pytest.fixture
async def client(hub: FakeHub, mode: str) -> AsyncIterator[Client]:
    server = create_server(make_settings(), hub_transport=httpx.ASGITransport(app=hub.app), today=TODAY)
    async with Client(server, mode=mode) as c:
        yield c


async def test_suggest_returns_verified_ranked_candidates_with_progress(client: Client, mode: str) -> None:
    updates: list[float] = []

    async def on_progress(progress: float, total: float | None, message: str | None) -> None:
        updates.append(progress)

    result = await client.call_tool(
        "suggest_base_images",
        {"runtime": "python", "version": "3.13", "platforms": ["linux/amd64", "linux/arm64"], "limit": 3},
        progress_callback=on_progress,
    )
    assert not result.is_error, result.content[0].text
    data = result.structured_content
    assert [c["rank"] for c in data["candidates"]] == [1, 2, 3]
    assert all(c["version"].startswith("3.13.") for c in data["candidates"])
    assert all({"linux/amd64", "linux/arm64/v8"} <= set(c["platforms"]) for c in data["candidates"])
    assert data["candidates"][0]["pinned_reference"].startswith(data["candidates"][0]["reference"] + "@sha256:")
    if mode == "legacy":  # progress notifications travel over the JSON-RPC session
        assert updates == [0, 1, 2, 3]
    assert len(result.content[0].text) < 12_000  # compact: a few thousand bytes


async def test_suggest_refuses_a_number_version_and_impossible_requests(client: Client) -> None:
    assert "quotes" in await fail(client, "suggest_base_images", runtime="python", version=3.1)
    empty = await call(client, "suggest_base_images", runtime="python", version="3.99")
    assert empty["candidates"] == [] and empty["rejected"][0]["reason"] == "not_found"
    assert "windows" in (await fail(client, "suggest_base_images", runtime="python", os="windows", platforms=["linux/arm64"]))


async def test_review_finds_each_problem_line_by_line(client: Client) -> None:
    review = await call(client, "review_base_images", dockerfile=DOCKERFILE, platforms=["linux/amd64", "linux/arm64"])
    by_line = {r["line"]: r for r in review["from_lines"]}
    assert by_line[3]["resolved"] == "python:3.8-slim" and by_line[3]["verdict"] == "fail"
    assert "end of life on 2024-10-07" in by_line[3]["findings"][0]
    assert by_line[3]["upgrade"].startswith("python:3.14-slim")
    assert by_line[5]["verdict"] == "fail" and "deprecated" in by_line[5]["findings"][0]
    assert by_line[5]["upgrade"].startswith("eclipse-temurin:")
    assert by_line[6]["verdict"] == "warn" and "no tag" in by_line[6]["findings"][0]
    assert by_line[7]["verdict"] == "ok" and by_line[7]["refresh"].startswith("python:3.12-slim@sha256:")
    assert by_line[7]["upgrade"].startswith("python:3.14-slim")
    assert by_line[9]["verdict"] == "skipped" and by_line[10]["verdict"] == "skipped"
    assert by_line[11]["verdict"] == "warn" and "${GO}" in by_line[11]["findings"][0]
    assert review["summary"].startswith("2 fail, 2 warn, 1 ok, 2 skipped")


async def test_go_build_stage_is_a_supported_golang_line_and_old_lines_are_upgraded(client: Client, hub: FakeHub) -> None:
    build = await call(client, "suggest_base_images", runtime="go", purpose="build", limit=2)
    assert build["candidates"][0]["reference"].startswith("golang:1.27")
    review = await call(client, "review_base_images", reference="golang:1.24-bookworm")
    line = review["from_lines"][0]
    assert line["verdict"] == "fail" and line["upgrade"].startswith("golang:1.27")
    golang = hub.catalog.get("library", "golang")
    assert golang.tag(build["candidates"][0]["reference"].split(":")[1]) is not None


async def test_review_with_build_args_and_missing_platform(client: Client) -> None:
    review = await call(
        client,
        "review_base_images",
        dockerfile="ARG V\nFROM python:${V}-slim\n",
        build_args={"V": "3.13"},
        platforms=["linux/riscv64"],
    )
    line = review["from_lines"][0]
    assert line["resolved"] == "python:3.13-slim" and line["verdict"] == "fail"
    assert "no image for linux/riscv64" in line["findings"][0]


async def test_review_marks_images_used_by_copy_from(client: Client) -> None:
    text = "FROM python:3.12-slim AS build\nCOPY --from=python:3.99-slim /x /x\nFROM build\nCOPY --from=build /y /y\n"
    review = await call(client, "review_base_images", dockerfile=text)
    rows = [(r["line"], r.get("instruction"), r["verdict"]) for r in review["from_lines"]]
    assert rows == [(1, None, "ok"), (2, "COPY --from", "fail"), (3, None, "skipped")]
    assert "does not exist" in review["from_lines"][1]["findings"][0]


async def test_review_of_a_missing_tag_names_the_closest(client: Client) -> None:
    review = await call(client, "review_base_images", reference="python:3.99-slim")
    line = review["from_lines"][0]
    assert line["verdict"] == "fail" and "does not exist (closest: 3.14-slim" in line["findings"][0]


async def test_review_needs_exactly_one_input(client: Client) -> None:
    assert "either dockerfile" in await fail(client, "review_base_images")
    assert "Line 1" in await fail(client, "review_base_images", dockerfile="FROM\n")
    refused = await fail(client, "review_base_images", reference="alpine:3.20\nFROM debian:latest")
    assert "contains a line break" in refused and "send only the image" in refused


async def test_review_inspects_the_user_when_asked(hub: FakeHub, registry: Pushed, mode: str) -> None:
    """Tags from the (fake) Hub API, image configs from a real registry: python:3.12 is pushed to both."""
    server = create_server(
        make_settings(registry_url=registry.registry.url), hub_transport=httpx.ASGITransport(app=hub.app), today=TODAY
    )
    async with Client(server, mode=mode) as c:
        review = await call(c, "review_base_images", reference="python:3.12", inspect=True)
    line = review["from_lines"][0]
    assert "runs as root: add a USER with a non-root uid" in line["findings"]
    # the only note is the hardened equivalent's (the root check is not left undone)
    assert line["verdict"] == "warn" and [n[:20] for n in review["notes"]] == ["Hardened equivalents"]


async def test_choose_base_image_prompt(client: Client) -> None:
    prompts = await client.list_prompts()
    assert "choose-base-image" in [p.name for p in prompts.prompts]
    result = await client.get_prompt("choose-base-image", {"what": "a Django app", "version": "3.12"})
    text = result.messages[0].content.text
    assert "a Django app" in text and "suggest_base_images" in text and "pinned_reference" in text


@pytest.mark.parametrize("mode", ["auto"])
async def test_unreachable_registry_is_unknown_not_fail_and_costs_one_attempt(hub: FakeHub, mode: str) -> None:
    attempts: list[str] = []

    def refuse(request: httpx.Request) -> httpx.Response:
        attempts.append(request.url.host)
        raise httpx.ConnectError("connection refused", request=request)

    server = _with_registry(hub, refuse, TODAY)
    dockerfile = "FROM ghcr.io/acme/base:1.0 AS one\nFROM ghcr.io/acme/tool:2.1 AS two\nFROM python:3.13-slim\n"
    async with Client(server, mode=mode) as c:
        review = await call(c, "review_base_images", dockerfile=dockerfile)
    one, two, python = review["from_lines"]
    for line in (one, two):
        assert line["verdict"] == "unknown", line
        assert any("could not be checked" in f and "cannot be reached" in f for f in line["findings"]), line
    assert python["verdict"] == "ok"
    assert attempts == ["ghcr.io"]  # one connect attempt for the host, not four per line
    assert review["summary"].startswith("2 unknown, 1 ok")


@pytest.mark.parametrize(
    ("reference", "findings"),
    [
        # older than the table's oldest row: end of life, whatever the Hub says about the tag
        ("python:2.7", ["python 2.7 is older than the oldest python line in the table (3.7, end of life 2023-06-27)"]),
        (
            "python:3.6-alpine3.7",
            [
                "python 3.6 is older than the oldest python line in the table",
                "its distro alpine 3.7 is older than the oldest alpine line in the table (3.18, end of life 2025-05-09)",
            ],
        ),
        ("node:10.14.2", ["node 10 is older than the oldest node line in the table (14, end of life 2023-04-30)"]),
        ("golang:1.12.4", ["golang 1.12 is older than the oldest golang line in the table (1.21"]),
        ("golang:1.13", ["golang 1.13 is older than the oldest golang line in the table (1.21"]),
        ("ubuntu:12.04", ["ubuntu 12.04 is older than the oldest ubuntu line in the table (18.04"]),
        ("php:7", ["php 7.4 reached end of life on 2022-11-28"]),
        ("python:2.7-slim-jessie", ["python 2.7 is older", "its distro jessie is older than the oldest debian line"]),
        # an interim Ubuntu release: 9 months of support, 25.10 ended in July 2026 (it was 'ok')
        ("ubuntu:25.10", ["ubuntu 25.10 reached end of life on 2026-07-09"]),
    ],
)
async def test_review_fails_lines_older_than_the_table(client: Client, reference: str, findings: list[str]) -> None:
    review = await call(client, "review_base_images", reference=reference)
    line = review["from_lines"][0]
    assert line["verdict"] == "fail", line
    eol = next(f for f in line["findings"] if "end of life" in f)
    for want in findings:
        assert want in eol, (want, eol)


def _unreachable(request: httpx.Request) -> httpx.Response:
    raise httpx.ConnectError("connection refused", request=request)


def _with_registry(hub: FakeHub, handler: Callable[[httpx.Request], httpx.Response], today: date, **settings: Any) -> Any:
    """A server reading the fake Hub, with every other registry answered by ``handler``."""
    return create_server(
        make_settings(**settings),
        hub_transport=httpx.ASGITransport(app=hub.app),
        registry_transport=httpx.MockTransport(handler),
        today=today,
    )


@pytest.mark.parametrize(
    ("reference", "finding"),
    [
        # .NET 7 (STS) ended 2024-05-14, .NET 6 (LTS) 2024-11-12, .NET 8 and 9 on 2026-11-10
        ("mcr.microsoft.com/dotnet/sdk:7.0", "dotnet 7 reached end of life on 2024-05-14"),
        ("mcr.microsoft.com/dotnet/aspnet:6.0-jammy", "dotnet 6 reached end of life on 2024-11-12"),
        ("mcr.microsoft.com/dotnet/runtime:8.0", "dotnet 8 reached end of life on 2026-11-10"),
        # Microsoft's old repository path, as public Dockerfiles still have it
        (
            "mcr.microsoft.com/dotnet/core/sdk:2.1",
            "dotnet 2 is older than the oldest dotnet line in the table (6, end of life 2024-11-12): end of life",
        ),
    ],
)
async def test_review_reports_end_of_life_when_the_registry_cannot_be_reached(
    hub: FakeHub, mode: str, reference: str, finding: str
) -> None:
    server = _with_registry(hub, _unreachable, date(2026, 11, 30), max_retries=0)
    async with Client(server, mode=mode) as c:
        review = await call(c, "review_base_images", reference=reference)
    line = review["from_lines"][0]
    assert line["verdict"] == "fail"
    assert finding in line["findings"], line["findings"]
    assert any("connect" in f.lower() or "reach" in f.lower() for f in line["findings"]), line["findings"]  # both facts


async def test_review_says_a_supported_dotnet_line_is_supported_without_the_registry(hub: FakeHub, mode: str) -> None:
    server = _with_registry(hub, _unreachable, date(2026, 11, 30), max_retries=0)
    async with Client(server, mode=mode) as c:
        review = await call(c, "review_base_images", reference="mcr.microsoft.com/dotnet/sdk:10.0")
    assert "dotnet 10 is supported until 2028-11-14" in review["from_lines"][0]["findings"]


@pytest.mark.parametrize(
    ("reference", "verdict", "findings"),
    [
        # no row in the end-of-life table: the repository's own state decides (centos:7 used to be 'ok')
        ("centos:7", "fail", ["centos is marked deprecated on Docker Hub", "no push to centos since 2021-09-16"]),
        ("someuser/legacy-scraper:1.0", "fail", ["marked deprecated on Docker Hub ('Old web scraper, no longer maintained')",
                                                  "no push to someuser/legacy-scraper since 2019-01-14"]),
        ("someuser/old-cli:2.1", "warn", ["no push to someuser/old-cli since 2024-05-02 (over a year)"]),
    ],
)
async def test_review_uses_the_repository_state_when_the_table_has_no_row(
    mode: str, reference: str, verdict: str, findings: list[str]
) -> None:
    hub = FakeHub(catalog_with_unmaintained(), enforce_rate_limit=False)
    server = create_server(make_settings(), hub_transport=httpx.ASGITransport(app=hub.app), today=TODAY)
    async with Client(server, mode=mode) as c:
        review = await call(c, "review_base_images", reference=reference)
    line = review["from_lines"][0]
    assert line["verdict"] == verdict, line
    for want in findings:
        assert any(want in f for f in line["findings"]), (want, line["findings"])


async def test_review_of_a_maintained_image_without_a_table_row_adds_no_state_finding(client: Client) -> None:
    review = await call(client, "review_base_images", reference="busybox:1.37")
    assert review["from_lines"][0]["verdict"] == "ok"
    findings = " ".join(review["from_lines"][0]["findings"])
    assert "deprecated" not in findings and "no push to" not in findings


# --- get_tag carries the review's lifecycle verdict ------------------------------------------

#: The words of each lifecycle finding in a review, by the verdict get_tag gives for it.
LIFECYCLE_FINDINGS = {
    "end_of_life": ("end of life",),
    "deprecated": ("deprecated",),
    "stale": ("stale:", "no longer rebuilt", "no longer gets rebuilds"),
    "unmaintained": ("no push to",),
}
DAY = re.compile(r"\d{4}-\d{2}-\d{2}")


@pytest.mark.parametrize(
    "reference",
    [
        "node:20",  # past its end of life (2026-04-30), still rebuilt
        "python:3.8",  # end of life and stale
        "openjdk:17",  # a deprecated repository (the table's and the README's notice), stale
        "ubuntu:18.04",  # a distro past its end of life (2023-05-31), no longer rebuilt
        "ubuntu:20.04",
        "ubuntu:focal",  # the same line by codename
        "python:3.12.7-slim",  # a supported line's old patch: stale only
        "centos:7",  # no table row: deprecated and unmaintained by what the repository says
        "someuser/old-cli:2.1",  # unmaintained only
        "python:3.13-slim",  # maintained and supported: no lifecycle finding at all
        "node:24",
    ],
)
async def test_get_tag_states_every_lifecycle_finding_the_review_gives(mode: str, reference: str) -> None:
    hub = FakeHub(catalog_with_unmaintained(), enforce_rate_limit=False)
    server = create_server(make_settings(), hub_transport=httpx.ASGITransport(app=hub.app), today=TODAY)
    async with Client(server, mode=mode) as c:
        review = await call(c, "review_base_images", reference=reference)
        info = await call(c, "get_tag", repository=reference)
    line = review["from_lines"][0]
    findings = [f for f in line["findings"] if not f.startswith(("exists", "'latest'"))]
    kinds = {kind for kind, words in LIFECYCLE_FINDINGS.items() if any(w in f for f in findings for w in words)}
    lifecycle = info.get("lifecycle")
    if line["verdict"] == "ok":
        assert not kinds and lifecycle is None, (findings, info)
        assert not any(w in info["message"] for words in LIFECYCLE_FINDINGS.values() for w in words), info["message"]
        return
    assert kinds and lifecycle is not None, (findings, info)
    stated = info["message"].lower()  # the sentence the model reads names every one
    for kind in kinds:
        assert any(w in stated for w in LIFECYCLE_FINDINGS[kind]), (kind, findings, stated)
    assert lifecycle["status"] == min(kinds, key=list(LIFECYCLE_FINDINGS).index)  # the worst first
    assert any(w in lifecycle["reason"] for w in LIFECYCLE_FINDINGS[lifecycle["status"]]), lifecycle
    if "end_of_life" in kinds:  # the same day, in the structured field and in the sentence the model reads
        days = {d for f in findings if "reached end of life" in f for d in DAY.findall(f.split("reached end of life")[1])}
        assert lifecycle["ended"] in days and lifecycle["ended"] in info["message"], (days, info)
    if "deprecated" in kinds:
        assert "deprecated" in info["message"]
    # never steered to a line the review would fail or warn about
    for newer in info.get("newer_on_line") or []:
        again = await _review_one(hub, mode, f"{reference.split(':')[0]}:{newer}")
        assert again["verdict"] == "ok", (newer, again)


async def _review_one(hub: FakeHub, mode: str, reference: str) -> dict[str, Any]:
    server = create_server(make_settings(), hub_transport=httpx.ASGITransport(app=hub.app), today=TODAY)
    async with Client(server, mode=mode) as c:
        review = await call(c, "review_base_images", reference=reference)
    line: dict[str, Any] = review["from_lines"][0]
    return line


async def test_get_tag_of_deprecated_openjdk_names_the_successors_and_steers_to_no_newer_openjdk(client: Client) -> None:
    info = await call(client, "get_tag", repository="openjdk:17")
    assert info["lifecycle"]["status"] == "deprecated"
    # the notice's own order (docker-library/docs openjdk/README.md)
    assert info["lifecycle"]["successors"] == [
        "amazoncorretto", "eclipse-temurin", "ibm-semeru-runtimes", "ibmjava", "sapmachine"
    ]  # fmt: skip
    assert "use amazoncorretto, eclipse-temurin" in info["message"]
    assert "newer_on_line" not in info and "18" not in info["message"]


async def test_get_tag_and_the_review_say_when_a_tag_or_its_alias_is_a_development_line(client: Client) -> None:
    """alpine:edge is a development line by its own name; python:3.15-rc by its name, and its alias
    3.15.0a1 too: get_tag and review_base_images both say so (suggest_base_images never offers them)."""
    edge = await call(client, "get_tag", repository="alpine:edge")
    assert edge["prerelease"] == "edge" and edge["lifecycle"]["status"] == "development"
    assert "development line, not for production" in edge["message"]
    release = await call(client, "get_tag", repository="python:3.14-slim")
    assert "prerelease" not in release and "lifecycle" not in release
    review = await call(client, "review_base_images", dockerfile="FROM alpine:edge\nFROM python:3.15-rc\n")
    for line in review["from_lines"]:
        assert line["verdict"] == "warn" and any("development line" in f for f in line["findings"]), line


async def test_a_development_line_asked_for_by_version_is_offered_with_a_warning(client: Client) -> None:
    result = await call(client, "suggest_base_images", runtime="python", version="3.15")
    assert result["candidates"] and all("rc" in c["reference"] or "a1" in c["reference"] for c in result["candidates"])
    assert all(any("development line" in w for w in c["warnings"]) for c in result["candidates"])
    assert result["message"].startswith("Warning: ") and "Only for testing, use FROM" in result["message"]


async def test_build_tools_are_names_in_any_case_and_nonsense_gets_one_sentence(client: Client) -> None:
    result = await call(client, "suggest_base_images", runtime="java", purpose="build", tools=["Maven"], version="21")
    assert result["candidates"] and result["candidates"][0]["repository"] == "maven"
    error = await fail(client, "suggest_base_images", runtime="java", purpose="build", tools=["maven; rm -rf /"])
    assert "tools are up to 3 build tool names" in error and "\n" not in error.strip()


async def test_review_checks_a_pinned_digest_against_the_tag(client: Client) -> None:
    """A digest python:3.12-slim does not point at is not called an older build (issue 17); a
    platform's digest is told apart from the multi-platform index."""
    tag = await call(client, "get_tag", repository="python", tag="3.12-slim")
    other = "sha256:" + "ab" * 32
    line = (await call(client, "review_base_images", reference=f"python:3.12-slim@{other}"))["from_lines"][0]
    assert line["verdict"] == "warn" and line["refresh"] == tag["pinned_reference"]
    assert "whether it was ever a build of 3.12-slim could not be verified" in " ".join(line["findings"])
    assert "older" not in " ".join(line["findings"])
    amd64 = next(p["digest"] for p in tag["platforms"] if p["platform"] == "linux/amd64")
    one = (await call(client, "review_base_images", reference=f"python:3.12-slim@{amd64}"))["from_lines"][0]
    assert "the pinned digest is 3.12-slim's linux/amd64 image, not its multi-platform index" in " ".join(one["findings"])
    same = (await call(client, "review_base_images", reference=f"python:3.12-slim@{tag['digest']}"))["from_lines"][0]
    assert not any("pinned digest" in finding for finding in same["findings"])
