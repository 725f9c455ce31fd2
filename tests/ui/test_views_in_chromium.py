"""The MCP Apps views in a real headless Chromium, showing answers recorded from the real tools.

Each answer is recorded here, once per module, by calling the tool through ``mcp.Client`` on the real
server: suggest_base_images and review_base_images against the fake Docker Hub, compare_images against
a real docker-registry on loopback (the images of tests/comparison). The host page (host.html) then
hands it to the view as an MCP Apps host does, and the tests read what Chromium shows: rows, their
order before and after a click on a column, the text a copy button puts on the clipboard, that text
from upstream stays text, the theme, and that the page asks for nothing outside itself. Screenshots
are kept as artifacts (light and dark), never compared.
"""

from __future__ import annotations

import copy
import json
import re
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import date
from typing import Any

import anyio
import httpx
import pytest
from mcp import Client

from hub_mcp.server import create_server
from hub_mcp.ui import document
from tests.comparison.test_compare import Built, built  # noqa: F401 (the module fixture: images on a real registry)
from tests.fakes.catalog import AMD_ONLY, Build, RepoSpec, _build_repository, default_catalog
from tests.fakes.hub import FakeHub
from tests.fakes.osv import FakeOsv
from tests.server.conftest import make_settings
from tests.ui.browser import ARTIFACTS, chromium, host_page_server

TODAY = date(2026, 11, 26)
#: Markup a publisher could put in a repository description (Hub allows 100 characters of anything).
HOSTILE = '<img src=x onerror="parent.postMessage(\'pwned\',\'*\')"><script>parent.postMessage(\'pwned\',\'*\')</script>'
DOCKERFILE = """# syntax=docker/dockerfile:1
ARG PY=3.8
FROM python:${PY}-slim AS build
RUN pip wheel -w /w .
FROM someuser/evil:1.0 AS tools
FROM node AS assets
FROM python:3.12-slim
COPY --from=build /w /w
FROM golang:${GO} AS gobuild
"""


@dataclass(frozen=True)
class Recorded:
    args: dict[str, Any]
    result: dict[str, Any]
    """The CallToolResult as the host receives it (camelCase, as on the wire)."""

    @property
    def data(self) -> dict[str, Any]:
        return self.result["structuredContent"]


async def _record(server: Any, tool: str, args: dict[str, Any]) -> Recorded:
    async with Client(server) as client:
        result = await client.call_tool(tool, args)
    assert not result.is_error, result.content
    return Recorded(args, result.model_dump(by_alias=True, exclude_none=True, mode="json"))


def _hub_with_a_hostile_description() -> FakeHub:
    """The default catalog plus someuser/evil, whose description marks it deprecated and carries markup."""
    catalog = default_catalog()
    spec = RepoSpec("someuser", "evil", f"Deprecated {HOSTILE}"[:100], 12, 0, None, (), "2019-01-02",
                    [Build(("latest", "1.0"), "scraper", "2019-01-14", AMD_ONLY, attest=False)],
                    updater=(5512390, "someuser"), logo=False, readme="")  # fmt: skip
    catalog.add(_build_repository(spec, catalog.now))
    return FakeHub(catalog, enforce_rate_limit=False)


@pytest.fixture(scope="module")
def recorded(built: Built) -> dict[str, Recorded]:  # noqa: F811 (the imported fixture)
    async def record_all() -> dict[str, Recorded]:
        hub = _hub_with_a_hostile_description()
        on_hub = create_server(make_settings(), hub_transport=httpx.ASGITransport(app=hub.app), today=TODAY)
        on_registry = create_server(make_settings(registry_url=built.url), osv_transport=FakeOsv().transport())
        return {
            "suggestions": await _record(
                on_hub, "suggest_base_images", {"runtime": "python", "platforms": ["linux/amd64", "linux/arm64"], "limit": 6}
            ),
            "review": await _record(on_hub, "review_base_images", {"dockerfile": DOCKERFILE}),
            "comparison": await _record(
                on_registry,
                "compare_images",
                {"before": built.ref("acme/before:1"), "after": built.ref("acme/after:2"), "vulnerabilities": True},
            ),
        }

    # In a thread of its own: the anyio plugin (anyio_mode = auto) may have a loop running in this one.
    with ThreadPoolExecutor(1) as thread:
        return thread.submit(anyio.run, record_all).result()


