"""Settings: from command-line flags, then environment variables, then defaults.

Every setting has one environment variable and (except the token, which never goes on a
command line where ``ps`` would show it) one flag. ``hub-mcp --help`` lists them all.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, SecretStr, field_validator


class Settings(BaseModel):
    """Everything the server needs to know; immutable once built."""

    model_config = ConfigDict(frozen=True, extra="forbid", hide_input_in_errors=True)

    hub_url: str = Field(default="https://hub.docker.com", description="Docker Hub API base URL.")
    registry_url: str = Field(default="https://registry-1.docker.io", description="Docker Hub registry base URL.")
    username: str | None = Field(default=None, description="Docker Hub user (or organization) for the token.")
    pat_token: SecretStr | None = Field(default=None, description="Docker Hub personal (or organization) access token.")
    registry_credentials: SecretStr | None = Field(
        default=None, description="Credentials for registries other than Docker Hub: 'host=user:token,host2=user:token'."
    )
    insecure_registries: tuple[str, ...] = Field(
        default=(), description="Registry hosts reached over plain HTTP (loopback ones always are)."
    )
    timeout: float = Field(default=20.0, gt=0, le=300, description="Seconds per HTTP request.")
    max_retries: int = Field(default=3, ge=0, le=10, description="Retries after a connect error, 5xx or 429.")
    retry_max_wait: float = Field(
        default=20.0, ge=0, le=600, description="Upper bound, in seconds, on the total time spent waiting between retries."
    )
    transport: Literal["stdio", "streamable-http"] = Field(default="stdio", description="How clients reach the server.")
    host: str = Field(default="127.0.0.1", description="Address to listen on with streamable-http.")
    port: int = Field(default=8000, ge=0, le=65535, description="Port to listen on with streamable-http.")
    log_level: Literal["DEBUG", "INFO", "WARNING", "ERROR"] = Field(default="WARNING", description="Log level (stderr).")

    @field_validator("hub_url", "registry_url")
    @classmethod
    def _strip_slash(cls, value: str) -> str:
        value = value.strip().rstrip("/")
        if not value.startswith(("http://", "https://")):
            raise ValueError(f"{value!r} must start with http:// or https://")
        return value

    @field_validator("insecure_registries", mode="before")
    @classmethod
    def _split_hosts(cls, value: object) -> object:
        if isinstance(value, str):
            return tuple(h.strip().lower() for h in value.split(",") if h.strip())
        return value

    @field_validator("username")
    @classmethod
    def _blank_is_none(cls, value: str | None) -> str | None:
        return value.strip() or None if value else None

    def registry_logins(self) -> dict[str, tuple[str, str]]:
        """Registry host → (user, secret): Docker Hub's from HUB_USERNAME/HUB_PAT_TOKEN, others from
        HUB_MCP_REGISTRY_CREDENTIALS. Malformed entries are refused when the settings are built."""
        logins = dict(_parse_logins(self.registry_credentials.get_secret_value() if self.registry_credentials else ""))
        if self.has_credentials:
            assert self.username and self.pat_token
            logins["docker.io"] = (self.username, self.pat_token.get_secret_value())
        return logins

    @field_validator("registry_credentials")
    @classmethod
    def _check_logins(cls, value: SecretStr | None) -> SecretStr | None:
        if value is not None:
            _parse_logins(value.get_secret_value())
        return value

    @property
    def has_credentials(self) -> bool:
        return bool(self.username and self.pat_token and self.pat_token.get_secret_value())


def _parse_logins(text: str) -> list[tuple[str, tuple[str, str]]]:
    """``host=user:secret,host2=user:secret`` → pairs; the error never repeats a secret."""
    pairs = []
    for number, entry in enumerate((e.strip() for e in text.split(",")), start=1):
        if not entry:
            continue
        host, _, login = entry.partition("=")
        user, _, secret = login.partition(":")
        if not host.strip() or not user.strip() or not secret:
            raise ValueError(f"entry {number} must look like host=user:token")
        pairs.append((host.strip().lower(), (user.strip(), secret)))
    return pairs


@dataclass(frozen=True)
class Option:
    """One setting as the command line and the environment spell it."""

    field: str
    env: str
    flag: str | None
    help: str


OPTIONS: tuple[Option, ...] = (
    Option("hub_url", "HUB_MCP_HUB_URL", "--hub-url", "Docker Hub API base URL (default https://hub.docker.com)."),
    Option(
        "registry_url",
        "HUB_MCP_REGISTRY_URL",
        "--registry-url",
        "Docker Hub registry base URL (default https://registry-1.docker.io).",
    ),
    Option("username", "HUB_USERNAME", "--username", "Docker Hub user or organization that owns HUB_PAT_TOKEN."),
    Option(
        "pat_token",
        "HUB_PAT_TOKEN",
        None,
        "Docker Hub personal or organization access token (environment only). Without it: anonymous public reads.",
    ),
    Option(
        "registry_credentials",
        "HUB_MCP_REGISTRY_CREDENTIALS",
        None,
        "Logins for other registries, 'host=user:token,...' (environment only), e.g. ghcr.io=me:ghp_...",
    ),
    Option(
        "insecure_registries",
        "HUB_MCP_INSECURE_REGISTRIES",
        "--insecure-registries",
        "Comma-separated registry hosts to reach over plain HTTP (localhost and 127.0.0.1 always are).",
    ),
    Option("timeout", "HUB_MCP_TIMEOUT", "--timeout", "Seconds per HTTP request (default 20)."),
    Option("max_retries", "HUB_MCP_MAX_RETRIES", "--max-retries", "Retries after connect errors, 5xx, 429 (default 3)."),
    Option(
        "retry_max_wait",
        "HUB_MCP_RETRY_MAX_WAIT",
        "--retry-max-wait",
        "Most seconds spent waiting between retries of one request (default 20).",
    ),
    Option("transport", "HUB_MCP_TRANSPORT", "--transport", "stdio (default) or streamable-http."),
    Option("host", "HUB_MCP_HOST", "--host", "Listen address for streamable-http (default 127.0.0.1)."),
    Option("port", "HUB_MCP_PORT", "--port", "Listen port for streamable-http (default 8000)."),
    Option("log_level", "HUB_MCP_LOG_LEVEL", "--log-level", "DEBUG, INFO, WARNING (default) or ERROR; logs go to stderr."),
)


def load_settings(flags: Mapping[str, Any] | None = None, environ: Mapping[str, str] | None = None) -> Settings:
    """Build Settings: a flag given wins over the environment, which wins over the default."""
    environ = os.environ if environ is None else environ
    flags = flags or {}
    values: dict[str, Any] = {}
    for option in OPTIONS:
        flag_value = flags.get(option.field)
        if flag_value is not None:
            values[option.field] = flag_value
        elif environ.get(option.env, "").strip():
            values[option.field] = environ[option.env].strip()
    if isinstance(values.get("log_level"), str):
        values["log_level"] = values["log_level"].upper()
    return Settings(**values)
