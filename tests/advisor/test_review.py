"""The base-image review (hub_mcp.advisor.review) on its own, with a stub for the tag lookups.

The stub answers ``get_tag`` from a small table (anything else does not exist), so each test
states exactly which tags exist for which platforms. The Hub-backed review is tested through
MCP in tests/server/test_advisor_tools.py.
"""

from __future__ import annotations

import re
from datetime import date

import httpx
import pytest

from hub_mcp.hardened.service import HardenedImages
from hub_mcp.advisor.requests import ReviewRequest, build_args_tuple
from hub_mcp.advisor.review import DROP_IN, MAX_FROM_LINES, Reviewer
from hub_mcp.advisor.suggest import Advisor
from hub_mcp.answers.views import Candidate, FromLineReview, PlatformImage, Review, Suggestion, TagInfo
from hub_mcp.errors import InvalidInput
from hub_mcp.hub.auth import HubAuth
from hub_mcp.hub.client import HubClient
from hub_mcp.hub.service import HubService
from hub_mcp.net.http import HttpClient
from hub_mcp.services import Services
from hub_mcp.vocab import lifecycle
from tests.advisor.conftest import HUB
from tests.fakes.catalog import catalog_with_unmaintained
from tests.fakes.hub import FakeHub

TODAY = date(2026, 11, 26)
DIGEST = "sha256:" + "7959ed6f7e35f8b1aaa06d1d8259d4ee25aa85a086d5c125480c333183f9deeb"
AMD64_ARM64 = ("linux/amd64", "linux/arm64/v8")
ALL_NODE = ("linux/amd64", "linux/arm/v6", "linux/arm/v7", "linux/arm64/v8", "linux/s390x")

#: (repository as get_tag receives it, tag) -> platforms. Everything else does not exist.
TAGS: dict[tuple[str, str], tuple[str, ...]] = {
    ("debian", "latest"): AMD64_ARM64,
    ("debian", "jessie"): AMD64_ARM64,
    ("debian", "bookworm"): AMD64_ARM64,
    ("node", "24-alpine"): ("linux/amd64", "linux/arm64/v8", "linux/s390x"),
    ("node", "24"): ALL_NODE,
    ("golang", "1.9.3-alpine3.7"): AMD64_ARM64,
    ("alpine", "3.7"): AMD64_ARM64,
    ("alpine", "3.20"): AMD64_ARM64,
    ("ruby", "2"): AMD64_ARM64,
    ("ghcr.io/astral-sh/uv", "0.4.15"): AMD64_ARM64,
    ("busybox", "1.36"): ALL_NODE,
}


class StubServices:
    def __init__(self) -> None:
        self.asked: list[tuple[str, str]] = []

    async def get_tag(self, repository: str, tag: str, *, hardened: bool = True) -> TagInfo:
        """A pinned line asks for ``tag@digest``: every tag here points at DIGEST (the rule for
        real answers, with platform digests, is HubService.check_digest: tests/server/test_tools.py)."""
        tag, _, digest = tag.partition("@")
        self.asked.append((repository, tag))
        platforms = TAGS.get((repository, tag))
        if platforms is None:
            return TagInfo(repository=repository, tag=tag, exists=False, message="does not exist")
        return TagInfo(
            repository=repository,
            tag=tag,
            exists=True,
            digest=DIGEST,
            last_pushed="2026-11-20",
            platforms=[PlatformImage(platform=p) for p in platforms],
            digest_matches=digest == DIGEST if digest else None,
            message="exists",
        )


class StubAdvisor:
    hardened = HardenedImages(today=lambda: TODAY)  # the bundled table only: nothing is checked live here

    async def suggest(self, request: object) -> Suggestion:
        return Suggestion(request="", candidates=[], message="nothing")


async def review(
    dockerfile: str | None = None,
    *,
    reference: str | None = None,
    platforms: tuple[str, ...] = (),
    build_args: dict[str, str] | None = None,
    services: StubServices | None = None,
) -> Review:
    request = ReviewRequest(
        dockerfile=dockerfile,
        reference=reference,
        platforms=platforms,
        build_args=build_args_tuple(build_args),
    )
    reviewer = Reviewer(services or StubServices(), StubAdvisor(), TODAY)  # type: ignore[arg-type]
    return await reviewer.review(request)


def latest_warned(result: Review) -> list[bool]:
    return [any("'latest'" in f or "no tag" in f for f in r.findings) for r in result.from_lines]


