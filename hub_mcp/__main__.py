"""Command line: ``hub-mcp [flags]`` or ``python -m hub_mcp [flags]``.

Flags win over environment variables, which win over defaults. Under stdio nothing but the
protocol goes to stdout: logs go to stderr.
"""

from __future__ import annotations

import argparse
import logging
import sys
from collections.abc import Sequence

from pydantic import ValidationError

from hub_mcp import __version__
from hub_mcp.config import OPTIONS, Settings, load_settings

_TYPES = {"timeout": float, "retry_max_wait": float, "max_retries": int, "port": int}
_CHOICES = {"transport": ["stdio", "streamable-http"], "log_level": ["DEBUG", "INFO", "WARNING", "ERROR"]}


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="hub-mcp",
        description="A Docker Hub MCP server: search, tags and repository facts for LLM agents.",
        epilog="Environment variables (a flag given wins):\n"
        + "\n".join(f"  {o.env:<24} {o.help}" for o in OPTIONS)
        + "\n\nWithout HUB_USERNAME and HUB_PAT_TOKEN the server reads public data anonymously.",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--version", action="version", version=f"hub-mcp {__version__}")
    for option in OPTIONS:
        if option.flag is None:
            continue
        parser.add_argument(
            option.flag,
            dest=option.field,
            type=_TYPES.get(option.field, str),
            choices=_CHOICES.get(option.field),
            default=None,
            help=f"{option.help} [env {option.env}]",
        )
    return parser


def parse_settings(argv: Sequence[str] | None = None) -> Settings:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        return load_settings(vars(args))
    except ValidationError as exc:
        problems = "; ".join(f"{'.'.join(map(str, e['loc']))}: {e['msg']}" for e in exc.errors())
        parser.error(problems)
        raise  # pragma: no cover - parser.error exits


def main(argv: Sequence[str] | None = None) -> None:
    settings = parse_settings(argv)
    logging.basicConfig(
        stream=sys.stderr, level=settings.log_level, format="%(asctime)s %(levelname)s %(name)s: %(message)s"
    )
    from hub_mcp.server import create_server

    server = create_server(settings)
    if settings.transport == "stdio":
        server.run()
    else:
        server.run("streamable-http", host=settings.host, port=settings.port, streamable_http_path="/mcp")


if __name__ == "__main__":
    main()
