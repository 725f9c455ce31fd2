"""Release channels: the maintainers' own aliases say which line is for production.

Ground truth no one here wrote: the Docker Official Images library files in
``../shared/data/official-images/library`` (docker-library/official-images at 37079fb,
2026-08-21), where every build entry lists its tags, channel aliases (``lts``, ``stable``,
``latest``) included. Then the advisor, on the fake Hub, under both readings of the ordering.
"""

from __future__ import annotations

import os
import re
from datetime import UTC, datetime
from pathlib import Path

import httpx
import pytest

from hub_mcp.advisor.requests import ReviewRequest
from hub_mcp.advisor.review import Reviewer
from hub_mcp.advisor.signals import channel_lines, group_images
from hub_mcp.advisor.suggest import Advisor, SuggestRequest
from hub_mcp.hub.auth import HubAuth
from hub_mcp.hub.client import HubClient
from hub_mcp.hub.models import Tag
from hub_mcp.hub.service import HubService
from hub_mcp.net.http import HttpClient
from hub_mcp.services import Services
from hub_mcp.vocab import lifecycle
from tests.advisor.conftest import HUB, TODAY
from tests.fakes.hub import FakeHub

LIBRARY = Path(__file__).resolve().parents[2].parent / "shared" / "data" / "official-images" / "library"
IN_CI = os.environ.get("CI") == "true"
CHANNELS = ("lts", "stable", "latest")
PLAIN_VERSION = re.compile(r"^\d+(?:\.\d+)*$")
LEADING_VERSION = re.compile(r"^(\d+(?:\.\d+)*)(?:-|$)")
#: aliases that mark a build entry as a development line (this test's own reading)
DEVELOPMENT = re.compile(r"(?:^|-)(?:unstable|testing|devel|edge|sid|rc|beta|alpha|dev)(?:-|$)")


def entries(text: str) -> list[list[str]]:
    """The tag lists (Tags + SharedTags) of a library file's build entries."""
    out = []
    for paragraph in re.split(r"\n\s*\n", text):
        tags: list[str] = []
        for line in paragraph.splitlines():
            key, _, value = line.partition(":")
            if key.strip() in ("Tags", "SharedTags"):
                tags += [t.strip() for t in value.split(",") if t.strip()]
        if tags:
            out.append(tags)
    return out


def as_hub_tags(build_entries: list[list[str]]) -> list[Tag]:
    """One digest per entry, as Hub shows them (a shared tag goes with the first entry listing it)."""
    seen: set[str] = set()
    tags = []
    stamp = datetime(2026, 8, 21, tzinfo=UTC).isoformat()
    for number, names in enumerate(build_entries):
        for name in names:
            if name in seen:
                continue
            seen.add(name)
            tags.append(
                Tag.model_validate(
                    {
                        "name": name,
                        "digest": f"sha256:{number:064d}",
                        "last_updated": stamp,
                        "images": [{"architecture": "amd64", "os": "linux", "digest": f"sha256:{number:064x}"}],
                    }
                )
            )
    return tags


def library_files() -> list[Path]:
    if not LIBRARY.is_dir():
        if IN_CI:
            pytest.fail(f"{LIBRARY} is missing: CI lays ../shared beside the clone.", pytrace=False)
        pytest.skip(f"{LIBRARY} is not present")
    return sorted(LIBRARY.iterdir())


