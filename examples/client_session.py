"""A client session with hub-mcp, printing what the model would receive.

Spawns the installed ``hub-mcp`` over stdio (as Claude Desktop does) and asks the questions a
model asks when it writes a Dockerfile. By default it talks to Docker Hub; with ``--fake-hub``
it first serves the test suite's fake Hub on loopback and points the server at it (useful
offline, and what CI machines have).

    .venv/bin/python examples/client_session.py --fake-hub
    .venv/bin/python examples/client_session.py            # real Docker Hub
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import sys
from pathlib import Path
from typing import Any

import anyio
from mcp import Client, StdioServerParameters

ROOT = Path(__file__).resolve().parents[1]
QUESTIONS: list[tuple[str, dict[str, Any]]] = [
    ("search_images", {"query": "python", "limit": 3}),
    ("list_tags", {"repository": "python", "name": "slim", "architecture": "arm64", "limit": 3}),
    ("get_tag", {"repository": "python", "tag": "3.12-slim"}),
    ("get_tag", {"repository": "python", "tag": "3.99"}),
    ("get_tag", {"repository": "python:3.8-slim"}),
    ("get_repository", {"repository": "openjdk"}),
    ("get_tag", {"repository": "python", "tag": 3.10}),  # a tag sent as a number is refused
    ("suggest_base_images", {"runtime": "python", "platforms": ["linux/amd64", "linux/arm64"], "limit": 2}),
    ("suggest_base_images", {"image": "openjdk", "version": "17", "limit": 1}),
    ("review_base_images", {"dockerfile": "ARG PY=3.8\nFROM python:${PY}-slim AS build\nFROM node\nFROM scratch\n"}),
]


async def run(hub_url: str | None) -> None:
    command = Path(sys.executable).with_name("hub-mcp")
    env = {"HUB_MCP_HUB_URL": hub_url} if hub_url else {}
    params = StdioServerParameters(command=str(command), env={**env, **_credentials()})
    async with Client(params) as client:
        tools = await client.list_tools()
        print(f"# {len(tools.tools)} tools: {', '.join(t.name for t in tools.tools)}\n")
        for tool, args in QUESTIONS:
            result = await client.call_tool(tool, args)
            print(f"> {tool}({json.dumps(args)})")
            text = result.content[0].text if result.content else ""
            prefix = "ERROR " if result.is_error else ""
            shown = json.dumps(result.structured_content, indent=1) if result.structured_content else text
            print(prefix + (shown if len(shown) < 2500 else shown[:2500] + "\n  ... (cut for display)"))
            print(f"  [{len(text.encode())} bytes of text]\n")


def _credentials() -> dict[str, str]:
    return {k: os.environ[k] for k in ("HUB_USERNAME", "HUB_PAT_TOKEN") if os.environ.get(k)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--fake-hub", action="store_true", help="serve the test suite's fake Hub on loopback and use it")
    args = parser.parse_args()
    with contextlib.ExitStack() as stack:
        hub_url = os.environ.get("HUB_MCP_HUB_URL")
        if args.fake_hub:
            sys.path.insert(0, str(ROOT))
            from tests.fakes.hub import FakeHub, serve

            hub_url = stack.enter_context(serve(FakeHub(enforce_rate_limit=False)))
            print(f"# fake Docker Hub at {hub_url}\n")
        anyio.run(run, hub_url)


if __name__ == "__main__":
    main()