# --------------------------------------------------------------------------------------
# hadolint DL3006 ("Always tag the version of an image explicitly") and DL3007 ("Using
# latest is prone to errors"): the cases of hadolint/hadolint test/Hadolint/Rule/DL3006Spec.hs
# (commit 40b19f79246186df473c7ecdc713f24ec48f2df9) and DL3007Spec.hs (commit
# 414149198b165579040845825a3cd5377e48e763). hadolint's "catches" is our "'latest'/no tag"
# finding on that line. DL3006's "FROM ${VALUE}" has no value here, so the line is reported
# as unresolved and gets no tag finding either.
# --------------------------------------------------------------------------------------

HADOLINT_TAG_CASES: list[tuple[str, str, list[bool]]] = [
    ("DL3006 no untagged", "FROM debian", [True]),
    ("DL3006 no untagged with name", "FROM debian AS builder", [True]),
    ("DL3006 untagged digest is not an error", "FROM ruby@sha256:" + "f1dbca0f5dbc9" + "0" * 51, [False]),
    ("DL3006 tagged is not an error", "FROM ruby:2", [False]),
    ("DL3006 using args is not an error", "FROM ${VALUE}", [False]),
    ("DL3006 local aliases are OK to be untagged",
     "FROM golang:1.9.3-alpine3.7 AS build\nRUN foo\nFROM build as unit-test\nRUN bar\n"
     "FROM alpine:3.7\nRUN baz\n", [False, False, False]),
    ("DL3006 other untagged cases are not ok",
     "FROM golang:1.9.3-alpine3.7 AS build\nRUN foo\nFROM node as unit-test\nRUN bar\n"
     "FROM alpine:3.7\nRUN baz\n", [False, True, False]),
    ("DL3006 scratch", "FROM scratch", [False]),
    ("DL3007 explicit latest", "FROM debian:latest", [True]),
    ("DL3007 explicit latest with name", "FROM debian:latest AS builder", [True]),
    ("DL3007 explicit tagged", "FROM debian:jessie", [False]),
    ("DL3007 explicit SHA", f"FROM hub.docker.io/debian@{DIGEST}", [False]),
    ("DL3007 explicit tagged with name", "FROM debian:jessie AS builder", [False]),
    # The reviewer's case: latest pinned by digest is pinned.
    ("latest pinned by digest", f"FROM debian:latest@{DIGEST}", [False]),
]  # fmt: skip


@pytest.mark.parametrize(
    ("dockerfile", "expected"),
    [case[1:] for case in HADOLINT_TAG_CASES],
    ids=[case[0] for case in HADOLINT_TAG_CASES],
)
async def test_hadolint_tag_rules(dockerfile: str, expected: list[bool]) -> None:
    assert latest_warned(await review(dockerfile)) == expected


async def test_latest_pinned_by_digest_is_ok_and_unpinned_latest_warns() -> None:
    pinned = (await review(reference=f"debian:latest@{DIGEST}")).from_lines[0]
    assert pinned.verdict == "ok", pinned.findings
    moving = (await review(reference="debian:latest")).from_lines[0]
    assert moving.verdict == "warn" and "'latest' moves" in moving.findings[0]


async def test_a_pinned_digest_the_tag_does_not_point_at_is_not_called_an_older_build() -> None:
    """Issue 17: the review said "an older build of this tag" of any digest the tag did not point
    at, a digest it never saw; the tag's past digests cannot be read, so it says so."""
    other = "sha256:" + "ab" * 32
    line = (await review(reference=f"debian:bookworm@{other}")).from_lines[0]
    assert line.verdict == "warn" and line.refresh == f"debian:bookworm@{DIGEST}"
    assert (
        "the pinned digest is not the one bookworm points at now, and whether it was ever a build of bookworm"
        " could not be verified: refresh it"
    ) in line.findings
    assert not any("older" in finding for finding in line.findings)
    current = (await review(reference=f"debian:bookworm@{DIGEST}")).from_lines[0]
    assert current.verdict == "ok" and not any("digest" in finding for finding in current.findings)


# --------------------------------------------------------------------------------------
# reference: one image, one line
# --------------------------------------------------------------------------------------


@pytest.mark.parametrize("separator", ["\n", "\r\n", "\r", "\u2028", "\x85"])
async def test_a_reference_with_a_line_break_is_refused(separator: str) -> None:
    services = StubServices()
    with pytest.raises(InvalidInput, match=r"reference must be one image reference on one line.*send only"):
        await review(reference=f"alpine:3.20{separator}FROM debian:latest", services=services)
    assert services.asked == []  # nothing was looked up, not even the first line


