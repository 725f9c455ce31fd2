"""Settings from flags and environment; start-up errors; --help lists every variable."""

from __future__ import annotations

import pytest

from hub_mcp.__main__ import build_parser, main, parse_settings
from hub_mcp.config.settings import OPTIONS, TOOLSETS, Secret, SettingError, Settings, load_settings

PAT = "dckr_pat_n0t_to_be_sh0wn"


def test_defaults() -> None:
    settings = load_settings(environ={})
    assert settings.hub_url == "https://hub.docker.com"
    assert settings.registry_url == "https://registry-1.docker.io"
    assert settings.transport == "stdio" and not settings.has_credentials
    assert settings.timeout == 20.0 and settings.max_retries == 3 and settings.log_level == "WARNING"


def test_each_option_is_a_settings_field_and_gives_its_default() -> None:
    """One Option per Settings field, and the dataclass's defaults are the options' (stated once)."""
    from dataclasses import fields

    assert {f.name for f in fields(Settings) if f.init} == {o.field for o in OPTIONS}
    assert Settings() == load_settings(environ={})


@pytest.mark.parametrize(
    ("field", "variable", "value"), [("timeout", "HUB_MCP_TIMEOUT", 301), ("port", "HUB_MCP_PORT", -1)]
)
def test_a_bound_is_the_same_for_text_and_for_a_value_given_in_code(field: str, variable: str, value: int) -> None:
    with pytest.raises(SettingError) as from_text:
        load_settings(environ={variable: str(value)})
    with pytest.raises(ValueError) as from_code:
        Settings(**{field: value})
    assert str(from_code.value) in str(from_text.value)


def test_environment_and_flags_with_flags_winning() -> None:
    env = {
        "HUB_MCP_HUB_URL": "http://127.0.0.1:9/",
        "HUB_USERNAME": "alice",
        "HUB_PAT_TOKEN": "dckr_pat_x",
        "HUB_MCP_MAX_RETRIES": "5",
        "HUB_MCP_TIMEOUT": "7.5",
        "HUB_MCP_LOG_LEVEL": "debug",
    }
    settings = load_settings({"max_retries": "1"}, environ=env)
    assert settings.hub_url == "http://127.0.0.1:9"  # trailing slash dropped
    assert settings.max_retries == 1
    assert settings.timeout == 7.5
    assert settings.log_level == "DEBUG"
    assert settings.has_credentials
    assert "dckr_pat_x" not in repr(settings) and "dckr_pat_x" not in str(settings) and "dckr_pat_x" not in f"{vars(settings)}"


