"""End to end: ``hub-mcp --transport http --workers 2`` runs two worker processes on one port, each
listening on a socket of its own (SO_REUSEPORT), so that the kernel spreads new connections over both;
they share the Redis cache; one that dies or freezes is replaced.

Which worker serves a request is made certain without timing: a connection is kept alive, and which
worker holds its server end is read from /proc (hub_mcp/server/workers.py says why a worker is no longer
paused for that: under SO_REUSEPORT a paused worker still gets its share of new connections)."""

from __future__ import annotations

import contextlib
import http.client
import json
import os
import signal
import socket
import subprocess
import time
from collections.abc import Iterator
from typing import Any

import pytest

from tests.e2e.processes import (
    LISTEN,
    children_of,
    clean_environment,
    connection_holder,
    free_port,
    http_server,
    hub_mcp_command,
    sockets_held,
    tcp_sockets,
)
from tests.e2e.test_installed_command import installed_command
from tests.e2e.test_shared_cache import CACHE_KEY, TOKEN, hub, upstream
from tests.fakes.hub import FakeHub

pytestmark = pytest.mark.e2e
__all__ = ["hub"]  # the fixture, used here

TRIES = 64
"""Fresh connections opened at most to find one on each of 2 workers (all on one: odds of 1 in 2^63)."""
START_SECONDS = 60.0
"""How long a worker may take to be started (or replaced) by the supervisor: a deadline, not a measure."""


@contextlib.contextmanager
def server_with_workers(hub_url: str, cache_url: str, count: int) -> Iterator[tuple[str, int, list[int]]]:
    """The server, its supervisor's pid and its workers' pids once all of them listen."""
    installed_command()  # fails in CI, skips elsewhere, when hub-mcp is not installed
    env = {
        "HUB_MCP_HUB_URL": hub_url,
        "HUB_MCP_AUTH_TOKEN": TOKEN,
        "HUB_MCP_RETRY_MAX_WAIT": "2",
        "HUB_MCP_CACHE_URL": cache_url,
        "HUB_MCP_CACHE_KEY": CACHE_KEY,
    }
    pids: list[int] = []
    with http_server(env, ["--workers", str(count)], pid_to=pids) as base:
        yield base, pids[0], listening_workers(port_of(base), pids[0], count)


def port_of(base: str) -> int:
    return int(base.rsplit(":", 1)[1])


def listening_workers(port: int, parent: int, count: int, gone: int | None = None) -> list[int]:
    """The supervisor's ``count`` workers (none of them ``gone``), once each holds a listening socket on the
    port (the supervisor starts them one after the other, and replaces one that died)."""
    deadline = time.monotonic() + START_SECONDS
    while True:
        workers = [pid for pid in children_of(parent) if pid != gone]
        listening = tcp_sockets(port, LISTEN)
        if len(workers) == count and all(sockets_held(pid, listening) for pid in workers):
            return workers
        assert time.monotonic() < deadline, f"{count} workers did not all listen within {START_SECONDS:g} s"
        time.sleep(0.05)


def health(connection: http.client.HTTPConnection) -> None:
    connection.request("GET", "/health")
    answer = connection.getresponse()
    answer.read()
    assert answer.status == 200


def holder(port: int, connection: http.client.HTTPConnection, workers: list[int]) -> int | None:
    assert connection.sock is not None, "the connection was closed"
    return connection_holder(port, connection.sock, workers)


@contextlib.contextmanager
def one_connection_each(base: str, workers: list[int]) -> Iterator[dict[int, http.client.HTTPConnection]]:
    """A kept-alive connection held by each worker: fresh connections are opened until each worker has
    accepted one (the kernel picks the socket by a hash of the client's port)."""
    port = port_of(base)
    found: dict[int, http.client.HTTPConnection] = {}
    try:
        for _ in range(TRIES):
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
            health(connection)  # answered: the worker has accepted it
            pid = holder(port, connection, workers)
            if pid is None or pid in found:
                connection.close()
            else:
                found[pid] = connection
            if len(found) == len(workers):
                break
        assert sorted(found) == sorted(workers), f"{TRIES} fresh connections all went to {sorted(found)}"
        yield found
    finally:
        for connection in found.values():
            connection.close()


