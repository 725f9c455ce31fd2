"""A real headless Chromium (Debian's ``chromium``) showing the views in a small MCP Apps host page.

Driven with Playwright's Python package (its own browser downloads are never used: ``executable_path``
is the system Chromium). The host page, ``host.html``, is served on loopback so that it is a secure
context, as a real host's page is. Without Chromium the tests are skipped, except with ``CI=true``,
where they fail: ``.ci/run`` (scripts/test) installs it.

Screenshots go to ``$HUB_MCP_ARTIFACTS/views`` (default ``artifacts/views`` in the checkout) for people
to look at; no test compares pixels.
"""

from __future__ import annotations

import http.server
import os
import shutil
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from tests.fakes.registry import missing_tool

HERE = Path(__file__).resolve().parent
ARTIFACTS = Path(os.environ.get("HUB_MCP_ARTIFACTS") or HERE.parent.parent / "artifacts") / "views"

#: The flags the machine notes give for Chromium here: no sandbox as root, no GPU, and no background
#: networking (the closed network refuses it, many connections at a time).
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def chromium_path() -> str:
    path = os.environ.get("HUB_MCP_CHROMIUM") or shutil.which("chromium") or shutil.which("chromium-browser")
    if not path:
        missing_tool("Debian's chromium is not installed (apt-get install chromium); the view tests need it")
    assert path is not None
    return path


@contextmanager
def host_page_server() -> Iterator[str]:
    """Serve host.html on loopback; yields its URL."""
    page = (HERE / "host.html").read_bytes()

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self) -> None:  # noqa: N802 (the standard library's name)
            if self.path != "/host.html":
                self.send_error(404)
                return
            self.send_response(200)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(page)))
            self.end_headers()
            self.wfile.write(page)

        def log_message(self, *args: Any) -> None:
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/host.html"
    finally:
        server.shutdown()
        server.server_close()


@contextmanager
def chromium() -> Iterator[Any]:
    """A headless Chromium (a Playwright ``Browser``)."""
    path = chromium_path()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=path, headless=True, args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()