# --------------------------------------------------------------------------------------
# FROM --platform: a platform to check for that line
# --------------------------------------------------------------------------------------


def findings_of(result: Review, line: int = 1) -> tuple[str, list[str]]:
    reviewed = next(r for r in result.from_lines if r.line == line)
    return reviewed.verdict, reviewed.findings


async def test_the_lines_platform_is_checked_without_asked_platforms() -> None:
    # node:24-alpine has no linux/arm/v7 image.
    verdict, findings = findings_of(await review("FROM --platform=linux/arm/v7 node:24-alpine\n"))
    assert verdict == "fail"
    assert findings[0] == "no image for linux/arm/v7 (the line's --platform)"
    verdict, findings = findings_of(await review("FROM --platform=linux/arm/v7 node:24\n"))
    assert verdict == "ok", findings


async def test_the_lines_platform_is_checked_besides_the_asked_ones() -> None:
    result = await review("FROM --platform=linux/arm/v7 node:24-alpine\n", platforms=("linux/riscv64",))
    verdict, findings = findings_of(result)
    assert verdict == "fail"
    assert findings[0] == "no image for linux/riscv64, linux/arm/v7 (the line's --platform)"


async def test_a_platform_both_asked_and_on_the_line_is_named_once() -> None:
    result = await review("FROM --platform=linux/arm/v7 node:24-alpine\n", platforms=("linux/arm/v7",))
    verdict, findings = findings_of(result)
    assert verdict == "fail" and findings[0] == "no image for linux/arm/v7"


@pytest.mark.parametrize("flag", ["$BUILDPLATFORM", "${BUILDPLATFORM}", "$TARGETPLATFORM", "${TARGETPLATFORM}"])
async def test_build_and_target_platform_mean_the_asked_platforms(flag: str) -> None:
    text = f"FROM --platform={flag} node:24-alpine\n"
    verdict, findings = findings_of(await review(text, platforms=("linux/arm/v7",)))
    assert verdict == "fail" and findings[0] == "no image for linux/arm/v7"
    verdict, findings = findings_of(await review(text, platforms=("linux/arm64",)))
    assert verdict == "ok" and not any("could not be checked" in f for f in findings)
    # None asked: said, not guessed (no linux/amd64 assumed).
    verdict, findings = findings_of(await review(text))
    assert verdict == "ok"
    assert f"--platform={flag}: the platform could not be checked; pass platforms (the ones you build for)" in findings


async def test_a_platform_with_an_unknown_build_arg_is_not_checked() -> None:
    text = "ARG ARCH\nFROM --platform=linux/${ARCH} node:24-alpine\n"
    verdict, findings = findings_of(await review(text, platforms=("linux/amd64",)), line=2)
    assert verdict == "ok"
    assert any(f.startswith("--platform=linux/${ARCH} uses ${ARCH} without a value") for f in findings)
    verdict, findings = findings_of(await review(text, build_args={"ARCH": "arm/v7"}), line=2)
    assert verdict == "fail" and findings[0] == "no image for linux/arm/v7 (the line's --platform)"


# hadolint DL3029 ("Do not use --platform flag with FROM"), hadolint/hadolint
# test/Hadolint/Rule/DL3029Spec.hs (commit 414149198b165579040845825a3cd5377e48e763): its two
# cases, "FROM --platform=linux debian:jessie" and "FROM debian:jessie". We do not forbid the
# flag; what applies is how it is read: "linux" alone names no architecture (Docker takes the
# build machine's), so it cannot be checked, and a line without the flag has no platform note.
async def test_hadolint_dl3029_platform_flag_cases() -> None:
    # (jessie itself is long past end of life, which the review says too: the verdict is fail)
    verdict, findings = findings_of(await review("FROM --platform=linux debian:jessie\n"))
    assert any(f.startswith("--platform=linux names no architecture") for f in findings)
    assert verdict == "fail" and any("jessie" in f and "end of life" in f for f in findings)
    verdict, findings = findings_of(await review("FROM debian:jessie\n"))
    assert not any("--platform" in f for f in findings)


async def test_a_platform_docker_cannot_pull_fails_the_line() -> None:
    verdict, findings = findings_of(await review("FROM --platform=linux/sparc64 debian:jessie\n"))
    assert verdict == "fail" and findings[0].startswith("--platform=linux/sparc64 is not a platform")


# --------------------------------------------------------------------------------------
# Images used by COPY --from and RUN --mount
# --------------------------------------------------------------------------------------