@pytest.fixture(scope="module")
def browser() -> Iterator[tuple[Any, str]]:
    with chromium() as running, host_page_server() as url:
        yield running, url


@dataclass
class Shown:
    page: Any
    view: Any  # the view's frame
    console: list[str]
    requests: list[str]

    def texts(self, selector: str) -> list[str]:
        return [text.strip() for text in self.view.locator(selector).all_inner_texts()]

    def host_log(self) -> list[dict[str, Any]]:
        return self.page.evaluate("window.hostLog")

    def screenshot(self, name: str) -> None:
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        # The view is a frame of its own process: Chromium paints it only inside the viewport, so the viewport
        # is made as tall as the page (the frame's height follows the view's size-changed notifications).
        height = self.page.evaluate("document.documentElement.scrollHeight")
        self.page.set_viewport_size({"width": 1320, "height": min(max(height, 200), 6000)})
        self.page.wait_for_timeout(100)  # one paint; a screenshot is never compared, so no wait is asserted
        self.page.screenshot(path=str(ARTIFACTS / f"{name}.png"))


@pytest.fixture
def show(browser: tuple[Any, str]) -> Iterator[Any]:
    running, url = browser
    contexts: list[Any] = []

    def _show(name: str, recorded: Recorded, theme: str = "light", styles: dict[str, Any] | None = None,
              result: dict[str, Any] | None = None, wait_for: str | None = "table tbody tr",
              clipboard: bool = True) -> Shown:  # fmt: skip
        context = running.new_context(viewport={"width": 1320, "height": 900}, color_scheme=theme)
        contexts.append(context)
        # The test reads the clipboard from the host page; the view may write to it only where the host allows.
        allowed = ["clipboard-read", "clipboard-write"] if clipboard else ["clipboard-read"]
        context.grant_permissions(allowed, origin=url.rsplit("/", 1)[0])
        page = context.new_page()
        console: list[str] = []
        requests: list[str] = []
        page.on("console", lambda message: console.append(f"{message.type}: {message.text}"))
        page.on("pageerror", lambda error: console.append(f"pageerror: {error}"))
        page.on("request", lambda request: requests.append(request.url))
        page.goto(url)
        if not clipboard:  # a host that does not honour the view's clipboardWrite permission
            page.evaluate("document.getElementById('view').removeAttribute('allow')")
        host_context: dict[str, Any] = {"theme": theme, "displayMode": "inline"}
        if styles:
            host_context["styles"] = styles
        page.evaluate(
            "([html, args, result, context]) => showView(html, args, result, context)",
            [document(name), recorded.args, result or recorded.result, host_context],
        )
        view = page.frame_locator("#view")
        if wait_for:
            view.locator(wait_for).first.wait_for(timeout=15_000)
        return Shown(page, view, console, requests)

    yield _show
    for context in contexts:
        context.close()


def _errors(shown: Shown) -> list[str]:
    return [line for line in shown.console if line.startswith(("error", "pageerror"))]


def _sorted_refs(rows: list[dict[str, Any]], key: str, reverse: bool) -> list[str]:
    """References ordered as the view sorts: by value, absent values last either way, ties as given."""
    present = [row for row in rows if row.get(key) is not None]
    absent = [row for row in rows if row.get(key) is None]
    return [row["reference"] for row in sorted(present, key=lambda row: row[key], reverse=reverse) + absent]


