"""hub/health.py: the one verdict on a repository's and a line's health, at its boundaries.

Every rule is judged on the ``today`` it is given (never the clock), so the same inputs give the
same verdict in get_tag, get_repository, review_base_images and suggest_base_images.
"""

from __future__ import annotations

import gzip
import json
import os
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest

from hub_mcp.hub import health
from hub_mcp.hub.auth import HubAuth
from hub_mcp.hub.client import HubClient
from hub_mcp.hub.service import HubService
from hub_mcp.net.http import HttpClient
from hub_mcp.vocab import lifecycle
from tests.fakes.catalog import catalog_with_unmaintained
from tests.fakes.hub import FakeHub

HUB = "https://hub.docker.com"
NEWEST = datetime(2026, 11, 20, 12, 0, tzinfo=UTC)


# --- stale: a line pushed more than 60 days before the repository's newest push ------------------


def test_a_line_pushed_exactly_60_days_before_the_newest_push_is_not_stale() -> None:
    assert health.STALE_AFTER == timedelta(days=60)
    assert health.is_stale(NEWEST - timedelta(days=60), NEWEST) is False


def test_a_line_pushed_a_second_more_than_60_days_before_is_stale() -> None:
    assert health.is_stale(NEWEST - timedelta(days=60, seconds=1), NEWEST) is True


def test_the_newest_push_itself_and_a_later_one_are_not_stale() -> None:
    assert health.is_stale(NEWEST, NEWEST) is False
    assert health.is_stale(NEWEST + timedelta(days=90), NEWEST) is False


@pytest.mark.parametrize("pushed, newest", [(None, NEWEST), (NEWEST, None), (None, None)])
def test_staleness_is_unknown_without_both_dates(pushed: datetime | None, newest: datetime | None) -> None:
    assert health.is_stale(pushed, newest) is None


# --- unmaintained: no push for more than 365 days before today ------------------------------------


def test_exactly_365_days_without_a_push_is_not_yet_unmaintained() -> None:
    today = date(2026, 11, 26)
    assert health.UNMAINTAINED_AFTER_DAYS == 365
    assert health.is_unmaintained(today - timedelta(days=365), today) is False
    assert health.is_unmaintained(today - timedelta(days=366), today) is True


def test_unmaintained_counts_calendar_days_of_a_timestamp() -> None:
    today = date(2026, 11, 26)
    late_in_the_day = datetime(2025, 11, 26, 23, 59, tzinfo=UTC)  # 365 calendar days, whatever the hour
    assert health.is_unmaintained(late_in_the_day, today) is False
    assert health.is_unmaintained(late_in_the_day - timedelta(days=1), today) is True


def test_an_unknown_last_push_is_not_evidence_of_abandonment() -> None:
    assert health.is_unmaintained(None, date(2026, 11, 26)) is False


def test_the_verdict_follows_the_injected_today() -> None:
    pushed = date(2024, 5, 2)
    assert health.is_unmaintained(pushed, date(2025, 5, 2)) is False
    assert health.is_unmaintained(pushed, date(2025, 5, 3)) is True
    verdict = health.repository_health(today=date(2025, 5, 2), last_push=pushed)
    assert (verdict.unmaintained, verdict.last_push) == (False, pushed)
    assert health.repository_health(today=date(2030, 1, 1), last_push=pushed).unmaintained is True


# --- deprecated: the publisher's own words -------------------------------------------------------


@pytest.mark.parametrize(
    "description",
    ["DEPRECATED: use foo/bar", "This image is deprecated", "Deprecation notice: moved", "Old web scraper, no longer maintained"],
)
def test_the_description_marks_a_repository_deprecated(description: str) -> None:
    assert health.marked_deprecated(description) is True
    assert health.repository_health(today=date(2026, 11, 26), description=description).deprecated == description


@pytest.mark.parametrize("description", [None, "", "Actively maintained Python tools", "longer maintained than most"])
def test_other_descriptions_are_not_deprecated(description: str | None) -> None:
    assert health.marked_deprecated(description) is False
    assert health.repository_health(today=date(2026, 11, 26), description=description).deprecated is None


# --- status ------------------------------------------------------------------------------------


def test_status_names_and_which_ones_are_usable() -> None:
    assert health.status_name(None) is None
    assert health.status_name(6) == "archived"
    assert health.status_name(42) == "42"
    assert health.status_name(1, "Hub's own words") == "Hub's own words"
    today = date(2026, 11, 26)
    assert health.repository_health(today=today, status="active").usable_status
    assert health.repository_health(today=today, status=None).usable_status
    assert not health.repository_health(today=today, status="archived").usable_status


