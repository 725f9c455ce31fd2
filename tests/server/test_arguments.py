"""How every tool takes its arguments (hub_mcp/server/tool_calls.py), through mcp.Client in both modes.

A JSON null for an optional argument is the same as leaving it out: those cases are taken from
the reviewed schemas (schema_snapshot.json, which test_schema_snapshot keeps equal to the live
ones), so a new tool or argument is covered as soon as it exists. An invalid argument is refused
with one sentence that names it and says what to send instead, checked word for word.
"""

from __future__ import annotations

import json
import logging
import re
from collections.abc import AsyncIterator
from datetime import date
from pathlib import Path
from typing import Any

import httpx
import pytest
from mcp import Client
from mcp.types import CallToolResult

from hub_mcp.server import create_server
from tests.conftest import Pushed
from tests.fakes.hub import FakeHub
from tests.fakes.osv import FakeOsv
from tests.server.conftest import ORDERING_READINGS, make_settings

SCHEMAS: dict[str, dict[str, Any]] = {
    tool["name"]: tool["input_schema"]
    for tool in json.loads(Path(__file__).with_name("schema_snapshot.json").read_text())
}

# Arguments with which each tool answers (no error), so a null that changed anything would show.
WORKING: dict[str, dict[str, Any]] = {
    "search_images": {"query": "python", "limit": 3},
    "get_repository": {"repository": "python"},
    "list_tags": {"repository": "python", "name": "3.13-slim", "limit": 3},
    "get_tag": {"repository": "python:3.13-slim"},
    "inspect_image": {"reference": "python:3.12"},
    "list_image_packages": {"reference": "python:3.12", "limit": 5},
    "get_image_provenance": {"reference": "python:3.12"},
    "list_image_vulnerabilities": {"reference": "python:3.12", "limit": 5},
    "compare_images": {"before": "python:3.12", "after": "python:3.12", "platform": "linux/arm64"},
    "suggest_base_images": {"runtime": "python", "limit": 2},
    "review_base_images": {"reference": "python:3.8-slim"},
    # the management tools answer alice (credentials: see CREDENTIALED); deletions without an eliciting
    # client answer deleted=false with what would go, so they repeat; create_repository is undone between calls
    "list_namespaces": {},
    "list_repositories": {"namespace": "library", "limit": 2},
    "create_repository": {"name": "made-by-test", "description": "d"},
    "update_repository": {"repository": "alice/private-app", "description": "d"},
    "delete_tag": {"repository": "alice/private-app", "tag": "latest"},
    "delete_repository": {"repository": "alice/private-app"},
    "plan_tag_cleanup": {"repository": "alice/private-app", "older_than_days": 30},
    # the plan of the line above (the client fixture makes it first): without an eliciting client the answer is
    # applied=false with how to confirm, so it repeats
    "apply_tag_cleanup": {"plan_id": ""},
    "get_rate_limit": {},
}
# Where leaving an argument out of WORKING would leave the tool without its input.
WORKING_WITHOUT = {
    ("suggest_base_images", "runtime"): {"image": "python", "limit": 2},
    ("review_base_images", "reference"): {"dockerfile": "FROM python:3.12-slim\n"},
    ("update_repository", "description"): {"repository": "alice/private-app", "readme": "r"},
    ("plan_tag_cleanup", "older_than_days"): {"repository": "alice/private-app", "keep_newest": 1},
}
#: Tools that answer only with credentials: their calls run as alice, with a token that may write.
CREDENTIALED = {
    "list_namespaces",
    "list_repositories",
    "create_repository",
    "update_repository",
    "delete_tag",
    "delete_repository",
    "plan_tag_cleanup",
    "apply_tag_cleanup",
}
ALICE_PAT = "dckr_pat_alice_arguments_test"


def undo(hub: FakeHub, tool: str) -> None:
    """create_repository cannot answer the same twice: forget what the first call created."""
    if tool == "create_repository":
        hub.catalog.repositories = [r for r in hub.catalog.repositories if r.full_name != "alice/made-by-test"]

OPTIONAL = [
    (tool, argument)
    for tool, schema in SCHEMAS.items()
    for argument in schema["properties"]
    if argument not in schema.get("required", [])
]


