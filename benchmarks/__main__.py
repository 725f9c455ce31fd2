"""``python -m benchmarks [--runs N] [--only NAME] [--output PATH]``; ``--only http`` is the HTTP service,
``--only breadth`` the advisor over every official image, ``--only hardened`` its Docker Hardened Image
equivalents over every official image that has one, ``--only hardened-live`` what checking them live on dhi.io costs.

Prints fixed-width tables to stdout and writes every number to ``benchmarks/results/latest.json``.
Exits 0 even when a goal line says FAIL; non-zero only when the benchmark itself broke (a server
did not answer, a tool returned an error, ...).
"""

from __future__ import annotations

import argparse
import asyncio
import dataclasses
import json
import platform
import sys
import time
import traceback
from collections.abc import Sequence
from datetime import UTC, datetime
from importlib.metadata import version
from pathlib import Path
from typing import Any

DEFAULT_OUTPUT = Path(__file__).with_name("results") / "latest.json"


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="python -m benchmarks", description="Benchmark hub-mcp: bytes the model receives, and start-up time."
    )
    parser.add_argument("--runs", type=int, default=15, help="start-up spawns per server (default 15)")
    parser.add_argument(
        "--only",
        choices=[
            "tokens", "repeat", "startup", "inspect", "advisor", "breadth", "hardened", "dockerfiles", "http", "hostile",
            "facts", "hardened-live", "reliability", "compare", "cleanup", "views",
        ],  # fmt: skip
        help="run one benchmark only",
    )
    parser.add_argument(
        "--latency", type=float, default=0.05, help="seconds injected per request in the hub-like registry (default 0.05)"
    )
    parser.add_argument(
        "--idle",
        type=float,
        default=0.5,
        help="start-up: seconds between tools/list and the first tool call (default 0.5)",
    )
    parser.add_argument(
        "--output", type=Path, default=DEFAULT_OUTPUT, help="JSON results file (default benchmarks/results/latest.json)"
    )
    parser.add_argument(
        "--calls", type=int, default=1000, help="reliability: mixed calls per client mode under faults (default 1000)"
    )
    parser.add_argument(
        "--soak-calls", type=int, default=10_000, help="reliability: calls per soak transport (default 10000)"
    )
    parser.add_argument(
        "--before", type=Path, help="reliability: a checkout of the code before, to measure its 1 GiB-body memory too"
    )
    args = parser.parse_args(argv)
    if args.runs < 1:
        parser.error("--runs must be at least 1")
    return args


