"""Pure pieces: challenge parsing, token cache, models' tolerance, platform selection, redaction."""

from __future__ import annotations

from datetime import date
from types import SimpleNamespace

import pytest

from hub_mcp.errors import NotFound
from hub_mcp.net.cache import LRUCache
from hub_mcp.registry.auth import TokenCache, parse_challenges, pick_challenge
from hub_mcp.registry.inspection import bound_labels, redact_env, runs_as_root, select_platform
from hub_mcp.registry.models import ImageConfig, ImageIndex, ImageManifest
from hub_mcp.registry.service import RegistryService, _newest_first
from hub_mcp.vocab.references import ImageReference, Platform
from tests.fakes import images
from tests.registry.conftest import FakeClock

# --- WWW-Authenticate ---------------------------------------------------------------------------


def test_docker_hub_challenge() -> None:
    header = (
        'Bearer realm="https://auth.docker.io/token",service="registry.docker.io",'
        'scope="repository:library/python:pull"'
    )
    (challenge,) = parse_challenges(header)
    assert challenge.scheme == "bearer"
    assert challenge.realm == "https://auth.docker.io/token"
    assert challenge.service == "registry.docker.io"
    assert challenge.scope == "repository:library/python:pull"


def test_quoted_commas_escapes_spaces_and_case() -> None:
    header = 'BEARER Realm = "https://a.example/t?x=1,2" , Scope="repository:a/b:pull,push", error=insufficient_scope'
    (challenge,) = parse_challenges(header)
    assert challenge.realm == "https://a.example/t?x=1,2"
    assert challenge.scope == "repository:a/b:pull,push"
    assert challenge.error == "insufficient_scope"
    (escaped,) = parse_challenges(r'Basic realm="say \"hi\", ok"')
    assert escaped.realm == 'say "hi", ok'


def test_several_challenges_and_header_values() -> None:
    parsed = parse_challenges(['Basic realm="r1", Bearer realm="https://t",service="s"', "Negotiate abc=="])
    assert [c.scheme for c in parsed] == ["basic", "bearer", "negotiate"]
    chosen = pick_challenge(parsed)
    assert chosen is not None and chosen.scheme == "bearer" and chosen.service == "s"
    assert pick_challenge(parse_challenges('Basic realm="x"')).scheme == "basic"  # type: ignore[union-attr]
    assert pick_challenge(parse_challenges("Bearer")) is None  # no realm: cannot be followed


@pytest.mark.parametrize(
    ("junk", "read", "followed"),
    [
        ("", [], None),
        (",,,", [], None),
        ('"', [], None),
        ("=", [], None),
        (None, [], None),
        ("Bearer realm", [("bearer", {})], None),  # a scheme, but no realm to follow
        ('Bearer realm="unterminated', [("bearer", {"realm": "unterminated"})], "unterminated"),  # read to the end
    ],
)
def test_junk_never_raises(junk: str | None, read: list[tuple[str, dict[str, str]]], followed: str | None) -> None:
    """Junk gives no challenge (or the part that reads as one), never an exception or an invented realm."""
    parsed = parse_challenges(junk)
    assert [(c.scheme, c.params) for c in parsed] == read
    chosen = pick_challenge(parsed)
    assert (chosen is None) is (followed is None) and (chosen is None or chosen.realm == followed)


# --- caches ---------------------------------------------------------------------------------------


def test_token_cache_margin_and_scopes() -> None:
    clock = FakeClock()
    cache = TokenCache(clock)
    cache.put("h", {"s1", "s2"}, "tok", 300)
    assert cache.get("h", "s2") is not None and cache.get("other", "s1") is None
    clock.advance(269)
    assert cache.get("h", "s1") is not None
    clock.advance(2)  # 300 - 30 s margin passed
    assert cache.get("h", "s1") is None
    cache.put("h", {"s"}, "tok", None)  # default 60 s, 12 s margin
    clock.advance(48)
    assert cache.get("h", "s") is None