def test_channel_lines_agree_with_the_official_images_library_files() -> None:
    """For every official image, the line each channel is on, as the library file says it
    (the most precise leading version of the entry's tags that lists the channel)."""
    checked = 0
    for path in library_files():
        build_entries = entries(path.read_text(encoding="utf-8"))
        runtime = lifecycle.runtime_name_for_repository(path.name)
        precision = (lifecycle.line_precision(runtime) if runtime else None) or 2
        ours = channel_lines(group_images(as_hub_tags(build_entries)), precision)
        first_entry: dict[str, list[str]] = {}
        for names in build_entries:
            for name in names:
                first_entry.setdefault(name, names)
        for channel in CHANNELS:
            names = first_entry.get(channel)
            if names is None:
                assert channel not in ours, (path.name, channel)
                continue
            if any(DEVELOPMENT.search(t) for t in names):
                # busybox's "1.38.0, 1.38, 1, unstable, latest": the maintainers' own alias says
                # the line is not for production, so it is no channel to recommend
                assert channel not in ours, (path.name, channel, names)
                continue
            plain = [tuple(int(n) for n in m.group(1).split(".")) for t in names if (m := LEADING_VERSION.match(t))]
            if not plain:
                continue  # e.g. debian's "trixie, stable, latest": no number on that entry
            expected = max(plain, key=lambda v: (len(v), v))[:precision]
            assert ours.get(channel) == expected, (path.name, channel, ours.get(channel), expected)
            checked += 1
    assert checked >= 60  # most official images tag 'latest' on a numbered entry


def test_known_channels_in_the_library_files() -> None:
    """Spot checks read off the library files by hand (node's lts, mysql's lts, nginx's stable)."""
    library_files()
    lines = {}
    for name, precision in (("node", 1), ("mysql", 2), ("nginx", 2)):
        tags = as_hub_tags(entries((LIBRARY / name).read_text(encoding="utf-8")))
        lines[name] = channel_lines(group_images(tags), precision)
    assert lines["node"]["lts"] == (24,) and lines["node"]["latest"] == (26,)
    assert lines["mysql"]["lts"] == (9, 7)
    assert lines["nginx"]["stable"] == (1, 30)


# --- the advisor on the fake Hub ------------------------------------------------------------



async def test_no_version_picks_the_line_the_maintainers_tag_lts(advisor: Advisor, hub: FakeHub) -> None:
    node = hub.catalog.get("library", "node")
    lts_line = next(t.name for t in node.tags if t.name == "lts") and node.tag("lts")
    assert lts_line is not None
    lts_version = next(t.name for t in node.tags if t.digest == lts_line.digest and PLAIN_VERSION.match(t.name))
    result = await advisor.suggest(SuggestRequest(runtime="node"))
    top = result.candidates[0]
    assert top.version and top.version.split(".")[0] == lts_version.split(".")[0]
    assert any("'lts'" in benefit.text for benefit in top.benefits)
    current = [c for c in result.candidates if c.version and c.version.split(".")[0] != lts_version.split(".")[0]]
    assert all(c.score < top.score for c in current)


async def test_mysql_no_version_is_its_lts_line_not_innovation(advisor: Advisor) -> None:
    result = await advisor.suggest(SuggestRequest(runtime="mysql"))
    assert result.candidates and result.candidates[0].version.startswith("8.4")  # the fake tags 8.4 'lts'


async def test_ubuntu_prefers_latest_over_the_rolling_interim(advisor: Advisor) -> None:
    result = await advisor.suggest(SuggestRequest(image="ubuntu", limit=3))
    assert result.candidates[0].reference == "ubuntu:24.04"


async def test_development_channels_are_never_suggested(advisor: Advisor) -> None:
    result = await advisor.suggest(SuggestRequest(runtime="alpine", limit=10))
    assert all("edge" not in c.reference and "edge" not in (c.aliases or []) for c in result.candidates)


@pytest.mark.parametrize(
    ("request_", "line"),
    [
        (SuggestRequest(runtime="node", version="lts"), "24"),
        (SuggestRequest(image="ubuntu", version="latest"), "24.04"),
        (SuggestRequest(runtime="python", version="stable"), "3.14"),  # no 'stable' tag: its 'latest'
    ],
)
async def test_version_accepts_a_channel(advisor: Advisor, request_: SuggestRequest, line: str) -> None:
    result = await advisor.suggest(request_)
    assert result.candidates, result.message
    assert all(c.version and c.version.startswith(line) for c in result.candidates)


