"""The placeholders the project ships for the Docker Hub login (claude_desktop_config.json, README,
examples/, the catalog entry) are not credentials: a user who copies the file and leaves them reads
anonymously, with one warning in the log, nothing sent to Hub and no notice on the answers."""

from __future__ import annotations

import json
import logging
import re
from pathlib import Path
from typing import Any

import httpx
import pytest
import yaml
from mcp import Client

from hub_mcp.config.settings import OPTIONS_BY_FIELD, SettingError, is_placeholder, load_settings
from hub_mcp.server import create_server
from tests.fakes.hub import FakeHub

ROOT = Path(__file__).resolve().parents[2]
ENVS = {"HUB_USERNAME": OPTIONS_BY_FIELD["username"], "HUB_PAT_TOKEN": OPTIONS_BY_FIELD["pat_token"]}
# `"HUB_USERNAME": "x"` (JSON), `HUB_USERNAME=x` (shell), `env: {HUB_PAT_TOKEN: x}` (YAML)
ASSIGNED = re.compile(r"\b(HUB_USERNAME|HUB_PAT_TOKEN)[\"'`]?\s*[:=]\s*[\"'`]?([^\s\"'`,}]+)")


def shipped_files() -> list[Path]:
    return [
        ROOT / "claude_desktop_config.json",
        ROOT / "README.md",
        *sorted(p for p in (ROOT / "examples").rglob("*") if p.is_file()),
        *sorted((ROOT / "catalog").rglob("*.yaml")),
    ]


def shipped_placeholders() -> set[tuple[str, str]]:
    """(variable, value) for every Docker Hub login value written in what the project ships."""
    found = {
        (name, value)
        for path in shipped_files()
        for name, value in ASSIGNED.findall(path.read_text(encoding="utf-8"))
        if not value.startswith("$")  # `-e HUB_PAT_TOKEN=$TOKEN`: the user's own value, not a placeholder
    }
    desktop = json.loads((ROOT / "claude_desktop_config.json").read_text())
    for server in desktop["mcpServers"].values():
        found |= {(name, value) for name, value in server.get("env", {}).items() if name in ENVS}
    for server_yaml in (ROOT / "catalog").rglob("server.yaml"):
        secrets = yaml.safe_load(server_yaml.read_text())["config"]["secrets"]
        found |= {(s["env"], s["example"]) for s in secrets if s["env"] in ENVS}
    return found


def test_the_shipped_desktop_config_and_catalog_example_are_among_what_is_checked() -> None:
    found = shipped_placeholders()
    assert {name for name, _ in found} == set(ENVS)
    desktop = json.loads((ROOT / "claude_desktop_config.json").read_text())["mcpServers"]["dockerhub"]["env"]
    assert {("HUB_USERNAME", desktop["HUB_USERNAME"]), ("HUB_PAT_TOKEN", desktop["HUB_PAT_TOKEN"])} <= found


@pytest.mark.parametrize("name, value", sorted(shipped_placeholders()))
def test_every_shipped_placeholder_counts_as_no_credentials(name: str, value: str) -> None:
    """Fails when a shipped file's placeholder changes and the rule no longer recognises it."""
    assert is_placeholder(ENVS[name], value), f"{name}={value} is shipped but not recognised as a placeholder"
    other = "HUB_PAT_TOKEN" if name == "HUB_USERNAME" else "HUB_USERNAME"
    environ = {name: value, other: ENVS[other].sample or ""}
    settings = load_settings({}, environ)
    assert not settings.has_credentials and settings.username is None and settings.pat_token is None
    warning = settings.placeholder_warning()
    assert warning is not None and f"{name}={value}" in warning


def test_real_values_are_not_placeholders() -> None:
    settings = load_settings({}, {"HUB_USERNAME": "alice", "HUB_PAT_TOKEN": "dckr_pat_real_one"})
    assert settings.has_credentials and settings.placeholder_warning() is None
    assert not is_placeholder(ENVS["HUB_PAT_TOKEN"], "dckr_pat_")  # only the placeholder itself


def test_a_placeholder_username_with_a_real_token_is_refused_in_one_sentence() -> None:
    with pytest.raises(SettingError) as refused:
        load_settings({}, {"HUB_USERNAME": " your-docker-id ", "HUB_PAT_TOKEN": "dckr_pat_real_s3cret"})
    message = str(refused.value)
    assert "example value your-docker-id" in message and "Docker ID that owns the token" in message
    assert "s3cret" not in message and "\n" not in message


async def test_left_placeholders_read_anonymously_with_one_warning_and_no_notice(
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.WARNING)
    desktop = json.loads((ROOT / "claude_desktop_config.json").read_text())["mcpServers"]["dockerhub"]["env"]
    settings = load_settings({"no_docker_config": "1"}, {**desktop, "HUB_MCP_HUB_URL": "https://hub.docker.com"})
    hub = FakeHub()
    server = create_server(settings, hub_transport=httpx.ASGITransport(app=hub.app))
    answers: list[dict[str, Any]] = []
    async with Client(server) as client:
        for args in ({"repository": "python"}, {"repository": "node"}):
            result = await client.call_tool("get_repository", args)
            assert not result.is_error, result.content
            answers.append(result.structured_content or {})
    assert all("notices" not in answer for answer in answers)
    assert not [r for r in hub.requests if "auth" in r.path or "login" in r.path]  # nothing sent to Hub
    warnings = [r.getMessage() for r in caplog.records if r.levelno >= logging.WARNING]
    assert len(warnings) == 1 and "placeholders from hub-mcp's examples" in warnings[0], warnings
