"""Where logins come from: the environment first, then the docker config, as ``docker login`` left it.

A user already logged in with ``docker login`` needs no configuration: when the environment gives
no credentials for a registry (``HUB_USERNAME`` / ``HUB_PAT_TOKEN`` for Docker Hub,
``HUB_MCP_REGISTRY_CREDENTIALS`` for others), they are read the way crane, skopeo and regctl
read them, from ``$DOCKER_CONFIG/config.json`` or else ``~/.docker/config.json``:

- ``credHelpers`` names a helper per registry; else ``credsStore`` names one for all registries;
  else the ``auths`` entry itself: ``auth`` (base64 ``user:secret``) or ``username``/``password``.
  This is docker/cli's order (``cli/config/configfile/file.go``: ``GetAuthConfig`` →
  ``GetCredentialsStore`` → ``getConfiguredCredentialStore``: the registry's credHelper, else
  credsStore, else the file store), which go-containerregistry's ``pkg/authn/keychain.go``
  (crane) uses as is.
- A helper is the program ``docker-credential-<name>`` on ``PATH``: ``get`` with the server URL on
  stdin answers ``{"ServerURL", "Username", "Secret"}`` on stdout. Docker Hub's key is
  ``https://index.docker.io/v1/`` (crane's ``DefaultAuthKey``, "hardcoded for historical reasons").
  A helper runs with a timeout and its output is read up to a bound; one that fails, hangs or
  says nothing usable is a warning and the registry is read anonymously, never a crash.
- A web-based ``docker login`` saves for Docker Hub an OAuth access token (a JWT) followed by
  ``..`` and a refresh token (docker/cli ``cli/oauth/jwt.go``: ``ConcatTokens``); Docker's CLI hands
  out the access token alone (``cli/config/credentials/oauth_store.go``), and so does this module.
  The Hub auth then uses that JWT until its ``exp`` (it cannot renew it) and says to log in again.
- An identity token (``identitytoken``, or a helper's ``Username`` ``<token>``) is an OAuth refresh
  token for a registry's token service; this server does not speak that exchange, so such an
  entry is skipped with an INFO line that says so.

Which source was used is logged at INFO ("credentials for docker.io (user alice) from
~/.docker/config.json (credsStore desktop)"); a secret never is. ``--no-docker-config`` /
``HUB_MCP_NO_DOCKER_CONFIG=1`` turns the docker config off. The registries looked up are
Docker Hub and those the config names (``auths`` and ``credHelpers`` keys), at most
:data:`MAX_REGISTRIES`.
"""

from __future__ import annotations

import base64
import binascii
import logging
import os
import shutil
import subprocess
import threading
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from hub_mcp.config.settings import Secret, Settings
from hub_mcp.net import jsontext

log = logging.getLogger("hub_mcp.credentials")

DOCKER_HUB = "docker.io"
DOCKER_HUB_KEY = "https://index.docker.io/v1/"
DOCKER_HUB_ALIASES = frozenset({"docker.io", "index.docker.io", "registry-1.docker.io", "registry.hub.docker.com"})
DOCKER_HUB_API = "https://hub.docker.com"
DOCKER_HUB_REGISTRY = "https://registry-1.docker.io"
"""Docker's own URLs (the Settings defaults): a docker login for docker.io goes to these only."""
DHI = "dhi.io"
DHI_REGISTRY = "https://dhi.io"
"""Docker Hardened Images' registry (the Settings default): a docker login for dhi.io goes there only."""
ENV_HUB_SOURCE = "HUB_USERNAME / HUB_PAT_TOKEN"
ENV_REGISTRY_SOURCE = "HUB_MCP_REGISTRY_CREDENTIALS"
HELPER_TIMEOUT = 5.0  # seconds a credential helper may take
HELPER_MAX_OUTPUT = 64 * 1024  # bytes of a helper's answer read at most
CONFIG_MAX_BYTES = 4 * 1024 * 1024
MAX_REGISTRIES = 32


