"""--workers / HUB_MCP_WORKERS: a number of HTTP worker processes, refused where several cannot work."""

from __future__ import annotations

import pytest

from hub_mcp.__main__ import describe_http, parse_settings
from hub_mcp.config.settings import SettingError, load_settings

HTTP = {"HUB_MCP_TRANSPORT": "http"}


def test_one_worker_by_default_and_more_by_flag_or_variable() -> None:
    assert load_settings(environ=HTTP).workers == 1
    assert load_settings(environ={**HTTP, "HUB_MCP_WORKERS": "3"}).workers == 3
    settings = parse_settings(["--transport", "http", "--workers", "2"])
    assert settings.workers == 2
    assert "2 worker processes" in describe_http(settings)


@pytest.mark.parametrize("value", ["0", "65", "two", "1.5"])
def test_a_number_out_of_bounds_or_not_whole_is_refused_naming_the_variable(value: str) -> None:
    with pytest.raises(SettingError, match=r"^HUB_MCP_WORKERS=.*HUB_MCP_WORKERS=2"):
        load_settings(environ={**HTTP, "HUB_MCP_WORKERS": value})


def test_workers_serve_http_only() -> None:
    with pytest.raises(SettingError, match="serves HTTP only"):
        load_settings(environ={"HUB_MCP_WORKERS": "2"})


def test_stateful_sessions_cannot_be_spread_over_workers() -> None:
    with pytest.raises(SettingError, match="--stateful keeps each session in one process"):
        load_settings(environ={**HTTP, "HUB_MCP_WORKERS": "2", "HUB_MCP_STATEFUL": "1"})
    assert load_settings(environ={**HTTP, "HUB_MCP_WORKERS": "1", "HUB_MCP_STATEFUL": "1"}).stateful
