"""The advisor on its own (no MCP), against the fake Hub, judged on a fixed date.

Every suggestion is checked against the fake catalog itself: the reference and its aliases
exist, share the digest, and have every asked platform.
"""

from __future__ import annotations

import httpx
import pytest

from hub_mcp.advisor.suggest import Advisor, SuggestRequest, VersionConstraint
from hub_mcp.answers.views import Suggestion
from hub_mcp.errors import InvalidInput
from hub_mcp.hub.auth import HubAuth
from hub_mcp.hub.client import HubClient
from hub_mcp.net.http import HttpClient
from hub_mcp.vocab.references import ImageReference, Platform
from tests.advisor.conftest import HUB, TODAY
from tests.fakes.catalog import catalog_with_unmaintained
from tests.fakes.hub import FakeHub


def assert_valid(hub: FakeHub, suggestion: Suggestion, platforms: list[str]) -> None:
    """Independently of the advisor: every reference and alias exists with every asked platform."""
    wanted = [Platform.parse(p) for p in platforms]
    for candidate in suggestion.candidates:
        ref = ImageReference.parse(candidate.reference)
        repo = hub.catalog.get(ref.namespace, ref.name)
        assert repo is not None, candidate.reference
        for name in [ref.tag, *(candidate.aliases or [])]:
            tag = repo.tag(name)
            assert tag is not None, f"{ref.familiar_name}:{name} does not exist"
            have = [Platform.from_parts(i.os, i.architecture, i.variant) for i in tag.platform_images]
            assert all(any(w.matches(h) for h in have) for w in wanted), f"{name} lacks a platform"
            if candidate.pinned_reference:
                assert candidate.pinned_reference.endswith(tag.digest)  # aliases are the same image


async def test_default_python_is_the_newest_supported_slim(hub: FakeHub, advisor: Advisor) -> None:
    result = await advisor.suggest(SuggestRequest(runtime="python"))
    assert result.candidates[0].reference == "python:3.14-slim-trixie"
    assert_valid(hub, result, ["linux/amd64"])
    versions = {c.version.split(".")[1] for c in result.candidates if c.version}
    assert not versions & {"8", "9", "10"}  # all past end of life on TODAY
    eol = {r.reference.split(":")[1].split("-")[0] for r in result.rejected or [] if r.reason == "end_of_life"}
    assert {"3.8", "3.9", "3.10"} <= eol
    top = result.candidates[0]
    texts = [b.text for b in top.benefits]
    assert any("MB compressed on linux/amd64" in t for t in texts)
    assert top.support_ends and any(top.support_ends in t for t in texts)  # each benefit cites a value
    assert any("the maintainers' 'latest' line" in t for t in texts)
    # the points are the score's parts: the signals the ranking weighs add up to it (popularity gives no benefit)
    points = sum(b.points or 0 for b in top.benefits)
    assert 0 < points <= top.score + 0.05
    assert "FROM python:3.14-slim-trixie" in result.message


async def test_version_and_platforms_are_hard_filters(hub: FakeHub, advisor: Advisor) -> None:
    platforms = ["linux/amd64", "linux/arm64"]
    result = await advisor.suggest(SuggestRequest(runtime="python", version="3.12", platforms=tuple(platforms)))
    assert result.candidates and all(c.version.startswith("3.12.") for c in result.candidates)
    assert_valid(hub, result, platforms)
    assert not any(c.reference.startswith("python:3.12.7") for c in result.candidates)  # frozen patch builds


async def test_pinned_end_of_life_version_is_kept_with_warning_and_upgrade_path(advisor: Advisor) -> None:
    result = await advisor.suggest(SuggestRequest(runtime="python", version="3.8"))
    pinned, upgrade, *others = result.candidates
    assert pinned.version.startswith("3.8") and all(c.version.startswith("3.8") for c in others)
    warnings = " ".join(pinned.warnings or [])
    assert "end of life on 2024-10-07" in warnings
    assert "upgrade path: python 3.14 (python:3.14-slim-trixie)" in warnings
    assert upgrade.reference == "python:3.14-slim-trixie" and upgrade.benefits[0].text.startswith("upgrade path")