UV_DOCKERFILE = """FROM python:3.12-slim AS build
COPY --from=ghcr.io/astral-sh/uv:0.4.15 /uv /bin/uv
COPY --from=ghcr.io/astral-sh/uv:0.4.99 /uvx /bin/uvx
RUN --mount=type=bind,from=busybox:1.36,source=/bin,target=/bb true
RUN --mount=type=cache,target=/root/.cache,from=build true
FROM debian:bookworm
COPY --from=build /app /app
COPY --from=0 /w /w
"""


async def test_copy_from_and_run_mount_images_are_reviewed_and_marked() -> None:
    services = StubServices()
    result = await review(UV_DOCKERFILE, services=services)
    rows = [(r.line, r.instruction, r.resolved, r.verdict) for r in result.from_lines]
    assert rows == [
        (1, None, "python:3.12-slim", "fail"),  # not in the stub: does not exist
        (2, "COPY --from", "ghcr.io/astral-sh/uv:0.4.15", "ok"),
        (3, "COPY --from", "ghcr.io/astral-sh/uv:0.4.99", "fail"),
        (4, "RUN --mount", "busybox:1.36", "ok"),
        (6, None, "debian:bookworm", "ok"),
    ]
    assert ("ghcr.io/astral-sh/uv", "0.4.15") in services.asked
    assert not any(name in ("build", "0") for name, _ in services.asked)  # stages are not images
    assert "does not exist" in result.from_lines[2].findings[0]


async def test_copy_from_images_are_checked_for_the_asked_platforms() -> None:
    text = "FROM node:24\nCOPY --from=node:24-alpine /usr/local/bin/node /n\n"
    result = await review(text, platforms=("linux/arm/v7",))
    assert [(r.instruction, r.verdict) for r in result.from_lines] == [(None, "ok"), ("COPY --from", "fail")]
    assert result.from_lines[1].findings[0] == "no image for linux/arm/v7"


# --------------------------------------------------------------------------------------
# The cap counts distinct images only, and names the ones left out
# --------------------------------------------------------------------------------------


def many_images(count: int) -> str:
    """A moby-like file: many stage references and scratch stages, then `count` images."""
    lines = ["FROM alpine:3.20 AS base"]
    for i in range(40):
        lines += [f"FROM base AS s{i}", f"FROM scratch AS empty{i}"]
    lines += ["FROM alpine:3.20 AS again"]  # the same image again costs nothing more
    lines += [f"FROM busybox:1.{i} AS b{i}" for i in range(count)]
    return "\n".join(lines) + "\n"


async def test_stage_references_and_scratch_do_not_use_up_the_cap() -> None:
    services = StubServices()
    result = await review(many_images(MAX_FROM_LINES - 1), services=services)
    assert result.notes is None or not any("distinct images" in n for n in result.notes)
    reviewed = {r.resolved for r in result.from_lines if r.verdict != "skipped"}
    assert reviewed == {"alpine:3.20", *(f"busybox:1.{i}" for i in range(MAX_FROM_LINES - 1))}
    assert sum(1 for r in result.from_lines if r.verdict == "skipped") == 80


async def test_images_over_the_cap_are_named_in_notes() -> None:
    services = StubServices()
    result = await review(many_images(MAX_FROM_LINES + 2), services=services)
    checked = {r.resolved for r in result.from_lines if r.verdict != "skipped"}
    assert len(checked) == MAX_FROM_LINES
    left = [f"busybox:1.{i}" for i in (MAX_FROM_LINES - 1, MAX_FROM_LINES, MAX_FROM_LINES + 1)]
    assert not checked & set(left)
    assert {f"{name}:{tag}" for name, tag in services.asked} == checked  # nothing left out was looked up
    note = next(n for n in result.notes or [] if "distinct images" in n)
    assert "3 more were not" in note
    for name in left:
        assert name in note
    first_left_line = 1 + 80 + 1 + MAX_FROM_LINES  # base, 40 x 2 stage lines, again, 19 checked busyboxes
    assert f"line {first_left_line} busybox:1.{MAX_FROM_LINES - 1}" in note


# --------------------------------------------------------------------------------------
# Upgrades against the fake Hub, with the real advisor: a line that must be left (end of
# life, deprecated) gets the same major on a maintained image when there is one (the
# drop-in), else the line the maintainers tag 'lts' / 'stable' / 'latest'; never an older,
# interim, development or end-of-life line; and when there is none, the review says so.
# The expected lines are read from the fake catalog's channel tags and the lifecycle table.
# --------------------------------------------------------------------------------------