@pytest.fixture
def reading() -> str:
    """Argument checking never reads Docker Hub's ``ordering``: these tests run under the documented
    reading only (half the time), except where a test says otherwise with ``parametrize("reading", ...)``."""
    return "documented"


@pytest.fixture
def hub(reading: str) -> FakeHub:
    return FakeHub(users={"alice": ALICE_PAT}, scopes={"alice": "repo:admin"}, ordering_convention=reading)  # type: ignore[arg-type]


@pytest.fixture
async def client(hub: FakeHub, registry: Pushed, mode: str, request: pytest.FixtureRequest) -> AsyncIterator[Client]:
    """Tags from the fake Hub API, image configs from a real registry (python:3.12 is in both).
    The management tools' calls run with alice's credentials (CREDENTIALED)."""
    callspec = getattr(request.node, "callspec", None)
    tool = callspec.params.get("tool") if callspec else None
    credentials = {"username": "alice", "pat_token": ALICE_PAT} if tool in CREDENTIALED else {}
    server = create_server(
        make_settings(registry_url=registry.registry.url, **credentials),
        hub_transport=httpx.ASGITransport(app=hub.app),
        osv_transport=FakeOsv().transport(),
        today=date(2026, 11, 26),
    )
    async with Client(server, mode=mode) as c:
        if tool == "apply_tag_cleanup":  # the plan it applies
            planned = await c.call_tool("plan_tag_cleanup", WORKING["plan_tag_cleanup"])
            assert planned.structured_content is not None
            WORKING["apply_tag_cleanup"]["plan_id"] = planned.structured_content["plan_id"]
        yield c


def seen(result: CallToolResult) -> tuple[bool, list[str], Any]:
    """Everything the model receives from a call."""
    return result.is_error, [block.text for block in result.content], result.structured_content


def test_every_tool_has_working_arguments() -> None:
    assert set(WORKING) == set(SCHEMAS), "add the new tool to WORKING"


@pytest.mark.parametrize(("tool", "argument"), OPTIONAL, ids=[f"{t}.{a}" for t, a in OPTIONAL])
async def test_null_for_an_optional_argument_is_the_same_as_leaving_it_out(
    client: Client, hub: FakeHub, tool: str, argument: str
) -> None:
    base = WORKING_WITHOUT.get((tool, argument), WORKING[tool])
    without = {key: value for key, value in base.items() if key != argument}
    absent = await client.call_tool(tool, without)
    assert not absent.is_error, absent.content[0].text
    undo(hub, tool)
    null = await client.call_tool(tool, {**without, argument: None})
    assert seen(null) == seen(absent)


#: Tools whose answer is a live reading that changes from one call to the next (a budget counted down, the time it
#: was read) and that take no argument to null: two calls are not compared.
LIVE = {"get_rate_limit"}


@pytest.mark.parametrize("tool", sorted(set(SCHEMAS) - LIVE))
async def test_null_for_every_optional_argument_at_once(client: Client, hub: FakeHub, tool: str) -> None:
    base = WORKING[tool]
    nulls = {argument: None for t, argument in OPTIONAL if t == tool and argument not in base}
    with_nulls = seen(await client.call_tool(tool, {**base, **nulls}))
    undo(hub, tool)
    assert with_nulls == seen(await client.call_tool(tool, base))
    assert not with_nulls[0], with_nulls[1]


@pytest.mark.parametrize(
    ("tool", "arguments", "words"),
    [
        # The calls of issue 7, which failed with "Error executing tool" and a traceback.
        ("get_tag", {"repository": "python:3.12", "tag": None}, '"reference":"python:3.12"'),
        ("get_tag", {"repository": "python", "tag": None}, "No tag given"),
        ("list_tags", {"repository": "python", "architecture": None, "limit": 2}, '"size_platform":"linux/amd64"'),
        ("list_tags", {"repository": "python", "limit": None}, '"next_page":2'),
        ("suggest_base_images", {"runtime": None, "image": "python", "limit": 1}, '"rank":1'),
    ],
)
async def test_the_null_calls_that_failed_now_answer(
    client: Client, tool: str, arguments: dict[str, Any], words: str
) -> None:
    result = await client.call_tool(tool, arguments)
    text = result.content[0].text
    assert words in text and text != f"Error executing tool {tool}"


