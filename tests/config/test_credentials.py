"""Logins from the docker config: auths, credsStore and credHelpers through real helper programs
(scripts written here, run from PATH), the environment's precedence, the off switch, broken
helpers, and no secret in any log line (captured at DEBUG)."""

from __future__ import annotations

import base64
import json
import logging
import os
import stat
import sys
from pathlib import Path

import pytest

from hub_mcp.config import credentials as credential_sources
from hub_mcp.config.credentials import DOCKER_HUB_KEY, Credentials, DockerConfig, registry_host
from hub_mcp.config.settings import Settings

HUB_PAT = "dckr_pat_FROM_CONFIG_SECRET"
GHCR_TOKEN = "ghp_FROM_CONFIG_SECRET"
LOCAL_PASSWORD = "local-FROM_CONFIG_SECRET"
HELPER_SECRET = "dckr_pat_FROM_HELPER_SECRET"
OTHER_HELPER_SECRET = "ghp_FROM_OTHER_HELPER_SECRET"
ENV_PAT = "dckr_pat_FROM_ENV_SECRET"
SECRETS = (HUB_PAT, GHCR_TOKEN, LOCAL_PASSWORD, HELPER_SECRET, OTHER_HELPER_SECRET, ENV_PAT)

HELPER = """#!{python}
import json, os, sys, time
here = os.path.dirname(os.path.abspath(__file__))
name = os.path.basename(__file__)
action = sys.argv[1] if len(sys.argv) > 1 else ""
url = sys.stdin.read()
with open(os.path.join(here, "calls.log"), "a") as log:
    log.write(json.dumps([name, action, url]) + "\\n")
behaviour = {behaviour!r}
if behaviour == "fail":
    print("helper exploded; the secret was {leak}")
    sys.exit(3)
if behaviour == "hang":
    time.sleep(30)
if behaviour == "garbage":
    print("<html>{leak}</html>")
    sys.exit(0)
if behaviour == "flood":
    sys.stdout.write("x" * 1000000)
    sys.exit(0)
entries = {entries!r}
if url not in entries:
    print("credentials not found in native keychain")
    sys.exit(1)
print(json.dumps(dict(ServerURL=url, **entries[url])))
"""


def b64(text: str) -> str:
    return base64.b64encode(text.encode()).decode()


def write_helper(bin_dir: Path, name: str, entries: dict[str, dict[str, str]] | None = None,
                 behaviour: str = "ok") -> None:
    path = bin_dir / f"docker-credential-{name}"
    path.write_text(HELPER.format(python=sys.executable, behaviour=behaviour, entries=entries or {}, leak=HUB_PAT))
    path.chmod(path.stat().st_mode | stat.S_IXUSR)


def helper_calls(bin_dir: Path) -> list[list[str]]:
    log = bin_dir / "calls.log"
    return [json.loads(line) for line in log.read_text().splitlines()] if log.exists() else []


@pytest.fixture
def bin_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    directory = tmp_path / "bin"
    directory.mkdir()
    monkeypatch.setenv("PATH", f"{directory}{os.pathsep}{os.environ.get('PATH', '')}")
    return directory


@pytest.fixture
def config_dir(tmp_path: Path) -> Path:
    directory = tmp_path / "docker"
    directory.mkdir()
    return directory


def write_config(config_dir: Path, config: dict) -> dict[str, str]:
    (config_dir / "config.json").write_text(json.dumps(config))
    return {"DOCKER_CONFIG": str(config_dir), "HOME": str(config_dir.parent)}


@pytest.fixture(autouse=True)
def debug_logs(caplog: pytest.LogCaptureFixture) -> pytest.LogCaptureFixture:
    caplog.set_level(logging.DEBUG)
    return caplog


def assert_no_secret(*texts: object) -> None:
    for text in texts:
        for secret in SECRETS:
            assert secret not in str(text), secret


