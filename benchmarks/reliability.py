"""Reliability and security figures (issue 10): faults, fuzz, soak, leaks and the hostile registry.

``python -m benchmarks --only reliability`` (or ``scripts/bench --only reliability``) runs the full
size; ``tests/test_reliability.py`` runs the same code at CI size. Every suite collects every
answer text, error text and log line it produced; :func:`leaks` scans them all for the PAT and
for anything shaped like a JWT.

* **Faults**: the MCP server in process (client modes ``auto`` and ``legacy``), the fake Hub and
  Debian's real ``docker-registry`` (on loopback) behind :class:`FaultTransport`, which turns
  requests into faults: 20 % 5xx, 429 bursts with ``Retry-After``, timeouts, connection resets,
  truncated and non-JSON bodies, wrong content types, huge (generated) and dripping bodies. Mixed
  tool calls are counted as **ok**, **clear** (an error sentence: ends like a sentence, no
  traceback, no reflected body, not an internal error) and **other** (anything else: must be 0).
* **Fuzz**: ``hypothesis`` over every tool's input schema and beyond it (wrong types, nulls, huge
  strings, unicode, ``../``, ``%2F``, ``?``, ``#``, newlines, metadata hosts). No answer may be
  "other", and no request may reach a host the egress policy refuses.
* **Soak**: many calls in one server process, over stdio and over streamable HTTP (the installed
  ``hub-mcp`` command, spawned), with the server's resident memory at start and end.
* **Hostile**: the loopback registry of ``tests/fakes/hostile.py``: peak memory of a 1 GiB
  manifest and the time a dripping one takes to end, per tool call.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import os
import random
import re
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from collections import Counter
from collections.abc import AsyncIterator, Iterator
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import httpx

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from mcp import Client  # noqa: E402

from hub_mcp.config.settings import Settings  # noqa: E402
from hub_mcp.net.egress import EgressPolicy, classify  # noqa: E402
from hub_mcp.net.http import guarded_transport  # noqa: E402
from hub_mcp.server import create_server  # noqa: E402
from tests.fakes import images  # noqa: E402
from tests.fakes.hostile import MARKER, HostileRegistry  # noqa: E402
from tests.fakes.hub import FakeHub, serve  # noqa: E402

PAT = "dckr_pat_alice_s3cret_value"
USER = "alice"
JWT = re.compile(r"eyJ[A-Za-z0-9_-]{6,}\.[A-Za-z0-9_-]{6,}\.[A-Za-z0-9_-]*")
_PREFIX = re.compile(r"^Error executing tool [a-z_]+: ")
_SENTENCE_END = (".", "?", "!", "…", ".)")


# --- what an answer is -----------------------------------------------------------------------


def classify_result(is_error: bool, text: str) -> str:
    """``ok``, ``clear`` (an error the model can act on) or ``other`` (a crash, a dump, a reflected body)."""
    if not is_error:
        return "other" if MARKER in text else "ok"
    body = _PREFIX.sub("", text).strip()
    if (
        len(body) < 20
        or len(body) > 2000
        or not body.endswith(_SENTENCE_END)
        or "Traceback" in body
        or MARKER in body
        or "internal error" in body
        or "\n" in body
    ):
        return "other"
    return "clear"


@dataclass
class Tally:
    calls: int = 0
    ok: int = 0
    clear: int = 0
    other: int = 0
    seconds: float = 0.0
    examples: list[str] = field(default_factory=list)  # the first few "other" answers
    requests: int = 0  # upstream requests (fault suite)
    faults: dict[str, int] = field(default_factory=dict)  # faults injected, by kind (fault suite)
    dropped: int = 0  # fuzz: answers "ok" to arguments the tool does not have (dropped silently)

    def add(self, kind: str, text: str) -> None:
        self.calls += 1
        setattr(self, kind, getattr(self, kind) + 1)
        if kind == "other" and len(self.examples) < 5:
            self.examples.append(text[:300])


class Transcript:
    """Every answer text and log line a suite produced, for the leak scan."""

    def __init__(self) -> None:
        self.texts: list[str] = []
        self.handler = _ListHandler(self.texts)

    @contextlib.contextmanager
    def logging(self) -> Iterator[None]:
        root = logging.getLogger()
        old = root.level
        root.setLevel(logging.DEBUG)
        root.addHandler(self.handler)
        try:
            yield
        finally:
            root.removeHandler(self.handler)
            root.setLevel(old)


class _ListHandler(logging.Handler):
    def __init__(self, sink: list[str]) -> None:
        super().__init__(logging.DEBUG)
        self.sink = sink
        self.setFormatter(logging.Formatter("%(name)s %(levelname)s %(message)s"))

    def emit(self, record: logging.LogRecord) -> None:
        try:
            self.sink.append(self.format(record))
        except Exception:  # pragma: no cover - a broken record is not a leak
            pass


def leaks(texts: list[str], secrets: tuple[str, ...] = (PAT,)) -> list[str]:
    """The texts that contain a secret or a JWT (empty when clean)."""
    return [t[:200] for t in texts if any(s in t for s in secrets) or JWT.search(t)]


# --- faults ----------------------------------------------------------------------------------


class _Lazy(httpx.AsyncByteStream):
    """A body generated as it is read: ``size`` zero bytes, or a byte every ``drip`` seconds."""

    def __init__(self, size: int, drip: float = 0.0) -> None:
        self.size = size
        self.drip = drip

    async def __aiter__(self) -> AsyncIterator[bytes]:
        sent = 0
        chunk = b" " if self.drip else b"0" * 65536
        while sent < self.size:
            if self.drip:
                await asyncio.sleep(self.drip)
            yield chunk
            sent += len(chunk)


FAULTS: tuple[tuple[str, float], ...] = (
    ("5xx", 0.20),
    ("429", 0.04),
    ("timeout", 0.03),
    ("reset", 0.03),
    ("truncated", 0.03),
    ("not-json", 0.03),
    ("content-type", 0.02),
    ("huge", 0.01),
    ("drip", 0.01),
)


class FaultTransport(httpx.AsyncBaseTransport):
    """Turns a share of the requests to ``inner`` into faults (seeded, so runs repeat)."""

    def __init__(self, inner: httpx.AsyncBaseTransport, seed: int, scale: float = 1.0) -> None:
        self.inner = inner
        self.rng = random.Random(seed)
        self.scale = scale
        self.burst = 0
        self.counts: Counter[str] = Counter()
        self.hosts: list[str] = []

    def _pick(self) -> str:
        if self.burst:
            self.burst -= 1
            return "429"
        roll = self.rng.random()
        for name, share in FAULTS:
            roll -= share * self.scale
            if roll < 0:
                if name == "429":
                    self.burst = self.rng.randint(0, 2)
                return name
        return "none"

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        self.hosts.append(request.url.host)
        fault = self._pick()
        self.counts[fault] += 1
        if fault == "5xx":
            return httpx.Response(self.rng.choice([500, 502, 503, 504]), content=f"<h1>{MARKER}</h1>".encode())
        if fault == "429":
            return httpx.Response(429, headers={"Retry-After": self.rng.choice(["0", "0", "1"])}, content=b"slow down")
        if fault == "timeout":
            raise httpx.ReadTimeout("fault: timeout", request=request)
        if fault == "reset":
            raise httpx.ReadError("fault: connection reset by peer", request=request)
        if fault == "huge":
            return httpx.Response(200, headers={"Content-Type": "application/json"}, stream=_Lazy(40 << 20))
        if fault == "drip":
            return httpx.Response(200, headers={"Content-Type": "application/json"}, stream=_Lazy(200, drip=0.1))
        response = await self.inner.handle_async_request(request)
        if fault == "none" or request.method == "HEAD":
            return response
        content = await response.aread()
        headers = [
            (k, v) for k, v in response.headers.items() if k.lower() not in ("content-length", "content-encoding")
        ]
        if fault == "truncated":
            return httpx.Response(response.status_code, headers=headers, content=content[: len(content) // 2])
        if fault == "not-json":
            return httpx.Response(response.status_code, headers=headers, content=f"<html>{MARKER}</html>".encode())
        kept = [(k, v) for k, v in headers if k.lower() != "content-type"]  # "content-type"
        return httpx.Response(response.status_code, headers=[*kept, ("Content-Type", "text/html")], content=content)

    async def aclose(self) -> None:
        """Kept open: the fault suite hands one transport to a server per round (see ``close``)."""

    async def close(self) -> None:
        await self.inner.aclose()


def mixed_calls(registry_host: str) -> list[tuple[str, dict[str, Any]]]:
    """The calls the fault and soak suites cycle through: every tool, Hub and registry, found and not."""
    return [
        ("search_images", {"query": "python"}),
        ("get_repository", {"repository": "python"}),
        ("get_repository", {"repository": "nosuch/thing"}),
        ("list_tags", {"repository": "python", "limit": 10}),
        ("get_tag", {"repository": "python", "tag": "3.12-slim"}),
        ("get_tag", {"repository": "python", "tag": "3.99"}),
        ("inspect_image", {"reference": f"{registry_host}/test/multi:1.0", "platform": "linux/arm64"}),
        ("inspect_image", {"reference": "python:3.12"}),  # Docker Hub's registry = the local one here
        ("inspect_image", {"reference": f"{registry_host}/test/nothere:1"}),
        ("list_tags", {"repository": f"{registry_host}/test/tags"}),
        ("get_tag", {"repository": f"{registry_host}/test/tags", "tag": "b"}),
        ("suggest_base_images", {"runtime": "python"}),
        ("review_base_images", {"dockerfile": "FROM python:3.9\nRUN pip install x\n"}),
    ]


@contextlib.contextmanager
def local_registry() -> Iterator[str]:
    """Debian's docker-registry on loopback with the test images; yields its host:port."""
    from tests.fakes.registry import running_registry

    if not shutil.which("docker-registry") and not Path("/usr/bin/docker-registry").exists():
        raise RuntimeError("docker-registry is not installed (apt-get install docker-registry)")
    with tempfile.TemporaryDirectory() as tmp, running_registry(Path(tmp)) as running:
        with running.client() as pusher:
            multi = images.multi_arch_index()
            single = images.single_arch_image()
            images.push_index(pusher, "test/multi", "1.0", multi)
            images.push_index(pusher, "library/python", "3.12", multi)
            for tag in ("a", "b", "c"):
                images.push_image(pusher, "test/tags", tag, single)
        yield running.host


