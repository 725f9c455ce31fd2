"""Write ``catalog/hub-mcp/tools.json`` (Docker MCP catalog format) from the schema snapshot.

    .venv/bin/python catalog/tools_json.py           # regenerate
    .venv/bin/python catalog/tools_json.py --check   # exit 1 when tools.json is stale

The snapshot (``tests/server/schema_snapshot.json``, refreshed with
``HUB_MCP_UPDATE_SNAPSHOT=1 .venv/bin/python -m pytest -q tests/server/test_schema_snapshot.py``)
is what ``tools/list`` answers; the catalog's ``tools.json`` lists the same tools for clients
that cannot run the image before it is configured. Its format (../shared/docs/mcp-catalog.md):
``[{"name", "description", "arguments": [{"name", "type", "desc", "optional"?, "items"?}],
"annotations": {title, readOnlyHint, destructiveHint, idempotentHint, openWorldHint}}]``.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
SNAPSHOT = ROOT / "tests" / "server" / "schema_snapshot.json"
TOOLS_JSON = ROOT / "catalog" / "hub-mcp" / "tools.json"
ANNOTATION_KEYS = ("readOnlyHint", "destructiveHint", "idempotentHint", "openWorldHint")


def _plain(schema: dict[str, Any]) -> dict[str, Any]:
    """The non-null alternative of ``anyOf: [X, {type: null}]``, else the schema itself."""
    options = [option for option in schema.get("anyOf", []) if option.get("type") != "null"]
    return options[0] if len(options) == 1 else schema


def argument(name: str, schema: dict[str, Any], required: bool) -> dict[str, Any]:
    plain = _plain(schema)
    kind = plain.get("type", "string")
    desc = (schema.get("description") or plain.get("description") or schema.get("title") or name).strip()
    choices = plain.get("enum") or plain.get("items", {}).get("enum")
    if choices:
        desc = f"{desc.rstrip('.')}. One of: {', '.join(map(str, choices))}."
    entry: dict[str, Any] = {"name": name, "type": kind, "desc": desc}
    if kind == "array":
        entry["items"] = {"type": plain.get("items", {}).get("type", "string")}
    if not required:
        entry["optional"] = True
    return entry


def catalog_tool(tool: dict[str, Any]) -> dict[str, Any]:
    schema = tool["input_schema"]
    required = set(schema.get("required", []))
    annotations = tool.get("annotations") or {}
    return {
        "name": tool["name"],
        "description": tool["description"],  # dedented at registration (hub_mcp/server/registration.py)
        "arguments": [argument(name, prop, name in required) for name, prop in schema.get("properties", {}).items()],
        "annotations": {"title": tool.get("title") or tool["name"]}
        | {key: annotations[key] for key in ANNOTATION_KEYS if key in annotations},
    }


def render(snapshot: list[dict[str, Any]]) -> str:
    return json.dumps([catalog_tool(tool) for tool in snapshot], indent=2, ensure_ascii=False) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--check", action="store_true", help="only say whether tools.json is current")
    args = parser.parse_args(argv)
    wanted = render(json.loads(SNAPSHOT.read_text()))
    if args.check:
        current = TOOLS_JSON.exists() and TOOLS_JSON.read_text() == wanted
        print(f"{TOOLS_JSON.relative_to(ROOT)} is {'current' if current else 'stale: run catalog/tools_json.py'}")
        return 0 if current else 1
    TOOLS_JSON.write_text(wanted)
    print(f"wrote {TOOLS_JSON.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
