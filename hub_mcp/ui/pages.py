"""The MCP Apps views: one self-contained HTML document per tool answer that has one.

A view is the HTML a client that speaks MCP Apps (the ``io.modelcontextprotocol/ui`` extension)
renders beside a tool's answer: the host reads the ``ui://`` resource the tool names in
``_meta.ui.resourceUri`` and posts the tool's result into it (MCP Apps specification 2026-01-26,
"Data Passing"). So a view costs no upstream request and shows only the facts the tool returned.

Each document is assembled here from the files in ``assets/``: the shared style sheet, the shared
bridge (``view.js``) and the page's own script, all inline, and a Content-Security-Policy that admits
exactly those two inline blocks by their SHA-256 and nothing else (no network, no other script or
style, no images, frames, forms or base URL). The data never enters the document as markup: the
scripts put every value in as text.

Documents are built on first read and kept (a few kilobytes each).
"""

from __future__ import annotations

import base64
import hashlib
from dataclasses import dataclass
from functools import cache
from importlib import resources

from hub_mcp import __version__

MIME_TYPE = "text/html;profile=mcp-app"
"""What an MCP Apps view is served as (the specification's "UI Resource Format"); hosts render no other."""


@dataclass(frozen=True)
class Page:
    """One view: its ``ui://`` address, what it is called, and the script that draws it."""

    name: str
    title: str
    description: str

    @property
    def uri(self) -> str:
        return f"ui://hub-mcp/{self.name}.html"

    @property
    def script(self) -> str:
        return f"{self.name}.js"


PAGES: dict[str, Page] = {
    page.name: page
    for page in (
        Page(
            "suggestions",
            "Suggested base images",
            "suggest_base_images as a sortable table: the candidates with size, platforms, end of support and"
            " hardened equivalent, why each ranks where it does, what was rejected, and the pinned FROM line to copy.",
        ),
        Page(
            "review",
            "Base image review",
            "review_base_images as a sortable table: each FROM line's verdict and findings, the digest-pinned refresh"
            " to copy, the upgrade and the hardened equivalent.",
        ),
        Page(
            "comparison",
            "Image comparison",
            "compare_images side by side: both images with their pinned FROM lines, and the layers, settings,"
            " packages and known vulnerabilities that differ.",
        ),
    )
}


def tool_meta(name: str) -> dict[str, dict[str, str]]:
    """The ``_meta`` a tool carries to name its view (``_meta.ui.resourceUri``)."""
    return {"ui": {"resourceUri": PAGES[name].uri}}


RESOURCE_META: dict[str, dict[str, object]] = {
    "ui": {
        # No csp domains: the host's restrictive default (no connections, no outside resources) is all a view needs.
        "permissions": {"clipboardWrite": {}},  # the copy buttons; without it they select the text instead
        "prefersBorder": True,
    }
}
"""The ``_meta`` of every view resource (the specification's ``UIResourceMeta``)."""


def _asset(name: str) -> str:
    return (resources.files("hub_mcp.ui") / "assets" / name).read_text(encoding="utf-8")


def _sha256(text: str) -> str:
    return "sha256-" + base64.b64encode(hashlib.sha256(text.encode("utf-8")).digest()).decode("ascii")


def content_security_policy(script: str, style: str) -> str:
    """Only this script and this style sheet, by hash; nothing from anywhere else."""
    return (
        "default-src 'none'; "
        f"script-src '{_sha256(script)}'; "
        f"style-src '{_sha256(style)}'; "
        "img-src 'none'; font-src 'none'; connect-src 'none'; media-src 'none'; frame-src 'none'; "
        "object-src 'none'; base-uri 'none'; form-action 'none'"
    )


@cache
def document(name: str) -> str:
    """The whole HTML document of the view ``name`` (a key of :data:`PAGES`)."""
    page = PAGES[name]
    style = _asset("view.css")
    script = _asset("view.js") + "\n" + _asset(page.script)
    for block, closing in ((style, "</style"), (script, "</script")):
        if closing in block.lower():  # would end the inline block early: a mistake in an asset
            raise ValueError(f"the view asset for {name!r} contains {closing!r}")
    return (
        "<!DOCTYPE html>\n"
        f'<html lang="en" data-version="{__version__}">\n<head>\n<meta charset="utf-8">\n'
        f'<meta http-equiv="Content-Security-Policy" content="{content_security_policy(script, style)}">\n'
        '<meta name="color-scheme" content="light dark">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{page.title}</title>\n<style>{style}</style>\n</head>\n<body>\n"
        '<main id="app"><p class="muted">Waiting for the answer\u2026</p></main>\n'
        '<p id="status" class="sr-only" role="status"></p>\n'
        f"<script>{script}</script>\n</body>\n</html>\n"
    )