@pytest.mark.parametrize("reading", ORDERING_READINGS)  # "most recently pushed first" must hold under both
async def test_null_ordering_and_limit_take_their_defaults(client: Client) -> None:
    null = await client.call_tool("list_tags", {"repository": "python", "ordering": None, "limit": None})
    assert not null.is_error, null.content[0].text
    tags = null.structured_content["tags"]
    assert len(tags) == 25  # limit's default
    pushed = [tag["last_pushed"] for tag in tags]
    assert pushed == sorted(pushed, reverse=True)  # ordering's default: most recently pushed first


async def test_null_for_a_required_argument_is_reported_as_missing(client: Client) -> None:
    result = await client.call_tool("get_repository", {"repository": None})
    assert result.is_error
    assert result.content[0].text == "repository is required: send a non-empty string of at most 300 characters."


NULLABLE = [
    (tool, argument)
    for tool, argument in OPTIONAL
    if {"type": "null"} in SCHEMAS[tool]["properties"][argument].get("anyOf", [])
]


@pytest.mark.parametrize(("tool", "argument"), NULLABLE, ids=[f"{t}.{a}" for t, a in NULLABLE])
async def test_the_string_null_for_a_nullable_argument_is_the_same_as_leaving_it_out(
    client: Client, hub: FakeHub, tool: str, argument: str
) -> None:
    """The SDK parses "null" to None for arguments that are not plain strings; None must then mean absent."""
    base = WORKING_WITHOUT.get((tool, argument), WORKING[tool])
    without = {key: value for key, value in base.items() if key != argument}
    string_null = seen(await client.call_tool(tool, {**without, argument: "null"}))
    undo(hub, tool)
    assert string_null == seen(await client.call_tool(tool, without))



# --- invalid arguments: one sentence, naming the argument, saying what to send -----------