def _settings(registry_host: str, **overrides: Any) -> Settings:
    values: dict[str, Any] = {
        "hub_url": "https://hub.docker.com",
        "registry_url": f"http://{registry_host}",
        "username": USER,
        "pat_token": PAT,
        "timeout": 2.0,
        "call_timeout": 15.0,
        "max_retries": 3,
        "retry_max_wait": 3.0,
    }
    values.update(overrides)
    return Settings(**values)


async def run_faults(
    registry_host: str, mode: str, calls: int, seed: int = 10, transcript: Transcript | None = None
) -> Tally:
    """``calls`` mixed tool calls with faults injected on both upstreams, through one client session."""
    transcript = transcript or Transcript()
    hub = FakeHub(users={USER: PAT}, enforce_rate_limit=False)
    settings = _settings(registry_host)
    policy = EgressPolicy.from_settings(settings)
    hub_faults = FaultTransport(httpx.ASGITransport(app=hub.app), seed)
    registry_inner = guarded_transport(policy) or httpx.AsyncHTTPTransport()
    registry_faults = FaultTransport(registry_inner, seed + 1)
    plan = mixed_calls(registry_host)
    tally = Tally()
    started = time.perf_counter()
    with transcript.logging():
        for first in range(0, calls, len(plan)):
            # a fresh server (and so empty caches) per round of the plan: every call goes upstream
            server = create_server(settings, hub_transport=hub_faults, registry_transport=registry_faults)
            async with Client(server, mode=mode) as client:
                for number in range(first, min(calls, first + len(plan))):
                    tool, arguments = plan[number % len(plan)]
                    kind, text = await _call(client, tool, arguments, settings.call_timeout + 10)
                    tally.add(kind, text)
                    transcript.texts.append(text)
    await hub_faults.close()
    await registry_faults.close()
    tally.seconds = round(time.perf_counter() - started, 1)
    tally.faults = dict(hub_faults.counts + registry_faults.counts)
    tally.faults.pop("none", None)
    tally.requests = sum(hub_faults.counts.values()) + sum(registry_faults.counts.values())
    return tally


