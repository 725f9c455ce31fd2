"""Prompts through mcp.Client: listed with described arguments, and the walk-throughs name the tools."""

from __future__ import annotations

from mcp import Client

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