UPGRADE_STEP = re.compile(r"(?:^|; bigger step: )(?P<reference>\S+):(?P<tag>\S+) \((?P<label>[^;)]+)")


async def hub_reviewed(hub: FakeHub, reference: str) -> Review:
    """The review of one reference with the real services and advisor on the fake Hub."""
    async with HttpClient(transport=httpx.ASGITransport(app=hub.app)) as http:
        client = HubClient(http, HUB, HubAuth(http, HUB, None, None))
        advisor = Advisor(client, today=lambda: TODAY)
        hub_service = HubService(client, today=lambda: TODAY)
        services = Services(hub=hub_service, registry=None, advisor=advisor, facts=None)  # type: ignore[arg-type]
        return await Reviewer(services, advisor, TODAY).review(ReviewRequest(reference=reference))


async def hub_review(hub: FakeHub, reference: str) -> FromLineReview:
    return (await hub_reviewed(hub, reference)).from_lines[0]


def channel_line(hub: FakeHub, repository: str, channel: str) -> str:
    """The major.minor tag (``24.04``, ``1.37``) that shares its digest with the channel tag in the fake catalog."""
    repo = hub.catalog.get("library", repository)
    assert repo is not None
    aliased = repo.tag(channel)
    assert aliased is not None
    versions = [t.name for t in repo.tags if t.digest == aliased.digest and re.fullmatch(r"\d+(?:\.\d+)?", t.name)]
    return max(versions, key=lambda name: name.count("."))  # "1.37" rather than "1"


def numbers(version: str) -> tuple[int, ...]:
    return tuple(int(n) for n in version.split("."))


def steps(upgrade: str | None) -> list[tuple[str, str, str]]:
    return [(m["reference"], m["tag"], m["label"]) for m in UPGRADE_STEP.finditer(upgrade or "")]


def support_line(runtime: str, tag_or_version: str) -> tuple[int, ...]:
    """The support line of a tag (``22-trixie-slim`` -> (22,), ``24.11`` -> (24,) for node)."""
    precision = lifecycle.line_precision(runtime)
    assert precision is not None
    return numbers(tag_or_version.split("-")[0])[:precision]


@pytest.mark.parametrize("reference", ["ubuntu:20.04", "ubuntu:focal-20250404", "ubuntu:18.04", "ubuntu:bionic"])
async def test_an_old_ubuntu_lts_is_offered_the_current_lts_line(hub: FakeHub, reference: str) -> None:
    # 20.04 exists (past end of life), focal-20250404 is its dated build (its line is 20.04, not the
    # date), 18.04/bionic are gone from the catalog: each must leave for the line tagged 'latest'
    line = await hub_review(hub, reference)
    assert line.verdict == "fail", line.findings
    latest = channel_line(hub, "ubuntu", "latest")
    row = lifecycle.support_for("ubuntu", numbers(latest))
    assert row is not None and row.lts and row.is_supported(TODAY)  # the catalog's 'latest' is a supported LTS
    assert steps(line.upgrade) == [("ubuntu", latest, "the maintainers' 'latest' line")], line.upgrade
    assert not any(f.startswith("no upgrade") for f in line.findings)


async def test_an_interim_line_gets_no_older_lts_and_no_interim_and_says_so(hub: FakeHub) -> None:
    # ubuntu 25.04 is an interim past end of life; the catalog's LTS ('latest') is older than it
    # and its newer lines are interim: nothing is fit to offer
    latest = channel_line(hub, "ubuntu", "latest")
    assert numbers(latest) < (25, 4)
    line = await hub_review(hub, "ubuntu:25.04")
    assert line.verdict == "fail"
    assert line.upgrade is None
    assert "no upgrade: no maintained ubuntu line newer than 25.04 was found" in line.findings


async def test_a_line_with_a_drop_in_keeps_it_and_the_lts_line_is_the_bigger_step(hub: FakeHub) -> None:
    # node 22 is still supported but bullseye is past end of life (and gone): the same major first
    assert lifecycle.support_for("node", (22,)) is not None
    line = await hub_review(hub, "node:22-bullseye")
    assert line.verdict == "fail"
    lts = support_line("node", channel_line(hub, "node", "lts"))
    assert [(repo, support_line("node", tag), label) for repo, tag, label in steps(line.upgrade)] == [
        ("node", (22,), DROP_IN),
        ("node", lts, "the maintainers' 'lts' line"),
    ], line.upgrade


