"""End to end: what a person or a client meets first when it starts the real ``hub-mcp`` process:
the end of input while a call is still running, and the command started by hand in a terminal."""

from __future__ import annotations

import json
import os
import pty
import selectors
import shutil
import signal
import subprocess
import time
from collections.abc import Iterator

import pytest

from tests.e2e.processes import clean_environment, hub_mcp_command
from tests.fakes.hub import FakeHub, serve

pytestmark = pytest.mark.e2e

INITIALIZE = {
    "jsonrpc": "2.0",
    "id": 1,
    "method": "initialize",
    "params": {"protocolVersion": "2025-06-18", "capabilities": {}, "clientInfo": {"name": "t", "version": "1"}},
}
INITIALIZED = {"jsonrpc": "2.0", "method": "notifications/initialized"}


@pytest.fixture(scope="module")
def slow_hub() -> Iterator[tuple[FakeHub, str]]:
    hub = FakeHub(enforce_rate_limit=False)
    with serve(hub) as url:
        yield hub, url


def write_and_close(proc: subprocess.Popen[bytes], messages: list[dict], limit: float = 60.0) -> tuple[bytes, bytes]:
    """Write ``messages`` on stdin and close it; everything the process writes on stdout and stderr
    until it exits (killed after ``limit`` s)."""
    try:
        return proc.communicate("".join(json.dumps(m) + "\n" for m in messages).encode(), timeout=limit)
    except subprocess.TimeoutExpired:
        proc.kill()
        out, err = proc.communicate(timeout=10)
        pytest.fail(f"hub-mcp did not exit within {limit:g} s of the end of its input; stderr: {err.decode()[-2000:]}")


def test_a_call_in_flight_at_end_of_input_is_answered_before_exit(slow_hub: tuple[FakeHub, str]) -> None:
    """A client that writes its request and closes stdin (``echo ... | hub-mcp``) still gets the answer:
    the call the Hub is slow to serve finishes, its response is written, then the process exits."""
    hub, url = slow_hub
    hub.latency = 0.5
    call = {
        "jsonrpc": "2.0",
        "id": 2,
        "method": "tools/call",
        "params": {"name": "get_tag", "arguments": {"repository": "python", "tag": "3.13-slim"}},
    }
    proc = subprocess.Popen(
        [hub_mcp_command()],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=clean_environment({"HUB_MCP_HUB_URL": url, "HUB_MCP_NO_DOCKER_CONFIG": "1"}),
    )
    try:
        stdout, stderr = write_and_close(proc, [INITIALIZE, INITIALIZED, call])
    finally:
        hub.latency = 0.0
        if proc.poll() is None:
            proc.kill()
            proc.wait(timeout=10)
    replies = {reply["id"]: reply for reply in map(json.loads, stdout.decode().splitlines()) if "id" in reply}
    assert 2 in replies, f"the call's answer was dropped; stderr: {stderr.decode()[-2000:]}"
    assert replies[2]["result"]["structuredContent"]["exists"] is True
    assert proc.returncode == 0


def test_a_call_in_flight_at_end_of_input_is_bounded_by_the_call_deadline(slow_hub: tuple[FakeHub, str]) -> None:
    """When the Hub is slower than the per-call deadline, the process still exits after the deadline,
    having answered the call with the deadline's error rather than hanging on to it."""
    hub, url = slow_hub
    hub.latency = 4.0
    call = {
        "jsonrpc": "2.0",
        "id": 2,
        "method": "tools/call",
        "params": {"name": "get_repository", "arguments": {"repository": "python"}},
    }
    env = {"HUB_MCP_HUB_URL": url, "HUB_MCP_NO_DOCKER_CONFIG": "1", "HUB_MCP_CALL_TIMEOUT": "1"}
    proc = subprocess.Popen(
        [hub_mcp_command(), "--max-retries", "0"],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=clean_environment(env),
    )
    try:
        stdout, stderr = write_and_close(proc, [INITIALIZE, INITIALIZED, call], limit=25)
    finally:
        hub.latency = 0.0
    replies = {reply["id"]: reply for reply in map(json.loads, stdout.decode().splitlines()) if "id" in reply}
    assert 2 in replies, f"the call's answer was dropped; stderr: {stderr.decode()[-2000:]}"
    assert replies[2]["result"]["isError"] is True