async def test_review_upgrade_offers_the_drop_in_first_then_the_production_line(advisor: Advisor, hub: FakeHub) -> None:
    async with HttpClient(transport=httpx.ASGITransport(app=hub.app)) as http:
        hub_service = HubService(HubClient(http, HUB, HubAuth(http, HUB, None, None)), today=lambda: TODAY)
        services = Services(hub=hub_service, registry=None, advisor=advisor, facts=None)  # type: ignore[arg-type]
        review = await Reviewer(services, advisor, TODAY).review(ReviewRequest(reference="openjdk:17"))
    upgrade = review.from_lines[0].upgrade or ""
    assert upgrade.startswith("eclipse-temurin:17"), upgrade  # same major, maintained
    assert "bigger step: eclipse-temurin:25" in upgrade  # the newest LTS line as the bigger step


# --- the channel line and its variants, against the maintainers' files -------------------------


def test_channel_line_variants_agree_with_the_library_files() -> None:
    """Every image the advisor puts on the channel line is on it by the breadth benchmark's own
    reading of the library file (benchmarks/advisor_breadth.py, written apart from the advisor:
    an entry sharing a version piece with a channel entry, or named after it); and every image
    with a production channel gets a line with at least the channel's own image on it."""
    from benchmarks.advisor_breadth import truth_from_library

    from hub_mcp.advisor.signals import ChannelLine

    checked = 0
    for path in library_files():
        text = path.read_text(encoding="utf-8")
        truth = truth_from_library(path.name, text)
        if not truth.has_channel or "newest production" in truth.channel_source:
            continue  # no channel tag, or only one a development alias marks (busybox: below)
        groups = group_images(as_hub_tags(entries(text)))
        line = ChannelLine.of(groups)
        assert line is not None, path.name
        on_line = [g for g in groups if line.holds(g)]
        assert line.group in on_line
        for group in on_line:
            assert any(truth.on_line(name) for name in group.names), (path.name, group.names[:4])
            checked += 1
    assert checked >= 500


def test_no_development_line_is_a_channel_line() -> None:
    """busybox tags 1.38 both 'latest' and 'unstable': the line to recommend is none of its."""
    from hub_mcp.advisor.signals import ChannelLine

    groups = group_images(as_hub_tags(entries((library_files()[0].parent / "busybox").read_text(encoding="utf-8"))))
    assert ChannelLine.of(groups) is None
    assert all(g.non_production == "unstable" for g in groups if "latest" in g.names)


@pytest.mark.parametrize(
    ("names", "precision", "chosen"),
    [
        (["3.14.2-slim", "3.14-slim", "3-slim", "slim"], 2, "3.14-slim"),  # python: the line, not the patch
        (["26.7.0", "26.7", "26", "current", "latest"], 1, "26"),  # node pins majors
        (["26.0.0.8-kernel-slim-java17-openj9", "kernel-slim-java17-openj9"], 2, "kernel-slim-java17-openj9"),
        (["8.0.2", "enterprise", "enterprise-8.0.2", "latest"], 2, "enterprise"),
        (["26.32-26.0.2.1-jre-alpine3.23", "26-jre-alpine3.23", "26-jre-alpine"], 2, "26-jre-alpine"),
        (["26.04", "resolute-20260811.1", "resolute", "latest", "rolling"], 2, "26.04"),
        (["9.3-minimal", "9-minimal"], 2, "9.3-minimal"),  # a point release is a line of its own
        (["2.5.1", "latest"], 2, "2.5.1"),  # nothing moves but latest: the version it is
    ],
)
def test_from_leads_with_the_moving_tag_and_lists_the_exact_build_first(
    names: list[str], precision: int, chosen: str
) -> None:
    from hub_mcp.advisor.suggest import choose_tag

    (group,) = group_images(as_hub_tags([names]))
    assert choose_tag(group, precision) == chosen
    assert chosen not in group.pins