def environment() -> dict[str, Any]:
    return {
        "timestamp": datetime.now(UTC).isoformat(timespec="seconds"),
        "python": sys.version.split()[0],
        "platform": platform.platform(),
        "machine": platform.machine(),
        "hub_mcp": version("hub-mcp"),
        "mcp": version("mcp"),
    }


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    results: dict[str, Any] = {"environment": environment(), "runs": args.runs}
    started = time.perf_counter()
    broken = False
    try:
        if args.only in (None, "tokens"):
            from benchmarks.tokens import format_tokens, measure_tokens

            rows = asyncio.run(measure_tokens())
            results["tokens"] = [dataclasses.asdict(row) for row in rows]
            print(format_tokens(rows))
            print()
            broken = any(row.is_error for row in rows)
        if args.only in (None, "repeat"):
            from benchmarks.repeat_cost import format_repeat_cost, measure_repeat_cost

            repeat_rows = asyncio.run(measure_repeat_cost())
            results["repeat"] = [dataclasses.asdict(row) for row in repeat_rows]
            print(format_repeat_cost(repeat_rows))
            print()
        if args.only in (None, "inspect"):
            from benchmarks.inspect_cost import as_dicts, format_inspect, measure_inspect

            inspect_rows = asyncio.run(measure_inspect(args.latency))
            results["inspect"] = as_dicts(inspect_rows)
            print(format_inspect(inspect_rows))
            print()
        if args.only in (None, "facts"):
            from benchmarks.image_facts import as_dicts as facts_dicts, format_facts, measure_facts

            facts_rows = asyncio.run(measure_facts(args.latency))
            results["facts"] = facts_dicts(facts_rows)
            print(format_facts(facts_rows, args.latency))
            print()
        if args.only in (None, "compare"):
            from benchmarks.compare_cost import as_dicts as compare_dicts, format_compare, measure_compare

            compare_rows = asyncio.run(measure_compare(args.latency))
            results["compare"] = compare_dicts(compare_rows)
            print(format_compare(compare_rows))
            print()
        if args.only in (None, "cleanup"):
            from benchmarks.cleanup_cost import format_cleanup, measure_cleanup

            cleanup_rows = asyncio.run(measure_cleanup(args.latency))
            results["cleanup"] = [dataclasses.asdict(row) for row in cleanup_rows]
            print(format_cleanup(cleanup_rows, latency=args.latency))
            print()
        if args.only in (None, "views"):
            from benchmarks.views import format_views, measure_views

            view_rows = measure_views()
            results["views"] = [dataclasses.asdict(row) for row in view_rows]
            print(format_views(view_rows))
            print()
        if args.only in (None, "hardened-live"):
            from benchmarks.hardened_live import format_hardened_live, measure_hardened_live

            try:
                live_report = asyncio.run(measure_hardened_live(args.latency))
            except FileNotFoundError as exc:  # docker-registry or htpasswd missing: the others still run
                results["hardened_live"] = {"skipped": str(exc)}
                print(f"hardened live check: skipped, {exc}\n")
            else:
                results["hardened_live"] = live_report.as_dict()
                print(format_hardened_live(live_report))
                print()
        if args.only in (None, "advisor"):
            from benchmarks.advisor import format_advisor, measure_advisor

            advisor_report = asyncio.run(measure_advisor(None, args.latency))  # None: ../shared/data beside the checkout
            results["advisor"] = advisor_report.as_dict()
            print(format_advisor(advisor_report))
            print()
        if args.only in (None, "breadth"):
            from benchmarks.advisor_breadth import format_breadth, measure_breadth

            try:
                breadth_report = asyncio.run(measure_breadth(None))  # None: ../shared/data beside the checkout
            except FileNotFoundError as exc:  # no fallback: its ground truth IS the data
                results["breadth"] = {"skipped": f"../shared/data missing: {exc}"}
                print(f"advisor breadth: skipped, ../shared/data missing ({exc})\n")
            else:
                results["breadth"] = breadth_report.as_dict()
                print(format_breadth(breadth_report))
                print()
                broken = broken or any(p.errors for p in breadth_report.passes)
        if args.only in (None, "hardened"):
            from benchmarks.hardened_breadth import format_hardened, measure_hardened

            try:
                hardened_report = asyncio.run(measure_hardened(None))  # None: ../shared/data beside the checkout
            except FileNotFoundError as exc:  # no fallback: its ground truth IS the data
                results["hardened"] = {"skipped": f"../shared/data missing: {exc}"}
                print(f"hardened breadth: skipped, ../shared/data missing ({exc})\n")
            else:
                results["hardened"] = hardened_report.as_dict()
                print(format_hardened(hardened_report))
                print()
                broken = broken or hardened_report.errors > 0
        if args.only in (None, "dockerfiles"):
            from benchmarks.dockerfile_review import format_dockerfiles, measure_dockerfiles

            dockerfile_report = asyncio.run(measure_dockerfiles(None))  # None: ../shared/data
            results["dockerfiles"] = dockerfile_report.as_dict()
            print(format_dockerfiles(dockerfile_report))
            print()
            broken = broken or dockerfile_report.totals["errors"] > 0
        if args.only in (None, "http"):
            from benchmarks.http_load import format_http_load, measure_http_load

            http_report = measure_http_load()
            results["http"] = http_report.as_dict()
            print(format_http_load(http_report))
            print()
            broken = broken or any(row.errors for row in http_report.load)
        if args.only in (None, "hostile"):
            from benchmarks.hostile_review import format_hostile, measure_hostile

            hostile_rows = measure_hostile()
            results["hostile"] = [dataclasses.asdict(row) for row in hostile_rows]
            print(format_hostile(hostile_rows))
            print()
        if args.only == "reliability":  # ~30 min: only when asked for
            from benchmarks.reliability import format_reliability, measure_reliability

            reliability = asyncio.run(
                measure_reliability(args.calls, soak_calls=args.soak_calls, before_root=args.before)
            )
            results["reliability"] = reliability.as_dict()
            print(format_reliability(reliability))
            print()
            others = sum(t.other for t in reliability.faults.values()) + reliability.fuzz.other
            others += sum(s.other for s in reliability.soak)
            broken = broken or others > 0 or bool(reliability.leaks) or bool(reliability.fuzz_refused_reached)
        if args.only in (None, "startup"):
            from benchmarks.startup import format_startup, measure_startup

            report = measure_startup(args.runs, idle=args.idle)
            results["startup"] = dataclasses.asdict(report)
            print(format_startup(report))
            print()
    except Exception:
        traceback.print_exc()
        print("benchmark broke: see the traceback above", file=sys.stderr)
        return 1
    results["seconds"] = round(time.perf_counter() - started, 2)
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(json.dumps(results, indent=2) + "\n")
    print(f"{results['seconds']:.1f} s; results written to {args.output}")
    if broken:
        print("benchmark broke: a tool answered with an error (see ERROR lines)", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