def test_registry_host_maps_docker_hubs_keys_and_strips_schemes() -> None:
    assert registry_host(DOCKER_HUB_KEY) == "docker.io"
    assert registry_host("index.docker.io") == registry_host("registry-1.docker.io") == "docker.io"
    assert registry_host("https://ghcr.io") == "ghcr.io"
    assert registry_host("http://localhost:5000/v2/") == "localhost:5000"


def test_auths_entries_give_logins_with_their_source(config_dir: Path, caplog: pytest.LogCaptureFixture) -> None:
    environ = write_config(config_dir, {"auths": {
        DOCKER_HUB_KEY: {"auth": b64(f"alice:{HUB_PAT}")},
        "https://ghcr.io": {"auth": b64(f"octo:{GHCR_TOKEN}")},
        "localhost:5000": {"username": "bob", "password": LOCAL_PASSWORD},
        "quay.io": {"identitytoken": "REFRESH_TOKEN_SECRET"},
    }})
    credentials = Credentials(Settings(), environ)
    hub = credentials.hub()
    assert hub and (hub.username, hub.secret.get_secret_value()) == ("alice", HUB_PAT)
    assert hub.source == "~/docker/config.json (auths)" and hub.from_docker_config  # HOME is config_dir's parent
    logins = credentials.logins()
    assert {host: (login.username, login.secret.get_secret_value()) for host, login in logins.items()} == {
        "docker.io": ("alice", HUB_PAT), "ghcr.io": ("octo", GHCR_TOKEN), "localhost:5000": ("bob", LOCAL_PASSWORD)
    }
    assert "credentials for docker.io (user alice) from" in caplog.text
    assert "identity token" in caplog.text and "quay.io" in caplog.text
    assert_no_secret(caplog.text, repr(logins))
    assert "REFRESH_TOKEN_SECRET" not in caplog.text + repr(logins)


def test_home_config_is_shown_with_a_tilde(tmp_path: Path) -> None:
    (tmp_path / ".docker").mkdir()
    (tmp_path / ".docker" / "config.json").write_text(json.dumps({"auths": {DOCKER_HUB_KEY: {"auth": b64("a:b")}}}))
    login = Credentials(Settings(), {"HOME": str(tmp_path)}).hub()
    assert login and login.source == "~/.docker/config.json (auths)"
    assert "docker login" in login.fix and "~/.docker/config.json" in login.fix


def test_creds_store_runs_the_helper_with_the_server_url(
    config_dir: Path, bin_dir: Path, caplog: pytest.LogCaptureFixture
) -> None:
    write_helper(bin_dir, "test", {
        DOCKER_HUB_KEY: {"Username": "alice", "Secret": HELPER_SECRET},
        "ghcr.io": {"Username": "octo", "Secret": OTHER_HELPER_SECRET},
    })
    environ = write_config(config_dir, {"auths": {DOCKER_HUB_KEY: {}, "ghcr.io": {}, "quay.io": {}}, "credsStore": "test"})
    credentials = Credentials(Settings(), environ)
    hub = credentials.hub()
    assert hub and (hub.username, hub.secret.get_secret_value()) == ("alice", HELPER_SECRET)
    assert hub.source.endswith("config.json (credsStore test)")
    logins = credentials.logins()
    assert set(logins) == {"docker.io", "ghcr.io"}  # quay.io: the store has nothing, quietly
    assert logins["ghcr.io"].secret.get_secret_value() == OTHER_HELPER_SECRET
    calls = helper_calls(bin_dir)
    assert [call[1:] for call in calls] == [["get", DOCKER_HUB_KEY], ["get", "ghcr.io"], ["get", "quay.io"]]
    assert "credentials for docker.io (user alice) from" in caplog.text and "(credsStore test)" in caplog.text
    assert "WARNING" not in caplog.text
    assert_no_secret(caplog.text)


