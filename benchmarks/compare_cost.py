"""compare_images: registry requests per side and wall time, cold and warm.

Two images that differ as an upgrade does: a 300-package Debian 12 SBOM (``tests/fakes/sboms.py``, real names and
versions) on both, the after side with curl, openssl and glibc at other builds; a shared base layer and a different
top layer; BuildKit's attestation manifests in the index. Measured through :class:`ImageComparer` (what the tool
calls), requests counted per side by the repository in their path, and token requests and 401 challenges apart:

* **local docker-registry**: Debian's ``docker-registry`` on loopback, anonymous (skipped, and said so, when the
  binary is missing);
* **hub-like**: the test suite's Bearer registry (401 challenge, token realm, as Docker Hub), ``--latency`` seconds
  (default 50 ms) before every response, so wall time counts round trips.

Cases: cold (new client), warm (same call again), cold without packages, cold with a side that has no SBOM (local:
a single-platform image, the referrers look), and on hub-like two tags of one repository (one token) and two
repositories (a token each). OSV is not asked (``vulnerabilities`` is off by default: its cost is section 10's).
"""

from __future__ import annotations

import shutil
import sys
import tempfile
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import respx

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from benchmarks.inspect_cost import SlowTransport  # noqa: E402
from hub_mcp.attestations.service import ImageFactsService  # noqa: E402
from hub_mcp.comparison.service import ImageComparer  # noqa: E402
from hub_mcp.net.http import HttpClient  # noqa: E402
from hub_mcp.registry.client import RegistryClient  # noqa: E402
from tests.fakes import images, sboms  # noqa: E402
from tests.fakes.attestations import SPDX, attested_index, buildkit_attestation, push_attested_index  # noqa: E402

GOAL = 6  # registry requests per side, cold (issue 20)
BASE = {"etc/os-release": b'PRETTY_NAME="Debian GNU/Linux 12 (bookworm)"\n', "bin/sh": b"#!/bin/sh\n" * 400}
UPGRADE = {"curl": "7.88.1-10+deb12u15", "openssl": "3.0.20-1~deb12u1", "glibc": "2.36-9+deb12u15"}


@dataclass
class CompareRow:
    registry: str
    case: str
    per_side: dict[str, int]
    auth: int  # token requests and 401 challenges, not counted in per_side
    ms: float
    note: str = ""
    goal: str = field(default="")


class Counting(httpx.AsyncBaseTransport):
    """Another transport, with every request's host, path and status written down."""

    def __init__(self, inner: httpx.AsyncBaseTransport) -> None:
        self.inner = inner
        self.seen: list[tuple[str, str, int]] = []

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        response = await self.inner.handle_async_request(request)
        self.seen.append((request.url.host, request.url.path, response.status_code))
        return response

    def since(self, start: int, repositories: dict[str, str]) -> tuple[dict[str, int], int]:
        """Requests per side (by repository path) and auth requests (token realm, 401s), from ``start`` on."""
        sides: Counter[str] = Counter()
        auth = 0
        for _, path, status in self.seen[start:]:
            if status == 401 or not path.startswith("/v2/"):
                auth += 1
                continue
            repository = "/".join(path.split("/")[2:4])
            sides[repositories.get(repository, repository)] += 1
        return dict(sides), auth


def _image(top: bytes, versions: dict[str, str] | None, user: str) -> tuple[images.BuiltImage, images.BuiltImage]:
    image = images.make_image(
        layer_files=[BASE, {"app/main.py": top}], user=user, env=["PATH=/usr/bin:/bin", f"APP_BUILD={len(top)}"]
    )
    document = sboms.debian_sbom(languages=False, versions=versions)
    attestation = buildkit_attestation(image, [(SPDX, sboms.statement(SPDX, document, image.manifest.digest))])
    return image, attestation


def _indexes() -> tuple[images.BuiltIndex, images.BuiltIndex, images.BuiltImage]:
    old, old_att = _image(b"print('v1')\n" * 100, None, "")
    new, new_att = _image(b"print('v2')\n" * 120, UPGRADE, "1000")
    plain = images.make_image(layer_files=[BASE, {"app/main.py": b"print('plain')\n"}])
    return attested_index([old], [old_att]), attested_index([new], [new_att]), plain


def _comparer(http: HttpClient, **client: Any) -> ImageComparer:
    registry = RegistryClient(http, **client)
    return ImageComparer(registry, ImageFactsService(registry))


