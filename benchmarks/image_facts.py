"""What an image's packages, provenance and vulnerabilities cost: upstream requests, wall time and answer bytes.

A 300-package Debian 12 SBOM (the Syft-shaped document of ``tests/fakes/sboms.py``, real package names and versions)
and a SLSA v0.2 provenance, attached BuildKit's way to a two-platform index, served by a registry that answers like
Docker Hub's (401 Bearer challenge, token from a separate realm: the test suite's respx fake). OSV is the test suite's
fake (``tests/fakes/osv.py``, real advisories). ``--latency`` seconds (default 50 ms) are added before every response
of both, so wall time counts round trips. Measured through :class:`ImageFactsService` (what the tools call), with
requests counted by the HTTP clients themselves.

Rows: cold (new clients: challenge, token, index, attestation manifest, statement; then OSV's batch and records),
warm (same question again), and another page / filter of the same image (answered from the caches).
Bytes: each answer as the model receives it (JSON, no nulls) against the raw upstream JSON it was made from.
"""

from __future__ import annotations

import json
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import respx

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from benchmarks.inspect_cost import SlowTransport  # noqa: E402
from hub_mcp.attestations.service import ImageFactsService  # noqa: E402
from hub_mcp.net.http import HttpClient  # noqa: E402
from hub_mcp.registry.client import RegistryClient  # noqa: E402
from hub_mcp.vulnerabilities.osv import OsvClient  # noqa: E402
from tests.fakes import images, sboms  # noqa: E402
from tests.fakes.attestations import SLSA_V02, SPDX, attested_index, buildkit_attestation  # noqa: E402
from tests.fakes.osv import FakeOsv  # noqa: E402


@dataclass
class FactsRow:
    case: str
    registry_requests: int
    osv_requests: int
    ms: float
    answer_bytes: int
    raw_bytes: int | None = None
    note: str = ""


def _index() -> tuple[images.BuiltIndex, dict[str, Any]]:
    amd64 = images.make_image(architecture="amd64")
    arm64 = images.make_image(architecture="arm64", variant="v8")
    document = sboms.debian_sbom(languages=False)  # the 300 Debian packages
    made = [
        buildkit_attestation(
            image,
            [
                (SPDX, sboms.statement(SPDX, document, image.manifest.digest)),
                (SLSA_V02, sboms.statement(SLSA_V02, sboms.provenance_v02(), image.manifest.digest)),
            ],
        )
        for image in (amd64, arm64)
    ]
    return attested_index([amd64, arm64], made), document


def _size(answer: Any) -> int:
    return len(json.dumps(answer.model_dump(mode="json", exclude_none=True), separators=(",", ":")))


async def measure_facts(latency: float = 0.05) -> list[FactsRow]:
    from tests.registry.bearer import REGISTRY, BearerRegistry

    index, document = _index()
    router = respx.MockRouter(assert_all_called=False)
    registry = BearerRegistry()
    registry.add_index("library/app", "1", index)
    registry.install(router)
    osv = FakeOsv()
    raw_sbom = len(sboms.statement(SPDX, document, index.images[0].manifest.digest))
    rows: list[FactsRow] = []
    registry_transport = SlowTransport(httpx.MockTransport(router.async_handler), latency)
    osv_bytes: list[int] = []

    def counted(request: httpx.Request) -> httpx.Response:
        response = osv.handle(request)
        osv_bytes.append(len(response.content))
        return response

    osv_transport = SlowTransport(httpx.MockTransport(counted), latency)
    async with HttpClient(transport=registry_transport) as reg_http, HttpClient(transport=osv_transport) as osv_http:
        service = ImageFactsService(
            RegistryClient(reg_http, docker_hub_url=REGISTRY), OsvClient(osv_http, "https://api.osv.dev")
        )

        async def run(case: str, call: Any, raw: int | None, note: str = "") -> Any:
            before = (reg_http.requests_sent, osv_http.requests_sent)
            started = time.perf_counter()
            answer = await call()
            ms = (time.perf_counter() - started) * 1000
            rows.append(
                FactsRow(
                    case,
                    reg_http.requests_sent - before[0],
                    osv_http.requests_sent - before[1],
                    ms,
                    _size(answer),
                    raw,
                    note,
                )
            )
            return answer

        first = await run("packages, cold", lambda: service.image_packages("app:1"), raw_sbom, "page 1 of 50")
        await run("packages, warm", lambda: service.image_packages("app:1"), raw_sbom)
        await run("packages, name filter", lambda: service.image_packages("app:1", name="ssl"), raw_sbom)
        await run("provenance, warm index", lambda: service.image_provenance("app:1"), None)
        osv_bytes.clear()
        vulns = await run(
            "vulnerabilities, cold OSV",
            lambda: service.image_vulnerabilities("app:1"),
            None,
            "SBOM cached; OSV batch + records",
        )
        raw_osv = sum(osv_bytes)  # the batch answer and every record, as OSV's JSON
        rows[-1].raw_bytes = raw_osv
        await run("vulnerabilities, warm", lambda: service.image_vulnerabilities("app:1", page=1), raw_osv)
        await run(
            "vulnerabilities, other platform",
            lambda: service.image_vulnerabilities("app:1", "linux/arm64"),
            None,
            "same packages: OSV records cached, batch asked again",
        )
    assert first.total == len(sboms.debian_rows()) and vulns.status == "known"
    # A whole cold run on new clients: what one first question about an image costs end to end.
    async with HttpClient(transport=registry_transport) as reg_http, HttpClient(transport=osv_transport) as osv_http:
        service = ImageFactsService(
            RegistryClient(reg_http, docker_hub_url=REGISTRY), OsvClient(osv_http, "https://api.osv.dev")
        )
        started = time.perf_counter()
        answer = await service.image_vulnerabilities("app:1")
        rows.append(
            FactsRow(
                "vulnerabilities, all cold",
                reg_http.requests_sent,
                osv_http.requests_sent,
                (time.perf_counter() - started) * 1000,
                _size(answer),
                None,
                "new clients: registry and OSV",
            )
        )
    return rows


def format_facts(rows: list[FactsRow], latency: float = 0.05) -> str:
    lines = [
        f"image facts: 300-package Debian SBOM, hub-like registry and fake OSV at {latency * 1000:.0f} ms/request",
    ]
    header = f"{'case':<34} {'registry':>8} {'osv':>4} {'ms':>8} {'bytes':>7} {'raw':>8}  note"
    lines += [header, "-" * len(header)]
    for row in rows:
        raw = f"{row.raw_bytes:>8}" if row.raw_bytes else f"{'':>8}"
        lines.append(
            f"{row.case:<34} {row.registry_requests:>8} {row.osv_requests:>4} {row.ms:>8.1f} {row.answer_bytes:>7} {raw}"
            f"  {row.note}"
        )
    return "\n".join(lines)


def as_dicts(rows: list[FactsRow]) -> list[dict[str, Any]]:
    return [row.__dict__ for row in rows]