@pytest.mark.parametrize("version", ["2.7", "2"])
async def test_version_older_than_the_table_is_end_of_life_when_pinned(advisor: Advisor, version: str) -> None:
    # python 2.7 predates the table's oldest python row (3.7): it used to come back as a plain
    # "Use FROM python:2.7-slim-buster" with no warning at all
    result = await advisor.suggest(SuggestRequest(runtime="python", version=version))
    pinned, upgrade, *_ = result.candidates
    assert pinned.version.startswith("2.7")
    warnings = " ".join(pinned.warnings or [])
    assert "python 2.7 is older than the oldest python line in the table (3.7, end of life 2023-06-27)" in warnings
    assert "its distro buster reached end of life on 2024-06-30" in warnings  # Debian 10's LTS end
    assert "upgrade path: python 3.14 (python:3.14-slim-trixie)" in warnings
    assert upgrade.reference == "python:3.14-slim-trixie"
    assert result.message.startswith("Warning: python 2.7 is older than the oldest python line")
    assert "Plan the move: upgrade path: python 3.14" in result.message


async def test_version_older_than_the_table_is_rejected_when_not_pinned(advisor: Advisor) -> None:
    result = await advisor.suggest(SuggestRequest(runtime="python", version=">=2.7,<3.13", limit=10))
    assert result.candidates and not any(c.version.startswith("2.") for c in result.candidates)
    eol = [r for r in result.rejected or [] if r.reason == "end_of_life" and r.reference.startswith("python:2")]
    assert eol and "older than the oldest python line in the table" in eol[0].detail


async def test_ubuntu_lts_and_ended_interims(hub: FakeHub, advisor: Advisor) -> None:
    # lts used to match nothing for ubuntu (its rows had lts: null), and 25.10 (ended July 2026) was suggested
    lts = await advisor.suggest(SuggestRequest(image="ubuntu", version="lts", limit=5))
    assert [c.reference for c in lts.candidates] == ["ubuntu:24.04", "ubuntu:22.04"]
    assert_valid(hub, lts, ["linux/amd64"])
    any_line = await advisor.suggest(SuggestRequest(image="ubuntu", limit=5))
    assert not any(c.reference.startswith("ubuntu:25.") for c in any_line.candidates)
    ended = {r.reference: r.detail for r in any_line.rejected or [] if r.reason == "end_of_life"}
    assert ended.get("ubuntu:25.10") == "ubuntu 25.10 reached end of life on 2026-07-09 (an estimated date)"  # the table marks the day approximate


@pytest.mark.parametrize(
    ("image", "reason", "detail"),
    [
        ("centos", "deprecated_repository", "DEPRECATED; The official build of CentOS."),
        ("someuser/old-cli", "stale", "no push to someuser/old-cli since 2024-05-02 (over a year)"),
    ],
)
async def test_unmaintained_repository_without_table_rows_is_rejected(image: str, reason: str, detail: str) -> None:
    # no end-of-life rows for these: the repository's own state decides (centos:7 used to be suggested)
    hub = FakeHub(catalog_with_unmaintained(), enforce_rate_limit=False)
    async with HttpClient(transport=httpx.ASGITransport(app=hub.app)) as http:
        advisor = Advisor(HubClient(http, HUB, HubAuth(http, HUB, None, None)), today=lambda: TODAY)
        result = await advisor.suggest(SuggestRequest(image=image))
    assert result.candidates == []
    first = (result.rejected or [])[0]
    assert (first.reference, first.reason) == (image, reason) and first.detail.startswith(detail)
    assert result.message.startswith(f"No image to suggest: {image} is not maintained")
    assert "search_images" in result.message
    assert not any(r.reason == "os_mismatch" for r in result.rejected or [])


async def test_nonexistent_version_is_an_empty_answer_with_the_reason(advisor: Advisor) -> None:
    result = await advisor.suggest(SuggestRequest(runtime="python", version="3.99"))
    assert result.candidates == []
    assert result.rejected and result.rejected[0].reason == "not_found"
    assert "newest supported is python 3.14" in result.rejected[0].detail
    assert result.message.startswith("No image to suggest")


async def test_removed_repository_is_rejected_and_replaced(hub: FakeHub, advisor: Advisor) -> None:
    result = await advisor.suggest(SuggestRequest(image="openjdk", version="17"))
    assert [r.reason for r in result.rejected or []][:1] == ["deprecated_repository"]
    assert result.candidates[0].reference == "eclipse-temurin:17-jre-noble"
    assert_valid(hub, result, ["linux/amd64"])


