"""deploy/kubernetes/ validates against the Kubernetes API schemas, offline (kubernetes-validate bundles
them), strictly (no unknown field), for the oldest version these manifests claim and the newest the
package knows; a broken copy fails the same check. And the manifests say what the README promises:
probes on the app's health path, resources, a non-root pod, env from the Secret, placeholders in the
Secret that the server refuses to start with, an autoscaler on the Deployment."""

from __future__ import annotations

import copy
from collections.abc import Callable
from pathlib import Path
from typing import Any

import kubernetes_validate
import pytest
import yaml

from hub_mcp.config.settings import SettingError, load_settings
from hub_mcp.server.http_app import HEALTH_PATH

KUBERNETES = Path(__file__).resolve().parents[2] / "deploy" / "kubernetes"
OLDEST = "1.31"
"""The oldest Kubernetes these manifests are checked against (autoscaling/v2 is GA since 1.23)."""
VERSIONS = (OLDEST, kubernetes_validate.latest_version())


def documents() -> dict[str, dict[str, Any]]:
    """``Kind/name`` → manifest, for every manifest the kustomization lists (and only those)."""
    kustomization = yaml.safe_load((KUBERNETES / "kustomization.yaml").read_text(encoding="utf-8"))
    listed = kustomization["resources"]
    on_disk = sorted(p.name for p in KUBERNETES.glob("*.yaml") if p.name != "kustomization.yaml")
    assert sorted(listed) == on_disk, "kustomization.yaml must list every manifest"
    found: dict[str, dict[str, Any]] = {}
    for name in listed:
        for doc in yaml.safe_load_all((KUBERNETES / name).read_text(encoding="utf-8")):
            found[f"{doc['kind']}/{doc['metadata']['name']}"] = doc
    return found


def problems(doc: dict[str, Any], version: str) -> list[str]:
    try:
        kubernetes_validate.validate(doc, version, strict=True)
    except kubernetes_validate.ValidationError as exc:
        return [f"{'.'.join(map(str, exc.path))}: {exc.message}"]
    return []


def test_every_resource_asked_for_is_there() -> None:
    assert set(documents()) == {
        "Secret/hub-mcp",
        "Deployment/hub-mcp",
        "Service/hub-mcp",
        "Deployment/hub-mcp-redis",
        "Service/hub-mcp-redis",
        "HorizontalPodAutoscaler/hub-mcp",
    }


@pytest.mark.parametrize("version", VERSIONS)
def test_manifests_validate_against_the_kubernetes_schemas(version: str) -> None:
    for key, doc in documents().items():
        assert problems(doc, version) == [], key


def _set(path: str, value: Any) -> Callable[[dict[str, Any]], None]:
    def apply(doc: dict[str, Any]) -> None:
        *parents, last = path.split(".")
        node: Any = doc
        for part in parents:
            node = node[int(part)] if part.isdigit() else node[part]
        node[last] = value

    return apply


@pytest.mark.parametrize(
    ("key", "breakage"),
    [
        ("Deployment/hub-mcp", _set("spec.replicas", "two")),
        ("Deployment/hub-mcp", _set("spec.template.spec.containers.0.readinessProbe.httpGet.pathh", "/health")),
        ("Deployment/hub-mcp", _set("spec.template.spec.containers.0.envFrom.0.secretRef", "hub-mcp")),
        ("HorizontalPodAutoscaler/hub-mcp", _set("spec.metrics.0.resource.target.averageUtilization", "60%")),
        ("Service/hub-mcp", _set("spec.ports.0.port", "http")),
    ],
)
def test_a_broken_copy_is_refused(key: str, breakage: Callable[[dict[str, Any]], None]) -> None:
    broken = copy.deepcopy(documents()[key])
    breakage(broken)
    assert problems(broken, OLDEST), f"the schema accepted a broken {key}"


def test_the_app_is_probed_on_its_health_path_runs_unprivileged_and_reads_the_secret() -> None:
    docs = documents()
    pod = docs["Deployment/hub-mcp"]["spec"]["template"]["spec"]
    (container,) = pod["containers"]
    port = container["args"][container["args"].index("--port") + 1]
    assert container["ports"][0]["containerPort"] == int(port)
    for probe in ("readinessProbe", "livenessProbe"):
        assert container[probe]["httpGet"]["path"] == HEALTH_PATH
    assert pod["securityContext"]["runAsNonRoot"] is True and pod["securityContext"]["runAsUser"] != 0
    assert container["securityContext"]["allowPrivilegeEscalation"] is False
    assert container["resources"]["requests"] and container["resources"]["limits"]
    assert container["envFrom"] == [{"secretRef": {"name": "hub-mcp"}}]
    env = {e["name"]: e["value"] for e in container["env"]}
    redis = docs["Service/hub-mcp-redis"]
    assert env["HUB_MCP_CACHE_URL"] == f"redis://{redis['metadata']['name']}:{redis['spec']['ports'][0]['port']}/0"
    service = docs["Service/hub-mcp"]["spec"]
    assert service["selector"] == docs["Deployment/hub-mcp"]["spec"]["selector"]["matchLabels"]
    target = docs["HorizontalPodAutoscaler/hub-mcp"]["spec"]["scaleTargetRef"]
    assert (target["kind"], target["name"]) == ("Deployment", "hub-mcp")


def test_the_secret_holds_placeholders_the_server_refuses_to_start_with() -> None:
    secret = documents()["Secret/hub-mcp"]["stringData"]
    assert set(secret) == {"HUB_MCP_AUTH_TOKEN", "HUB_MCP_CACHE_KEY"}
    assert all(value.startswith("REPLACE-ME") for value in secret.values())
    pod_env = {"HUB_MCP_TRANSPORT": "http", "HUB_MCP_HOST": "0.0.0.0", "HUB_MCP_CACHE_URL": "redis://hub-mcp-redis:6379/0"}
    real = {"HUB_MCP_AUTH_TOKEN": "k3Jq8vX2pL9sT4wZ7bN1cF6hM0rY5dG8eQ", "HUB_MCP_CACHE_KEY": "9f" * 16}
    load_settings(environ={**pod_env, **real})  # real values start
    for name in secret:  # each placeholder alone stops the server, naming its variable
        with pytest.raises(SettingError, match=name):
            load_settings(environ={**pod_env, **real, name: secret[name]})