def test_lru_cache_ttl_and_bound() -> None:
    clock = FakeClock()
    cache: LRUCache[str, int] = LRUCache(2, ttl=10, clock=clock)
    cache.put("a", 1)
    cache.put("b", 2)
    assert cache.get("a") == 1
    cache.put("c", 3)  # evicts b, the least recently used
    assert cache.get("b") is None and cache.get("a") == 1
    clock.advance(10)
    assert cache.get("a") is None and cache.get_stale("a") == 1


# --- models ---------------------------------------------------------------------------------------


def test_models_tolerate_odd_shapes() -> None:
    config = ImageConfig.model_validate(
        {
            "architecture": "arm64",
            "os": "linux",
            "config": {"Entrypoint": "/bin/app", "Cmd": None, "Labels": {"n": 1, "x": None}, "Env": None},
            "history": [{"created_by": "x"}, "junk"],
            "unknown": {"field": True},
        }
    )
    assert config.config is not None
    assert config.config.entrypoint == ["/bin/app"]
    assert config.config.labels == {"n": "1", "x": ""}
    assert len(config.history) == 1
    assert config.to_platform() == Platform("linux", "arm64", "v8")

    manifest = ImageManifest.model_validate(
        {"config": {"digest": "sha256:" + "a" * 64, "size": "12"}, "layers": [{"digest": "d", "size": -1}, 7]}
    )
    assert manifest.config.size == 12 and manifest.compressed_size == 0 and len(manifest.layers) == 1


def test_index_hides_attestations_and_normalizes_platforms() -> None:
    index = ImageIndex.model_validate(images.multi_arch_index().manifest.json)
    assert [str(p) for p in index.available_platforms()] == ["linux/amd64", "linux/arm64/v8", "linux/arm/v7"]
    odd = ImageIndex.model_validate(
        {
            "manifests": [
                {"digest": "sha256:1", "platform": {"architecture": "arm64", "os": "linux"}},
                {"digest": "sha256:2", "platform": {"architecture": "aarch64", "os": "linux", "variant": "v8"}},
                {"digest": "sha256:3", "platform": {"architecture": "unknown", "os": "unknown"}},
                {"digest": "sha256:4", "annotations": {"vnd.docker.reference.type": "attestation-manifest"}},
                {"digest": "sha256:5"},
            ]
        }
    )
    assert [str(p) for p in odd.available_platforms()] == ["linux/arm64/v8"]


def test_select_platform_prefers_an_exact_variant() -> None:
    index = ImageIndex.model_validate(
        {
            "manifests": [
                {"digest": "sha256:v6", "platform": {"architecture": "arm", "os": "linux", "variant": "v6"}},
                {"digest": "sha256:v7", "platform": {"architecture": "arm", "os": "linux", "variant": "v7"}},
                {"digest": "sha256:win", "platform": {"architecture": "amd64", "os": "windows"}},
            ]
        }
    )
    assert select_platform(index, Platform.parse("linux/arm/v7")).digest == "sha256:v7"
    assert select_platform(index, Platform.parse("arm32v6")).digest == "sha256:v6"
    assert select_platform(index, Platform.parse("windows/amd64")).digest == "sha256:win"
    with pytest.raises(NotFound) as err:
        select_platform(index, Platform.parse("linux/amd64"), what="x:1")
    assert str(err.value).startswith("x:1 has no linux/amd64 image")
    assert "linux/arm/v6, linux/arm/v7, windows/amd64" in str(err.value)


# --- inspection helpers ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("user", "root"),
    [
        ("", True),
        (None, True),
        ("root", True),
        ("0", True),
        ("0:0", True),
        ("root:staff", True),
        (" 0 ", True),
        ("1000", False),
        ("1000:1000", False),
        ("nobody", False),
        ("app:0", False),
        ("65532:65532", False),
    ],
)
def test_runs_as_root(user: str | None, root: bool) -> None:
    assert runs_as_root(user) is root