@pytest.mark.parametrize(
    ("purpose", "expected", "unwanted"),
    [("runtime", "jre", "jdk"), ("build", "jdk", "jre")],
)
async def test_java_purpose_picks_jre_or_jdk(advisor: Advisor, purpose: str, expected: str, unwanted: str) -> None:
    result = await advisor.suggest(SuggestRequest(runtime="java", version="21", purpose=purpose))  # type: ignore[arg-type]
    top = result.candidates[0]
    tags = [top.reference, *(top.aliases or [])]
    assert any(expected in t for t in tags) and not any(unwanted in t for t in tags)


async def test_windows_request_gets_windows_images_only(hub: FakeHub, advisor: Advisor) -> None:
    result = await advisor.suggest(SuggestRequest(runtime="python", os="windows"))
    assert result.candidates and all(c.platforms == ["windows/amd64"] for c in result.candidates)
    assert_valid(hub, result, ["windows/amd64"])


async def test_runtime_without_windows_images_says_so(advisor: Advisor) -> None:
    result = await advisor.suggest(SuggestRequest(runtime="node", os="windows"))
    assert result.candidates == [] and result.rejected
    assert result.rejected[0].reason == "os_mismatch" and "node has no windows images" in result.rejected[0].detail
    assert "node has no windows images" in result.message


async def test_riscv64_only_where_built(hub: FakeHub, advisor: Advisor) -> None:
    result = await advisor.suggest(SuggestRequest(runtime="python", platforms=("linux/riscv64",)))
    assert result.candidates
    assert_valid(hub, result, ["linux/riscv64"])
    assert any(r.reason == "platform_missing" for r in result.rejected or [])


async def test_priorities_move_alpine(advisor: Advisor) -> None:
    compatible = await advisor.suggest(SuggestRequest(runtime="python", priorities=("compatible",), limit=3))
    assert all(c.libc != "musl" for c in compatible.candidates)
    small = await advisor.suggest(SuggestRequest(runtime="python", priorities=("small",), limit=3))
    assert any(c.libc == "musl" for c in small.candidates)
    musl = await advisor.suggest(SuggestRequest(runtime="python", libc="musl"))
    assert musl.candidates and all(c.libc == "musl" for c in musl.candidates)
    assert any("musl" in w for w in musl.candidates[0].warnings or [])


async def test_compiled_language_runtime_stage_is_a_small_os_image(advisor: Advisor) -> None:
    result = await advisor.suggest(SuggestRequest(runtime="go"))
    assert result.candidates and all(c.repository in ("alpine", "debian", "busybox") for c in result.candidates)
    assert any("static binary" in n for n in result.notes or [])


async def test_a_go_runtime_stage_can_make_tls_calls_or_says_what_is_missing(advisor: Advisor) -> None:
    """A Go program calls TLS endpoints: an image without CA certificates (busybox, debian) is
    ranked below one that has them and says how to add them; busybox's uclibc is no glibc."""
    result = await advisor.suggest(SuggestRequest(runtime="go", platforms=("linux/amd64", "linux/arm64")))
    top = result.candidates[0]
    assert top.repository == "alpine" and not any("CA certificates" in w for w in top.warnings or [])
    lacking = [c for c in result.candidates if c.repository in ("busybox", "debian")]
    assert lacking and all(any("no CA certificates" in w for w in c.warnings or []) for c in lacking)
    assert all(c.score < top.score for c in lacking)
    assert {c.libc for c in result.candidates if c.reference.endswith("-uclibc")} <= {"uclibc"}
    glibc = await advisor.suggest(SuggestRequest(runtime="go", libc="glibc", limit=10))
    assert glibc.candidates and all(c.libc == "glibc" for c in glibc.candidates)  # unknown is not taken for glibc