INVALID: list[tuple[str, dict[str, Any], str]] = [
    ("search_images", {}, "query is required: send a non-empty string of at most 100 characters."),
    ("search_images", {"query": "x" * 5000}, "query is too long (5000 characters): send at most 100 characters."),
    ("search_images", {"query": "py", "limit": 500}, "limit must be between 1 and 50 (got 500): send a number in that range."),
    (
        "search_images",
        {"query": "py", "limit": "ten"},
        'limit must be a whole number (got "ten"): send a whole number from 1 to 50.',
    ),
    (
        "search_images",
        {"query": "py", "badges": ["offical"]},
        'badges[0] must be one of "official", "verified_publisher", "open_source", "hardened", "community"'
        ' (got "offical"): send one of these.',
    ),
    (
        "search_images",
        {"query": "py", "os": "mac", "page": 0},
        'os must be one of "linux", "windows" (got "mac"): send one of these;'
        " page must be between 1 and 2500 (got 0): send a number in that range.",
    ),
    ("get_repository", {"repository": ""}, "repository is empty: send a non-empty string of at most 300 characters."),
    (
        "get_repository",
        {"repository": ["python"]},
        "repository must be a string (got a list of 1 item(s)): send a non-empty string of at most 300 characters.",
    ),
    (
        "get_repository",
        {"repository": "python", "include_readme": "maybe"},
        'include_readme must be true or false (got "maybe"): send a JSON boolean.',
    ),
    (
        "get_repository",
        {"repository": "python", "readme_max_chars": 10},
        "readme_max_chars must be between 200 and 20000 (got 10): send a number in that range.",
    ),
    ("list_tags", {"repository": "python", "page": 9999}, "page must be between 1 and 2500 (got 9999): send a number in that range."),
    ("list_tags", {"repository": "python", "limit": 0}, "limit must be between 1 and 100 (got 0): send a number in that range."),
    (
        "list_tags",
        {"repository": "python", "ordering": "-last_updated"},
        'ordering must be one of "newest", "oldest", "name", "name_desc" (got "-last_updated"): send one of these.',
    ),
    ("list_tags", {"repository": "python", "name": "x" * 200}, "name is too long (200 characters): send at most 128 characters."),
    (
        "list_tags",
        {"repository": "python", "architecture": 64},
        'architecture must be a JSON string, not the number 64 (numbers lose digits: 3.10 arrives as 3.1):'
        ' send it in quotes, e.g. "arm64".',
    ),
    (
        "get_tag",
        {"repository": "python", "tag": 3.10},
        'tag must be a JSON string, not the number 3.1 (numbers lose digits: 3.10 arrives as 3.1):'
        ' send it in quotes, e.g. "3.10".',
    ),
    ("get_tag", {"repository": "python", "tag": True}, 'tag must be a JSON string, not true: send it in quotes, e.g. "3.10".'),
    ("get_tag", {"repository": "python", "tag": ""}, "tag is empty: send a non-empty string of at most 128 characters."),
    (
        "get_tag",
        {"repository": "python", "tag": {"name": "3.12"}},
        "tag must be a string (got an object with 1 key(s)): send a non-empty string of at most 128 characters.",
    ),
    ("get_tag", {"tag": "3.12"}, "repository is required: send a non-empty string of at most 300 characters."),
    ("inspect_image", {}, "reference is required: send a non-empty string of at most 400 characters."),
    ("list_image_packages", {}, "reference is required: send a non-empty string of at most 400 characters."),
    ("list_image_packages", {"reference": "python:3.12", "limit": 0},
     "limit must be between 1 and 200 (got 0): send a number in that range."),
    ("list_image_packages", {"reference": "python:3.12", "type": "d" * 40},
     "type is too long (40 characters): send at most 32 characters."),
    ("list_image_packages", {"reference": "python:3.12", "name": 3},
     'name must be a JSON string, not the number 3 (numbers lose digits: 3.10 arrives as 3.1): send it in quotes,'
     ' e.g. "openssl".'),
    # the argument model is lax: without the JSON-type check these were read as 1, page 2 and true
    ("list_image_packages", {"reference": "python:3.12", "limit": True},
     "limit must be a whole number (got true): send a whole number from 1 to 200."),
    ("list_image_packages", {"reference": "python:3.12", "page": "2"},
     'page must be a whole number (got "2"): send a whole number from 1 to 2500.'),
    ("list_image_vulnerabilities", {"reference": "python:3.12", "fixable": "yes"},
     'fixable must be true or false (got "yes"): send a JSON boolean.'),
    ("list_image_vulnerabilities", {"reference": "python:3.12", "fixable": 1, "limit": False},
     "fixable must be true or false (got 1): send a JSON boolean; limit must be a whole number (got false): send a"
     " whole number from 1 to 50."),
    ("compare_images", {"before": "python:3.12"}, "after is required: send a non-empty string of at most 400 characters."),
    ("compare_images", {"before": "python:3.12", "after": "python:3.13", "packages": "no"},
     'packages must be true or false (got "no"): send a JSON boolean.'),
    ("compare_images", {"before": "python:3.12", "after": 3.13},
     'after must be a JSON string, not the number 3.13 (numbers lose digits: 3.10 arrives as 3.1): send it in'
     ' quotes, e.g. "python:3.13-slim".'),
    ("compare_images", {"before": "", "after": "python:3.13"},
     "before is empty: send a non-empty string of at most 400 characters."),
    ("get_image_provenance", {}, "reference is required: send a non-empty string of at most 400 characters."),
    ("get_image_provenance", {"reference": "python:3.12", "platform": 64},
     'platform must be a JSON string, not the number 64 (numbers lose digits: 3.10 arrives as 3.1): send it in'
     ' quotes, e.g. "linux/arm64".'),
    ("get_image_provenance", {"reference": 12},
     'reference must be a JSON string, not the number 12 (numbers lose digits: 3.10 arrives as 3.1): send it in'
     ' quotes, e.g. "python:3.12-slim".'),
    ("list_image_vulnerabilities", {}, "reference is required: send a non-empty string of at most 400 characters."),
    ("list_image_vulnerabilities", {"reference": "python:3.12", "min_severity": "severe"},
     'min_severity must be one of "critical", "high", "medium", "low" (got "severe"): send one of these.'),
    ("list_image_vulnerabilities", {"reference": "python:3.12", "limit": 500},
     "limit must be between 1 and 50 (got 500): send a number in that range."),
    ("list_image_vulnerabilities", {"reference": "python:3.12", "fixable": "yes please"},
     'fixable must be true or false (got "yes please"): send a JSON boolean.'),
    (
        "inspect_image",
        {"reference": "python:3.12", "platform": 64},
        'platform must be a JSON string, not the number 64 (numbers lose digits: 3.10 arrives as 3.1):'
        ' send it in quotes, e.g. "linux/arm64".',
    ),
    (
        "inspect_image",
        {"reference": "python:3.12", "platform": "x" * 100},
        "platform is too long (100 characters): send at most 40 characters.",
    ),
    (
        "suggest_base_images",
        {"runtime": "python", "purpose": "prod"},
        'purpose must be one of "runtime", "build", "dev" (got "prod"): send one of these.',
    ),
    (
        "suggest_base_images",
        {"runtime": "python", "priorities": ["fast"]},
        'priorities[0] must be one of "small", "secure", "compatible", "hardened" (got "fast"): send one of these.',
    ),
    (
        "suggest_base_images",
        {"runtime": "python", "platforms": ["linux/amd64"] * 7},
        "platforms has too many items (7): send at most 6 items.",
    ),
    (
        "suggest_base_images",
        {"runtime": "python", "limit": 11, "libc": "uclibc"},
        'libc must be one of "glibc", "musl" (got "uclibc"): send one of these;'
        " limit must be between 1 and 10 (got 11): send a number in that range.",
    ),
    (
        "review_base_images",
        {"reference": "python", "build_args": {"PY": 3.12}},
        'build_args["PY"] must be a string (got 3.12): send a string of at most 500 characters.',
    ),
    (
        "review_base_images",
        {"reference": "python", "build_args": ["PY=3.12"]},
        "build_args must be an object (got a list of 1 item(s)):"
        " send an object whose values are each a string of at most 500 characters.",
    ),
    (
        "review_base_images",
        {"dockerfile": "FROM python\n" * 20_000},
        "dockerfile is too long (240000 characters): send at most 200000 characters.",
    ),
    (
        "review_base_images",
        {"reference": "python", "platforms": [None]},
        "platforms[0] must be a string (got null): send a string of at most 40 characters.",
    ),
    (
        "review_base_images",
        {"reference": "python", "vulnerabilities": "maybe"},
        'vulnerabilities must be true or false (got "maybe"): send a JSON boolean.',
    ),
    # the management tools (issue 9)
    ("list_repositories", {"limit": 0}, "limit must be between 1 and 100 (got 0): send a number in that range."),
    (
        "list_repositories",
        {"ordering": "-pull_count"},
        'ordering must be one of "newest", "oldest", "most_pulled", "least_pulled", "name", "name_desc"'
        ' (got "-pull_count"): send one of these.',
    ),
    (
        "list_repositories",
        {"namespace": 42},
        'namespace must be a JSON string, not the number 42 (numbers lose digits: 3.10 arrives as 3.1):'
        ' send it in quotes, e.g. "acme".',
    ),
    ("create_repository", {}, "name is required: send a non-empty string of at most 255 characters."),
    (
        "create_repository",
        {"name": "shop", "description": "d" * 101},
        "description is too long (101 characters): send at most 100 characters.",
    ),
    (
        "create_repository",
        {"name": "shop", "private": "maybe"},
        'private must be true or false (got "maybe"): send a JSON boolean.',
    ),
    (
        "update_repository",
        {"repository": "alice/shop", "status": "deleted"},
        'status must be one of "active", "archived" (got "deleted"): send one of these.',
    ),
    (
        "update_repository",
        {"repository": 5},
        'repository must be a JSON string, not the number 5 (numbers lose digits: 3.10 arrives as 3.1):'
        ' send it in quotes, e.g. "alice/my-app".',
    ),
    (
        "update_repository",
        {"repository": "alice/shop", "readme": "r" * 25001},
        "readme is too long (25001 characters): send at most 25000 characters.",
    ),
    (
        "delete_tag",
        {"repository": "alice/shop", "tag": 1.0},
        'tag must be a JSON string, not the number 1.0 (numbers lose digits: 3.10 arrives as 3.1):'
        ' send it in quotes, e.g. "v1.2.0".',
    ),
    ("delete_tag", {"repository": "alice/shop"}, "tag is required: send a non-empty string of at most 128 characters."),
    (
        "delete_tag",
        {"repository": "alice/shop", "tag": "v1", "confirm": 7},
        'confirm must be a JSON string, not the number 7 (numbers lose digits: 3.10 arrives as 3.1):'
        ' send it in quotes, e.g. "alice/my-app".',
    ),
    ("delete_repository", {}, "repository is required: send a non-empty string of at most 300 characters."),
    (
        "plan_tag_cleanup",
        {"repository": "alice/x", "older_than_days": -1},
        "older_than_days must be between 0 and 36500 (got -1): send a number in that range.",
    ),
    (
        "plan_tag_cleanup",
        {"repository": "alice/x", "keep": "v*"},
        'keep must be a list (got "v*"): send a list of up to 20 items, each a non-empty string of at most 128'
        " characters.",
    ),
    (
        "plan_tag_cleanup",
        {"repository": "alice/x", "keep_newest": "5"},
        'keep_newest must be a whole number (got "5"): send a whole number from 0 to 10000.',
    ),
    (
        "plan_tag_cleanup",
        {"repository": "alice/private-app"},
        "older_than_days, not_pulled_days or keep_newest: give at least one of them (e.g. older_than_days=90).",
    ),
    ("apply_tag_cleanup", {}, "plan_id is required: send a non-empty string of at most 40 characters."),
    (
        "apply_tag_cleanup",
        {"plan_id": 5},
        'plan_id must be a JSON string, not the number 5 (numbers lose digits: 3.10 arrives as 3.1): send it in'
        ' quotes, e.g. "cleanup-0123456789abcdef".',
    ),
    (
        "apply_tag_cleanup",
        {"plan_id": "cleanup-0123456789abcdef", "confirm": ["x"]},
        "confirm must be a string (got a list of 1 item(s)): send a string of at most 40 characters.",
    ),
    (
        "delete_repository",
        {"repository": "alice/shop", "confirm": ["alice/shop"]},
        "confirm must be a string (got a list of 1 item(s)): send a string of at most 300 characters.",
    ),
    (
        "delete_repository",
        {"repository": "x" * 400},
        "repository is too long (400 characters): send at most 300 characters.",
    ),
]


