"""Command line: ``hub-mcp [flags]`` or ``python -m hub_mcp [flags]``.

Flags win over environment variables, which win over defaults. Under stdio nothing but the
protocol goes to stdout: logs go to stderr.

A setting that cannot be used stops the server before it starts, with one line on stderr that
names the flag or variable and the value (never a secret's), and exit status 2:
``hub-mcp: HUB_MCP_TIMEOUT=abc: not a number of seconds; set e.g. HUB_MCP_TIMEOUT=20``.
"""

from __future__ import annotations

import argparse
import functools
import json
import logging
import os
import sys
from collections.abc import Sequence
from typing import Any, NoReturn

from hub_mcp import __version__
from hub_mcp.config.settings import OPTIONS, TOOLSETS, SettingError, Settings, load_settings
from hub_mcp.vocab.common import closest

USAGE_EXIT = 2
"""Exit status for a bad command line or setting (as argparse uses)."""


class _Parser(argparse.ArgumentParser):
    """argparse, but a mistake is one line (no usage dump) that points at ``--help``, and a flag
    it does not know is named with the one it most likely meant: ``hub-mcp: unknown flag
    --readonly: did you mean --read-only?`` (argparse suggests only from Python 3.14, and only
    for choices). Abbreviations are refused too (``--read`` is not taken for ``--read-only``):
    a flag added later must not change what an abbreviation meant."""

    def error(self, message: str) -> NoReturn:
        self.exit(USAGE_EXIT, f"{self.prog}: {message} (hub-mcp --help lists the flags)\n")

    def parse_args(self, args: Sequence[str] | None = None, namespace: Any = None) -> Any:  # type: ignore[override]
        parsed, extra = self.parse_known_args(args, namespace)
        if extra:
            self.error(self._unknown(extra))
        return parsed

    def _unknown(self, extra: list[str]) -> str:
        flags = [name for action in self._actions for name in action.option_strings if name.startswith("--")]
        unknown = [token.split("=", 1)[0] for token in extra if token.startswith("-")]
        if not unknown:
            return f"unexpected argument {extra[0]!r}: hub-mcp takes flags only"
        secret = {f"--{o.field.replace('_', '-')}": o.env for o in OPTIONS if o.flag is None}
        meant = {flag: closest(flag, [*flags, *secret]) for flag in unknown}
        for flag, name in meant.items():
            if name in secret:  # a secret is never a flag: it would show in the process list
                return f"{flag} is not a flag: secrets are set only in the environment (did you mean {secret[name]}?)"
        if len(unknown) == 1:
            flag = unknown[0]
            return f"unknown flag {flag}" + (f": did you mean {meant[flag]}?" if meant[flag] else "")
        clauses = [flag + (f" (did you mean {meant[flag]}?)" if meant[flag] else "") for flag in unknown]
        return f"unknown flags {', '.join(clauses[:-1])} and {clauses[-1]}"


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="hub-mcp",
        allow_abbrev=False,
        description="A Docker Hub MCP server: search, tags and repository facts for LLM agents.",
        epilog="Environment variables (a flag given wins):\n"
        + "\n".join(f"  {o.env:<28} {o.help}" for o in OPTIONS)
        + "\n\nWithout HUB_USERNAME and HUB_PAT_TOKEN the server uses the login `docker login` left in the docker"
        "\nconfig (unless --no-docker-config), else it reads public data anonymously."
        "\nHUB_PAT_TOKEN needs HUB_USERNAME; HUB_USERNAME alone is ignored."
        "\n\nModes: tools that change Docker Hub are offered only with Docker Hub credentials and without"
        "\n--read-only, and over HTTP only with --http-writes (HUB_MCP_HTTP_WRITES=1). Over HTTP the docker"
        "\nconfig is not read. --toolsets offers only the named groups of tools, e.g. --toolsets search,tags"
        f"\n(groups: {', '.join(TOOLSETS)}; default all).",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--version", action="version", version=f"hub-mcp {__version__}")
    for option in OPTIONS:
        if option.flag is None:
            continue
        if option.switch:  # given means on; the value "1" then goes through parse_switch like the variable's
            parser.add_argument(
                option.flag,
                dest=option.field,
                action="store_const",
                const="1",
                default=None,
                help=f"{option.help} [env {option.env}=1]",
            )
            continue
        # Text, not type=float: every value is checked in one place (hub_mcp.config.settings), so that
        # the message names the flag and the value the same way for flags and variables.
        parser.add_argument(
            option.flag, dest=option.field, default=None, metavar="VALUE", help=f"{option.help} [env {option.env}]"
        )
    return parser


def _attach_dashed_values(argv: Sequence[str]) -> list[str]:
    """``--timeout -inf`` → ``--timeout=-inf``: argparse takes a value that starts with a dash
    (other than a plain negative number) for a flag and refuses it without saying which value;
    attached, the value reaches the one place that checks values and says what is wrong."""
    value_flags = {o.flag for o in OPTIONS if o.flag and not o.switch}
    not_values = {o.flag for o in OPTIONS if o.flag} | {"-h", "--help", "--version"}
    out: list[str] = []
    tokens = iter(argv)
    for token in tokens:
        following = next(tokens, None) if token in value_flags else None
        if following is None:
            out.append(token)
        elif following.startswith("-") and following.split("=", 1)[0] not in not_values:
            out.append(f"{token}={following}")
        else:
            out.extend((token, following))
    return out


def parse_settings(argv: Sequence[str] | None = None) -> Settings:
    """Settings from ``argv`` and the environment; raises :class:`SettingError` for a bad value."""
    args = build_parser().parse_args(_attach_dashed_values(sys.argv[1:] if argv is None else argv))
    return load_settings(vars(args))