async def test_what_an_os_image_ships_is_data_the_other_reading_warns_on_alpine_too(
    advisor: Advisor, monkeypatch: pytest.MonkeyPatch
) -> None:
    """That alpine's image carries CA certificates is an ASSUMPTION (runtimes.py says so; issue 18's
    SBOMs will make it a fact per image). Under the other reading, the same mechanism (the stage's
    needs minus the family's ``ships``) warns on alpine as on debian, and nothing ranks alpine first
    for having them: no image name is special-cased."""
    from dataclasses import replace

    from hub_mcp.advisor import runtimes

    bare = tuple(replace(spec, ships=frozenset()) if spec.name == "alpine" else spec for spec in runtimes._SPECS)
    monkeypatch.setattr(runtimes, "_SPECS", bare)
    result = await advisor.suggest(SuggestRequest(runtime="go", platforms=("linux/amd64", "linux/arm64"), limit=10))
    alpine = [c for c in result.candidates if c.repository == "alpine"]
    assert alpine and all(any("no CA certificates" in w for w in c.warnings or []) for c in alpine)
    assert all(any("no CA certificates" in w for w in c.warnings or []) for c in result.candidates)


async def test_a_build_stage_that_runs_maven_gets_maven_images_on_the_runtime_line(
    hub: FakeHub, advisor: Advisor
) -> None:
    result = await advisor.suggest(
        SuggestRequest(runtime="java", version="21", purpose="build", tools=("maven",), platforms=("linux/amd64", "linux/arm64"))
    )
    assert_valid(hub, result, ["linux/amd64", "linux/arm64"])
    assert result.candidates and all(c.repository == "maven" for c in result.candidates)
    assert all("-21" in c.reference for c in result.candidates)  # the JDK asked for, never 4.0.0-rc
    assert not any("rc" in c.reference for c in result.candidates)
    # no version: the runtime's newest supported LTS the tool's images carry, not maven's latest on JDK 26
    default = await advisor.suggest(SuggestRequest(runtime="java", purpose="build", tools=("maven",)))
    assert default.candidates[0].reference.startswith("maven:3.9-eclipse-temurin-25")
    assert any("newest supported LTS" in n for n in default.notes or [])


async def test_a_build_tool_without_an_official_image_is_named_and_the_runtime_images_stay(advisor: Advisor) -> None:
    result = await advisor.suggest(SuggestRequest(runtime="java", purpose="build", tools=("sbt",)))
    assert result.candidates and result.candidates[0].repository == "eclipse-temurin"
    assert any("No maintained official image carries sbt" in n for n in result.notes or [])
    with pytest.raises(InvalidInput):
        await advisor.suggest(SuggestRequest(runtime="java", purpose="build", tools=("Maven; rm -rf",)))


async def test_unknown_runtime_falls_back_to_search(advisor: Advisor) -> None:
    result = await advisor.suggest(SuggestRequest(runtime="jupyter"))
    assert result.candidates and result.candidates[0].repository == "jupyter/base-notebook"
    assert result.candidates[0].trust == "open_source"
    assert any("not a runtime I know" in n for n in result.notes or [])
    with pytest.raises(InvalidInput) as err:
        await advisor.suggest(SuggestRequest(runtime="zzqqxxnothing"))
    assert "python" in str(err.value)  # says which runtimes are known


async def test_repeat_question_costs_no_upstream_request(hub: FakeHub, advisor: Advisor) -> None:
    first = await advisor.suggest(SuggestRequest(runtime="node", platforms=("linux/arm64",)))
    sent = len(hub.requests)
    # repository + 3 tag pages, concurrently: one round trip (plus, under the reverse reading, each
    # page asked again once with the other sign)
    assert sent <= (5 if hub.ordering_convention == "documented" else 8)
    again = await advisor.suggest(SuggestRequest(runtime="node", platforms=("linux/arm64",)))
    assert len(hub.requests) == sent and again == first


async def test_progress_is_reported(advisor: Advisor) -> None:
    seen: list[tuple[float, float, str]] = []

    async def progress(done: float, total: float, message: str) -> None:
        seen.append((done, total, message))

    await advisor.suggest(SuggestRequest(runtime="ruby"), progress)
    assert [s[0] for s in seen] == [0, 1, 2, 3] and all(s[1] == 3 for s in seen)


