"""Settings from flags and environment; --help lists every variable."""

from __future__ import annotations

import pytest

from hub_mcp.__main__ import build_parser, parse_settings
from hub_mcp.config import OPTIONS, load_settings


def test_defaults() -> None:
    settings = load_settings(environ={})
    assert settings.hub_url == "https://hub.docker.com"
    assert settings.registry_url == "https://registry-1.docker.io"
    assert settings.transport == "stdio" and not settings.has_credentials


def test_environment_and_flags_with_flags_winning() -> None:
    env = {
        "HUB_MCP_HUB_URL": "http://127.0.0.1:9/",
        "HUB_USERNAME": "alice",
        "HUB_PAT_TOKEN": "dckr_pat_x",
        "HUB_MCP_MAX_RETRIES": "5",
        "HUB_MCP_LOG_LEVEL": "debug",
    }
    settings = load_settings({"max_retries": 1}, environ=env)
    assert settings.hub_url == "http://127.0.0.1:9"  # trailing slash dropped
    assert settings.max_retries == 1
    assert settings.log_level == "DEBUG"
    assert settings.has_credentials
    assert "dckr_pat_x" not in repr(settings) and "dckr_pat_x" not in str(settings.model_dump())


def test_invalid_values_are_refused_by_the_command_line(capsys: pytest.CaptureFixture[str], monkeypatch) -> None:
    monkeypatch.setenv("HUB_MCP_HUB_URL", "ftp://nope")
    with pytest.raises(SystemExit):
        parse_settings([])
    assert "http:// or https://" in capsys.readouterr().err


def test_help_lists_every_environment_variable() -> None:
    text = build_parser().format_help()
    for option in OPTIONS:
        assert option.env in text
        if option.flag:
            assert option.flag in text
    assert "--pat" not in text  # the token never goes on a command line


def test_registry_credentials_parse_and_never_show() -> None:
    env = {
        "HUB_MCP_REGISTRY_CREDENTIALS": "ghcr.io=me:ghp_abc, localhost:5000=bob:pw:with:colons",
        "HUB_USERNAME": "alice",
        "HUB_PAT_TOKEN": "dckr_pat_x",
        "HUB_MCP_INSECURE_REGISTRIES": "reg.lan:5000, other.lan",
    }
    settings = load_settings(environ=env)
    assert settings.registry_logins() == {
        "ghcr.io": ("me", "ghp_abc"),
        "localhost:5000": ("bob", "pw:with:colons"),
        "docker.io": ("alice", "dckr_pat_x"),
    }
    assert settings.insecure_registries == ("reg.lan:5000", "other.lan")
    assert "ghp_abc" not in repr(settings)


def test_malformed_registry_credentials_are_refused_without_echoing_them() -> None:
    with pytest.raises(ValueError) as err:
        load_settings(environ={"HUB_MCP_REGISTRY_CREDENTIALS": "ghcr.io=ghp_secretonly"})
    assert "host=user:token" in str(err.value) and "ghp_secretonly" not in str(err.value)
