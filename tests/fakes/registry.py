"""Run a real OCI registry (distribution v2, Debian's ``docker-registry``) for tests.

:func:`running_registry` starts ``docker-registry serve CONFIG.yml`` on a free loopback port
with a temporary config: filesystem storage in a temporary directory, deletes enabled, logs
to a file (never to the test's stdout), optionally htpasswd ``Basic`` auth. It waits until
``/v2/`` answers and stops the process on exit::

    with running_registry(tmp_path) as registry:            # anonymous
        ...registry.url  # "http://127.0.0.1:PORT"
    with running_registry(tmp_path, auth=("alice", "pw")) as registry:
        ...

Missing tools (``docker-registry`` from apt package ``docker-registry``, ``htpasswd`` from
``apache2-utils`` for the bcrypt entry) skip the test with the reason, unless ``CI=true``, where
they fail it: in CI every test must run. ``HUB_MCP_REGISTRY_BIN`` overrides the binary path.
"""

from __future__ import annotations

import os
import secrets
import shutil
import socket
import subprocess
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest

REGISTRY_APT_PACKAGE = "docker-registry"
HTPASSWD_APT_PACKAGE = "apache2-utils"
START_TIMEOUT = 20.0


def _in_ci() -> bool:
    return os.environ.get("CI", "").strip().lower() == "true"


def missing_tool(reason: str) -> None:
    """Skip the test (locally) or fail it (``CI=true``) because a tool is not installed."""
    if _in_ci():
        pytest.fail(f"{reason} (CI=true: every test must run)", pytrace=False)
    pytest.skip(reason)


def registry_binary() -> str:
    """Path of the registry server binary, or skip/fail the test when it is missing."""
    override = os.environ.get("HUB_MCP_REGISTRY_BIN")
    if override:
        if not os.access(override, os.X_OK):
            missing_tool(f"HUB_MCP_REGISTRY_BIN={override} is not an executable file")
        return override
    for name in ("docker-registry", "registry"):
        path = shutil.which(name)
        if path:
            return path
    missing_tool(
        f"the registry server is not installed: install it with 'apt-get install -y {REGISTRY_APT_PACKAGE}'"
        " (binary /usr/bin/docker-registry)"
    )
    raise AssertionError("unreachable")


def htpasswd_entry(user: str, password: str) -> str:
    """A bcrypt ``user:hash`` line for the registry's htpasswd file (via ``htpasswd -nbB``).

    ``bcrypt`` is not a dependency of the project, so the entry comes from ``htpasswd`` of
    apt package ``apache2-utils``; the registry only accepts bcrypt entries.
    """
    tool = shutil.which("htpasswd")
    if tool is None:
        missing_tool(f"htpasswd is not installed: install it with 'apt-get install -y {HTPASSWD_APT_PACKAGE}'")
    result = subprocess.run([str(tool), "-nbB", user, password], capture_output=True, text=True, check=True, timeout=30)
    line = result.stdout.strip().splitlines()[0]
    if not line.startswith(f"{user}:$2"):
        raise RuntimeError(f"htpasswd did not produce a bcrypt entry for {user!r}")
    return line


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@dataclass
class RunningRegistry:
    """A registry process on loopback: where it listens and how to reach it."""

    port: int
    root: Path
    log_path: Path
    process: subprocess.Popen[bytes]
    auth: tuple[str, str] | None = None

    @property
    def host(self) -> str:
        """The registry host as it appears in image references: ``127.0.0.1:PORT``."""
        return f"127.0.0.1:{self.port}"

    @property
    def url(self) -> str:
        return f"http://{self.host}"

    def log_tail(self, lines: int = 30) -> str:
        try:
            return "\n".join(self.log_path.read_text(errors="replace").splitlines()[-lines:])
        except OSError:
            return ""

    def client(self) -> httpx.Client:
        """A synchronous client for pushing test content (with the Basic credentials, if any)."""
        return httpx.Client(base_url=self.url, auth=self.auth, timeout=30.0)


def _config(port: int, storage: Path, htpasswd: Path | None) -> str:
    auth = ""
    if htpasswd is not None:
        auth = f"auth:\n  htpasswd:\n    realm: hub-mcp-test\n    path: {htpasswd}\n"
    return (
        "version: 0.1\n"
        "log:\n"
        "  level: info\n"
        "  formatter: text\n"
        "  accesslog:\n"
        "    disabled: false\n"
        "storage:\n"
        "  filesystem:\n"
        f"    rootdirectory: {storage}\n"
        "  delete:\n"
        "    enabled: true\n"
        "  maintenance:\n"
        "    uploadpurging:\n"
        "      enabled: false\n"
        "http:\n"
        f"  addr: 127.0.0.1:{port}\n"
        f"  secret: {secrets.token_hex(16)}\n"
        "  headers:\n"
        "    X-Content-Type-Options: [nosniff]\n"
        "health:\n"
        "  storagedriver:\n"
        "    enabled: false\n" + auth
    )


def _wait_ready(registry: RunningRegistry, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    with httpx.Client(timeout=2.0) as client:
        while time.monotonic() < deadline:
            if registry.process.poll() is not None:
                raise RuntimeError(
                    f"docker-registry exited with code {registry.process.returncode}:\n{registry.log_tail()}"
                )
            try:
                status = client.get(f"{registry.url}/v2/").status_code
            except httpx.TransportError:
                status = None
            if status in (200, 401):
                return
            time.sleep(0.05)
    raise RuntimeError(
        f"docker-registry did not answer on {registry.url}/v2/ within {timeout} s:\n{registry.log_tail()}"
    )


def _stop(process: subprocess.Popen[bytes]) -> None:
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=10)


@contextmanager
def running_registry(workdir: Path, *, auth: tuple[str, str] | None = None) -> Iterator[RunningRegistry]:
    """Start a registry under ``workdir`` (storage, config, log) and stop it on exit.

    With ``auth=(user, password)`` the registry requires HTTP Basic (htpasswd, bcrypt).
    """
    binary = registry_binary()
    workdir.mkdir(parents=True, exist_ok=True)
    storage = workdir / "storage"
    storage.mkdir(exist_ok=True)
    htpasswd: Path | None = None
    if auth is not None:
        htpasswd = workdir / "htpasswd"
        htpasswd.write_text(htpasswd_entry(*auth) + "\n")
    env = {k: v for k, v in os.environ.items() if not k.startswith(("REGISTRY_", "OTEL_"))}
    last_error: Exception | None = None
    for attempt in range(3):  # the free port may be taken between probing and binding
        port = free_port()
        config = workdir / "config.yml"
        config.write_text(_config(port, storage, htpasswd))
        log_path = workdir / f"registry-{attempt}.log"
        log_file = log_path.open("wb")
        process = subprocess.Popen(
            [binary, "serve", str(config)],
            stdin=subprocess.DEVNULL,
            stdout=log_file,
            stderr=subprocess.STDOUT,
            env=env,
            cwd=workdir,
        )
        registry = RunningRegistry(port=port, root=storage, log_path=log_path, process=process, auth=auth)
        try:
            _wait_ready(registry, START_TIMEOUT)
        except RuntimeError as exc:
            _stop(process)
            log_file.close()
            last_error = exc
            continue
        try:
            yield registry
        finally:
            _stop(process)
            log_file.close()
        return
    raise RuntimeError(f"could not start docker-registry: {last_error}")
