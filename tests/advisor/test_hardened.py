"""Hardened equivalents in suggestions: the runtime variant for a runtime stage, -dev for a build
stage, on the candidate's distro family; priority 'hardened' puts them first; no extra request."""

from __future__ import annotations

import httpx
import pytest

from hub_mcp.advisor.suggest import Advisor, SuggestRequest
from hub_mcp.answers.views import Suggestion
from hub_mcp.errors import InvalidInput
from hub_mcp.hardened import lookup
from hub_mcp.hardened import service as hardened_service
from hub_mcp.vocab.tags import parse_tag
from hub_mcp.hub.auth import HubAuth
from hub_mcp.hub.client import HubClient
from hub_mcp.net.http import HttpClient
from tests.advisor.conftest import HUB, TODAY
from tests.advisor.test_review import DIGEST, review
from tests.fakes.hub import FakeHub


def _family(reference: str) -> str:
    return parse_tag(reference.rsplit(":", 1)[1]).distro_family or "debian"


async def test_each_candidate_names_an_existing_equivalent_of_its_family(advisor: Advisor) -> None:
    result = await advisor.suggest(SuggestRequest(runtime="python", limit=5))
    named = [c for c in result.candidates if c.hardened]
    assert named
    for candidate in named:
        assert candidate.hardened is not None
        found = lookup(candidate.hardened.reference)
        assert found is not None, candidate.hardened.reference
        assert found.variant == candidate.hardened.variant == "runtime"
        assert found.distro.startswith(_family(candidate.reference))
        assert candidate.hardened.verified is None
    note = next(n for n in result.notes if n.startswith("Hardened equivalents"))
    assert "not checked live" in note and "docker login dhi.io" in note and "no shell" in note


async def test_a_build_purpose_gets_the_dev_variant(advisor: Advisor) -> None:
    result = await advisor.suggest(SuggestRequest(runtime="python", purpose="build", limit=3))
    named = [c.hardened for c in result.candidates if c.hardened]
    assert named and all(h.variant == "dev" and h.reference.endswith("-dev") for h in named)
    note = next(n for n in result.notes if n.startswith("Hardened equivalents"))
    assert "no shell" not in note  # the dev variant has one


async def test_an_ended_line_gets_the_closest_line_not_exact(advisor: Advisor) -> None:
    result = await advisor.suggest(SuggestRequest(runtime="python", version="3.8", limit=1))
    hardened = result.candidates[0].hardened
    assert hardened is not None and hardened.exact is False and lookup(hardened.reference) is not None


async def _python_requests(hub: FakeHub) -> tuple[int, Suggestion]:
    async with HttpClient(transport=httpx.ASGITransport(app=hub.app)) as http:
        advisor = Advisor(HubClient(http, HUB, HubAuth(http, HUB, None, None)), today=lambda: TODAY)
        result = await advisor.suggest(SuggestRequest(runtime="python", limit=3))
    return len(hub.requests), result


async def test_equivalents_cost_no_request_and_change_nothing_else(monkeypatch: pytest.MonkeyPatch) -> None:
    with_equivalents, first = await _python_requests(FakeHub(enforce_rate_limit=False))
    monkeypatch.setattr(hardened_service, "equivalent_for", lambda *args, **kwargs: None)
    without, plain = await _python_requests(FakeHub(enforce_rate_limit=False))
    assert with_equivalents == without
    assert all(c.hardened for c in first.candidates) and not any(c.hardened for c in plain.candidates)
    assert [c.model_copy(update={"hardened": None}) for c in first.candidates] == plain.candidates
    assert [n for n in first.notes if not n.startswith("Hardened equivalents")] == plain.notes


async def test_priority_hardened_keeps_an_all_hardened_order(advisor: Advisor) -> None:
    first = await advisor.suggest(SuggestRequest(runtime="python", limit=3))
    again = await advisor.suggest(SuggestRequest(runtime="python", limit=3, priorities=("hardened",)))
    assert [c.reference for c in again.candidates] == [c.reference for c in first.candidates]