async def _call(client: Client, tool: str, arguments: dict[str, Any], limit: float) -> tuple[str, str]:
    try:
        async with asyncio.timeout(limit):
            result = await client.call_tool(tool, arguments)
    except TimeoutError:
        return "other", f"{tool}: no answer within {limit:g} s"
    except Exception as exc:  # a protocol error or a crash in the session: never acceptable
        return "other", f"{tool}: {type(exc).__name__}: {exc}"
    text = result.content[0].text if result.content and hasattr(result.content[0], "text") else ""
    return classify_result(bool(result.is_error), text), text


# --- fuzz --------------------------------------------------------------------------------------

HOSTILE_STRINGS = (
    "../../etc/passwd",
    "python/../../x",
    "a%2Fb",
    "python%2F..%2F",
    "python?x=1",
    "python#frag",
    "python\nlatest",
    "python:3.12\r\nHost: evil",
    "localhost:99999/x:1",
    "localhost:0/x",
    "169.254.169.254/latest/meta-data:1",
    "metadata.google.internal/computeMetadata/v1:1",
    "[fe80::1]:5000/x:1",
    "[fd00:ec2::254]/x",
    "0.0.0.0:80/x",
    "python:３.１２",
    "ｐｙｔｈｏｎ",
    "python:\u200b3.12",
    "\x00",
    "null",
    "",
    " ",
    "😀/🐍:🙂",
    "a" * 5000,
    "python@sha256:" + "0" * 64,
    "docker.io/library/python:3.12",
    "https://hub.docker.com/_/python",
)