async def test_java_with_no_vendor_follows_the_newest_line_across_the_successors(advisor: Advisor) -> None:
    """One vendor's 'latest' on an old line does not lead: the line is the newest of the vendors'."""
    from hub_mcp.advisor.runtimes import find_runtime

    java = find_runtime("java")
    assert java is not None and len(java.repositories) >= 2
    result = await advisor.suggest(SuggestRequest(runtime="java", limit=10))
    lines = {int(c.version.split(".")[0]) for c in result.candidates if c.version and c.channel}
    newest = max(int(c.version.split(".")[0]) for c in result.candidates if c.version)
    assert result.candidates[0].channel and lines == {newest}


def test_java_repositories_are_the_successors_openjdks_notice_names_in_its_order() -> None:
    """The table follows the maintainers' own words: openjdk's deprecation notice (docs data)."""
    import gzip
    import json

    from hub_mcp.advisor.runtimes import find_runtime

    docs = LIBRARY.parents[1] / "official-images-docs" / "hub-docs.jsonl.gz"
    if not docs.exists():
        if IN_CI:
            pytest.fail(f"{docs} is missing: CI lays ../shared beside the clone.", pytrace=False)
        pytest.skip(f"{docs} is not present")
    with gzip.open(docs, "rt", encoding="utf-8") as fh:
        readme = next(r["full_description"] for line in fh if (r := json.loads(line))["repository"] == "openjdk")
    notice = readme.split("# Quick reference")[0]
    named = re.findall(r"hub\.docker\.com/_/([a-z0-9-]+)", notice)
    java = find_runtime("java")
    assert java is not None and named and list(java.repositories) == [f"library/{n}" for n in named]


@pytest.mark.parametrize("ordering", ["documented", "django", "ignored"])
async def test_a_channel_pushed_before_the_newest_pages_is_found_by_name(ordering: str) -> None:
    """tomee and php list more tags than the newest pages (3 x 100) hold, and their 'latest' may be
    pushed earlier than all of those. The advisor then asks Hub for the channel tags by name
    (hub-api.md: ``name=<substring>``) and leads with the channel's image, whichever way Hub reads
    the ordering sign (or if it ignores it: the fake's assumed third reading). Its other tags
    (2.4.1, 2.4) cannot be found by name from 'latest' alone (Hub filters by name, not by digest):
    the image is offered as 'latest' pinned to its digest, a known limit (closing note)."""
    from tests.fakes.catalog import AMD_ARM, Build, RepoSpec, _build_repository, default_catalog

    catalog = default_catalog()
    builds = [Build((f"9.{n}.0", f"9.{n}"), "busybox", "2026-11-15", AMD_ARM) for n in range(320)]  # newer, not channel
    builds += [
        Build(("2.4.1", "2.4", "latest"), "busybox", "2026-10-25", AMD_ARM),
        Build(("2.4.1-slim", "2.4-slim"), "busybox", "2026-10-25", AMD_ARM),
    ]
    spec = RepoSpec("library", "manytags", "An image with many tags.", 1_000_000, 10, "official", ("devtools",),
                    "2020-01-01", builds)  # fmt: skip
    catalog.add(_build_repository(spec, catalog.now))
    hub = FakeHub(catalog, enforce_rate_limit=False, ordering_convention=ordering)
    async with HttpClient(transport=httpx.ASGITransport(app=hub.app)) as http:
        advisor = Advisor(HubClient(http, HUB, HubAuth(http, HUB, None, None)), today=lambda: TODAY)
        result = await advisor.suggest(SuggestRequest(image="manytags", limit=3))
    top = result.candidates[0]
    repo = catalog.get("library", "manytags")
    assert repo is not None
    line = {t.digest for t in repo.tags if t.name == "latest" or t.name.startswith("2.4")}
    assert top.channel == "latest" and top.pinned_reference and top.pinned_reference.split("@")[1] in line
    assert all(c.channel is None for c in result.candidates if c.version and c.version.startswith("9."))
    from urllib.parse import parse_qs

    names = [parse_qs(r.query).get("name", [None])[0] for r in hub.requests if r.path.endswith("/tags")]
    # the channels are asked by name after the three pages (unsorted pages may hold 'latest' already)
    assert {"lts", "stable", "latest"} <= set(names) or ordering == "ignored"