def get_tag(base: str, connection: http.client.HTTPConnection, worker: int, workers: list[int]) -> dict[str, Any]:
    """``get_tag python:3.12-slim`` as a 2025-era client on a stateless server (no session), on this
    connection, which must still be the one ``worker`` holds."""
    body = {
        "jsonrpc": "2.0",
        "id": 1,
        "method": "tools/call",
        "params": {"name": "get_tag", "arguments": {"repository": "python:3.12-slim"}},
    }
    headers = {
        "Authorization": f"Bearer {TOKEN}",
        "Content-Type": "application/json",
        "Accept": "application/json, text/event-stream",
        "MCP-Protocol-Version": "2025-06-18",
    }
    connection.request("POST", "/mcp", body=json.dumps(body), headers=headers)
    answer = connection.getresponse()
    message = json.loads(answer.read())
    assert answer.status == 200, message
    assert holder(port_of(base), connection, workers) == worker, "the call was not served by the worker asked"
    result: dict[str, Any] = message["result"]
    assert not result.get("isError"), result
    structured: dict[str, Any] = result["structuredContent"]
    return structured


def test_each_worker_listens_on_a_socket_of_its_own(hub: tuple[FakeHub, str], fresh_redis: str) -> None:
    """The kernel spreads connections only over sockets: one shared by both workers (uvicorn's supervisor)
    let whichever woke first take every waiting connection. The supervisor itself never listens (a socket
    of its would get a share of connections and never answer them)."""
    _, url = hub
    with server_with_workers(url, fresh_redis, 2) as (base, parent, workers):
        listening = tcp_sockets(port_of(base), LISTEN)
        held = [sockets_held(pid, listening) for pid in workers]
        assert len(listening) == 2, f"expected 2 listening sockets on the port, found {len(listening)}"
        assert all(len(own) == 1 for own in held) and held[0] != held[1]
        assert not sockets_held(parent, listening)