async def _run(
    rows: list[CompareRow], name: str, comparer: ImageComparer, counting: Counting, case: str,
    before: str, after: str, sides: dict[str, str], note: str = "", **options: Any,
) -> None:
    start = len(counting.seen)
    started = time.perf_counter()
    answer = await comparer.compare(before, after, **options)
    ms = (time.perf_counter() - started) * 1000
    per_side, auth = counting.since(start, sides)
    if "both" in per_side:  # both sides in one repository: each side's share (they read the same kinds of things)
        both = per_side.pop("both")
        per_side.update(before=both // 2, after=both - both // 2)
    if options.get("packages", True):
        known = answer.packages is not None and answer.packages.status == "known"
        assert known or "no SBOM" in note, answer.packages
    worst = max(per_side.values(), default=0)
    goal = "" if case.startswith("warm") else ("PASS" if worst <= GOAL else "FAIL")
    rows.append(CompareRow(name, case, per_side, auth, ms, note, goal))


async def _local() -> list[CompareRow]:
    from tests.fakes.registry import running_registry

    if not Path("/usr/bin/docker-registry").exists() and not shutil.which("docker-registry"):
        return [CompareRow("local", "skipped", {}, 0, 0.0, "docker-registry is not installed")]
    old, new, plain = _indexes()
    rows: list[CompareRow] = []
    with tempfile.TemporaryDirectory() as tmp, running_registry(Path(tmp)) as running:
        with running.client() as pusher:
            push_attested_index(pusher, "bench/before", "1", old)
            push_attested_index(pusher, "bench/after", "2", new)
            images.push_image(pusher, "bench/plain", "1", plain)
        host = running.host
        sides = {"bench/before": "before", "bench/after": "after", "bench/plain": "before"}
        before, after = f"{host}/bench/before:1", f"{host}/bench/after:2"
        name = "local docker-registry"
        for case, options in (("cold", {}), ("cold, packages=false", {"packages": False})):
            counting = Counting(httpx.AsyncHTTPTransport())
            async with HttpClient(transport=counting) as http:
                comparer = _comparer(http)
                await _run(rows, name, comparer, counting, case, before, after, sides, **options)
                if case == "cold":
                    await _run(rows, name, comparer, counting, "warm", before, after, sides)
        counting = Counting(httpx.AsyncHTTPTransport())
        async with HttpClient(transport=counting) as http:
            await _run(
                rows, name, _comparer(http), counting, "cold, before has no SBOM", f"{host}/bench/plain:1", after, sides,
                "single-platform, no SBOM: the referrers look",
            )
    return rows


async def _hub_like(latency: float) -> list[CompareRow]:
    from tests.registry.bearer import REGISTRY, BearerRegistry

    old, new, _ = _indexes()
    fake = BearerRegistry()
    fake.add_index("library/app", "1", old)
    fake.add_index("library/app", "2", new)
    fake.add_index("library/other", "2", new)
    router = respx.MockRouter(assert_all_called=False)
    fake.install(router)
    name = f"hub-like, {latency * 1000:.0f} ms/request"
    rows: list[CompareRow] = []
    cases = (
        ("cold, one repository (app:1 vs app:2)", "app:1", "app:2", {"library/app": "both"}, "one token for both"),
        ("cold, two repositories", "app:1", "other:2", {"library/app": "before", "library/other": "after"},
         "a token each"),
    )
    for case, before, after, sides, note in cases:
        counting = Counting(SlowTransport(httpx.MockTransport(router.async_handler), latency))
        async with HttpClient(transport=counting) as http:
            comparer = _comparer(http, docker_hub_url=REGISTRY)
            await _run(rows, name, comparer, counting, case, before, after, sides, note)
            if "two" in case:
                await _run(rows, name, comparer, counting, "warm", before, after, sides)
    return rows


async def measure_compare(latency: float = 0.05) -> list[CompareRow]:
    return [*(await _local()), *(await _hub_like(latency))]


def format_compare(rows: list[CompareRow]) -> str:
    lines = [f"compare_images: registry requests per side (goal: at most {GOAL} cold), auth apart, wall time"]
    header = f"{'registry':<24} {'case':<38} {'before':>6} {'after':>6} {'auth':>5} {'ms':>8} {'goal':>5}  note"
    lines += [header, "-" * len(header)]
    for row in rows:
        lines.append(
            f"{row.registry:<24} {row.case:<38} {row.per_side.get('before', 0):>6} {row.per_side.get('after', 0):>6}"
            f" {row.auth:>5} {row.ms:>8.1f} {row.goal:>5}  {row.note}"
        )
    return "\n".join(lines)


def as_dicts(rows: list[CompareRow]) -> list[dict[str, Any]]:
    return [row.__dict__ for row in rows]


if __name__ == "__main__":
    import asyncio

    print(format_compare(asyncio.run(measure_compare(float(sys.argv[1]) if len(sys.argv) > 1 else 0.05))))