async def test_priority_hardened_puts_candidates_with_an_equivalent_first(advisor: Advisor) -> None:
    # httpd: the alpine image ranks first and DHI has no alpine httpd; the trixie one has an equivalent
    plain = await advisor.suggest(SuggestRequest(runtime="httpd", limit=10))
    ranked = await advisor.suggest(SuggestRequest(runtime="httpd", limit=10, priorities=("hardened",)))
    assert plain.candidates[0].hardened is None  # the case this test is about
    flags = [c.hardened is not None for c in ranked.candidates]
    assert any(flags) and flags == sorted(flags, reverse=True)
    # stable: each half keeps the usual order
    for has in (True, False):
        usual = [c.reference for c in plain.candidates if (c.hardened is not None) == has]
        assert [c.reference for c in ranked.candidates if (c.hardened is not None) == has] == usual
    assert [c.rank for c in ranked.candidates] == list(range(1, len(flags) + 1))
    assert any("hardened candidates first" in n for n in ranked.notes)
    assert not any("hardened candidates first" in n for n in plain.notes)


async def test_unknown_priority_names_hardened_among_the_choices(advisor: Advisor) -> None:
    with pytest.raises(InvalidInput, match="hardened"):
        await advisor.suggest(SuggestRequest(runtime="python", priorities=("fast",)))


# --- review_base_images -------------------------------------------------------------------------


async def test_review_names_the_equivalent_by_stage_on_the_first_line_only() -> None:
    dockerfile = (
        "FROM node:24-alpine AS build\n"
        "FROM debian:bookworm AS tools\n"
        "FROM node:24-alpine AS again\n"
        "FROM ghcr.io/astral-sh/uv:0.4.15 AS uv\n"
        "FROM debian:bookworm\n"
    )
    result = await review(dockerfile)
    build, tools, again, uv, final = result.from_lines
    assert build.hardened is not None and build.hardened.variant == "dev"
    assert build.hardened.reference.endswith("-dev") and "alpine" in build.hardened.reference
    assert again.same_as == build.line and again.hardened is None  # said once
    assert uv.hardened is None  # not an official image
    # the same image in a build stage and as the final stage: -dev, then the runtime variant
    assert tools.hardened is not None and tools.hardened.variant == "dev"
    assert final.hardened is not None and final.hardened.variant == "runtime"
    for named in (build.hardened, tools.hardened, final.hardened):
        found = lookup(named.reference)
        assert found is not None and found.variant == named.variant
    # debian-base's bookworm line ended 2026-06-10 (the bundled catalog): the supported trixie, not exact, said
    assert "debian-13" == lookup(final.hardened.reference).distro  # type: ignore[union-attr]
    assert final.hardened.exact is False
    note = next(n for n in result.notes or [] if n.startswith("Hardened equivalents"))
    assert "not checked live" in note and "no shell" in note
    assert "the Debian release changes from 12 (bookworm) to 13 (trixie)" in note


async def test_review_of_a_missing_line_is_the_closest_not_exact() -> None:
    line = (await review(reference="alpine:3.7")).from_lines[0]
    assert line.hardened is not None and line.hardened.exact is False
    assert lookup(line.hardened.reference) is not None


async def test_review_of_a_digest_only_line_names_no_equivalent() -> None:
    line = (await review(reference=f"debian@{DIGEST}")).from_lines[0]
    assert line.hardened is None


async def test_the_stage_the_final_stage_is_built_on_gets_the_runtime_variant() -> None:
    """FROM node AS base ... FROM base: the image that ships is node's, so its equivalent is the runtime variant,
    not -dev; a stage nothing descends from stays a build stage."""
    dockerfile = (
        "FROM node:24 AS base\n"
        "FROM node:24-alpine AS deps\n"
        "FROM base AS app\n"
        "FROM app\n"
    )
    result = await review(dockerfile)
    base, deps, app, final = result.from_lines
    assert base.hardened is not None and base.hardened.variant == "runtime"
    assert not base.hardened.reference.endswith("-dev")
    assert deps.hardened is not None and deps.hardened.variant == "dev"
    assert app.hardened is None and final.hardened is None  # stage lines: nothing to look up
