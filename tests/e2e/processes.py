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