@dataclass(frozen=True)
class Login:
    """One registry's credentials and where they came from (``source`` is safe to show)."""

    registry: str
    username: str
    secret: Secret
    source: str

    @property
    def from_docker_config(self) -> bool:
        return self.source not in (ENV_HUB_SOURCE, ENV_REGISTRY_SOURCE)

    @property
    def fix(self) -> str:
        """How to replace these credentials, as a sentence fragment naming their source."""
        if self.source == ENV_HUB_SOURCE:
            return "put a valid access token for HUB_USERNAME in HUB_PAT_TOKEN and restart the server"
        if self.source == ENV_REGISTRY_SOURCE:
            return f"correct the {self.registry} entry of HUB_MCP_REGISTRY_CREDENTIALS and restart the server"
        login = "docker login" if self.registry == DOCKER_HUB else f"docker login {self.registry}"
        hub = " (or set HUB_USERNAME and HUB_PAT_TOKEN)" if self.registry == DOCKER_HUB else ""
        return f"run `{login}` again{hub} and restart the server; they came from {self.source}"


def registry_host(key: str) -> str:
    """A docker-config key as a registry host: ``https://index.docker.io/v1/`` → ``docker.io``,
    ``https://ghcr.io`` → ``ghcr.io`` (docker/cli's ``ConvertToHostname``, plus Docker Hub's aliases)."""
    host = key.strip()
    for scheme in ("https://", "http://"):
        if host.lower().startswith(scheme):
            host = host[len(scheme) :]
    host = host.split("/", 1)[0].lower()
    return DOCKER_HUB if host in DOCKER_HUB_ALIASES else host


def config_path(environ: Mapping[str, str]) -> Path:
    """``$DOCKER_CONFIG/config.json`` when DOCKER_CONFIG is set, else ``~/.docker/config.json``."""
    directory = environ.get("DOCKER_CONFIG", "").strip()
    if directory:
        return Path(directory).expanduser() / "config.json"
    home = environ.get("HOME", "").strip()
    return (Path(home) if home else Path.home()) / ".docker" / "config.json"


def _shown(path: Path, environ: Mapping[str, str]) -> str:
    home = environ.get("HOME", "").strip()
    text = str(path)
    if home and text.startswith(home.rstrip("/") + "/"):
        return "~/" + text[len(home.rstrip("/")) + 1 :]
    return text


def access_token(registry: str, secret: str) -> str:
    """Docker Hub's ``<access JWT>..<refresh token>`` (a web-based docker login) → the access JWT, as
    docker/cli's ``SplitTokens`` reads it; any other secret unchanged."""
    if registry != DOCKER_HUB or ".." not in secret:
        return secret
    parts = secret.split("..")
    if len(parts) == 2 and parts[0].count(".") == 2:
        return parts[0]
    return secret


HelperRunner = Callable[[str, str], "tuple[str, str] | None"]


def run_helper(name: str, server_url: str) -> tuple[str, str] | None:
    """``docker-credential-<name> get`` for ``server_url`` → (username, secret), or None with a
    warning (missing helper, failure, timeout, unreadable answer) or quietly (nothing stored)."""
    program = f"docker-credential-{name}"
    path = shutil.which(program)
    if path is None:
        log.warning("credential helper %s is not on PATH; reading %s anonymously", program, registry_host(server_url))
        return None
    try:
        proc = subprocess.Popen(
            [path, "get"], stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, close_fds=True
        )
    except OSError as exc:
        log.warning("credential helper %s could not be started (%s)", program, type(exc).__name__)
        return None
    out: list[bytes] = []
    assert proc.stdout is not None and proc.stdin is not None
    stdout = proc.stdout
    reader = threading.Thread(target=lambda: out.append(stdout.read(HELPER_MAX_OUTPUT + 1)), daemon=True)
    reader.start()
    try:
        proc.stdin.write(server_url.encode())
        proc.stdin.close()
    except OSError:
        pass  # the helper exited without reading: its status says why
    reader.join(HELPER_TIMEOUT)
    data = out[0] if out else b""
    status = _finish(proc, program, hung=reader.is_alive(), flooded=len(data) > HELPER_MAX_OUTPUT)
    reader.join(1.0)  # after a kill the pipe ends; a grandchild holding it open leaves a daemon thread behind
    if not reader.is_alive():
        stdout.close()
    if status is None:
        return None
    if status != 0:
        if b"credentials not found" in data.lower():
            log.debug("credential helper %s has nothing for %s", program, registry_host(server_url))
        else:  # the output is not logged: it could hold anything
            log.warning("credential helper %s failed (exit status %s); skipped", program, status)
        return None
    try:
        answer = jsontext.loads(data)
    except ValueError:
        log.warning("credential helper %s answered something that is not JSON; skipped", program)
        return None
    if not isinstance(answer, dict):
        log.warning("credential helper %s answered something that is not a JSON object; skipped", program)
        return None
    username, secret = answer.get("Username"), answer.get("Secret")
    if not isinstance(username, str) or not isinstance(secret, str) or not secret:
        log.debug("credential helper %s has no usable entry for %s", program, registry_host(server_url))
        return None
    return username, secret