# --- end of life (through the lifecycle table) ---------------------------------------------------


def test_end_of_life_is_judged_on_the_day_given() -> None:
    row = lifecycle.support_for("python", (3, 10))
    assert row is not None and row.eol is not None
    assert health.has_ended(row, row.eol) is True
    assert health.has_ended(row, row.eol - timedelta(days=1)) is False
    assert health.has_ended(None, row.eol) is False
    assert health.end_of_life("library/python", "3.10-slim", row.eol - timedelta(days=1)) == []
    ended = health.end_of_life("library/python", "3.10-slim", row.eol)
    assert len(ended) == 1 and "python 3.10" in ended[0] and "end of life" in ended[0]


def test_a_line_ends_soon_under_180_days_before_its_end_of_life() -> None:
    row = lifecycle.support_for("python", (3, 10))
    assert row is not None and row.eol is not None
    assert health.ends_soon(row, row.eol - timedelta(days=179)) is True
    assert health.ends_soon(row, row.eol - timedelta(days=180)) is False
    assert health.ends_soon(row, row.eol) is False  # ended, not ending


# --- the service judges on its injected today, never the clock -----------------------------------


@pytest.mark.parametrize(
    "today, warned",
    [(date(2025, 5, 2), False), (date(2025, 5, 3), True)],  # someuser/old-cli: last push 2024-05-02
)
async def test_get_repository_warns_of_an_unmaintained_repository_by_the_injected_today(
    today: date, warned: bool
) -> None:
    hub = FakeHub(catalog_with_unmaintained(), enforce_rate_limit=False)
    async with HttpClient(transport=httpx.ASGITransport(app=hub.app)) as http:
        service = HubService(HubClient(http, HUB, HubAuth(http, HUB, None, None)), today=lambda: today)
        info = await service.get_repository("someuser/old-cli")
    warning = "No push since 2024-05-02: probably unmaintained."
    assert (warning in (info.warnings or [])) is warned


# --- successors: the repositories a deprecation notice names --------------------------------------

HUB_DOCS = Path(__file__).resolve().parents[3] / "shared" / "data" / "official-images-docs" / "hub-docs.jsonl.gz"
IN_CI = os.environ.get("CI") == "true"  # CI has ../shared beside the clone: there these checks must run


def _hub_docs() -> dict[str, dict[str, Any]]:
    if not HUB_DOCS.exists():
        pytest.fail(f"{HUB_DOCS} is missing: run the tests from a checkout with ../shared/data beside it.", pytrace=False)
    with gzip.open(HUB_DOCS, "rt", encoding="utf-8") as fh:
        return {row["repository"]: row for row in map(json.loads, fh)}


@pytest.mark.skipif(not HUB_DOCS.exists() and not IN_CI, reason=f"{HUB_DOCS} is not present")
@pytest.mark.parametrize(
    ("repository", "expected"),
    [
        # the notice's own (alphabetical) order, each once
        ("openjdk", ["amazoncorretto", "eclipse-temurin", "ibm-semeru-runtimes", "ibmjava", "sapmachine"]),
        ("adoptopenjdk", ["eclipse-temurin"]),
        ("celery", ["python"]),  # the notice links to the sentry README too: not a Hub repository
        ("consul", ["hashicorp/consul"]),  # a verified publisher's /r/ link; its own /_/consul link is no successor
        ("crux", []),  # deprecated for maintainer inactivity: it names no image
        ("centos", []),  # end of life, no successor named
        ("python", []),  # not deprecated: the links in its README are no successors
        ("liquibase", ["liquibase/liquibase", "liquibase/liquibase-secure"]),  # written as code, not linked
        ("emqx", ["emqx/emqx", "emqx/emqx-enterprise"]),
        ("amazonlinux", []),  # its notice retires some tags, not the repository
    ],
)
def test_successors_are_read_from_the_real_deprecation_notices(repository: str, expected: list[str]) -> None:
    doc = _hub_docs()[repository]
    assert health.successors(doc["full_description"], f"library/{repository}") == expected