def main(argv: Sequence[str] | None = None) -> None:
    """Run the server; Ctrl-C at any point after start-up exits quietly with status 130."""
    try:
        run(argv)
    except KeyboardInterrupt:
        interrupted()


INTERRUPTED_EXIT = 130
"""Exit status after Ctrl-C (128 + SIGINT, as shells report it)."""


def interrupted() -> NoReturn:
    """Stop after Ctrl-C: one line on stderr, status 130, no traceback. ``os._exit``, not ``sys.exit``:
    the SDK's stdin reader is a worker thread blocked on a read that nothing cancels, and a normal
    exit would wait for it."""
    print("hub-mcp: interrupted; stopped.", file=sys.stderr, flush=True)
    os._exit(INTERRUPTED_EXIT)


def run(argv: Sequence[str] | None = None) -> None:
    try:
        settings = parse_settings(argv)
    except SettingError as exc:
        print(f"hub-mcp: {exc}", file=sys.stderr)
        sys.exit(USAGE_EXIT)
    logging.basicConfig(
        stream=sys.stderr, level=settings.log_level, format="%(asctime)s %(levelname)s %(name)s: %(message)s"
    )
    if settings.workers > 1:
        from hub_mcp.server.http_app import run_workers

        print(describe_http(settings), file=sys.stderr)
        # a worker is a fresh interpreter: it reads the same flags (never secrets: those are environment only,
        # which it inherits) and builds its own server (worker_app)
        os.environ[WORKER_ARGV] = json.dumps(list(sys.argv[1:] if argv is None else argv))
        run_workers(settings, "hub_mcp.__main__:worker_app", "hub_mcp.__main__:WorkerProtocol")
        return
    from hub_mcp.server import create_server

    server = create_server(settings, warm_up=True)
    if settings.transport == "stdio":
        serve_stdio(server, settings)
    else:
        from hub_mcp.server.http_app import run_http

        print(describe_http(settings), file=sys.stderr)
        run_http(server, settings)


WORKER_ARGV = "HUB_MCP_WORKER_ARGV"
"""The command line (JSON list) a --workers parent hands its worker processes, in their environment."""


@functools.cache
def worker_settings() -> Settings:
    """In an HTTP worker process: the parent's settings, read again from its flags and the environment."""
    return parse_settings(json.loads(os.environ[WORKER_ARGV]))


def worker_app() -> Any:
    """uvicorn's app factory in an HTTP worker process: this worker's own server, as the parent's settings say."""
    settings = worker_settings()
    logging.basicConfig(
        stream=sys.stderr, level=settings.log_level, format="%(asctime)s %(levelname)s %(name)s: %(message)s"
    )
    from hub_mcp.server import create_server
    from hub_mcp.server.http_app import build_http_app

    return build_http_app(create_server(settings, warm_up=True), settings)


def __getattr__(name: str) -> Any:
    """``WorkerProtocol``: the HTTP protocol of a worker process (with the request-head deadline of its settings).
    Built on first use, since uvicorn names it as a string that each worker imports (a class made at run time
    cannot be handed to a spawned process)."""
    if name == "WorkerProtocol":
        from hub_mcp.server.http_app import header_deadline

        return header_deadline(worker_settings().http_header_timeout)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


TERMINAL_HINT = (
    "hub-mcp {version} speaks MCP (JSON-RPC messages, one a line) on stdin and stdout: an MCP client starts it,"
    " e.g. Claude Desktop or Docker's MCP Toolkit (README.md says how). To try it by hand:"
    " `npx @modelcontextprotocol/inspector {command}`, or `.venv/bin/python examples/client_session.py --fake-hub`"
    " in the source tree. Waiting for a client on stdin; Ctrl-C quits."
)
"""Said on stderr when stdin is a terminal: a person started the server by hand, and would see nothing."""


def serve_stdio(server: Any, settings: Settings) -> None:
    """Serve on stdin/stdout until the end of input (or Ctrl-C: see :func:`main`)."""
    import anyio

    from hub_mcp.server.stdio import drain_grace, serve_stdio as serve

    if sys.stdin.isatty():
        print(TERMINAL_HINT.format(version=__version__, command=own_command()), file=sys.stderr)
    anyio.run(serve, server, drain_grace(settings), interrupted)


def own_command() -> str:
    """How a person starts this server from their shell: ``hub-mcp`` when that is on PATH and is this
    installation, else its full path (``scripts/run`` does not put ``.venv/bin`` on PATH)."""
    import os
    import shutil

    beside = os.path.join(os.path.dirname(sys.executable), "hub-mcp")
    found = shutil.which("hub-mcp")
    if found and os.path.realpath(found) == os.path.realpath(beside):
        return "hub-mcp"
    if os.path.exists(beside):
        return os.path.relpath(beside) if not os.path.relpath(beside).startswith("..") else beside
    return f"{sys.executable} -m hub_mcp"


def describe_http(settings: Settings) -> str:
    """One line on stderr when HTTP serving starts: where, and how it is protected."""
    host = f"[{settings.host}]" if ":" in settings.host else settings.host
    if settings.oauth_issuer:
        auth = f"clients need an access token from {settings.oauth_issuer} with scope {settings.oauth_scope}"
    else:
        auth = "clients need HUB_MCP_AUTH_TOKEN" if settings.auth_token else "no client authentication"
    writes = "write tools offered" if settings.writes_allowed and settings.has_credentials else "no write tools"
    mode = "stateless" if settings.stateless else "stateful sessions"
    workers = f"; {settings.workers} worker processes" if settings.workers > 1 else ""
    return f"hub-mcp {__version__}: MCP on http://{host}:{settings.port}/mcp ({mode}; {auth}; {writes}{workers})"


if __name__ == "__main__":
    main()