def fuzz_strategy(schema: dict[str, Any]) -> Any:
    """Arguments for one tool: values that fit its schema, values that do not, and extra keys."""
    from hypothesis import strategies as st

    anything = st.recursive(
        st.none() | st.booleans() | st.integers() | st.floats(allow_nan=True) | st.text(max_size=50),
        lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=5), inner, max_size=3),
        max_leaves=5,
    )
    texts = st.sampled_from(HOSTILE_STRINGS) | st.text(max_size=300) | st.text(alphabet="abc:/.@-_%?#\n", max_size=40)
    properties = schema.get("properties", {})

    def value_for(prop: dict[str, Any]) -> Any:
        kinds = {prop.get("type")} | {arm.get("type") for arm in prop.get("anyOf", [])}
        options = [anything, texts]
        if "integer" in kinds:
            options.append(st.integers(min_value=-5, max_value=3000))
        if "boolean" in kinds:
            options.append(st.booleans())
        if "array" in kinds:
            options.append(st.lists(texts, max_size=12))
        enum = prop.get("enum") or next((arm["enum"] for arm in prop.get("anyOf", []) if "enum" in arm), None)
        if enum:
            options.append(st.sampled_from(enum))
        return st.one_of(*options)

    fields = {name: value_for(prop) for name, prop in properties.items()}
    return st.fixed_dictionaries({}, optional=fields) | st.dictionaries(st.text(max_size=10), anything, max_size=3)