@pytest.mark.skipif(not HUB_DOCS.exists() and not IN_CI, reason=f"{HUB_DOCS} is not present")
def test_every_deprecation_notice_in_the_docs_is_found_and_its_successors_are_other_hub_repositories() -> None:
    docs = _hub_docs()
    noticed = {name for name, doc in docs.items() if health.deprecation_notice(doc["full_description"])}
    # openjdk's short description does not say "deprecated": the README's notice does
    assert {"openjdk", "adoptopenjdk", "celery", "consul", "crux", "centos"} <= noticed
    assert not health.marked_deprecated(docs["openjdk"]["description"])
    verdict = health.repository_health(
        today=date(2026, 11, 26),
        description=docs["openjdk"]["description"],
        readme=docs["openjdk"]["full_description"],
        repository="library/openjdk",
    )
    assert verdict.deprecated and verdict.successors[:2] == ("amazoncorretto", "eclipse-temurin")
    for name in noticed:
        named = health.successors(docs[name]["full_description"], f"library/{name}")
        assert name not in named and len(named) == len(set(named)), (name, named)
    assert "python" not in noticed and "node" not in noticed  # maintained images carry no notice
    # "The `1`, `2018.03`, and `2018.03.0.20231218.0` tags of this image are EOL": those tags only
    assert "DEPRECATION NOTICE" in docs["amazonlinux"]["full_description"] and "amazonlinux" not in noticed


def test_a_link_outside_the_notice_is_no_successor() -> None:
    readme = (
        "# **DEPRECATED**\n\nUse [the `python` image](https://hub.docker.com/_/python/) instead.\n\n"
        "# How to use\n\nSee also [redis](https://hub.docker.com/_/redis) and"
        " [bitnami](https://hub.docker.com/r/bitnami/redis).\n"
    )
    assert health.successors(readme, "library/celery") == ["python"]
    assert health.successors("# Quick reference\n\n[python](https://hub.docker.com/_/python)", "x") == []
    assert health.successors(None) == [] and health.deprecation_notice("") is None


# --- production lines: what "newer on the same line" may steer to -------------------------------


@pytest.mark.parametrize(
    ("repository", "tag", "production"),
    [
        ("library/openjdk", "18", False),  # java 18: no row among java's lines, and java has LTS lines
        ("library/eclipse-temurin", "27", False),  # java 27 is not LTS while 25 is
        ("library/eclipse-temurin", "25", True),
        ("library/node", "25", False),  # odd: never LTS, and past its end of life
        ("library/node", "20", False),  # LTS but past its end of life (2026-04-30)
        ("library/node", "24-alpine", True),
        ("library/ubuntu", "25.10", False),
        ("library/ubuntu", "24.04", True),
        ("library/python", "3.13-slim", True),  # python has no LTS lines: every supported line counts
        ("library/python", "3.9", False),
        ("library/busybox", "1.37", True),  # no table row: not judged here
    ],
)
def test_production_line(repository: str, tag: str, production: bool) -> None:
    assert health.production_line(repository, tag, date(2026, 11, 26)) is production


# --- line_verdict: the worst first, with its day and its successors ---------------------------


def test_line_verdict_is_none_for_a_maintained_supported_line() -> None:
    fine = health.repository_health(today=date(2026, 11, 26), last_push=date(2026, 11, 20))
    assert health.line_verdict("library/node", "24", date(2026, 11, 26), stale=False, repo=fine) is None


def test_line_verdict_orders_end_of_life_before_staleness_and_gives_the_day() -> None:
    verdict = health.line_verdict("library/node", "20", date(2026, 11, 26), stale=True, last_pushed=date(2026, 5, 1))
    assert verdict is not None and verdict.status == "end_of_life" and verdict.ended == date(2026, 4, 30)
    assert verdict.reasons[0] == "node 20 reached end of life on 2026-04-30"
    assert verdict.reasons[1].startswith("stale: last pushed 2026-05-01")
    # the day before its end of life, node 20 was fine
    assert health.line_verdict("library/node", "20", date(2026, 4, 29)) is None


def test_line_verdict_of_a_deprecated_repository_names_its_successors() -> None:
    repo = health.repository_health(
        today=date(2026, 11, 26),
        description="Pre-release / non-production builds of OpenJDK",
        readme="# **DEPRECATION NOTICE**\n\n-\t[`eclipse-temurin`](https://hub.docker.com/_/eclipse-temurin)\n\n# Quick",
        last_push=date(2026, 11, 1),
        repository="library/openjdk",
    )
    verdict = health.line_verdict("library/openjdk", "17", date(2026, 11, 26), repo=repo)
    assert verdict is not None and verdict.status == "deprecated" and verdict.successors == ("eclipse-temurin",)
    assert "use eclipse-temurin instead" in verdict.sentence