def _finish(proc: subprocess.Popen[bytes], program: str, *, hung: bool, flooded: bool) -> int | None:
    """Reap a helper: its exit status, or None (with a warning) when it hung or said too much."""
    if hung or flooded:
        proc.kill()
        proc.wait()
        if hung:
            log.warning("credential helper %s did not answer within %g s; skipped", program, HELPER_TIMEOUT)
        else:
            log.warning("credential helper %s answered more than %d bytes; skipped", program, HELPER_MAX_OUTPUT)
        return None
    try:
        return proc.wait(timeout=HELPER_TIMEOUT)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()
        log.warning("credential helper %s did not exit within %g s; skipped", program, HELPER_TIMEOUT)
        return None


@dataclass(frozen=True)
class DockerConfig:
    """The credential parts of one docker config file."""

    path: str
    """As shown in messages (``~/.docker/config.json``)."""
    auths: Mapping[str, tuple[str, Mapping[str, Any]]]
    """Registry host → (the key as written, the entry)."""
    cred_helpers: Mapping[str, tuple[str, str]]
    """Registry host → (the key as written, the helper's name)."""
    creds_store: str | None

    @classmethod
    def load(cls, environ: Mapping[str, str]) -> DockerConfig | None:
        """The config file, or None when there is none (quietly) or it cannot be read (a warning)."""
        path = config_path(environ)
        shown = _shown(path, environ)
        try:
            with path.open("rb") as handle:
                raw = handle.read(CONFIG_MAX_BYTES + 1)
        except FileNotFoundError:
            return None
        except OSError as exc:
            log.warning("cannot read %s (%s); no logins taken from it", shown, type(exc).__name__)
            return None
        try:
            if len(raw) > CONFIG_MAX_BYTES:
                raise ValueError("too large")
            data = jsontext.loads(raw)
        except ValueError:
            log.warning("%s is not a readable JSON docker config; no logins taken from it", shown)
            return None
        if not isinstance(data, dict):
            log.warning("%s is not a JSON object; no logins taken from it", shown)
            return None
        auths: dict[str, tuple[str, Mapping[str, Any]]] = {}
        for key, entry in (data.get("auths") or {}).items() if isinstance(data.get("auths"), dict) else ():
            if isinstance(key, str) and isinstance(entry, dict):
                auths.setdefault(registry_host(key), (key, entry))
        helpers: dict[str, tuple[str, str]] = {}
        raw_helpers = data.get("credHelpers")
        for key, name in raw_helpers.items() if isinstance(raw_helpers, dict) else ():
            if isinstance(key, str) and isinstance(name, str) and name.strip():
                helpers.setdefault(registry_host(key), (key, name.strip()))
        store = data.get("credsStore")
        return cls(shown, auths, helpers, store.strip() if isinstance(store, str) and store.strip() else None)

    def registries(self) -> list[str]:
        """The registries this config has something for: Docker Hub first, then as written."""
        hosts = list(dict.fromkeys([*self.auths, *self.cred_helpers]))
        if self.creds_store and DOCKER_HUB not in hosts:
            hosts.append(DOCKER_HUB)  # a store may hold Docker Hub's login with no auths entry
        hosts.sort(key=lambda host: host != DOCKER_HUB)
        return hosts[:MAX_REGISTRIES]

    def login(self, registry: str, helper: HelperRunner = run_helper) -> Login | None:
        """The credentials this config gives ``registry`` (a host; ``docker.io`` for Docker Hub)."""
        host = registry_host(registry)
        written = self.auths.get(host, (None, {}))[0] or self.cred_helpers.get(host, (None, ""))[0]
        server_url = DOCKER_HUB_KEY if host == DOCKER_HUB else (written or host)
        if host in self.cred_helpers:
            kind, name = "credHelpers", self.cred_helpers[host][1]
        elif self.creds_store:
            kind, name = "credsStore", self.creds_store
        else:
            return self._from_auths(host)
        found = helper(name, server_url)
        if found is None:
            return None
        username, secret = found
        if username == "<token>":
            log.info("the %s helper %s holds an identity token for %s, which hub-mcp cannot use; skipped", kind, name, host)
            return None
        return Login(host, username, Secret(access_token(host, secret)), f"{self.path} ({kind} {name})")

    def _from_auths(self, host: str) -> Login | None:
        entry = self.auths.get(host, (None, {}))[1]
        username, secret = entry.get("username"), entry.get("password")
        encoded = entry.get("auth")
        if isinstance(encoded, str) and encoded.strip():
            try:  # docker/cli's decodeAuth: standard base64 of "user:secret", the user not empty
                decoded = base64.b64decode(encoded.strip(), validate=True).decode("utf-8")
            except (binascii.Error, UnicodeDecodeError):
                decoded = ""
            username, colon, secret = decoded.partition(":")
            if not colon or not username:
                log.warning("the auths entry for %s in %s is not base64 of user:secret; skipped", host, self.path)
                return None
            secret = secret.strip("\x00")
        if isinstance(username, str) and username and isinstance(secret, str) and secret:
            return Login(host, username, Secret(access_token(host, secret)), f"{self.path} (auths)")
        if entry.get("identitytoken"):
            log.info("the auths entry for %s in %s is an identity token, which hub-mcp cannot use; skipped", host, self.path)
        return None