def assert_one_sentence_naming(message: str, argument: str) -> None:
    """The shape every argument error has: one line, one sentence, the argument first, no dump."""
    assert "\n" not in message and message.endswith(".") and len(message) < 300, message
    assert not re.search(r"[.!?] [A-Z]", message), f"more than one sentence: {message}"
    assert message.startswith(argument), message
    for leak in ("pydantic", "type=", "input_value", "http", "validation error", "Error executing"):
        assert leak not in message, f"{leak!r} in {message}"


def test_every_tool_has_invalid_argument_cases() -> None:
    for tool in SCHEMAS:
        if not SCHEMAS[tool]["properties"]:
            continue  # no argument to get wrong (list_namespaces)
        assert sum(case[0] == tool for case in INVALID) >= 3, f"add invalid-argument cases for {tool}"


@pytest.mark.parametrize(("tool", "arguments", "message"), INVALID, ids=[f"{c[0]}-{i}" for i, c in enumerate(INVALID)])
async def test_an_invalid_argument_is_one_sentence_saying_what_to_send(
    client: Client, tool: str, arguments: dict[str, Any], message: str, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO)
    result = await client.call_tool(tool, arguments)
    assert result.is_error and result.structured_content is None
    assert result.content[0].text == message
    argument = re.match(r"\w+", message)
    assert argument is not None and argument.group() in SCHEMAS[tool]["properties"]
    assert_one_sentence_naming(result.content[0].text, argument.group())
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR]  # a refusal, not a crash: no traceback