@pytest.mark.parametrize(
    ("request_", "words"),
    [
        (SuggestRequest(), "runtime"),
        (SuggestRequest(runtime="python", limit=0), "limit"),
        (SuggestRequest(runtime="python", version="three"), "not understood"),
        (SuggestRequest(runtime="python", os="windows", platforms=("linux/amd64", "linux/arm64")), "agree"),
        (SuggestRequest(runtime="python", priorities=("fast",)), "priorities"),
        (SuggestRequest(runtime="python", libc="uclibc"), "glibc"),
    ],
)
async def test_bad_requests_say_what_to_change(advisor: Advisor, request_: SuggestRequest, words: str) -> None:
    with pytest.raises(InvalidInput) as err:
        await advisor.suggest(request_)
    assert words in str(err.value)


@pytest.mark.parametrize(
    ("text", "version", "expected"),
    [
        ("3.12", (3, 12, 7), True),
        ("3.12", (3, 13, 0), False),
        (">=3.11,<3.14", (3, 13, 9), True),
        (">=3.11,<3.14", (3, 14, 0), False),
        ("~3.12", (3, 14), True),
        ("21", (21, 0, 9, 10), True),
        ("", None, True),
    ],
)
def test_version_constraints(text: str, version: tuple[int, ...] | None, expected: bool) -> None:
    assert VersionConstraint.parse(text).matches(version, None) is expected


@pytest.mark.parametrize(
    "request_",
    [
        SuggestRequest(runtime="dotnet"),
        SuggestRequest(runtime=".NET", purpose="build"),
        SuggestRequest(runtime="csharp"),
        SuggestRequest(image="mcr.microsoft.com/dotnet/aspnet"),
    ],
)
async def test_dotnet_without_a_registry_client_points_to_mcr_with_the_supported_lines(
    hub: FakeHub, advisor: Advisor, request_: SuggestRequest
) -> None:
    """An advisor built without a registry client (this fixture) cannot read MCR: it says where the
    images are and which lines the table supports, and asks Hub nothing. (With one: test_dotnet.py.)"""
    from hub_mcp.vocab import lifecycle

    with pytest.raises(InvalidInput) as err:
        await advisor.suggest(request_)
    message = str(err.value)
    assert "mcr.microsoft.com/dotnet/aspnet" in message and "mcr.microsoft.com/dotnet/sdk" in message
    lines = lifecycle.supported_lines("dotnet", TODAY)
    assert lines and all(f"{line.version}.0" in message and str(line.eol) in message for line in lines)
    assert "no push dates" in message and hub.requests == []


async def test_a_deprecated_repository_gets_no_candidate_and_names_what_its_notice_names(hub: FakeHub) -> None:
    """A repository whose README opens with a deprecation notice (liquibase's real wording: the
    successors written as code) is empty, with the successors as data and in the message."""
    from dataclasses import replace as with_fields

    repo = hub.catalog.get("library", "redis")
    assert repo is not None
    notice = (
        "# **DEPRECATION NOTICE**\n\nWith the release of Redis 9, this repository is officially deprecated.\n\n"
        "Users are encouraged to switch to one of the following alternatives:\n\n"
        "-\t`redis/redis-stack` -- the community edition\n-\t`bitnami/redis` -- another build\n\n# Quick reference\n\n"
        "- [postgres](https://hub.docker.com/_/postgres) is no successor: it is outside the notice\n"
    )
    hub.catalog.repositories[hub.catalog.repositories.index(repo)] = with_fields(repo, full_description=notice)
    async with HttpClient(transport=httpx.ASGITransport(app=hub.app)) as http:
        advisor = Advisor(HubClient(http, HUB, HubAuth(http, HUB, None, None)), today=lambda: TODAY)
        result = await advisor.suggest(SuggestRequest(image="redis"))
    assert not result.candidates
    rejection = (result.rejected or [])[0]
    assert rejection.reason == "deprecated_repository" and rejection.successors == ["redis/redis-stack", "bitnami/redis"]
    assert "redis/redis-stack, bitnami/redis" in result.message and "image='redis/redis-stack'" in result.message


async def test_the_newest_distro_release_is_judged_within_its_family(advisor: Advisor) -> None:
    """alpine 3.22 is the newest alpine even beside debian trixie: a release rank is no yardstick
    across distributions (it used to rank every alpine image as an old distro)."""
    result = await advisor.suggest(SuggestRequest(runtime="python", priorities=("small",), limit=6))
    alpine = [c for c in result.candidates if c.libc == "musl"]
    assert alpine and any(
        b.text.startswith("distro alpine3.22: the newest") for b in alpine[0].benefits
    ), alpine[0].benefits
