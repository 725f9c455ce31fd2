"""The OAuth settings: what they default to, what goes together and what does not, each refusal one line."""

from __future__ import annotations

import pytest

from hub_mcp.__main__ import describe_http, main, parse_settings
from hub_mcp.config.settings import SettingError, Settings, load_settings

ISSUER = "https://login.example.com/realms/team"
AUDIENCE = "https://mcp.example.com/mcp"
TOKEN = "client-token-s3cret-0123456789abcdef"


def test_an_issuer_with_an_audience_serves_beyond_loopback_without_a_static_token() -> None:
    settings = load_settings(
        {"transport": "http", "host": "0.0.0.0"},
        {"HUB_MCP_OAUTH_ISSUER": ISSUER, "HUB_MCP_OAUTH_AUDIENCE": AUDIENCE},
    )
    assert settings.oauth_issuer == ISSUER and settings.oauth_audience == AUDIENCE
    assert (settings.oauth_scope, settings.oauth_write_scope) == ("hub-mcp", "hub-mcp:write")
    assert settings.resource_url == AUDIENCE  # the audience is a URL: it names the resource too
    line = describe_http(settings)
    assert f"clients need an access token from {ISSUER} with scope hub-mcp" in line


def test_flags_set_the_scopes_and_the_resource() -> None:
    settings = parse_settings(
        [
            "--transport", "http", "--oauth-issuer", ISSUER, "--oauth-audience", "api://hub-mcp",
            "--oauth-resource", AUDIENCE, "--oauth-scope", "mcp.read", "--oauth-write-scope", "mcp.write",
        ]
    )  # fmt: skip
    assert (settings.oauth_scope, settings.oauth_write_scope) == ("mcp.read", "mcp.write")
    assert settings.oauth_audience == "api://hub-mcp" and settings.resource_url == AUDIENCE


def test_a_static_token_and_an_issuer_together_stop_the_server_with_one_line(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("HUB_MCP_AUTH_TOKEN", TOKEN)
    monkeypatch.setenv("HUB_MCP_OAUTH_ISSUER", ISSUER)
    monkeypatch.setenv("HUB_MCP_OAUTH_AUDIENCE", AUDIENCE)
    with pytest.raises(SystemExit) as stopped:
        main(["--transport", "http"])
    err = capsys.readouterr().err
    assert stopped.value.code == 2 and err.count("\n") == 1
    assert "HUB_MCP_AUTH_TOKEN and HUB_MCP_OAUTH_ISSUER are both set" in err and TOKEN not in err


@pytest.mark.parametrize(
    ("values", "said"),
    [
        ({"oauth_issuer": ISSUER}, "HUB_MCP_OAUTH_ISSUER needs HUB_MCP_OAUTH_AUDIENCE"),
        ({"oauth_audience": AUDIENCE}, "HUB_MCP_OAUTH_AUDIENCE is set but HUB_MCP_OAUTH_ISSUER is not"),
        ({"oauth_issuer": ISSUER, "oauth_audience": "api://hub-mcp"}, "set HUB_MCP_OAUTH_RESOURCE"),
        ({"oauth_issuer": "http://login.example.com", "oauth_audience": AUDIENCE}, "use its https:// URL"),
    ],
)
def test_oauth_settings_that_do_not_fit_together_are_refused(values: dict[str, str], said: str) -> None:
    with pytest.raises(SettingError, match=said):
        load_settings(environ={f"HUB_MCP_{key.upper()}": value for key, value in values.items()})


def test_a_loopback_issuer_may_speak_plain_http() -> None:
    settings = Settings(oauth_issuer="http://127.0.0.1:9000", oauth_audience=AUDIENCE)
    assert settings.oauth_issuer == "http://127.0.0.1:9000"


def test_a_scope_with_a_space_is_one_line() -> None:
    with pytest.raises(SettingError, match=r"^HUB_MCP_OAUTH_SCOPE='a b': not one OAuth scope"):
        load_settings(environ={"HUB_MCP_OAUTH_SCOPE": "a b"})


def test_the_issuer_keeps_its_trailing_slash_as_tokens_spell_it() -> None:
    """Auth0's issuer identifiers end with a slash, and ``iss`` is compared as a string."""
    settings = Settings(oauth_issuer="https://team.eu.auth0.com/", oauth_audience=AUDIENCE)
    assert settings.oauth_issuer == "https://team.eu.auth0.com/"
    with pytest.raises(SettingError, match="no query or fragment"):
        load_settings(environ={"HUB_MCP_OAUTH_ISSUER": ISSUER + "?x=1"})