def test_flags_are_parsed_from_the_command_line(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HUB_MCP_TIMEOUT", "9")
    settings = parse_settings(["--timeout", "3", "--port", "8123", "--transport", "streamable-http"])
    assert (settings.timeout, settings.port, settings.transport) == (3.0, 8123, "streamable-http")


def test_blank_variables_count_as_unset() -> None:
    assert load_settings(environ={"HUB_MCP_TIMEOUT": "  ", "HUB_PAT_TOKEN": ""}).timeout == 20.0


def run_main(argv: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    """``hub-mcp argv`` in process, stopped before the server would start: (status, stdout, stderr)."""
    with pytest.raises(SystemExit) as stopped:
        main(argv)
    out, err = capsys.readouterr()
    code = stopped.value.code
    return (code if isinstance(code, int) else 1), out, err


@pytest.mark.parametrize(
    ("variable", "value", "expected"),
    [
        ("HUB_MCP_TIMEOUT", "abc", "hub-mcp: HUB_MCP_TIMEOUT=abc: not a number of seconds; set e.g. HUB_MCP_TIMEOUT=20"),
        ("HUB_MCP_TIMEOUT", "0", "hub-mcp: HUB_MCP_TIMEOUT=0: out of range: must be more than 0 and at most 300 seconds"),
        ("HUB_MCP_RETRY_MAX_WAIT", "601", "hub-mcp: HUB_MCP_RETRY_MAX_WAIT=601: out of range: must be 0 to 600 seconds"),
        ("HUB_MCP_MAX_RETRIES", "2.5", "hub-mcp: HUB_MCP_MAX_RETRIES=2.5: not a whole number (retries)"),
        ("HUB_MCP_PORT", "http", "hub-mcp: HUB_MCP_PORT=http: not a whole number (a TCP port)"),
        ("HUB_MCP_TRANSPORT", "sse", "hub-mcp: HUB_MCP_TRANSPORT=sse: not one of stdio, streamable-http"),
        ("HUB_MCP_LOG_LEVEL", "loud", "hub-mcp: HUB_MCP_LOG_LEVEL=loud: not one of DEBUG, INFO, WARNING, ERROR"),
        ("HUB_MCP_HUB_URL", "ftp://nope", "hub-mcp: HUB_MCP_HUB_URL=ftp://nope: not an http:// or https:// URL"),
        ("HUB_MCP_TIMEOUT", "2 0", "hub-mcp: HUB_MCP_TIMEOUT='2 0': not a number of seconds"),
    ],
)
def test_a_bad_variable_is_one_line_naming_it_and_its_value(
    variable: str, value: str, expected: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv(variable, value)
    status, out, err = run_main([], capsys)
    assert status == 2 and out == ""
    assert err.endswith("\n") and err.count("\n") == 1, err  # one line
    assert err.startswith(expected), err
    assert f"set e.g. {variable}=" in err  # and what a good value looks like
    assert "usage:" not in err and "Traceback" not in err


@pytest.mark.parametrize(
    ("argv", "expected"),
    [
        (["--timeout", "abc"], "hub-mcp: --timeout abc: not a number of seconds; use e.g. --timeout 20"),
        (["--timeout=abc"], "hub-mcp: --timeout abc: not a number of seconds; use e.g. --timeout 20"),
        (["--timeout", "-inf"], "hub-mcp: --timeout -inf: not a finite number of seconds; use e.g. --timeout 20"),
        (["--max-retries", "-1"], "hub-mcp: --max-retries -1: out of range: retries must be 0 to 10"),
        (["--port", "65536"], "hub-mcp: --port 65536: out of range: a TCP port must be 0 to 65535"),
        (["--transport", "sse"], "hub-mcp: --transport sse: not one of stdio, streamable-http"),
        (["--registry-url", ""], "hub-mcp: --registry-url '': not an http:// or https:// URL"),
    ],
)
def test_a_bad_flag_is_one_line_naming_it_and_its_value(
    argv: list[str], expected: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("HUB_MCP_TIMEOUT", "5")  # the flag is named, not the variable
    status, out, err = run_main(argv, capsys)
    assert (status, out) == (2, "")
    assert err.count("\n") == 1 and err.startswith(expected), err
    assert "usage:" not in err and "HUB_MCP_TIMEOUT" not in err


@pytest.mark.parametrize("word", ["nan", "NaN", "inf", "-inf", "Infinity", "-INFINITY", "+inf"])
@pytest.mark.parametrize("variable", ["HUB_MCP_TIMEOUT", "HUB_MCP_RETRY_MAX_WAIT", "HUB_MCP_MAX_RETRIES", "HUB_MCP_PORT"])
def test_nan_and_infinity_are_refused_plainly(variable: str, word: str) -> None:
    with pytest.raises(SettingError) as refused:
        load_settings(environ={variable: word})
    message = str(refused.value)
    assert message.startswith(f"{variable}={word}: not a ")
    assert "finite number of seconds" in message or "whole number" in message


@pytest.mark.parametrize("word", ["nan", "inf", "-Infinity"])
def test_nan_and_infinity_are_refused_from_flags_too(word: str) -> None:
    for flag in ("--timeout", "--retry-max-wait"):
        with pytest.raises(SettingError, match=f"^{flag} {word}: not a finite number of seconds"):
            parse_settings([flag, word])


@pytest.mark.parametrize("value", [float("nan"), float("inf"), -float("inf")])
def test_settings_built_in_code_refuse_nan_and_infinity(value: float) -> None:
    with pytest.raises(ValueError, match="finite"):
        Settings(timeout=value)
    with pytest.raises(ValueError, match="finite"):
        Settings(retry_max_wait=value)


@pytest.mark.parametrize(
    ("argv", "said"),
    [
        # issue 17: argparse said "unrecognized arguments" and no more (it suggests only from Python 3.14)
        (["--readonly"], "unknown flag --readonly: did you mean --read-only?"),
        (["--tiemout", "3"], "unknown flag --tiemout: did you mean --timeout?"),
        (["--log_level=debug"], "unknown flag --log_level: did you mean --log-level?"),
        # abbreviations are refused: a flag added later would change what they mean
        (["--read"], "unknown flag --read: did you mean --read-only?"),
        (["--toolset", "tags"], "unknown flag --toolset: did you mean --toolsets?"),
        (["--frobnicate"], "unknown flag --frobnicate"),
        (["--readonly", "--frobnicate"], "unknown flags --readonly (did you mean --read-only?) and --frobnicate"),
        (["stdio"], "unexpected argument 'stdio': hub-mcp takes flags only"),
        # a secret is never a flag, and its value is never echoed
        (["--pat-token", "dckr_pat_secret"], "--pat-token is not a flag: secrets are set only in the environment (did you mean HUB_PAT_TOKEN?)"),
    ],
)
def test_an_unknown_flag_is_one_line_naming_the_one_meant(
    argv: list[str], said: str, capsys: pytest.CaptureFixture[str]
) -> None:
    status, out, err = run_main(argv, capsys)
    assert (status, out) == (2, "")
    assert err == f"hub-mcp: {said} (hub-mcp --help lists the flags)\n"


def test_a_flag_without_its_value_is_one_line(capsys: pytest.CaptureFixture[str]) -> None:
    status, _, err = run_main(["--timeout"], capsys)
    assert status == 2 and err.count("\n") == 1 and "--timeout" in err and "usage:" not in err


def test_a_token_without_its_user_is_refused_without_showing_it(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.delenv("HUB_USERNAME", raising=False)
    monkeypatch.setenv("HUB_PAT_TOKEN", PAT)
    status, out, err = run_main([], capsys)
    assert (status, out) == (2, "")
    assert err.startswith("hub-mcp: HUB_PAT_TOKEN is set but HUB_USERNAME is not: set HUB_USERNAME (or --username)")
    assert err.count("\n") == 1 and PAT not in err


def test_a_token_with_its_user_from_the_flag_is_accepted(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("HUB_USERNAME", raising=False)
    monkeypatch.setenv("HUB_PAT_TOKEN", PAT)
    settings = parse_settings(["--username", "alice"])
    assert settings.has_credentials and settings.registry_logins()["docker.io"] == ("alice", PAT)


def test_a_user_without_a_token_reads_anonymously() -> None:
    settings = load_settings(environ={"HUB_USERNAME": "alice"})
    assert settings.username == "alice" and not settings.has_credentials
    assert "docker.io" not in settings.registry_logins()


def test_settings_built_in_code_refuse_a_token_without_its_user() -> None:
    with pytest.raises(ValueError, match="HUB_USERNAME"):
        Settings(pat_token=PAT)


def test_help_lists_every_environment_variable() -> None:
    text = build_parser().format_help()
    for option in OPTIONS:
        assert option.env in text
        if option.flag:
            assert option.flag in text
    assert "--pat" not in text  # the token never goes on a command line


def test_help_goes_to_stdout_and_exits_zero(capsys: pytest.CaptureFixture[str]) -> None:
    status, out, err = run_main(["--help"], capsys)
    assert (status, err) == (0, "")
    assert out.startswith("usage: hub-mcp") and "HUB_PAT_TOKEN" in out


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
    assert "ghp_abc" not in repr(settings) and "ghp_abc" not in str(settings)


def test_malformed_registry_credentials_are_refused_naming_the_variable_not_the_value(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("HUB_MCP_REGISTRY_CREDENTIALS", "ghcr.io=me:ok,ghcr.io=ghp_secretonly")
    status, out, err = run_main([], capsys)
    assert (status, out) == (2, "")
    assert err.startswith("hub-mcp: HUB_MCP_REGISTRY_CREDENTIALS: entry 2 must look like host=user:token")
    assert err.count("\n") == 1
    assert "ghp_secretonly" not in err and "me:ok" not in err and "(the value is not shown)" in err


def test_malformed_registry_credentials_in_code_are_refused_without_echoing_them() -> None:
    with pytest.raises(ValueError) as err:
        Settings(registry_credentials="ghcr.io=ghp_secretonly")
    assert "host=user:token" in str(err.value) and "ghp_secretonly" not in str(err.value)


def test_secret_never_shows() -> None:
    secret = Secret(PAT)
    assert PAT not in repr(secret) and PAT not in str(secret) and PAT not in f"{secret}"
    assert secret.get_secret_value() == PAT
    assert Settings(username="a", pat_token=PAT).pat_token == secret


def test_a_switch_is_a_bare_flag_or_an_on_off_variable(monkeypatch: pytest.MonkeyPatch) -> None:
    assert parse_settings([]).read_only is False
    assert parse_settings(["--read-only"]).read_only is True
    # a switch before a value flag is not taken for that flag's value, nor the reverse
    settings = parse_settings(["--timeout", "4", "--read-only"])
    assert (settings.timeout, settings.read_only) == (4.0, True)
    for word, expected in (("1", True), ("TRUE", True), ("yes", True), ("0", False), ("off", False)):
        assert load_settings(environ={"HUB_MCP_READ_ONLY": word}).read_only is expected
    with pytest.raises(SettingError, match=r"^HUB_MCP_READ_ONLY=maybe: not one of 1/true/yes/on or 0/false/no/off"):
        load_settings(environ={"HUB_MCP_READ_ONLY": "maybe"})
    assert Settings(read_only=True).read_only is True


def test_toolsets_are_a_comma_list_in_the_documented_order_and_all_means_every_one() -> None:
    assert Settings().toolsets == TOOLSETS
    assert parse_settings(["--toolsets", "tags, Search"]).toolsets == ("search", "tags")
    assert load_settings(environ={"HUB_MCP_TOOLSETS": "namespaces,all"}).toolsets == TOOLSETS
    assert Settings(toolsets=("advisor",)).toolsets == ("advisor",)
    assert Settings(toolsets="images,tags").toolsets == ("tags", "images")


def test_an_unknown_toolset_stops_the_server_with_one_line_listing_the_valid_ones(
    capsys: pytest.CaptureFixture[str],
) -> None:
    status, out, err = run_main(["--toolsets", "search,repos"], capsys)
    assert (status, out) == (2, "")
    assert err == (
        "hub-mcp: --toolsets search,repos: unknown toolset 'repos': the toolsets are search, repositories, tags,"
        " images, advisor, namespaces and all; use e.g. --toolsets search,tags\n"
    )
    with pytest.raises(SettingError, match=r"^HUB_MCP_TOOLSETS=,: no toolset named"):
        load_settings(environ={"HUB_MCP_TOOLSETS": ","})


def test_no_docker_config_is_a_switch() -> None:
    assert parse_settings([]).no_docker_config is False
    assert parse_settings(["--no-docker-config"]).no_docker_config is True
    assert load_settings(environ={"HUB_MCP_NO_DOCKER_CONFIG": "yes"}).no_docker_config is True


def test_help_explains_the_modes() -> None:
    text = " ".join(build_parser().format_help().split())
    assert "--read-only" in text and "--toolsets" in text and "--no-docker-config" in text
    assert "only with Docker Hub credentials and without --read-only" in text
    assert "search, repositories, tags, images, advisor, namespaces" in text


def test_a_value_flag_without_its_value_before_a_switch_is_one_line(capsys: pytest.CaptureFixture[str]) -> None:
    status, out, err = run_main(["--timeout", "--read-only"], capsys)
    assert status == 2 and out == "" and err.count("\n") == 1 and "--timeout" in err