def test_cred_helpers_win_over_the_store_for_their_registry(config_dir: Path, bin_dir: Path) -> None:
    write_helper(bin_dir, "store", {DOCKER_HUB_KEY: {"Username": "alice", "Secret": HELPER_SECRET}})
    write_helper(bin_dir, "gh", {"ghcr.io": {"Username": "octo", "Secret": OTHER_HELPER_SECRET}})
    environ = write_config(config_dir, {"credsStore": "store", "credHelpers": {"ghcr.io": "gh"},
                                        "auths": {"ghcr.io": {"auth": b64(f"stale:{GHCR_TOKEN}")}}})
    logins = Credentials(Settings(), environ).logins()
    assert logins["ghcr.io"].username == "octo" and logins["ghcr.io"].source.endswith("(credHelpers gh)")
    assert logins["docker.io"].source.endswith("(credsStore store)")
    assert sorted(call[0] for call in helper_calls(bin_dir)) == ["docker-credential-gh", "docker-credential-store"]


def test_the_environment_wins_and_no_helper_runs_for_what_it_gives(config_dir: Path, bin_dir: Path) -> None:
    write_helper(bin_dir, "test", {DOCKER_HUB_KEY: {"Username": "alice", "Secret": HELPER_SECRET}})
    environ = write_config(config_dir, {"credsStore": "test", "auths": {"ghcr.io": {"auth": b64(f"octo:{GHCR_TOKEN}")}},
                                        "credHelpers": {"ghcr.io": "test"}})
    settings = Settings(username="envuser", pat_token=ENV_PAT, registry_credentials="ghcr.io=envocto:ghp_env")
    credentials = Credentials(settings, environ)
    hub = credentials.hub()
    assert hub and (hub.username, hub.source) == ("envuser", "HUB_USERNAME / HUB_PAT_TOKEN")
    logins = credentials.logins()
    assert (logins["docker.io"].username, logins["ghcr.io"].username) == ("envuser", "envocto")
    assert logins["ghcr.io"].source == "HUB_MCP_REGISTRY_CREDENTIALS"
    assert helper_calls(bin_dir) == []


def test_no_docker_config_reads_nothing(config_dir: Path, bin_dir: Path) -> None:
    write_helper(bin_dir, "test", {DOCKER_HUB_KEY: {"Username": "alice", "Secret": HELPER_SECRET}})
    environ = write_config(config_dir, {"credsStore": "test", "auths": {"ghcr.io": {"auth": b64(f"octo:{GHCR_TOKEN}")}}})
    credentials = Credentials(Settings(no_docker_config=True), environ)
    assert credentials.hub() is None and credentials.logins() == {}
    assert helper_calls(bin_dir) == []


@pytest.mark.parametrize(
    ("behaviour", "words"),
    [("fail", "failed (exit status 3)"), ("hang", "did not answer within 0.5 s"), ("garbage", "not JSON"),
     ("flood", "more than 65536 bytes"), ("missing", "is not on PATH")],
)
def test_a_broken_helper_is_a_warning_and_the_registry_is_read_anonymously(
    config_dir: Path, bin_dir: Path, caplog: pytest.LogCaptureFixture, monkeypatch: pytest.MonkeyPatch,
    behaviour: str, words: str,
) -> None:
    monkeypatch.setattr(credential_sources, "HELPER_TIMEOUT", 0.5)
    if behaviour != "missing":
        write_helper(bin_dir, "test", behaviour=behaviour)
    environ = write_config(config_dir, {"credsStore": "test",
                                        "auths": {"ghcr.io": {"auth": b64(f"octo:{GHCR_TOKEN}")}}})
    credentials = Credentials(Settings(), environ)
    assert credentials.hub() is None
    assert "ghcr.io" not in credentials.logins()  # the store decides for every registry, as docker's does
    warnings = [r.getMessage() for r in caplog.records if r.levelno == logging.WARNING]
    assert warnings and all("docker-credential-test" in w and words in w for w in warnings), warnings
    assert_no_secret(caplog.text)


def test_a_helper_holding_an_identity_token_is_skipped(config_dir: Path, bin_dir: Path, caplog) -> None:
    write_helper(bin_dir, "test", {DOCKER_HUB_KEY: {"Username": "<token>", "Secret": HELPER_SECRET}})
    environ = write_config(config_dir, {"credsStore": "test"})
    assert Credentials(Settings(), environ).hub() is None
    assert "identity token" in caplog.text
    assert_no_secret(caplog.text)


