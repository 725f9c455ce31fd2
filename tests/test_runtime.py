"""The runtime: services built on first use, or ahead of it by a warm-up after tools/list."""

from __future__ import annotations

import asyncio
import ssl
import subprocess
import sys
import threading
from types import SimpleNamespace
from typing import Any

import pytest

from hub_mcp.config.settings import Settings
from hub_mcp.runtime import FIRST_CALL_MODULES, Runtime
from hub_mcp.server.app import WarmUpAfterToolsList


class CountingRuntime(Runtime):
    """A runtime whose build is a stand-in that records where it ran and can fail once."""

    def __init__(self, fail_first: bool = False) -> None:
        super().__init__(Settings())
        self.builds: list[str] = []
        self.fail_first = fail_first

    def build_services(self) -> Any:
        self.builds.append(threading.current_thread().name)
        if self.fail_first and len(self.builds) == 1:
            raise RuntimeError("first build fails")
        return SimpleNamespace(number=len(self.builds))


def join_warm_up(runtime: Runtime) -> None:
    thread = runtime.warm_up_thread
    assert thread is not None, "no warm-up was started"
    thread.join(timeout=60)
    assert not thread.is_alive()


async def test_without_a_warm_up_the_first_call_builds_once_off_the_event_loop() -> None:
    runtime = CountingRuntime()
    assert not runtime.ready
    first, second = await runtime.services(), await runtime.services()
    # built once, in a worker thread: credential helpers may take seconds, other calls go on meanwhile
    assert first is second and len(runtime.builds) == 1 and runtime.builds != ["MainThread"] and runtime.ready


async def test_a_warm_up_builds_in_the_background_and_the_first_call_uses_it() -> None:
    runtime = CountingRuntime()
    runtime.warm_up()
    join_warm_up(runtime)
    assert runtime.ready and runtime.builds == ["hub-mcp-warm-up"]
    services = await runtime.services()
    assert services.number == 1 and runtime.builds == ["hub-mcp-warm-up"]  # not built again


async def test_a_call_during_the_warm_up_delay_cuts_it_short_and_builds_once() -> None:
    runtime = CountingRuntime()
    runtime.warm_up(delay=30)
    async with asyncio.timeout(15):  # the call does not wait out the delay
        services = await runtime.services()
    assert services.number == 1 and runtime.builds == ["hub-mcp-warm-up"]


async def test_a_failed_warm_up_leaves_the_build_to_the_first_call() -> None:
    runtime = CountingRuntime(fail_first=True)
    runtime.warm_up()
    join_warm_up(runtime)
    assert not runtime.ready
    services = await runtime.services()
    assert services.number == 2 and len(runtime.builds) == 2 and runtime.builds[0] == "hub-mcp-warm-up"


async def test_a_second_warm_up_request_does_nothing() -> None:
    runtime = CountingRuntime()
    runtime.warm_up()
    join_warm_up(runtime)
    runtime.warm_up()
    join_warm_up(runtime)
    assert runtime.builds == ["hub-mcp-warm-up"]


async def test_aclose_waits_for_a_running_warm_up() -> None:
    runtime = CountingRuntime()
    runtime.warm_up(delay=30)
    await runtime.aclose()
    thread = runtime.warm_up_thread
    assert thread is not None and not thread.is_alive()


@pytest.mark.parametrize(("method", "warms"), [("tools/list", True), ("tools/call", False), ("initialize", False)])
async def test_the_middleware_warms_up_after_tools_list_only(method: str, warms: bool) -> None:
    runtime = CountingRuntime()
    answer = {"tools": []}

    async def call_next(ctx: Any) -> Any:
        assert runtime.warm_up_thread is None  # nothing starts before the request is answered
        return answer

    result = await WarmUpAfterToolsList()(SimpleNamespace(method=method, lifespan_context=runtime), call_next)
    assert result is answer
    assert (runtime.warm_up_thread is not None) is warms
    if warms:
        join_warm_up(runtime)
        assert runtime.ready


