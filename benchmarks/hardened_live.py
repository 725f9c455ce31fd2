"""What checking Docker Hardened Image equivalents live on dhi.io costs: registry requests, wall time, answer bytes.

Issue 19. ``suggest_base_images runtime=python limit=5`` and ``review_base_images`` of a three-stage Dockerfile (a
python build stage, a node build stage, a python final stage), asked through the server's own wiring:
:class:`hub_mcp.runtime.Runtime` with ``Settings(hub_url=<fake Hub>, dhi_url=<loopback registry>,
registry_credentials="dhi.io=user:pass")``, the fake Hub of ``tests/fakes/hub.py`` in process. dhi.io is Debian's
real ``docker-registry`` on loopback, requiring an HTTP Basic login (htpasswd), in two fillings:

* **full**: every tag of every python and node definition of the bundled table (``hub_mcp/hardened/dhi.json``);
* **gaps**: the slice of ``tests/hardened/test_live.py``: python 3.12 runtime and dev tags, the plain ``3.13`` tag,
  node 24's runtime tags. Tags the table names that are missing are replaced by reading the image's tag list.

Against each: the call cold (a new ``Runtime``), the same call again (warm), and for the extra cost the same calls
with no dhi.io login (the table's answer, not checked: no request) and with the hardened lookups off (the advisor's
:class:`HardenedImages` answers no equivalent: what the call costs without issue 19).

Requests are counted by a transport under the runtime's registry HTTP client (the one ``Runtime`` builds; the
hub-like Docker Hub registry host is refused and counted apart, as the advisor benchmark does), each with its
status (a ``401`` is a login challenge, answered by sending the request again with the credentials); the registry's
own access log is counted too, as a cross-check. ``--latency`` seconds (default 50 ms) are added before every
registry response, so wall time counts round trips.

Goal lines: a cold live check sends at most one request per distinct equivalent the table names, plus one tag list
per image with a tag missing on the registry (login challenges are counted and said apart); a warm call sends none.

``python -m benchmarks.hardened_live [--latency S] [--runs N] [--json PATH]``, or ``python -m benchmarks --only
hardened-live``.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import re
import shutil
import statistics
import sys
import tempfile
import time
from collections.abc import Iterable, Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from contextlib import ExitStack, contextmanager
from dataclasses import asdict, dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

import httpx

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from hub_mcp.advisor.requests import ReviewRequest, SuggestRequest  # noqa: E402
from hub_mcp.config.settings import Secret, Settings  # noqa: E402
from hub_mcp.hardened import definitions  # noqa: E402
from hub_mcp.hardened.migration import equivalent_for  # noqa: E402
from hub_mcp.hardened.service import Ask, Equivalents, HardenedImages  # noqa: E402
from hub_mcp.runtime import Runtime  # noqa: E402
from tests.fakes import images  # noqa: E402
from tests.fakes.hub import FakeHub  # noqa: E402

TODAY = date(2026, 11, 30)  # the lines asked are all supported then (the bundled table's end-of-life dates)
HUB_URL = "https://hub.docker.com"
REGISTRY_URL = "https://registry.benchmark.invalid"  # Docker Hub's registry: refused, counted apart
USER, PASSWORD = "dhi-user", "dhi-token-for-benchmarks"
DOCKERFILE = (
    "FROM python:3.12 AS build\n"
    "RUN pip wheel --wheel-dir /wheels -r requirements.txt\n"
    "FROM node:24 AS assets\n"
    "RUN npm ci && npm run build\n"
    "FROM python:3.12-slim\n"
    "COPY --from=build /wheels /wheels\n"
    "COPY --from=assets /app/dist /app/static\n"
)
REVIEW_ASKS: tuple[Ask, ...] = (("python:3.12", "build"), ("node:24", "build"), ("python:3.12-slim", "runtime"))
"""What the review asks the hardened table (each line's reference and stage): the bound of the goal line."""
CALLS = ("suggest", "review")
PHASES = ("cold", "warm", "new answer")
"""cold: a new runtime; warm: the same call again (the answer cache may hold it); new answer: suggest with limit=4,
or the Dockerfile with a comment line first: a new answer whose equivalents were all read live by the cold call."""
SETUPS = ("full", "gaps", "no login", "off")
DEFAULT_RUNS = 3  # fresh runtimes per (setup, call); wall times are their medians
PUSHERS = 4  # threads pushing the registries' tags


def _tags(image: str, distro: str, variant: str, line: str) -> tuple[str, ...]:
    """The tags of the table's definition of ``image`` on ``distro`` for ``variant`` whose tags name ``line``."""
    for d in definitions(image):
        if d.distro == distro and d.variant == variant and line in d.tags and not any("sfw" in t for t in d.tags):
            return d.tags
    raise RuntimeError(f"the bundled table has no {image} {line} {variant} on {distro}")


def full_slice() -> dict[str, tuple[str, ...]]:
    """Every tag of every python and node definition of the bundled table."""
    return {name: tuple(dict.fromkeys(t for d in definitions(name) for t in d.tags)) for name in ("python", "node")}


def gaps_slice() -> dict[str, tuple[str, ...]]:
    """tests/hardened/test_live.py's slice: python 3.12 (runtime, dev), plain 3.13, node 24 runtime."""
    return {
        "python": (
            *_tags("python", "debian-13", "runtime", "3.12"),
            *_tags("python", "debian-13", "dev", "3.12-dev"),
            "3.13",
        ),
        "node": _tags("node", "debian-13", "runtime", "24"),
    }


@dataclass
class Dhi:
    """A registry posing as dhi.io: where it listens, what it holds, its access log."""

    name: str
    host: str
    log_path: Path
    pushed: dict[str, tuple[str, ...]]

    @property
    def url(self) -> str:
        return f"http://{self.host}"

    def has(self, reference: str) -> bool:
        """Whether ``dhi.io/<image>:<tag>`` was pushed."""
        image, _, tag = reference.removeprefix("dhi.io/").rpartition(":")
        return tag in self.pushed.get(image, ())

    def logged(self) -> int:
        """Requests hub-mcp sent, by the registry's own access log (pushes come from python-httpx)."""
        try:
            text = self.log_path.read_text(errors="replace")
        except OSError:
            return 0
        return sum(1 for line in text.splitlines() if _ACCESS.search(line) and "hub-mcp" in line)


_ACCESS = re.compile(r'"(GET|HEAD) /v2/[^ ]* HTTP/')


def registry_missing() -> str | None:
    """Why the benchmark cannot run here (a sentence), or None."""
    for tool, package in (("docker-registry", "docker-registry"), ("htpasswd", "apache2-utils")):
        if shutil.which(tool) is None:
            return f"{tool} is not installed: install it with 'apt-get install -y {package}'"
    return None


@contextmanager
def running_dhi(workdir: Path, name: str, pushed: dict[str, tuple[str, ...]]) -> Iterator[Dhi]:
    from tests.fakes.registry import running_registry

    image = images.make_image(user="nonroot")
    # pushed anonymously, PUSHERS at once (each manifest PUT takes ~14 ms here, the full filling has ~630), then
    # served with the login from the same storage
    with running_registry(workdir) as running:

        def push(repository: str, tags: Sequence[str]) -> None:
            with running.client() as client:
                for tag in tags:
                    images.push_manifest(client, repository, tag, image.manifest)

        with running.client() as client:
            for repository in pushed:
                images.push_image(client, repository, None, image)
        with ThreadPoolExecutor(PUSHERS) as pool:
            jobs = [
                pool.submit(push, repository, tags[start::PUSHERS])
                for repository, tags in pushed.items()
                for start in range(PUSHERS)
            ]
            for job in jobs:
                job.result()
    with running_registry(workdir, auth=(USER, PASSWORD)) as running:
        yield Dhi(name, running.host, running.log_path, pushed)


@dataclass
class Sent:
    method: str
    path: str
    status: int


class RegistryWire(httpx.AsyncBaseTransport):
    """Under the runtime's registry HTTP client: requests to the dhi.io stand-in go to it over loopback after
    ``latency`` seconds and are recorded with their status; any other registry host is refused and counted."""

    def __init__(self, dhi_host: str, latency: float) -> None:
        self.dhi_host = dhi_host
        self.latency = latency
        self.sent: list[Sent] = []
        self.refused = 0
        self._inner = httpx.AsyncHTTPTransport()

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        host = f"{request.url.host}:{request.url.port}" if request.url.port else request.url.host
        if host != self.dhi_host:
            self.refused += 1
            raise httpx.ConnectError("benchmark: only the dhi.io stand-in is reachable", request=request)
        await asyncio.sleep(self.latency)
        response = await self._inner.handle_async_request(request)
        self.sent.append(Sent(request.method, request.url.path, response.status_code))
        return response

    async def aclose(self) -> None:
        await self._inner.aclose()


class HardenedOff(HardenedImages):
    """The hardened lookups off: no equivalent, no note, nothing asked."""

    async def equivalents(self, asks: Iterable[Ask]) -> Equivalents:
        return Equivalents(dict.fromkeys(asks), "")


@dataclass
class LiveRow:
    setup: str  # full, gaps, no login, off
    call: str  # suggest, review
    phase: str  # cold, warm, new answer
    checks: int  # requests to dhi.io that were answered (HEAD of a tag, GET of a tag list), any status but 401
    heads: int
    lists: int
    challenges: int  # 401s: the login challenge, sent again with the credentials
    logged: int  # by the registry's own access log (every request, challenges included)
    refused: int  # requests to any other registry host (refused)
    hub: int  # requests to the fake Hub
    ms: float  # median over runs
    ms_runs: list[float]
    answer_bytes: int
    distinct: int = 0  # distinct DHI tags the table names for the call's asks
    missing_images: int = 0  # images with a tag the table names that is not on the registry
    verified: int = 0  # equivalents in the answer marked verified
    named: int = 0  # equivalents in the answer
    source: str = ""  # the answer's note on the hardened equivalents
    references: list[str] = field(default_factory=list)  # the equivalents the answer names, in order

    @property
    def bound(self) -> int:
        return self.distinct + self.missing_images


@dataclass
class LiveReport:
    latency: float
    runs: int
    rows: list[LiveRow] = field(default_factory=list)
    log_agrees: bool = True

    def row(self, setup: str, call: str, phase: str) -> LiveRow:
        return next(r for r in self.rows if (r.setup, r.call, r.phase) == (setup, call, phase))

    def goals(self) -> list[tuple[bool, str]]:
        out: list[tuple[bool, str]] = []
        for setup in ("full", "gaps"):
            for call in CALLS:
                cold = self.row(setup, call, "cold")
                out.append(
                    (
                        cold.checks <= cold.bound,
                        f"{call}, {setup}, cold: {cold.checks} requests ({cold.heads} HEAD, {cold.lists} tag list)"
                        f" <= {cold.distinct} distinct equivalents + {cold.missing_images} image(s) with a missing tag"
                        f" (+{cold.challenges} login challenge(s))",
                    )
                )
                for phase in PHASES[1:]:
                    again = self.row(setup, call, phase)
                    sent = again.checks + again.challenges
                    out.append((sent == 0, f"{call}, {setup}, {phase}: {sent} requests"))
        for call in CALLS:
            row = self.row("no login", call, "cold")
            out.append((row.checks + row.challenges == 0, f"{call}, no login: {row.checks + row.challenges} requests"))
        return out

    def as_dict(self) -> dict[str, Any]:
        return {
            "latency": self.latency,
            "runs": self.runs,
            "rows": [asdict(r) | {"bound": r.bound} for r in self.rows],
            "log_agrees": self.log_agrees,
            "goals": [{"pass": ok, "line": line} for ok, line in self.goals()],
        }


def _size(answer: Any) -> int:
    return len(json.dumps(answer.model_dump(mode="json", exclude_none=True), separators=(",", ":")))


def _asks(call: str, answer: Any) -> list[Ask]:
    if call == "suggest":
        return [(c.reference, "runtime") for c in answer.candidates]
    return list(REVIEW_ASKS)


def _named(call: str, answer: Any) -> list[Any]:
    items = answer.candidates if call == "suggest" else answer.from_lines
    return [item.hardened for item in items if item.hardened is not None]


def _source(answer: Any) -> str:
    return next((n for n in answer.notes or [] if n.startswith(("Hardened equivalents", "No candidate has"))), "")


async def _ask(services: Any, call: str, phase: str) -> Any:
    """The call; in phase "new answer" one the answer cache does not hold whose equivalents are the same."""
    if call == "suggest":
        return await services.suggest(SuggestRequest(runtime="python", limit=4 if phase == "new answer" else 5))
    dockerfile = f"# syntax=docker/dockerfile:1\n{DOCKERFILE}" if phase == "new answer" else DOCKERFILE
    return await services.review(ReviewRequest(dockerfile=dockerfile))


def _settings(dhi: Dhi, login: bool) -> Settings:
    return Settings(
        hub_url=HUB_URL,
        registry_url=REGISTRY_URL,
        dhi_url=dhi.url,
        registry_credentials=Secret(f"dhi.io={USER}:{PASSWORD}") if login else None,
        no_docker_config=True,
        retry_max_wait=0.0,
    )


async def _one_run(
    setup: str, call: str, dhi: Dhi, hub: FakeHub, latency: float
) -> list[tuple[LiveRow, Any]]:
    """One fresh runtime: the call cold, then again (warm)."""
    wire = RegistryWire(dhi.host, latency)
    runtime = Runtime(
        _settings(dhi, login=setup != "no login"),
        hub_transport=httpx.ASGITransport(app=hub.app),
        registry_transport=wire,
        today=TODAY,
    )
    out: list[tuple[LiveRow, Any]] = []
    try:
        services = await runtime.services()
        if setup == "off":
            services.advisor.hardened = HardenedOff()
        for phase in PHASES:
            sent, refused, hub_before, logged = len(wire.sent), wire.refused, len(hub.requests), dhi.logged()
            started = time.perf_counter()
            answer = await _ask(services, call, phase)
            ms = (time.perf_counter() - started) * 1000
            new = wire.sent[sent:]
            row = LiveRow(
                setup,
                call,
                phase,
                checks=sum(1 for s in new if s.status != 401),
                heads=sum(1 for s in new if s.status != 401 and s.method == "HEAD"),
                lists=sum(1 for s in new if s.status != 401 and s.path.endswith("/tags/list")),
                challenges=sum(1 for s in new if s.status == 401),
                logged=await _logged_since(dhi, logged, len(new)),
                refused=wire.refused - refused,
                hub=len(hub.requests) - hub_before,
                ms=ms,
                ms_runs=[ms],
                answer_bytes=_size(answer),
            )
            out.append((row, answer))
    finally:
        await runtime.aclose()
        await wire.aclose()
    return out


async def _logged_since(dhi: Dhi, before: int, expected: int) -> int:
    """The access log's count since ``before``; the registry writes it as it answers, so wait briefly for it."""
    deadline = time.monotonic() + 2.0
    while True:
        count = dhi.logged() - before
        if count >= expected or time.monotonic() > deadline:
            return count
        await asyncio.sleep(0.02)


def _describe(row: LiveRow, call: str, answer: Any, dhi: Dhi) -> None:
    """The bound of the goal line (from the bundled table and what the registry holds), and what the answer says."""
    found = [equivalent_for(ref, None, stage, today=TODAY) for ref, stage in _asks(call, answer)]
    named = {f[0].reference: f[0].image for f in found if f is not None}
    row.distinct = len(named)
    row.missing_images = len({image for ref, image in named.items() if not dhi.has(ref)})
    hardened = _named(call, answer)
    row.named = len(hardened)
    row.references = [h.reference for h in hardened]
    row.verified = sum(1 for h in hardened if h.verified)
    row.source = _source(answer)


async def measure_hardened_live(latency: float = 0.05, runs: int = DEFAULT_RUNS) -> LiveReport:
    """Both registries, every setup and call, ``runs`` fresh runtimes each (cold, then warm)."""
    problem = registry_missing()
    if problem:
        raise FileNotFoundError(problem)
    report = LiveReport(latency, runs)
    hub = FakeHub(enforce_rate_limit=False)
    with tempfile.TemporaryDirectory(prefix="hub-mcp-dhi-") as tmp, ExitStack() as stack:
        registries = {
            "full": stack.enter_context(running_dhi(Path(tmp) / "full", "full", full_slice())),
            "gaps": stack.enter_context(running_dhi(Path(tmp) / "gaps", "gaps", gaps_slice())),
        }
        for setup in SETUPS:
            dhi = registries["gaps" if setup == "gaps" else "full"]
            for call in CALLS:
                measured: list[list[tuple[LiveRow, Any]]] = []
                for _ in range(runs):
                    measured.append(await _one_run(setup, call, dhi, hub, latency))
                for index in range(len(PHASES)):
                    row, answer = measured[0][index]
                    others = [m[index][0] for m in measured[1:]]
                    for other in others:  # requests: the most any run sent (concurrent challenges may vary)
                        for name in ("checks", "heads", "lists", "challenges", "logged", "refused", "hub"):
                            setattr(row, name, max(getattr(row, name), getattr(other, name)))
                    row.ms_runs = [m[index][0].ms for m in measured]
                    row.ms = statistics.median(row.ms_runs)
                    _describe(row, call, answer, dhi)
                    report.rows.append(row)
        report.log_agrees = all(r.logged == r.checks + r.challenges for r in report.rows)
    return report


def format_hardened_live(report: LiveReport) -> str:
    lines = [
        "hardened live check: suggest_base_images runtime=python limit=5, review_base_images (python build, node build,"
        " python final);",
        f"dhi.io = docker-registry on loopback with a Basic login, {report.latency * 1000:.0f} ms/request added;"
        f" ms = median of {report.runs} fresh runtimes",
    ]
    header = (
        f"{'registry':<9} {'call':<8} {'phase':<10} {'dhi.io':>6} {'HEAD':>4} {'list':>4} {'401':>4} {'log':>4}"
        f" {'other':>5} {'hub':>4} {'ms':>8} {'bytes':>7} {'named':>5} {'verif':>5} {'bound':>5}"
    )
    lines += [header, "-" * len(header)]
    for r in report.rows:
        lines.append(
            f"{r.setup:<9} {r.call:<8} {r.phase:<10} {r.checks:>6} {r.heads:>4} {r.lists:>4} {r.challenges:>4}"
            f" {r.logged:>4} {r.refused:>5} {r.hub:>4} {r.ms:>8.1f} {r.answer_bytes:>7} {r.named:>5} {r.verified:>5}"
            f" {r.bound if r.setup in ('full', 'gaps') and r.phase == 'cold' else '':>5}"
        )
    lines.append("")
    lines.append("extra cost of the live check, cold (vs the table only, no login; vs hardened lookups off):")
    for setup in ("full", "gaps"):
        for call in CALLS:
            live = report.row(setup, call, "cold")
            table, off = report.row("no login", call, "cold"), report.row("off", call, "cold")
            lines.append(
                f"  {call:<8} {setup:<5} +{live.checks + live.challenges} requests,"
                f" {live.ms - table.ms:+.1f} ms, {live.answer_bytes - table.answer_bytes:+d} B vs table;"
                f" {live.ms - off.ms:+.1f} ms, {live.answer_bytes - off.answer_bytes:+d} B vs off"
            )
    lines.append("")
    for ok, line in report.goals():
        lines.append(f"{'PASS' if ok else 'FAIL'} {line}")
    lines.append(
        f"{'PASS' if report.log_agrees else 'FAIL'} the registry's access log counts what the transport counted"
    )
    return "\n".join(lines)


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    summary = (__doc__ or "").split("\n\n")[0]
    parser = argparse.ArgumentParser(prog="python -m benchmarks.hardened_live", description=summary)
    parser.add_argument("--latency", type=float, default=0.05, help="seconds added per registry request (default 0.05)")
    parser.add_argument(
        "--runs", type=int, default=DEFAULT_RUNS, help=f"fresh runtimes per case (default {DEFAULT_RUNS})"
    )
    parser.add_argument("--json", type=Path, help="write every number (and each answer's hardened note) here")
    args = parser.parse_args(argv)
    if args.runs < 1:
        parser.error("--runs must be at least 1")
    return args


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    try:
        report = asyncio.run(measure_hardened_live(args.latency, args.runs))
    except FileNotFoundError as exc:
        print(f"hardened live check: cannot run here: {exc}", file=sys.stderr)
        return 1
    print(format_hardened_live(report))
    if args.json:
        args.json.write_text(json.dumps(report.as_dict(), indent=2) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