async def test_a_huge_value_is_described_never_echoed(client: Client) -> None:
    result = await client.call_tool("list_tags", {"repository": "python", "ordering": "n" * 10_000})
    message = result.content[0].text
    assert message.startswith("ordering must be one of") and "(got a string of 10000 characters)" in message
    assert "nnnnn" not in message
    result = await client.call_tool("get_tag", {"repository": "python", "tag": 10**30})
    assert result.content[0].text.startswith("tag must be a JSON string, not a number of more than 20 digits")


# --- unknown arguments and tool names: refused, naming the one meant (issue 17) ---------

UNKNOWN: list[tuple[str, dict[str, Any], str]] = [
    # the calls of issue 17: page_size was dropped (a default page answered), tga too ("No tag given")
    (
        "list_tags",
        {"repository": "python", "page_size": 1000},
        "list_tags has no argument 'page_size' (did you mean 'limit'?):"
        " its arguments are repository, name, architecture, os, ordering, limit, page.",
    ),
    ("get_tag", {"repository": "python", "tga": "3.12"}, "get_tag has no argument 'tga' (did you mean 'tag'?): its arguments are repository, tag."),
    (
        "get_repository",
        {"repository": "python", "colour": "red", "includeReadme": True},
        "get_repository has no arguments 'colour', 'includeReadme' (did you mean 'include_readme'?):"
        " its arguments are repository, include_readme, readme_max_chars.",
    ),
    (
        "inspect_image",
        {"reference": "python:3.12", "x" * 100: 1},
        "inspect_image has no argument '" + "x" * 80 + "…' (100 characters): its arguments are reference, platform.",
    ),
    ("list_namespaces", {"namespace": "alice"}, "list_namespaces takes no arguments: call it with none."),
    ("get_rate_limit", {"refresh": True}, "get_rate_limit takes no arguments: call it with none."),
    ("get_rate_limit", {"repository": "python"}, "get_rate_limit takes no arguments: call it with none."),
    ("get_rate_limit", {"registry": "ghcr.io"}, "get_rate_limit takes no arguments: call it with none."),
]