async def test_the_real_warm_up_builds_the_real_services(monkeypatch: pytest.MonkeyPatch) -> None:
    loads: list[dict[str, Any]] = []  # every trust store loaded (httpx loads one per client unless given one)
    load = ssl.create_default_context

    def counting(*args: Any, **kwargs: Any) -> ssl.SSLContext:
        loads.append(kwargs)
        return load(*args, **kwargs)

    monkeypatch.setattr(ssl, "create_default_context", counting)
    runtime = Runtime(Settings(hub_url="http://127.0.0.1:9"))
    runtime.warm_up()
    join_warm_up(runtime)
    try:
        assert runtime.ready
        services = await runtime.services()
        assert services.hub is not None and services.registry is not None and services.advisor is not None
        assert services.hub.client.http is not services.registry.client.http  # two HTTP clients ...
        assert len(loads) == 1, loads  # ... and one trust store for both
    finally:
        await runtime.aclose()


def test_start_up_does_not_import_what_the_first_call_needs() -> None:
    """In a fresh interpreter, the server as the command line builds it loads none of httpx,
    tenacity or the modules the first tool call imports."""
    probe = (
        "import sys\n"
        "import hub_mcp.__main__\n"
        "from hub_mcp.config.settings import Settings\n"
        "from hub_mcp.server import create_server\n"
        "create_server(Settings(), warm_up=True)\n"
        "print(' '.join(sorted(m for m in sys.modules if m.split('.')[0] in ('httpx', 'tenacity', 'hub_mcp'))))\n"
    )
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, timeout=120, check=True)
    loaded = set(done.stdout.split())
    assert "hub_mcp.server" in loaded  # the probe ran
    assert not {"httpx", "tenacity", *FIRST_CALL_MODULES} & loaded, sorted(loaded)


def test_start_up_defers_the_views_and_the_warm_up_builds_them() -> None:
    """The output views are not built at start-up (tools/list does not complete them), and the warm-up
    builds them so that the first call does not."""
    probe = (
        "from hub_mcp.answers import views\n"
        "from hub_mcp.config.settings import Settings\n"
        "from hub_mcp.runtime import Runtime\n"
        "from hub_mcp.server import create_server\n"
        "create_server(Settings())\n"
        "models = [views.TagInfo, views.Suggestion, views.Review, views.ImageDetails]\n"
        "print([m.__pydantic_complete__ for m in models])\n"
        "runtime = Runtime(Settings(hub_url='http://127.0.0.1:9'))\n"
        "runtime.warm_up()\n"
        "runtime.warm_up_thread.join(60)\n"
        "print(runtime.ready, [m.__pydantic_complete__ for m in models])\n"
    )
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, timeout=120, check=True)
    assert done.stdout.splitlines() == ["[False, False, False, False]", "True [True, True, True, True]"], done.stderr


@pytest.mark.parametrize(("logged_in", "expected"), [(False, 3), (True, 6)])
def test_the_secure_assessment_is_smaller_without_a_docker_hub_login(
    logged_in: bool, expected: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Each assessed candidate reads two Docker Hub manifests, which count against the pull limit (10 an hour
    anonymously, 100 with a login: ../shared/docs/hub-api.md)."""
    from hub_mcp.advisor.suggest import ANONYMOUS_ASSESSED, MAX_ASSESSED
    from hub_mcp.runtime import Runtime
    from tests.server.conftest import make_settings

    for name in ("HUB_USERNAME", "HUB_PAT_TOKEN"):
        monkeypatch.delenv(name, raising=False)
    extra = {"username": "alice", "pat_token": "dckr_pat_" + "a1b2c3d4" * 4} if logged_in else {}
    services = Runtime(make_settings(**extra)).build_services()
    assert services.advisor.assess_limit == expected == (MAX_ASSESSED if logged_in else ANONYMOUS_ASSESSED)