def test_suggestions_show_every_candidate_in_rank_order_and_sort_by_a_column(show: Any, recorded: dict[str, Recorded]) -> None:
    data = recorded["suggestions"].data
    candidates = data["candidates"]
    assert len(candidates) >= 3 and len({c["size_bytes"] for c in candidates}) > 1, "the recording must vary in size"
    shown = show("suggestions", recorded["suggestions"])
    rows = "table[data-table=candidates] tbody tr"
    assert shown.texts(f"{rows} td:nth-child(1)") == [str(c["rank"]) for c in candidates]
    assert shown.texts(f"{rows} td:nth-child(2) > code.ref") == [c["reference"] for c in candidates]
    assert shown.texts("h1") == [f"Base images: {data['request']}"]
    assert data["message"] in shown.view.locator("p.message").inner_text()
    rejected = data.get("rejected") or []
    assert shown.view.locator("table[data-table=rejected] tbody tr").count() == len(rejected)

    size_header = shown.view.locator("table[data-table=candidates] th", has_text="Size")
    size_header.locator("button").click()
    assert size_header.get_attribute("aria-sort") == "ascending"
    assert shown.view.locator("#status[role=status]").inner_text() == "Sorted by Size, ascending"
    assert shown.texts(f"{rows} td:nth-child(2) > code.ref") == _sorted_refs(candidates, "size_bytes", False)
    size_header.locator("button").click()
    assert size_header.get_attribute("aria-sort") == "descending"
    assert shown.texts(f"{rows} td:nth-child(2) > code.ref") == _sorted_refs(candidates, "size_bytes", True)
    assert not _errors(shown), shown.console
    shown.screenshot("suggestions-light")


def test_a_copy_button_puts_the_pinned_from_line_on_the_clipboard(show: Any, recorded: dict[str, Recorded]) -> None:
    first = recorded["suggestions"].data["candidates"][0]
    shown = show("suggestions", recorded["suggestions"])
    row = shown.view.locator("table[data-table=candidates] tbody tr").first
    button = row.locator("button.copy-btn")
    want = f"FROM {first['pinned_reference']}"
    assert "@sha256:" in want and button.get_attribute("data-copy") == want
    button.click()
    row.locator(".copied", has_text="Copied").wait_for(timeout=5_000)
    assert shown.page.evaluate("navigator.clipboard.readText()") == want


def test_the_dark_theme_and_the_hosts_style_variables_apply(show: Any, recorded: dict[str, Recorded]) -> None:
    def background(shown: Shown) -> tuple[int, ...]:
        css = shown.view.locator("body").evaluate("body => getComputedStyle(body).backgroundColor")
        return tuple(int(part) for part in re.findall(r"\d+", css)[:3])

    light = show("suggestions", recorded["suggestions"], theme="light")
    dark = show("suggestions", recorded["suggestions"], theme="dark")
    assert sum(background(light)) > 600 and sum(background(dark)) < 150, (background(light), background(dark))
    dark.screenshot("suggestions-dark")
    light.page.evaluate("sendContext({theme: 'dark'})")  # the host switches theme while the view is shown
    light.view.locator("html[data-theme=dark]").wait_for(timeout=5_000)
    assert sum(background(light)) < 150
    styled = show("suggestions", recorded["suggestions"], styles={"variables": {"--color-background-primary": "rgb(1, 2, 3)"}})
    assert background(styled) == (1, 2, 3)


def test_review_lines_sort_worst_verdict_first_and_copy_the_pinned_from_line_with_its_stage(
    show: Any, recorded: dict[str, Recorded]
) -> None:
    lines = recorded["review"].data["from_lines"]
    shown = show("review", recorded["review"])
    rows = "table[data-table=lines] tbody tr"
    assert shown.texts(f"{rows} td:nth-child(1)") == [str(line["line"]) for line in lines]
    assert shown.texts(f"{rows} td:nth-child(3)") == [line["verdict"] for line in lines]
    shown.view.locator("th", has_text="Verdict").locator("button").click()
    order = {"fail": 0, "warn": 1, "unknown": 2, "ok": 3, "skipped": 4}
    by_verdict = sorted(lines, key=lambda line: order[line["verdict"]])
    assert shown.texts(f"{rows} td:nth-child(1)") == [str(line["line"]) for line in by_verdict]
    pinned = [line for line in lines if line.get("refresh")]
    assert pinned, "the recording must have a line with a digest-pinned refresh"
    # the image alone, to put in place of the one on its line (which may carry --platform or COPY's paths)
    buttons = shown.view.locator("button.copy-btn")
    assert [b.get_attribute("data-copy") for b in buttons.all()] == [line["refresh"] for line in by_verdict if line.get("refresh")]
    labels = [b.get_attribute("aria-label") for b in buttons.all()]
    assert len(set(labels)) == len(labels) and all(label.startswith("Copy the pinned image for line ") for label in labels)
    assert not _errors(shown), shown.console
    shown.screenshot("review-light")
    show("review", recorded["review"], theme="dark").screenshot("review-dark")