def test_redact_env() -> None:
    env, omitted = redact_env(
        [
            "PATH=/usr/bin",
            "MYSQL_ROOT_PASSWORD=pw",
            "GITHUB_TOKEN=ghp_x",
            "aws_secret_access_key=abc",
            "SIGNING_KEY=k",
            "DB_PASS=p",
            "PASSENGER_MODE=on",
            "EMPTY_SECRET=",
            "NO_EQUALS",
            "PROXY=http://user:hunter2@proxy:3128",
            "LONG=" + "x" * 1000,
        ]
    )
    assert env[:2] == ["PATH=/usr/bin", "MYSQL_ROOT_PASSWORD=<redacted>"]
    assert "GITHUB_TOKEN=<redacted>" in env and "aws_secret_access_key=<redacted>" in env
    assert "SIGNING_KEY=<redacted>" in env and "DB_PASS=<redacted>" in env
    assert "PASSENGER_MODE=on" in env and "EMPTY_SECRET=" in env and "NO_EQUALS" in env
    assert "PROXY=http://user:<redacted>@proxy:3128" in env
    assert len(env[-1]) <= 305 and omitted == 0

    many, omitted = redact_env([f"V{i}=x" for i in range(45)])
    assert len(many) == 30 and omitted == 15


def test_bound_labels() -> None:
    labels = {f"com.example.l{i:02d}": "v" for i in range(30)}
    labels["org.opencontainers.image.source"] = "https://github.com/o/r"
    labels["com.example.api-key"] = "secret"
    labels["org.opencontainers.image.description"] = "d" * 500
    kept, omitted = bound_labels(labels)
    assert len(kept) == 20 and omitted == 13
    assert list(kept)[:2] == ["org.opencontainers.image.description", "org.opencontainers.image.source"]
    assert len(kept["org.opencontainers.image.description"]) == 200
    kept_all, _ = bound_labels(labels, limit=100)
    assert kept_all["com.example.api-key"] == "<redacted>"


def test_registry_tag_lists_put_released_tags_before_prereleases() -> None:
    """Registries give names only, ordered here by version: released lines lead (3.14, 3.13), then
    the tags not meant for production (3.15.0a1, 3.15-rc, edge), though their versions are higher."""
    ordered = _newest_first(["3.15.0a1", "3.13", "edge", "latest", "3.14", "3.15-rc", "3.12.1"])
    assert ordered[:4] == ["3.14", "3.13", "3.12.1", "latest"]
    assert set(ordered[4:]) == {"3.15.0a1", "3.15-rc", "edge"} and ordered[-1] == "edge"


class _StubRegistry:
    """Answers a registry's HEAD and GET for one tag (an index with no platforms: enough here)."""

    def __init__(self, exists: bool) -> None:
        self.exists = exists

    async def head_manifest(self, ref: object) -> object:
        return SimpleNamespace(digest="sha256:" + "a" * 64) if self.exists else None

    async def get_manifest(self, ref: object, digest: str) -> object:
        return SimpleNamespace(digest=digest, manifest=None)

    async def list_tags(self, ref: object) -> object:
        return SimpleNamespace(tags=["10.0", "9.0"])


@pytest.mark.parametrize("exists", [True, False])
async def test_get_tag_on_another_registry_states_end_of_life_like_the_review(exists: bool) -> None:
    """mcr.microsoft.com/dotnet/sdk:7.0: the review fails it with 'dotnet 7 reached end of life on
    2024-05-14' (tests/server/test_advisor_tools.py); get_tag says the same, structured and in words."""
    service = RegistryService(_StubRegistry(exists))  # type: ignore[arg-type]
    ref = ImageReference.parse("mcr.microsoft.com/dotnet/sdk")
    info = await service.get_tag(ref, "7.0", date(2026, 11, 30))
    assert info.exists is exists and info.lifecycle is not None
    assert info.lifecycle.status == "end_of_life" and info.lifecycle.ended == "2024-05-14"
    assert "Dotnet 7 reached end of life on 2024-05-14." in info.message
    supported = await service.get_tag(ref, "10.0", date(2026, 11, 30))
    assert supported.lifecycle is None and "end of life" not in supported.message