def test_connections_opened_at_once_land_on_both_workers(hub: tuple[FakeHub, str], fresh_redis: str) -> None:
    """32 connections opened together, then a request on each: both workers hold some of them. With one
    shared socket the worker that woke first accepted all 32 (the HTTP benchmark's 32/0); spread by hash,
    all 32 land on one worker with odds of 1 in 2^31."""
    _, url = hub
    with server_with_workers(url, fresh_redis, 2) as (base, _, workers):
        port = port_of(base)
        connections = [socket.create_connection(("127.0.0.1", port), timeout=30) for _ in range(32)]
        try:
            for sock in connections:
                sock.sendall(b"GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
            for sock in connections:
                assert sock.recv(4096).startswith(b"HTTP/1.1 200")  # answered: accepted by a worker
            holders = [connection_holder(port, sock, workers) for sock in connections]
        finally:
            for sock in connections:
                sock.close()
    assert None not in holders
    assert set(holders) == set(workers), f"all 32 connections on worker {holders[0]}"


def test_two_workers_both_answer_and_share_the_redis_cache(
    hub: tuple[FakeHub, str], fresh_redis: str
) -> None:
    fake, url = hub
    with server_with_workers(url, fresh_redis, 2) as (base, _, workers):
        assert len(workers) == 2, f"expected 2 worker processes, found {workers}"
        first, second = workers
        with one_connection_each(base, workers) as on:
            on_first = get_tag(base, on[first], first, workers)
            assert upstream(fake) == 1
            on_second = get_tag(base, on[second], second, workers)  # never asked before in this worker: from Redis
        assert on_first == on_second and on_first["exists"] is True
        assert upstream(fake) == 1


def test_without_a_shared_cache_each_worker_asks(hub: tuple[FakeHub, str], dead_redis_url: str) -> None:
    """The control: the test above can fail. With Redis unreachable each worker caches alone, so the
    same question on the other worker asks Docker Hub again."""
    fake, url = hub
    with server_with_workers(url, dead_redis_url, 2) as (base, _, workers):
        with one_connection_each(base, workers) as on:
            for worker in workers:
                get_tag(base, on[worker], worker, workers)
    assert upstream(fake) == 2


@pytest.mark.parametrize("how", ["killed", "frozen"])
def test_a_worker_that_dies_or_freezes_is_replaced(hub: tuple[FakeHub, str], fresh_redis: str, how: str) -> None:
    """Killed: the supervisor starts another. Frozen (SIGSTOP): it still gets its share of new connections
    under SO_REUSEPORT, so the supervisor kills one that does not answer its health ping for 5 s and starts
    another. Either way both workers then accept connections again."""
    _, url = hub
    with server_with_workers(url, fresh_redis, 2) as (base, parent, workers):
        victim, survivor = workers
        os.kill(victim, signal.SIGKILL if how == "killed" else signal.SIGSTOP)
        try:
            replaced = listening_workers(port_of(base), parent, 2, gone=victim)
        finally:
            with contextlib.suppress(ProcessLookupError):
                os.kill(victim, signal.SIGCONT)
        assert survivor in replaced and victim not in replaced
        with one_connection_each(base, replaced) as on:
            assert sorted(on) == sorted(replaced)


STOP_SECONDS = 60.0
"""How long the supervisor may take to stop every worker and exit: a deadline, not a measure."""
PING_WAIT = 2.5
"""Seconds after a worker is frozen by which the supervisor is waiting for its answer to a health ping (it asks
every 0.5 s and waits up to 5 s for an answer): the middle of that window, not a measure."""


@contextlib.contextmanager
def supervisor_in_a_group_of_its_own(log: Any) -> Iterator[tuple[subprocess.Popen[bytes], int]]:
    """``hub-mcp --workers 2`` as the leader of a process group of its own (so that a signal sent to the group,
    as a terminal's Ctrl-C or a service manager does, reaches the supervisor and its workers, not pytest),
    its log to ``log``; killed with its group afterwards if it is still running."""
    installed_command()  # fails in CI, skips elsewhere, when hub-mcp is not installed
    port = free_port()
    proc = subprocess.Popen(
        [hub_mcp_command(), "--transport", "http", "--port", str(port), "--workers", "2"],
        env=clean_environment({}),
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=log,
        start_new_session=True,
    )
    try:
        yield proc, port
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait(timeout=STOP_SECONDS)


@pytest.mark.parametrize("when", ["shortly after start", "while a health ping waits for a worker that dies"])
def test_sigterm_to_the_process_group_stops_without_restarting_a_worker(tmp_path: Any, when: str) -> None:
    """SIGTERM sent to the whole group reaches the workers too: one that died of it while the supervisor waited
    for its answer to a health ping was seen dead and restarted ("starting another"), and the exit took the 5 s
    of that ping. A stop signal is now looked at again before a dead worker is replaced, and during the ping.
    The second case makes the first one's race certain: a frozen worker holds the supervisor's ping, then the
    group gets SIGTERM and the worker dies (SIGKILL: a frozen process cannot act on SIGTERM)."""
    with open(tmp_path / "server.log", "wb") as log, supervisor_in_a_group_of_its_own(log) as (proc, port):
        if when == "shortly after start":
            deadline = time.monotonic() + START_SECONDS
            while len(children_of(proc.pid)) < 2:
                assert proc.poll() is None and time.monotonic() < deadline, "the workers were not started"
                time.sleep(0.01)
            os.killpg(proc.pid, signal.SIGTERM)
        else:
            victim = listening_workers(port, proc.pid, 2)[0]
            os.kill(victim, signal.SIGSTOP)
            time.sleep(PING_WAIT)
            os.killpg(proc.pid, signal.SIGTERM)
            os.kill(victim, signal.SIGKILL)
        status = proc.wait(timeout=STOP_SECONDS)
    said = (tmp_path / "server.log").read_text(errors="replace")
    assert "starting another" not in said, said
    assert status == 0, said
