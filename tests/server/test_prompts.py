"""Prompts through mcp.Client: listed with described arguments, and the walk-throughs name the tools."""

from __future__ import annotations

import logging
from typing import Any

import pytest
from mcp import Client
from mcp.shared.exceptions import MCPError
from mcp.types import INVALID_PARAMS

DOCKERFILE = "ARG PY=3.8\nFROM python:${PY}-slim AS build\nFROM nginx:1.27\n"


async def test_prompts_are_listed_with_described_arguments(client: Client) -> None:
    prompts = {p.name: p for p in (await client.list_prompts()).prompts}
    assert {"choose-base-image", "audit-dockerfile", "explain-image"} <= set(prompts)
    for prompt in prompts.values():
        assert prompt.title and prompt.description, prompt.name
        assert prompt.arguments and all(a.description for a in prompt.arguments), prompt.name
    assert [(a.name, a.required) for a in prompts["audit-dockerfile"].arguments] == [
        ("dockerfile", True),
        ("platforms", False),
    ]
    assert [(a.name, a.required) for a in prompts["explain-image"].arguments] == [
        ("name", True),
        ("tag", False),
        ("namespace", False),
    ]


async def test_audit_dockerfile_reviews_then_edits(client: Client) -> None:
    result = await client.get_prompt("audit-dockerfile", {"dockerfile": DOCKERFILE, "platforms": "linux/arm64"})
    text = result.messages[0].content.text  # type: ignore[union-attr]
    assert DOCKERFILE.strip() in text and "linux/arm64" in text
    review, edits = text.index("review_base_images"), text.index("Propose the edits")
    assert review < edits and "unified diff" in text and "get_tag" in text


async def test_explain_image_uses_the_three_tools_on_one_reference(client: Client) -> None:
    result = await client.get_prompt("explain-image", {"name": "redis", "namespace": "bitnami", "tag": "8.2"})
    text = result.messages[0].content.text  # type: ignore[union-attr]
    assert "bitnami/redis:8.2" in text
    positions = [text.index(tool) for tool in ("get_repository", "get_tag", "inspect_image")]
    assert positions == sorted(positions)
    official = await client.get_prompt("explain-image", {"name": "python"})
    assert "python:latest" in official.messages[0].content.text  # type: ignore[union-attr]


@pytest.mark.parametrize(
    ("name", "arguments", "message"),
    [
        # issue 17: this answered "Internal server error" (in-process) and logged a traceback at ERROR
        (
            "explain-image",
            {},
            "explain-image needs the argument name (Repository, e.g. 'python' or 'bitnami/redis'): send it.",
        ),
        ("explain-image", {"name": ""}, "explain-image needs the argument name (Repository, e.g. 'python' or 'bitnami/redis'): send it."),
        (
            "explain-image",
            {"nme": "python"},
            "explain-image has no argument 'nme' (did you mean 'name'?): its arguments are name, tag, namespace.",
        ),
        (
            "audit-dockerfile",
            {"dockerfile": "FROM python\n", "platform": "linux/arm64"},
            "audit-dockerfile has no argument 'platform' (did you mean 'platforms'?): its arguments are dockerfile, platforms.",
        ),
        (
            "explain-imag",
            {"name": "python"},
            "hub-mcp has no prompt 'explain-imag' (did you mean 'explain-image'?):"
            " its prompts are choose-base-image, audit-dockerfile, explain-image.",
        ),
    ],
)
async def test_a_wrong_prompt_request_is_one_sentence_without_a_traceback(
    client: Client, name: str, arguments: dict[str, Any], message: str, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO)
    with pytest.raises(MCPError) as refused:
        await client.get_prompt(name, arguments)
    assert (refused.value.code, refused.value.message) == (INVALID_PARAMS, message)
    assert not [record for record in caplog.records if record.levelno >= logging.ERROR]