async def run_fuzz(examples: int, seed: int = 10, transcript: Transcript | None = None) -> tuple[Tally, list[str]]:
    """Hypothesis-made arguments for every tool; returns the tally and the refused hosts that were reached."""
    from hypothesis import HealthCheck, given, settings
    from hypothesis import seed as hypothesis_seed
    from hypothesis import strategies as st

    transcript = transcript or Transcript()
    hub = FakeHub(users={USER: PAT}, enforce_rate_limit=False)
    reached: list[str] = []

    def registry(request: httpx.Request) -> httpx.Response:  # hermetic: no DNS, no network
        reached.append(request.url.host)
        return httpx.Response(404, json={"errors": [{"code": "NAME_UNKNOWN", "message": "repository name not known"}]})

    hub_transport = httpx.ASGITransport(app=hub.app)

    class Recording(httpx.AsyncBaseTransport):
        async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
            reached.append(request.url.host)
            return await hub_transport.handle_async_request(request)

    config = Settings(username=USER, pat_token=PAT, timeout=2, call_timeout=10, max_retries=0, retry_max_wait=0)
    server = create_server(config, hub_transport=Recording(), registry_transport=httpx.MockTransport(registry))
    tally = Tally()
    started = time.perf_counter()
    with transcript.logging():
        async with Client(server, mode="auto") as client:
            tools = (await client.list_tools()).tools
            per_tool = max(1, -(-examples // len(tools)))  # at least ``examples`` calls in all
            for tool in tools:
                strategy = fuzz_strategy(dict(tool.input_schema))
                drawn: list[dict[str, Any]] = []

                @hypothesis_seed(seed)
                @settings(max_examples=per_tool, deadline=None, database=None, suppress_health_check=list(HealthCheck))
                @given(st.data())
                def draw(data: Any) -> None:
                    drawn.append(data.draw(strategy))

                draw()
                known = set(tool.input_schema.get("properties", {}))
                for arguments in drawn:
                    kind, text = await _call(client, tool.name, arguments, 30)
                    tally.add(kind, text)
                    unknown = {key for key, value in arguments.items() if value is not None} - known
                    tally.dropped += kind == "ok" and bool(unknown)
                    transcript.texts.append(text)
    tally.seconds = round(time.perf_counter() - started, 1)
    refused = sorted({host for host in reached if _refused_host(host)})
    return tally, refused


def _refused_host(host: str) -> bool:
    host = host.strip("[]").lower()
    if host in {"metadata", "metadata.google.internal", "metadata.goog"}:
        return True
    try:
        return classify(host) == "never"
    except ValueError:
        return False


# --- soak --------------------------------------------------------------------------------------


@dataclass
class Soak:
    transport: str
    calls: int
    ok: int
    clear: int
    other: int
    rss_start_mb: float
    rss_end_mb: float
    seconds: float


def _rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return round(int(line.split()[1]) / 1024, 1)
    return 0.0


def _server_command() -> list[str]:
    installed = Path(sys.executable).with_name("hub-mcp")
    return [str(installed)] if installed.exists() else [sys.executable, "-m", "hub_mcp"]


def _children(pid: int) -> list[int]:
    try:
        text = Path(f"/proc/{pid}/task/{pid}/children").read_text()
    except OSError:
        return []
    return [int(p) for p in text.split()]


async def run_soak(transport: str, calls: int, registry_host: str, transcript: Transcript | None = None) -> Soak:
    """``calls`` mixed calls to one spawned server process over ``stdio`` or ``streamable-http``."""
    from mcp import StdioServerParameters
    from mcp.client.stdio import stdio_client

    transcript = transcript or Transcript()
    plan = [c for c in mixed_calls(registry_host) if c[0] != "suggest_base_images"]
    tally = Tally()
    with serve(FakeHub(users={USER: PAT}, enforce_rate_limit=False)) as hub_url:
        env = {
            **os.environ,
            "HUB_MCP_HUB_URL": hub_url,
            "HUB_MCP_REGISTRY_URL": f"http://{registry_host}",
            "HUB_USERNAME": USER,
            "HUB_PAT_TOKEN": PAT,
            "HUB_MCP_LOG_LEVEL": "INFO",
            "HUB_MCP_ALLOWED_REGISTRIES": f"{registry_host},{hub_url.split('//', 1)[1]}",
        }
        stderr = tempfile.TemporaryFile("w+b")
        started = time.perf_counter()
        if transport == "stdio":
            params = StdioServerParameters(command=_server_command()[0], args=_server_command()[1:], env=env)
            target: Any = stdio_client(params, errlog=stderr)  # its stderr, kept for the leak scan
            process = None
        else:
            port = _free_port()
            env |= {"HUB_MCP_TRANSPORT": "streamable-http", "HUB_MCP_PORT": str(port)}
            process = subprocess.Popen(_server_command(), env=env, stdout=subprocess.DEVNULL, stderr=stderr)
            await _wait_port(port)
            target = f"http://127.0.0.1:{port}/mcp"
        try:
            async with Client(target, mode="legacy") as client:
                pid = process.pid if process else _stdio_pid()
                await _call(client, *plan[0], 60)
                rss_start = _rss_mb(pid)
                for number in range(calls):
                    tool, arguments = plan[number % len(plan)]
                    kind, text = await _call(client, tool, arguments, 60)
                    tally.add(kind, text)
                    if number < 2000 or kind != "ok":
                        transcript.texts.append(text)
                rss_end = _rss_mb(pid)
        finally:
            if process is not None:
                process.terminate()
                process.wait(10)
        stderr.seek(0)
        transcript.texts.extend(stderr.read().decode(errors="replace").splitlines())
    seconds = round(time.perf_counter() - started, 1)
    return Soak(transport, tally.calls, tally.ok, tally.clear, tally.other, rss_start, rss_end, seconds)


def _stdio_pid() -> int:
    """The newest child of this process running hub-mcp (the stdio server the client spawned)."""
    candidates = [p for p in _children(os.getpid()) if b"hub" in Path(f"/proc/{p}/cmdline").read_bytes()]
    if not candidates:
        raise RuntimeError("the stdio server process was not found")
    return max(candidates)


def _free_port() -> int:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


async def _wait_port(port: int, timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            _, writer = await asyncio.open_connection("127.0.0.1", port)
            writer.close()
            return
        except OSError:
            await asyncio.sleep(0.1)
    raise RuntimeError(f"the server did not listen on {port} within {timeout} s")


# --- the hostile registry: memory and time ---------------------------------------------------------

_HWM = """
def hwm():  # this process's peak RSS in MiB (VmHWM starts afresh at exec; ru_maxrss does not)
    for line in open("/proc/self/status"):
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return 0.0
"""

_HOSTILE_CHILD = """
import asyncio, json, sys, time
sys.path.insert(0, {root!r})
from hub_mcp.net.http import HttpClient
from hub_mcp.vocab.references import ImageReference
from hub_mcp.registry.client import RegistryClient
""" + _HWM + """
async def main():
    before = hwm()
    started = time.monotonic()
    client = RegistryClient(HttpClient(timeout=600, max_retries=0))
    try:
        await client.get_manifest(ImageReference.parse("{host}/{scenario}/app:1"))
        error = ""
    except Exception as exc:
        error = str(exc)
    await client.http.aclose()
    peak = hwm()
    print(json.dumps({{
        "peak_rss_mb": round(peak, 1), "growth_mb": round(peak - before, 1),
        "seconds": round(time.monotonic() - started, 1), "error": error[:160],
    }}))

asyncio.run(main())
"""

_HOSTILE_REVIEW_CHILD = """
import asyncio, json, sys, time
sys.path.insert(0, {root!r})
import httpx
from mcp import Client
from hub_mcp.config.settings import Settings
from hub_mcp.server import create_server
sys.path.insert(0, {bench!r})
from tests.fakes.hub import FakeHub
""" + _HWM + """
async def main():
    hub = FakeHub(enforce_rate_limit=False)
    server = create_server(Settings(call_timeout=120, max_retries=0), hub_transport=httpx.ASGITransport(app=hub.app))
    async with Client(server, mode="auto") as client:
        await client.list_tools()
        dockerfile = "".join(f"FROM {host}/{scenario}/app:{{n}} AS s{{n}}\\n" for n in range({lines}))
        before = hwm()
        started = time.monotonic()
        result = await client.call_tool("review_base_images", {{"dockerfile": dockerfile}})
        peak = hwm()
    print(json.dumps({{
        "lines": {lines}, "peak_rss_mb": round(peak, 1), "growth_mb": round(peak - before, 1),
        "seconds": round(time.monotonic() - started, 1), "answer": result.content[0].text[:160],
    }}))

asyncio.run(main())
"""


@contextlib.contextmanager
def _hostile_in_thread() -> Iterator[HostileRegistry]:
    """The hostile registry served from a thread of this process, so that its own buffers (a bomb sent to
    20 connections at once) are not counted in the measured process."""
    import threading

    from tests.fakes.hostile import gzip_bomb

    gzip_bomb()  # made once, before any measurement
    loop = asyncio.new_event_loop()
    loop.set_exception_handler(lambda _loop, _context: None)  # clients that hang up mid-bomb: expected
    registry = HostileRegistry(drip_interval=0.5)
    thread = threading.Thread(target=loop.run_forever, daemon=True)
    thread.start()
    asyncio.run_coroutine_threadsafe(registry.start(), loop).result(30)
    try:
        yield registry
    finally:
        asyncio.run_coroutine_threadsafe(registry.stop(), loop).result(30)
        loop.call_soon_threadsafe(loop.stop)
        thread.join(10)
        loop.close()


def hostile_memory(root: Path = ROOT) -> dict[str, Any]:
    """Peak RSS growth of a fresh process running the code at ``root``: reading a 1 GiB manifest (sized
    and unsized) and a gzip bomb (1 MB that inflates to 1 GiB), and a 20-line review whose every FROM
    is that bomb (one tool call, in process, through the MCP server)."""
    out: dict[str, Any] = {}
    with _hostile_in_thread() as hostile:
        for scenario in ("huge-unsized", "huge", "gzip-bomb", "review-gzip-bomb"):
            if scenario.startswith("review-"):
                code = _HOSTILE_REVIEW_CHILD.format(
                    root=str(root), bench=str(ROOT), host=hostile.host, scenario=scenario[7:], lines=20
                )
            else:
                code = _HOSTILE_CHILD.format(root=str(root), host=hostile.host, scenario=scenario)
            done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=900, cwd=ROOT)
            out[scenario] = (
                {"error": done.stderr[-500:]} if done.returncode else json.loads(done.stdout.strip().splitlines()[-1])
            )
    return out


async def hostile_drip(mode: str = "auto", call_timeout: float = 60.0) -> dict[str, Any]:
    """How long a tool call on a registry that drips a byte every 0.5 s takes to answer, and what it says."""
    hub = FakeHub(enforce_rate_limit=False)
    settings = Settings(call_timeout=call_timeout)  # the defaults otherwise: 20 s per request, 3 retries
    async with HostileRegistry(drip_interval=0.5) as hostile:
        server = create_server(settings, hub_transport=httpx.ASGITransport(app=hub.app))
        async with Client(server, mode=mode) as client:
            started = time.monotonic()
            result = await client.call_tool("inspect_image", {"reference": hostile.ref("drip")})
            seconds = time.monotonic() - started
            redirect = await client.call_tool("inspect_image", {"reference": hostile.ref("metadata-redirect")})
            realm = await client.call_tool("list_tags", {"repository": f"{hostile.host}/metadata-realm/app"})
    return {
        "drip_seconds": round(seconds, 1),
        "drip_answer": result.content[0].text[:200],
        "metadata_redirect": classify_result(bool(redirect.is_error), redirect.content[0].text),
        "metadata_realm": classify_result(bool(realm.is_error), realm.content[0].text),
    }


# --- the whole benchmark ----------------------------------------------------------------------------


@dataclass
class Report:
    faults: dict[str, Tally]
    fuzz: Tally
    fuzz_refused_reached: list[str]
    soak: list[Soak]
    leaks: list[str]
    hostile: dict[str, Any]
    fault_counts: dict[str, int] = field(default_factory=dict)

    def as_dict(self) -> dict[str, Any]:
        return {
            "faults": {mode: asdict(t) for mode, t in self.faults.items()},
            "fuzz": asdict(self.fuzz),
            "fuzz_refused_reached": self.fuzz_refused_reached,
            "soak": [asdict(s) for s in self.soak],
            "leaks": self.leaks,
            "hostile": self.hostile,
        }


async def measure_reliability(
    calls: int = 1000, fuzz_examples: int = 700, soak_calls: int = 10_000, before_root: Path | None = None
) -> Report:
    transcript = Transcript()
    faults: dict[str, Tally] = {}
    soaks: list[Soak] = []
    with local_registry() as registry_host:
        for mode in ("auto", "legacy"):
            faults[mode] = await run_faults(registry_host, mode, calls, transcript=transcript)
        for transport in ("stdio", "streamable-http"):
            soaks.append(await run_soak(transport, soak_calls, registry_host, transcript))
    fuzz, reached = await run_fuzz(fuzz_examples, transcript=transcript)
    hostile: dict[str, Any] = {"memory": hostile_memory(), **await hostile_drip()}
    if before_root is not None:
        hostile["memory_before"] = hostile_memory(before_root)
    hostile["bench_process_peak_rss_mb"] = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)
    return Report(faults, fuzz, reached, soaks, leaks(transcript.texts), hostile)


def format_reliability(report: Report) -> str:
    lines = ["Reliability and security (issue 10)", ""]
    lines.append(f"{'suite / mode':<28}{'calls':>7}{'ok':>7}{'clear':>7}{'other':>7}{'s':>8}")
    for mode, t in report.faults.items():
        lines.append(f"{'faults / ' + mode:<28}{t.calls:>7}{t.ok:>7}{t.clear:>7}{t.other:>7}{t.seconds:>8}")
    f = report.fuzz
    lines.append(f"{'fuzz / auto':<28}{f.calls:>7}{f.ok:>7}{f.clear:>7}{f.other:>7}{f.seconds:>8}")
    for s in report.soak:
        lines.append(f"{'soak / ' + s.transport:<28}{s.calls:>7}{s.ok:>7}{s.clear:>7}{s.other:>7}{s.seconds:>8}")
    lines.append("")
    for s in report.soak:
        lines.append(
            f"soak {s.transport}: server RSS {s.rss_start_mb} MB at start, {s.rss_end_mb} MB after {s.calls} calls"
        )
    lines.append(f"fuzz: requests reaching a refused host: {len(report.fuzz_refused_reached)}")
    lines.append(f"fuzz: answers that dropped an unknown argument silently: {report.fuzz.dropped}")
    lines.append(f"leaks (PAT or JWT in answers, errors, logs): {len(report.leaks)}")
    for key, value in report.hostile.items():
        lines.append(f"hostile {key}: {value}")
    for mode, t in report.faults.items():
        injected = sum(t.faults.values())
        lines.append(f"faults {mode}: {injected} of {t.requests} upstream requests faulted: {t.faults}")
    for mode, t in report.faults.items():
        for example in t.examples:
            lines.append(f"OTHER ({mode}): {example}")
    return "\n".join(lines)
