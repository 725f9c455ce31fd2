"""deploy/compose.yaml is a valid Compose file (the specification's own JSON schema, vendored in
tests/fixtures/compose-spec, so no network), and it says what the README promises: replicas of the
image over HTTP, sharing the redis service, env from .env, every service health-checked, the front
the only published port. A broken copy fails the same check, so the check can fail."""

from __future__ import annotations

import copy
import hashlib
import json
from pathlib import Path
from typing import Any

import jsonschema
import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]
COMPOSE = ROOT / "deploy" / "compose.yaml"
SCHEMA = ROOT / "tests" / "fixtures" / "compose-spec" / "compose-spec.json"
SCHEMA_SHA256 = "1f91e091f16b2dd50ab8860e02bb391d22df553d91c145eacedb1b6eff9c3f0e"
"""The vendored schema's hash, as tests/fixtures/compose-spec/README.md records it with its source commit."""


def compose() -> dict[str, Any]:
    data = yaml.safe_load(COMPOSE.read_text(encoding="utf-8"))
    assert isinstance(data, dict)
    return data


def problems(document: dict[str, Any]) -> list[str]:
    schema = json.loads(SCHEMA.read_text(encoding="utf-8"))
    validator = jsonschema.Draft7Validator(schema, format_checker=jsonschema.Draft7Validator.FORMAT_CHECKER)
    return [f"{'/'.join(map(str, e.absolute_path))}: {e.message}" for e in validator.iter_errors(document)]


def test_the_vendored_schema_is_the_recorded_one() -> None:
    assert hashlib.sha256(SCHEMA.read_bytes()).hexdigest() == SCHEMA_SHA256
    assert (SCHEMA.parent / "LICENSE").read_text(encoding="utf-8").lstrip().startswith("Apache License")


def test_compose_file_is_valid_under_the_compose_specification() -> None:
    assert problems(compose()) == []


@pytest.mark.parametrize(
    "breakage",
    [
        ("unknown service key", lambda d: d["services"]["hub-mcp"].update(replica=3)),
        ("replicas not a number", lambda d: d["services"]["hub-mcp"]["deploy"].update(replicas=[2])),
        ("healthcheck test a mapping", lambda d: d["services"]["front"]["healthcheck"].update(test={"cmd": "x"})),
        ("depends_on condition unknown", lambda d: d["services"]["front"]["depends_on"]["hub-mcp"].update(condition="up")),
    ],
    ids=lambda b: b[0],
)
def test_a_broken_copy_is_refused(breakage: tuple[str, Any]) -> None:
    broken = copy.deepcopy(compose())
    breakage[1](broken)
    assert problems(broken), f"the schema accepted a compose file with {breakage[0]}"


def test_replicas_share_redis_over_http_with_settings_from_env_file() -> None:
    services = compose()["services"]
    assert set(services) == {"hub-mcp", "redis", "front"}
    app = services["hub-mcp"]
    command = app["command"]
    assert command[command.index("--transport") + 1] == "http"
    assert command[command.index("--host") + 1] == "0.0.0.0"
    port = command[command.index("--port") + 1]
    assert app["environment"]["HUB_MCP_CACHE_URL"] == "redis://redis:6379/0"
    assert [entry["path"] for entry in app["env_file"]] == [".env"]
    assert str(app["deploy"]["replicas"]).startswith("${HUB_MCP_REPLICAS")
    assert "ports" not in app, "replicas are reached only through the front"
    assert app["depends_on"]["redis"]["condition"] == "service_healthy"
    assert f"127.0.0.1:{port}/health" in " ".join(app["healthcheck"]["test"])
    assert services["front"]["depends_on"]["hub-mcp"]["condition"] == "service_healthy"
    assert "/health" in " ".join(services["front"]["healthcheck"]["test"])
    assert "ping" in services["redis"]["healthcheck"]["test"]
    assert [name for name, s in services.items() if "ports" in s] == ["front"]


def test_the_front_balances_the_replicas_and_health_is_the_app_s_path() -> None:
    from hub_mcp.server.http_app import HEALTH_PATH

    nginx = (COMPOSE.parent / "nginx.conf").read_text(encoding="utf-8")
    port = compose()["services"]["hub-mcp"]["command"][-1]
    assert f"server hub-mcp:{port} resolve" in nginx
    assert "proxy_pass http://hub_mcp;" in nginx
    assert HEALTH_PATH == "/health"


def test_env_example_names_every_secret_the_replicas_need_and_holds_none() -> None:
    example = (COMPOSE.parent / "env.example").read_text(encoding="utf-8")
    lines = [line for line in example.splitlines() if line and not line.startswith("#")]
    assigned = dict(line.split("=", 1) for line in lines)
    assert {"HUB_MCP_AUTH_TOKEN", "HUB_MCP_CACHE_KEY"} <= set(assigned)
    assert all(value == "" for value in assigned.values()), "the example must hold no secret"
    assert "deploy/.env" in (ROOT / ".gitignore").read_text(encoding="utf-8").splitlines()