def test_a_hostile_repository_description_stays_text(show: Any, recorded: dict[str, Recorded]) -> None:
    review = recorded["review"]
    evil = next(line for line in review.data["from_lines"] if line["original"] == "someuser/evil:1.0")
    assert any("<img src=x" in finding for finding in evil.get("findings", [])), "the description reaches the answer"
    shown = show("review", review)
    assert "<img src=x" in shown.view.locator("table[data-table=lines]").inner_text()
    _assert_inert(shown)


def test_markup_in_every_string_of_an_answer_stays_text(show: Any, recorded: dict[str, Recorded]) -> None:
    """Whatever field upstream text reaches (a tag, a label, a package name, a note), the view writes it as text."""
    for name in ("suggestions", "review", "comparison"):
        result = copy.deepcopy(recorded[name].result)
        result["structuredContent"] = _poison(result["structuredContent"])
        shown = show(name, recorded[name], result=result, wait_for="h1")
        assert HOSTILE in shown.view.locator("main").inner_text(), name
        _assert_inert(shown)


def _poison(value: Any) -> Any:
    if isinstance(value, str):
        return value + HOSTILE
    if isinstance(value, list):
        return [_poison(item) for item in value]
    if isinstance(value, dict):
        return {key: _poison(item) for key, item in value.items()}
    return value


def _assert_inert(shown: Shown) -> None:
    assert shown.view.locator("img").count() == 0
    assert shown.view.locator("script").count() == 1  # the view's own
    log = shown.host_log()
    assert "pwned" not in json.dumps(log)
    assert any(message.get("method") == "ui/notifications/size-changed" for message in log)
    assert not _errors(shown), shown.console


def test_the_comparison_shows_both_sides_and_the_differences(show: Any, recorded: dict[str, Recorded]) -> None:
    data = recorded["comparison"].data
    shown = show("comparison", recorded["comparison"])
    for side in ("before", "after"):
        card = shown.view.locator(f"[data-side={side}]")
        assert data[side]["reference"] in card.inner_text()
        assert card.locator("button.copy-btn").get_attribute("data-copy") == f"FROM {data[side]['pinned_reference']}"
    packages = data["packages"]
    listed = sum(len(packages.get(kind) or []) for kind in ("added", "removed", "upgraded", "downgraded", "changed"))
    assert shown.view.locator("table[data-table=packages] tbody tr").count() == listed > 0
    shown.view.locator("table[data-table=packages] th", has_text="Package").locator("button").click()
    names = shown.texts("table[data-table=packages] tbody tr td:nth-child(1)")
    assert names == sorted(names, key=str.lower)
    severities = shown.texts("table[data-table=vulnerabilities] tbody tr td:nth-child(1)")
    rank = ["critical", "high", "medium", "low", "none", "unknown"]
    assert severities and severities == sorted(severities, key=rank.index)
    settings = shown.texts("table[data-table=settings] tbody tr td:nth-child(1)")
    assert "env GONE" in settings and "user" in settings
    assert not _errors(shown), shown.console
    shown.screenshot("comparison-light")
    show("comparison", recorded["comparison"], theme="dark").screenshot("comparison-dark")


def test_a_view_asks_for_nothing_outside_itself(show: Any, recorded: dict[str, Recorded]) -> None:
    for name in ("suggestions", "review", "comparison"):
        shown = show(name, recorded[name])
        assert [url for url in shown.requests if not url.endswith("/host.html")] == [], name


def test_an_error_answer_is_shown_as_its_sentence(show: Any, recorded: dict[str, Recorded]) -> None:
    error = {"content": [{"type": "text", "text": "No repository 'nope' on Docker Hub: check the name."}], "isError": True}
    shown = show("suggestions", recorded["suggestions"], result=error, wait_for="p.error")
    assert shown.view.locator("p.error").inner_text() == "No repository 'nope' on Docker Hub: check the name."
    assert shown.view.locator("table").count() == 0


