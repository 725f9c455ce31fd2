"""Real ``hub-mcp`` processes serving HTTP on loopback, for end-to-end tests and benchmarks."""

from __future__ import annotations

import contextlib
import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator, Mapping, Sequence
from pathlib import Path

import httpx


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def hub_mcp_command() -> str:
    """The installed ``hub-mcp`` beside this interpreter (``pip install -e .`` puts it there)."""
    return str(Path(sys.executable).with_name("hub-mcp"))


def clean_environment(extra: Mapping[str, str]) -> dict[str, str]:
    """This process's environment without hub-mcp's own variables, plus ``extra``."""
    kept = {k: v for k, v in os.environ.items() if not k.startswith(("HUB_MCP_", "HUB_USERNAME", "HUB_PAT_TOKEN"))}
    return {**kept, **extra}


@contextlib.contextmanager
def http_server(
    env: Mapping[str, str],
    args: Sequence[str] = (),
    *,
    startup: float = 30.0,
    stderr: int | None = None,
    pid_to: list[int] | None = None,
) -> Iterator[str]:
    """Spawn ``hub-mcp --transport http`` on a free loopback port; yield its base URL once
    ``/health`` answers; terminate it afterwards. ``pid_to`` receives the process id."""
    port = free_port()
    proc = subprocess.Popen(
        [hub_mcp_command(), "--transport", "http", "--port", str(port), *args],
        env=clean_environment(env),
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL if stderr is None else stderr,
    )
    base = f"http://127.0.0.1:{port}"
    if pid_to is not None:
        pid_to.append(proc.pid)
    try:
        deadline = time.monotonic() + startup
        while True:
            if proc.poll() is not None:
                raise RuntimeError(f"hub-mcp exited with status {proc.returncode} before serving")
            try:
                if httpx.get(f"{base}/health", timeout=1).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            if time.monotonic() > deadline:
                raise TimeoutError(f"hub-mcp did not serve /health within {startup:g} s")
            time.sleep(0.05)
        yield base
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(timeout=5)


# --- which process holds which TCP socket (Linux /proc), for --workers -------------------------------------------


def children_of(parent: int) -> list[int]:
    """The processes whose parent is ``parent`` (a ``--workers`` supervisor's workers), but
    multiprocessing's resource tracker."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        with contextlib.suppress(OSError, ValueError, IndexError):
            ppid = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
            if ppid == parent and b"resource_tracker" not in (entry / "cmdline").read_bytes():
                found.append(int(entry.name))
    return sorted(found)


LISTEN = "0A"
ESTABLISHED = "01"
"""TCP states as /proc/net/tcp writes them (include/net/tcp_states.h)."""


def tcp_sockets(port: int, state: str, remote_port: int | None = None) -> set[str]:
    """The inodes of the TCP sockets in ``state`` whose local port is ``port`` (and remote port
    ``remote_port``, when given), IPv4 and IPv6."""
    found: set[str] = set()
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        with contextlib.suppress(OSError):
            for line in Path(table).read_text().splitlines()[1:]:
                cols = line.split()
                if len(cols) < 10 or cols[3] != state or int(cols[1].rsplit(":", 1)[1], 16) != port:
                    continue
                if remote_port is None or int(cols[2].rsplit(":", 1)[1], 16) == remote_port:
                    found.add(cols[9])
    return found


def sockets_held(pid: int, inodes: set[str]) -> set[str]:
    """Which of ``inodes`` process ``pid`` has open."""
    held: set[str] = set()
    with contextlib.suppress(OSError):
        for fd in Path(f"/proc/{pid}/fd").iterdir():
            with contextlib.suppress(OSError):
                link = os.readlink(fd)
                if link.startswith("socket:[") and link[8:-1] in inodes:
                    held.add(link[8:-1])
    return held


def connection_holder(server_port: int, client: socket.socket, pids: Sequence[int]) -> int | None:
    """Which of ``pids`` holds the server's end of ``client``'s connection (the worker that accepted it)."""
    inodes = tcp_sockets(server_port, ESTABLISHED, remote_port=client.getsockname()[1])
    return next((pid for pid in pids if sockets_held(pid, inodes)), None)