async def test_an_end_of_life_line_without_a_drop_in_gets_the_lts_line_alone(hub: FakeHub) -> None:
    # node 20 is past end of life, so there is no same-major drop-in: the 'lts' line is the only step
    line = await hub_review(hub, "node:20")
    assert line.verdict == "fail"
    assert [(repo, support_line("node", tag), label) for repo, tag, label in steps(line.upgrade)] == [
        ("node", support_line("node", channel_line(hub, "node", "lts")), "the maintainers' 'lts' line")
    ], line.upgrade


async def test_a_stale_line_without_a_lifecycle_table_gets_the_channel_line(hub: FakeHub) -> None:
    # busybox has no end-of-life rows; its 1.36 line is no longer rebuilt, its maintainers tag 1.37 'stable'
    assert lifecycle.runtime_name_for_repository("busybox") is None
    line = await hub_review(hub, "busybox:1.36")
    assert line.verdict == "warn" and any(f.startswith("stale") for f in line.findings), line.findings
    stable = channel_line(hub, "busybox", "stable")
    assert [(repo, tag.split("-")[0], label) for repo, tag, label in steps(line.upgrade)] == [
        ("busybox", stable, "the maintainers' 'stable' line")
    ], line.upgrade


async def test_an_image_with_no_maintained_line_gets_no_upgrade_and_says_so() -> None:
    # centos: deprecated on Hub, last pushed 2021; the advisor has nothing to offer for it
    hub = FakeHub(catalog_with_unmaintained(), enforce_rate_limit=False)
    review = await hub_reviewed(hub, "centos:7")
    line = review.from_lines[0]
    assert line.verdict == "fail"
    assert line.upgrade is None
    assert line.findings[-1] == "no upgrade: no maintained centos line newer than 7 was found"
    assert review.summary.endswith("; no maintained line to upgrade to."), review.summary


async def test_a_line_that_only_needs_a_tag_gets_no_no_upgrade_note(hub: FakeHub) -> None:
    # 'latest' warns (it moves) but the line itself is maintained: nothing to say about upgrades
    line = await hub_review(hub, "ubuntu:latest")
    assert line.verdict == "warn"
    assert not any(f.startswith("no upgrade") for f in line.findings)


class ListingAdvisor:
    """An advisor that answers every request with the same candidates, best first."""

    hardened = HardenedImages(today=lambda: TODAY)

    def __init__(self, candidates: list[Candidate]) -> None:
        self.candidates = candidates

    async def suggest(self, request: object) -> Suggestion:
        return Suggestion(request="", candidates=self.candidates, message="")


def ubuntu_candidate(rank: int, tag: str, aliases: list[str], support_ends: str | None) -> Candidate:
    return Candidate(
        rank=rank, reference=f"ubuntu:{tag}", aliases=aliases, repository="ubuntu",
        version=tag if tag[0].isdigit() else None, trust="official", platforms=["linux/amd64"],
        support_ends=support_ends, score=10 - rank, benefits=[],
    )


async def test_the_upgrade_is_the_first_fit_candidate_not_only_the_top_one() -> None:
    # the advisor's first candidates are an interim line, an older LTS, a development tag and a line
    # whose end of life has passed; the fifth, the 'latest' LTS, is the one to offer
    candidates = [
        ubuntu_candidate(1, "26.10", ["stonking", "rolling"], "2027-07-15"),
        ubuntu_candidate(2, "18.04", ["bionic"], "2023-05-31"),
        ubuntu_candidate(3, "devel", ["27.04"], None),
        ubuntu_candidate(4, "22.04", ["jammy"], "2026-01-01"),
        ubuntu_candidate(5, "26.04", ["resolute", "latest"], "2031-04-30"),
    ]
    reviewer = Reviewer(StubServices(), ListingAdvisor(candidates), TODAY)  # type: ignore[arg-type]
    line = (await reviewer.review(ReviewRequest(reference="ubuntu:20.04"))).from_lines[0]
    assert line.verdict == "fail"
    assert steps(line.upgrade) == [("ubuntu", "26.04", "the maintainers' 'latest' line")], line.upgrade
    unfit = Reviewer(StubServices(), ListingAdvisor(candidates[:4]), TODAY)  # type: ignore[arg-type]
    line = (await unfit.review(ReviewRequest(reference="ubuntu:20.04"))).from_lines[0]
    assert line.upgrade is None and "no upgrade: no maintained ubuntu line newer than 20.04 was found" in line.findings