class Credentials:
    """Every login this process uses, resolved once and on first need (the docker config may run
    helpers): the environment first, then the docker config unless ``settings.no_docker_config``."""

    def __init__(
        self, settings: Settings, environ: Mapping[str, str] | None = None, helper: HelperRunner = run_helper
    ) -> None:
        self._settings = settings
        self._environ = dict(os.environ if environ is None else environ)
        self._helper = helper
        self._lock = threading.Lock()
        self._config: DockerConfig | None = None
        self._config_loaded = False
        self._resolved: dict[str, Login | None] = {}
        self._http_said = False

    def hub(self) -> Login | None:
        """Docker Hub's login: HUB_USERNAME / HUB_PAT_TOKEN, else the docker config's (only when the
        Hub API URL is Docker's own: a docker login is never sent to a mirror or another host)."""
        settings = self._settings
        if settings.has_credentials:
            assert settings.username and settings.pat_token
            return Login(DOCKER_HUB, settings.username, settings.pat_token, ENV_HUB_SOURCE)
        if settings.hub_url != DOCKER_HUB_API:
            return None
        return self._from_config(DOCKER_HUB)

    def logins(self) -> dict[str, Login]:
        """Registry host → login, for the registry client: the environment's, then the config's."""
        settings = self._settings
        found: dict[str, Login] = {}
        for host, (user, secret) in settings.registry_logins().items():
            source = ENV_HUB_SOURCE if host == DOCKER_HUB and settings.has_credentials else ENV_REGISTRY_SOURCE
            found[host] = Login(host, user, Secret(secret), source)
        config = self._docker_config()
        for host in config.registries() if config else ():
            if host == DOCKER_HUB and settings.registry_url != DOCKER_HUB_REGISTRY:
                continue  # docker.io's login is for Docker's registry, not for the one configured instead
            if host == DHI and settings.dhi_url.rstrip("/") != DHI_REGISTRY:
                continue  # the same for dhi.io's login and HUB_MCP_DHI_URL
            if host not in found:
                login = self._from_config(host)
                if login is not None:
                    found[host] = login
        return found

    def _docker_config(self) -> DockerConfig | None:
        if self._settings.no_docker_config:
            return None
        if self._settings.transport != "stdio":
            # A shared HTTP service would lend the operator's own logins to every client: there, only
            # credentials given explicitly (HUB_USERNAME / HUB_PAT_TOKEN, HUB_MCP_REGISTRY_CREDENTIALS) count.
            if not self._http_said:
                self._http_said = True
                log.info("serving over HTTP: the docker config is not read; give credentials in the environment")
            return None
        with self._lock:
            if not self._config_loaded:
                self._config = DockerConfig.load(self._environ)
                self._config_loaded = True
            return self._config

    def _from_config(self, host: str) -> Login | None:
        config = self._docker_config()
        if config is None:
            return None
        with self._lock:
            if host not in self._resolved:
                login = config.login(host, self._helper)
                self._resolved[host] = login
                if login is not None:
                    log.info("credentials for %s (user %s) from %s", host, login.username, login.source)
            return self._resolved[host]
