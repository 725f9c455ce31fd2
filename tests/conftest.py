"""Session fixtures shared by several test folders: real ``docker-registry`` processes with pushed images.

``registry`` is an anonymous registry shared by the session with these repositories:

* ``test/multi:1.0`` - OCI index of linux/amd64, linux/arm64/v8, linux/arm/v7 + attestations;
* ``test/single:latest`` - Docker v2 single-platform linux/amd64 image (root, secret-ish env);
* ``test/nonroot:2`` - OCI single-platform linux/arm64/v8 image, user 1000:1000, OCI labels;
* ``test/tags`` - one image under tags ``a`` … ``e`` (for ``Link`` pagination);
* ``library/python:3.12`` - the multi-arch index again, for Docker Hub name mapping.

``auth_registry`` requires HTTP Basic (htpasswd) with :data:`AUTH_USER` / :data:`AUTH_PASSWORD`
and holds ``private/app:1`` (the non-root image).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

import pytest

from tests.fakes import images
from tests.fakes.registry import RunningRegistry, running_registry

AUTH_USER = "alice"
AUTH_PASSWORD = "correct-horse-battery-staple"
TAGS = ("a", "b", "c", "d", "e")


@dataclass(frozen=True)
class Pushed:
    """A registry and the content pushed to it."""

    registry: RunningRegistry
    multi: images.BuiltIndex
    single: images.BuiltImage
    nonroot: images.BuiltImage

    @property
    def host(self) -> str:
        return self.registry.host


@pytest.fixture(autouse=True)
def _no_personal_docker_config(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> None:
    """The tests never read the docker config of whoever runs them (``docker login`` credentials
    would change answers and could reach logs): DOCKER_CONFIG points at an empty directory unless a
    test sets its own."""
    monkeypatch.setenv("DOCKER_CONFIG", str(tmp_path_factory.mktemp("no-docker-config")))


@pytest.fixture(scope="session")
def registry(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Pushed]:
    multi = images.multi_arch_index()
    single = images.single_arch_image()
    nonroot = images.nonroot_image()
    with running_registry(tmp_path_factory.mktemp("registry")) as running, running.client() as client:
        images.push_index(client, "test/multi", "1.0", multi)
        images.push_image(client, "test/single", "latest", single)
        images.push_image(client, "test/nonroot", "2", nonroot)
        for tag in TAGS:
            images.push_image(client, "test/tags", tag, single)
        images.push_index(client, "library/python", "3.12", multi)
        yield Pushed(registry=running, multi=multi, single=single, nonroot=nonroot)


@pytest.fixture(scope="session")
def auth_registry(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Pushed]:
    multi = images.multi_arch_index()
    single = images.single_arch_image()
    nonroot = images.nonroot_image()
    with running_registry(tmp_path_factory.mktemp("auth-registry"), auth=(AUTH_USER, AUTH_PASSWORD)) as running:
        with running.client() as client:
            images.push_image(client, "private/app", "1", nonroot)
            images.push_index(client, "private/multi", "1", multi)
        yield Pushed(registry=running, multi=multi, single=single, nonroot=nonroot)


@pytest.fixture(scope="session")
def redis_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A real redis-server on loopback for the session (see tests/fakes/redis_server.py)."""
    from tests.fakes.redis_server import running_redis

    with running_redis(tmp_path_factory.mktemp("redis")) as url:
        yield url


@pytest.fixture
def dead_redis_url() -> str:
    """A redis:// URL where nothing listens."""
    from tests.fakes.redis_server import free_port

    return f"redis://127.0.0.1:{free_port()}/0"


@pytest.fixture
def fresh_redis(redis_url: str) -> str:
    """The session's redis-server, emptied first (so no answer is left from another test)."""
    import redis

    with redis.Redis.from_url(redis_url) as client:
        client.flushdb()
    return redis_url


@pytest.fixture(autouse=True)
def waits(monkeypatch: pytest.MonkeyPatch) -> list[float]:
    """The waits the HTTP clients ask for (retry back-off, ``Retry-After``, a rate-limit reset), in
    seconds and in order, recorded through ``hub_mcp.net.http.pause`` instead of slept through: the
    retry policy decides as before (its bounds count the waits asked for), no test waits them out.
    (Clients given their own ``sleep`` use it; servers in other processes, tests/e2e, really wait.)"""
    from hub_mcp.net import http

    asked: list[float] = []

    async def pause(seconds: float) -> None:
        asked.append(seconds)

    monkeypatch.setattr(http, "pause", pause)
    return asked
