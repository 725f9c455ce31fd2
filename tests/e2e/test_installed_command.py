"""End to end: the installed ``hub-mcp`` command, spawned as a user's client would, against the
fake Hub served on loopback (HUB_MCP_HUB_URL points there)."""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import anyio
import pytest
from mcp import Client, StdioServerParameters

from tests.fakes.hub import FakeHub, serve

pytestmark = pytest.mark.e2e


def installed_command() -> str:
    candidate = Path(sys.executable).with_name("hub-mcp")
    found = str(candidate) if candidate.exists() else shutil.which("hub-mcp")
    if not found:
        if os.environ.get("CI") == "true":
            pytest.fail("hub-mcp is not installed in this environment; CI must install the package")
        pytest.skip("hub-mcp is not installed (pip install -e .)")
    return found


@pytest.fixture(scope="module")
def hub_url() -> Iterator[str]:
    with serve(FakeHub(enforce_rate_limit=False)) as url:
        yield url


def server_env(hub_url: str) -> dict[str, str]:
    return {"HUB_MCP_HUB_URL": hub_url, "HUB_MCP_LOG_LEVEL": "DEBUG", "HUB_MCP_RETRY_MAX_WAIT": "2"}


async def test_stdio_session_answers_real_questions(hub_url: str) -> None:
    params = StdioServerParameters(command=installed_command(), env=server_env(hub_url))
    async with Client(params, mode="legacy") as client:
        names = {tool.name for tool in (await client.list_tools()).tools}
        assert {"search_images", "get_repository", "list_tags", "get_tag"} <= names
        found = await client.call_tool("search_images", {"query": "python"})
        assert found.structured_content["results"][0]["reference"] == "python"
        missing = await client.call_tool("get_tag", {"repository": "python", "tag": "3.99"})
        assert missing.structured_content["exists"] is False
        assert missing.structured_content["alternatives"][0]["tag"] == "3.14"


def test_stdout_carries_only_protocol_messages(hub_url: str) -> None:
    """Even with DEBUG logging, every stdout line is a JSON-RPC message."""
    messages = [
        {
            "jsonrpc": "2.0",
            "id": 1,
            "method": "initialize",
            "params": {"protocolVersion": "2025-06-18", "capabilities": {}, "clientInfo": {"name": "t", "version": "1"}},
        },
        {"jsonrpc": "2.0", "method": "notifications/initialized"},
        {"jsonrpc": "2.0", "id": 2, "method": "tools/call", "params": {"name": "get_tag", "arguments": {"repository": "python:3.13-slim"}}},
        {"jsonrpc": "2.0", "id": 3, "method": "tools/call", "params": {"name": "get_repository", "arguments": {"repository": "nosuch/x"}}},
    ]
    env = {**os.environ, **server_env(hub_url)}
    proc = subprocess.Popen(
        [installed_command()], stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env, text=True
    )
    try:
        assert proc.stdin and proc.stdout
        for message in messages:
            proc.stdin.write(json.dumps(message) + "\n")
            proc.stdin.flush()
        replies: dict[int, dict] = {}
        deadline = time.monotonic() + 60
        while len(replies) < 3 and time.monotonic() < deadline:
            line = proc.stdout.readline()
            if not line:
                break
            reply = json.loads(line)  # fails on anything that is not protocol
            assert reply["jsonrpc"] == "2.0"
            if "id" in reply:
                replies[reply["id"]] = reply
    finally:
        proc.kill()
        _, stderr = proc.communicate(timeout=10)
    assert replies[2]["result"]["structuredContent"]["exists"] is True
    assert replies[3]["result"]["isError"] is True
    assert "GET" in stderr  # the DEBUG log went to stderr


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


async def test_streamable_http_transport(hub_url: str) -> None:
    port = free_port()
    env = {**os.environ, **server_env(hub_url)}
    proc = subprocess.Popen(
        [installed_command(), "--transport", "streamable-http", "--port", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        env=env,
    )
    try:
        for _ in range(200):
            with socket.socket() as sock:
                if sock.connect_ex(("127.0.0.1", port)) == 0:
                    break
            await anyio.sleep(0.05)
        async with Client(f"http://127.0.0.1:{port}/mcp") as client:
            result = await client.call_tool("list_tags", {"repository": "node", "limit": 2})
            assert not result.is_error and len(result.structured_content["tags"]) == 2
    finally:
        proc.terminate()
        proc.wait(timeout=10)


def run_command(args: list[str], env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("HUB_MCP_", "HUB_USERNAME", "HUB_PAT_TOKEN"))}
    return subprocess.run(
        [installed_command(), *args],
        env={**clean, **env},
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def test_a_bad_setting_stops_the_command_with_one_line_and_status_2() -> None:
    done = run_command([], {"HUB_MCP_TIMEOUT": "abc"})
    assert (done.returncode, done.stdout) == (2, "")
    assert done.stderr == "hub-mcp: HUB_MCP_TIMEOUT=abc: not a number of seconds; set e.g. HUB_MCP_TIMEOUT=20\n"


def test_a_token_without_a_user_stops_the_command_without_showing_the_token() -> None:
    done = run_command(["--timeout", "5"], {"HUB_PAT_TOKEN": "dckr_pat_e2e_s3cret"})
    assert (done.returncode, done.stdout) == (2, "")
    assert done.stderr.startswith("hub-mcp: HUB_PAT_TOKEN is set but HUB_USERNAME is not")
    assert done.stderr.count("\n") == 1 and "dckr_pat_e2e_s3cret" not in done.stderr


def test_help_works_as_the_readme_says() -> None:
    done = run_command(["--help"], {})
    assert (done.returncode, done.stderr) == (0, "")
    assert done.stdout.startswith("usage: hub-mcp") and "HUB_MCP_TIMEOUT" in done.stdout


def test_the_clients_are_built_in_the_background_after_tools_list(hub_url: str) -> None:
    """The command warms up after answering tools/list: the DEBUG log says the services were
    built although no tool was called."""
    import selectors

    messages = [
        {
            "jsonrpc": "2.0",
            "id": 1,
            "method": "initialize",
            "params": {"protocolVersion": "2025-06-18", "capabilities": {}, "clientInfo": {"name": "t", "version": "1"}},
        },
        {"jsonrpc": "2.0", "method": "notifications/initialized"},
        {"jsonrpc": "2.0", "id": 2, "method": "tools/list"},
    ]
    env = {**os.environ, **server_env(hub_url)}
    proc = subprocess.Popen(
        [installed_command()], stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env
    )
    log = b""
    try:
        assert proc.stdin and proc.stdout and proc.stderr
        proc.stdin.write("".join(json.dumps(m) + "\n" for m in messages).encode())
        proc.stdin.flush()
        replies = [json.loads(proc.stdout.readline()) for _ in range(2)]
        assert replies[1]["id"] == 2 and replies[1]["result"]["tools"]
        with selectors.DefaultSelector() as selector:
            selector.register(proc.stderr, selectors.EVENT_READ)
            deadline = time.monotonic() + 60
            while b"warm-up done" not in log and time.monotonic() < deadline:
                if selector.select(timeout=1):
                    chunk = os.read(proc.stderr.fileno(), 65536)
                    if not chunk:
                        break
                    log += chunk
    finally:
        proc.kill()
        proc.communicate(timeout=10)
    assert b"warm-up done: services built" in log, log.decode(errors="replace")[-2000:]