def test_started_in_a_terminal_it_says_what_it_is_and_the_first_ctrl_c_exits_cleanly() -> None:
    """A person who runs ``scripts/run`` in a terminal is told, on stderr, that the server speaks MCP on
    stdio and how to try it; Ctrl-C then stops it at once, with no traceback."""
    controller, terminal = pty.openpty()
    proc = subprocess.Popen(
        [hub_mcp_command(), "--no-docker-config"],
        stdin=terminal,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=clean_environment({"HUB_MCP_HUB_URL": "http://127.0.0.1:9"}),
    )
    os.close(terminal)
    try:
        assert proc.stderr is not None
        said = b""
        with selectors.DefaultSelector() as selector:
            selector.register(proc.stderr, selectors.EVENT_READ)
            deadline = time.monotonic() + 30
            while b"Ctrl-C" not in said and time.monotonic() < deadline:
                if not selector.select(timeout=1):
                    continue
                chunk = os.read(proc.stderr.fileno(), 65536)
                if not chunk:
                    break
                said += chunk
        assert b"MCP" in said and b"stdin and stdout" in said and b"inspector" in said, said
        # the command it names for the inspector starts this server from the person's shell (a new user's
        # try: `hub-mcp` was named, which scripts/run does not put on PATH)
        named = said.decode().split("inspector ", 1)[1].split("`", 1)[0]
        assert shutil.which(named.split()[0]) or os.path.exists(named.split()[0]), named
        assert proc.stdout is not None
        os.write(controller, json.dumps(INITIALIZE).encode() + b"\n")  # typed in: the server is serving
        assert json.loads(proc.stdout.readline())["id"] == 1
        proc.send_signal(signal.SIGINT)
        stdout, rest = proc.communicate(timeout=15)
    finally:
        os.close(controller)
        if proc.poll() is None:
            proc.kill()
            proc.wait(timeout=10)
    stderr = (said + rest).decode()
    assert proc.returncode == 130, stderr
    assert "Traceback" not in stderr and "KeyboardInterrupt" not in stderr, stderr
    assert stdout == b""  # nothing but protocol on stdout, and no protocol was asked for


def test_with_stdin_not_a_terminal_nothing_is_said() -> None:
    """A client's pipe gets no greeting: the hint is for people only."""
    done = subprocess.run(
        [hub_mcp_command(), "--no-docker-config"],
        stdin=subprocess.DEVNULL,
        capture_output=True,
        env=clean_environment({"HUB_MCP_HUB_URL": "http://127.0.0.1:9"}),
        timeout=60,
        check=False,
    )
    assert (done.returncode, done.stdout, done.stderr) == (0, b"", b"")


def test_a_line_that_is_not_one_message_is_answered_with_a_sentence_not_dropped() -> None:
    """Issue 17 (a new user's try): a line of text and a batch got no answer at all on stdio, and a
    client waiting for the batch's ids waited for ever. Each gets a JSON-RPC error with id null
    (JSON-RPC 2.0, section 5.1: -32700 parse error, -32600 invalid request), and the session goes on."""
    ping = {"jsonrpc": "2.0", "id": 9, "method": "ping"}
    lines = ["hello", json.dumps([ping]), json.dumps({"a": 1}), json.dumps(ping)]
    proc = subprocess.Popen(
        [hub_mcp_command()],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=clean_environment({"HUB_MCP_NO_DOCKER_CONFIG": "1"}),
    )
    try:
        stdout, stderr = proc.communicate("".join(line + "\n" for line in lines).encode(), timeout=60)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait(timeout=10)
    replies = [json.loads(line) for line in stdout.decode().splitlines()]
    errors = [reply for reply in replies if "error" in reply]
    assert [(e["id"], e["error"]["code"]) for e in errors] == [(None, -32700), (None, -32600), (None, -32600)]
    assert "not JSON" in errors[0]["error"]["message"] and "batches" in errors[1]["error"]["message"]
    assert all(e["error"]["message"].endswith(".") and "\n" not in e["error"]["message"] for e in errors)
    assert {"jsonrpc": "2.0", "id": 9, "result": {}} in replies  # the session went on
    assert b"Traceback" not in stderr