@pytest.mark.parametrize(("tool", "arguments", "message"), UNKNOWN, ids=[f"{c[0]}-{i}" for i, c in enumerate(UNKNOWN)])
async def test_an_unknown_argument_is_refused_naming_the_one_meant(
    client: Client, hub: FakeHub, tool: str, arguments: dict[str, Any], message: str
) -> None:
    before = len(hub.requests)
    result = await client.call_tool(tool, arguments)
    assert result.is_error and result.structured_content is None
    assert result.content[0].text == message
    assert len(hub.requests) == before  # refused before the tool ran: nothing was asked of Docker Hub


async def test_an_unknown_argument_sent_as_null_is_left_out_like_any_null(client: Client) -> None:
    """A null means "not set" (see above), for a name the tool does not have too."""
    with_null = await client.call_tool("get_tag", {"repository": "python:3.12", "tga": None})
    assert seen(with_null) == seen(await client.call_tool("get_tag", {"repository": "python:3.12"}))
    assert not with_null.is_error


async def test_every_input_schema_says_it_takes_no_other_arguments(client: Client) -> None:
    listed = (await client.list_tools()).tools
    assert listed and all(tool.input_schema.get("additionalProperties") is False for tool in listed)


@pytest.mark.parametrize(
    ("name", "words"),
    [
        ("get_tags", "hub-mcp has no tool 'get_tags' (did you mean 'get_tag'?): its tools are search_images,"),
        ("docker_search", "hub-mcp has no tool 'docker_search': its tools are search_images,"),
        # a tool this server withholds (no credentials) is suggested; calling it says why it is not offered
        ("delete_tags", "hub-mcp has no tool 'delete_tags' (did you mean 'delete_tag'?): its tools are"),
    ],
)
async def test_an_unknown_tool_is_refused_naming_the_one_meant(client: Client, name: str, words: str) -> None:
    result = await client.call_tool(name, {})
    text = result.content[0].text
    assert result.is_error and text.startswith(words) and text.endswith(".") and "\n" not in text
    assert "get_tag, inspect_image" in text  # the tools it offers