@pytest.mark.parametrize("content", ["{not json", "[1, 2]", '{"auths": {"docker.io": {"auth": "%%%"}}}'])
def test_an_unreadable_config_is_a_warning(config_dir: Path, caplog: pytest.LogCaptureFixture, content: str) -> None:
    (config_dir / "config.json").write_text(content)
    assert Credentials(Settings(), {"DOCKER_CONFIG": str(config_dir)}).hub() is None
    assert any(r.levelno == logging.WARNING for r in caplog.records)


def test_no_config_file_is_quiet(config_dir: Path, caplog: pytest.LogCaptureFixture) -> None:
    assert DockerConfig.load({"DOCKER_CONFIG": str(config_dir)}) is None
    assert Credentials(Settings(), {"DOCKER_CONFIG": str(config_dir)}).logins() == {}
    assert not caplog.records


def test_a_web_based_docker_login_hands_on_the_access_token_only(config_dir: Path, bin_dir: Path) -> None:
    """docker/cli saves `<access JWT>..<refresh token>` for Docker Hub; the refresh token stays behind."""
    access = "eyJhbGciOiJIUzI1NiJ9.eyJleHAiOjJ9.c2ln"
    write_helper(bin_dir, "desktop", {DOCKER_HUB_KEY: {"Username": "alice", "Secret": f"{access}..REFRESH_SECRET"}})
    environ = write_config(config_dir, {"credsStore": "desktop", "auths": {DOCKER_HUB_KEY: {}}})
    logins = Credentials(Settings(), environ).logins()
    assert logins["docker.io"].secret.get_secret_value() == access


def test_a_docker_login_goes_only_to_dockers_own_hub_and_registry(config_dir: Path) -> None:
    """A login for docker.io is never sent to a mirror or another host configured in its place."""
    environ = write_config(config_dir, {"auths": {
        DOCKER_HUB_KEY: {"auth": b64(f"alice:{HUB_PAT}")}, "https://ghcr.io": {"auth": b64(f"octo:{GHCR_TOKEN}")},
    }})
    elsewhere = Credentials(Settings(hub_url="https://mirror.example.com", registry_url="https://r.example.com"), environ)
    assert elsewhere.hub() is None
    assert set(elsewhere.logins()) == {"ghcr.io"}  # other registries' logins are theirs wherever Hub points
    assert Credentials(Settings(), environ).hub() is not None  # Docker's own URLs: used


def test_a_dhi_io_login_goes_only_to_dockers_own_dhi_registry(config_dir: Path) -> None:
    """``docker login dhi.io`` is used to check hardened equivalents on dhi.io, never sent to the registry that
    HUB_MCP_DHI_URL names instead; one given in HUB_MCP_REGISTRY_CREDENTIALS is the operator's choice."""
    environ = write_config(config_dir, {"auths": {"dhi.io": {"auth": b64(f"alice:{HUB_PAT}")}}})
    assert set(Credentials(Settings(), environ).logins()) == {"dhi.io"}
    assert Credentials(Settings(dhi_url="https://dhi.mirror.example"), environ).logins() == {}
    explicit = Settings(dhi_url="https://dhi.mirror.example", registry_credentials="dhi.io=bob:tok")
    assert set(Credentials(explicit, environ).logins()) == {"dhi.io"}


def test_a_shared_http_service_never_lends_the_operators_docker_login(
    config_dir: Path, bin_dir: Path, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO, logger="hub_mcp.credentials")
    write_helper(bin_dir, "test", {DOCKER_HUB_KEY: {"Username": "alice", "Secret": HELPER_SECRET}})
    environ = write_config(config_dir, {"credsStore": "test", "auths": {"ghcr.io": {"auth": b64(f"octo:{GHCR_TOKEN}")}}})
    credentials = Credentials(Settings(transport="streamable-http"), environ)
    assert credentials.hub() is None and credentials.logins() == {}
    assert helper_calls(bin_dir) == []
    assert "docker config is not read" in caplog.text