def test_the_views_policy_refuses_other_scripts_styles_and_connections(show: Any, recorded: dict[str, Recorded]) -> None:
    """Should markup ever get in, the page's Content-Security-Policy still runs only the view's own script."""
    shown = show("suggestions", recorded["suggestions"])
    frame = next(frame for frame in shown.page.frames if frame != shown.page.main_frame)
    origin = shown.page.url.rsplit("/", 1)[0]
    tried = frame.evaluate(
        """async (origin) => {
            const script = document.createElement("script");
            script.textContent = "window.ranInjected = true";
            document.body.append(script);
            const style = document.createElement("style");
            style.textContent = "body { background: rgb(9, 9, 9) !important; }";
            document.head.append(style);
            let fetched = "yes";
            try { await fetch(origin + "/host.html"); } catch (error) { fetched = "refused"; }
            return { ran: window.ranInjected === true, fetched, background: getComputedStyle(document.body).backgroundColor };
        }""",
        origin,
    )
    assert tried == {"ran": False, "fetched": "refused", "background": tried["background"]}
    assert tried["background"] != "rgb(9, 9, 9)"


def test_without_the_clipboard_permission_the_copy_button_still_copies_the_whole_line(
    show: Any, recorded: dict[str, Recorded]
) -> None:
    """A host that does not grant clipboard-write: the Clipboard API is refused, and the copy goes through the
    selection (execCommand), which a click allows."""
    want = f"FROM {recorded['suggestions'].data['candidates'][0]['pinned_reference']}"
    shown = show("suggestions", recorded["suggestions"], clipboard=False)
    row = shown.view.locator("table[data-table=candidates] tbody tr").first
    row.locator("button.copy-btn").click()
    row.locator(".copied", has_text="Copied").wait_for(timeout=5_000)
    assert shown.page.evaluate("navigator.clipboard.readText()") == want


def test_where_nothing_may_copy_the_whole_line_is_selected_for_the_person(show: Any, recorded: dict[str, Recorded]) -> None:
    want = f"FROM {recorded['suggestions'].data['candidates'][0]['pinned_reference']}"
    shown = show("suggestions", recorded["suggestions"], clipboard=False)
    frame = next(frame for frame in shown.page.frames if frame != shown.page.main_frame)
    # [simulated] a host whose sandbox refuses both ways of copying (the Clipboard API and execCommand).
    frame.evaluate(
        """() => {
            navigator.clipboard.writeText = () => Promise.reject(new Error("denied"));
            document.execCommand = () => false;
        }"""
    )
    row = shown.view.locator("table[data-table=candidates] tbody tr").first
    row.locator("button.copy-btn").click()
    row.locator(".copied", has_text="Ctrl+C").wait_for(timeout=5_000)
    field = row.locator("input.copy-field")
    assert field.input_value() == want
    assert field.evaluate("f => [f.selectionStart, f.selectionEnd, document.activeElement === f]") == [0, len(want), True]


def test_an_answer_missing_fields_shows_nothing_for_them_never_undefined(show: Any, recorded: dict[str, Recorded]) -> None:
    """A host may hand over an answer of another version, or cut short: absent stays blank, and nothing is
    offered for copying that is not there."""
    for name, keep in (("suggestions", "candidates"), ("review", "from_lines"), ("comparison", "before")):
        result = copy.deepcopy(recorded[name].result)
        data = result["structuredContent"]
        if name == "comparison":
            data["before"] = {"reference": data["before"]["reference"]}
            data["after"] = {}
        else:
            data[keep] = [{"reference": "python:3.12"} if name == "suggestions" else {"original": "python:3.12"}]
        shown = show(name, recorded[name], result=result, wait_for="h1")
        text = shown.view.locator("main").inner_text()
        assert "undefined" not in text and "null" not in text and "NaN" not in text, (name, text)
        copies = [b.get_attribute("data-copy") for b in shown.view.locator("button.copy-btn").all()]
        assert all("undefined" not in text for text in copies), copies
        assert not _errors(shown), shown.console
