"""A fake OSV API (``https://api.osv.dev``) as an ``httpx.MockTransport`` handler, with real-looking records.

    osv = FakeOsv(page_size=2)
    http = HttpClient(transport=osv.transport(), sleep=no_wait)
    client = OsvClient(http, "https://api.osv.dev")

What it serves, and on whose word
---------------------------------
* ``POST /v1/querybatch`` ``{"queries": [...]}`` → ``{"results": [{"vulns": [{"id", "modified"}],
  "next_page_token"?}]}``, one result per query, in order, ids and modified times only
  [documented: google/osv.dev docs/api/post-v1-querybatch.md]. An empty result is ``{}``
  [documented: same page's sample has results with ``vulns`` only; assumed: a query matching nothing answers ``{}``,
  as protobuf's JSON drops empty lists; the client reads both].
* More than 1,000 queries → HTTP 400 ``{"code": 3, "message": "too many queries"}`` [documented in code:
  google/osv.dev go/internal/api/query_affected.go ``maxBatchQueries``, ``codes.InvalidArgument``; assumed: the
  gateway's usual mapping of InvalidArgument to 400 and its ``code``/``message`` body].
* A versioned purl *and* a ``version`` → HTTP 400 [documented: docs/api/post-v1-query.md "Version rules"]; an
  ecosystem osv-schema does not list → HTTP 400 "invalid ecosystem" for the whole batch [documented in code:
  ``parseQuery``]; a purl of a type OSV does not know → an empty result [documented in code: ``ErrUnknownPURL``].
* Pagination: a query with more than ``page_size`` matches answers ``page_size`` of them and an opaque
  ``next_page_token``; asked again with ``page_token`` it answers the next page [documented: post-v1-querybatch.md
  "Pagination"; assumed: the page size, which OSV sets at 1,000 per query / 3,000 per batch, is small here so that
  tests page].
* ``GET /v1/vulns/{id}`` → the whole osv-schema record [documented: docs/api/get-v1-vulns.md]; unknown id → 404
  ``{"code": 5, "message": "Bug not found."}`` [assumed message].
* Matching [assumed, a simplification]: a query matches a record when an ``affected[]`` entry names the same
  ecosystem (with release) and name, and the version asked is not one of that entry's ``fixed`` versions or listed in
  :attr:`FakeOsv.not_affected`. OSV compares versions; the tests only ask versions OSV would match (below the fix).
  A purl query is read the way OSV reads it [documented in code: google/osv.dev go/purl]: the ecosystem from the
  type, the name from namespace and name (``pkg:deb/debian/...`` names the *binary*, which Debian records never use).

The records
-----------
Each record below says where its facts come from. The record *shapes* follow the converters that write them
[documented in code: google/osv.dev vulnfeeds/cmd/converters/debian (``DEBIAN-CVE-…``: ``upstream`` [CVE], one
``affected`` entry per Debian release with ``ecosystem_specific.urgency``, ranges ``introduced: 0`` / ``fixed``,
severity the NVD vector) and converters/alpine (``ALPINE-CVE-…``: ``Alpine:v3.20``, same range shape)].
CVSS vectors are NVD's as published for each CVE (recalled, not fetched: check before relying on a digit).
Records marked ``[invented]`` exist only to exercise a path (withdrawn, words only, a changed record).
"""

from __future__ import annotations

import base64
import copy
import json
from collections.abc import Iterable
from typing import Any
from urllib.parse import unquote

import httpx

MAX_BATCH = 1_000

#: Ecosystem base names the fake accepts (a subset of osv-schema's ecosystems.json that these tests use).
KNOWN_ECOSYSTEMS = frozenset(
    {"Debian", "Ubuntu", "Alpine", "PyPI", "npm", "Go", "Maven", "crates.io", "RubyGems", "NuGet", "Packagist"}
    | {"Hex", "Pub", "AlmaLinux", "Rocky Linux", "Wolfi", "Chainguard"}
)
#: purl type → ecosystem, as google/osv.dev go/purl registers them (the ones used here).
PURL_TYPES = {"pypi": "PyPI", "npm": "npm", "golang": "Go", "maven": "Maven", "cargo": "crates.io", "gem": "RubyGems"}


def _debian_cve(
    cve: str,
    source: str,
    fixed: str | None,
    vector: str | None,
    urgency: str,
    details: str,
    modified: str,
    published: str,
) -> dict[str, Any]:
    events: list[dict[str, str]] = [{"introduced": "0"}]
    if fixed is not None:
        events.append({"fixed": fixed})
    record: dict[str, Any] = {
        "id": f"DEBIAN-{cve}",
        "upstream": [cve],
        "details": details,
        "modified": modified,
        "published": published,
        "references": [{"type": "ADVISORY", "url": f"https://security-tracker.debian.org/tracker/{cve}"}],
        "affected": [
            {
                "package": {"name": source, "ecosystem": "Debian:12", "purl": f"pkg:deb/debian/{source}?arch=source"},
                "ranges": [{"type": "ECOSYSTEM", "events": events}],
                "ecosystem_specific": {"urgency": urgency},
            }
        ],
        "schema_version": "1.7.0",
    }
    if vector is not None:
        record["severity"] = [{"type": "CVSS_V3", "score": vector}]
    return record


def real_records() -> dict[str, dict[str, Any]]:
    """The records the fake serves by default, by id."""
    records = [
        # openssl CVE-2023-5363 ("Incorrect cipher key and IV length processing"): Debian 12 fixed it in
        # 3.0.11-1~deb12u2 (DSA-5532-1; trivy's and public scanners' reports of CVE-2023-5363 give that fixed
        # version). NVD: CVSS:3.1 7.5 (C:H).
        _debian_cve(
            "CVE-2023-5363",
            "openssl",
            "3.0.11-1~deb12u2",
            "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:N/A:N",
            "not yet assigned",
            "Issue summary: A bug has been identified in the processing of key and initialisation vector (IV)"
            " lengths. This can lead to potential truncation or overruns during the initialisation of some"
            " symmetric ciphers.",
            "2024-09-03T04:40:33Z",
            "2023-10-25T18:17:43Z",
        ),
        # The DSA for the same fix: the dsa-dla-dtsa converter's shape (id DSA-NNNN-N, upstream CVEs, Debian:12,
        # ECOSYSTEM range 0 → fixed). DSA-5532-1 is Debian's openssl advisory of October 2023.
        {
            "id": "DSA-5532-1",
            "summary": "openssl - security update",
            "upstream": ["CVE-2023-5363"],
            "modified": "2023-10-25T00:00:00Z",
            "published": "2023-10-24T00:00:00Z",
            "affected": [
                {
                    "package": {"name": "openssl", "ecosystem": "Debian:12"},
                    "ranges": [{"type": "ECOSYSTEM", "events": [{"introduced": "0"}, {"fixed": "3.0.11-1~deb12u2"}]}],
                }
            ],
            "schema_version": "1.7.0",
        },
        # glibc CVE-2023-4911 "Looney Tunables": bookworm fixed in 2.36-9+deb12u3 (DSA-5514-1). NVD: CVSS:3.1 7.8.
        _debian_cve(
            "CVE-2023-4911",
            "glibc",
            "2.36-9+deb12u3",
            "CVSS:3.1/AV:L/AC:L/PR:L/UI:N/S:U/C:H/I:H/A:H",
            "high",
            "A buffer overflow was discovered in the GNU C Library's dynamic loader ld.so while processing the"
            " GLIBC_TUNABLES environment variable.",
            "2024-11-21T08:36:17Z",
            "2023-10-03T18:15:10Z",
        ),
        # curl CVE-2023-38545 (SOCKS5 heap overflow): bookworm fixed in 7.88.1-10+deb12u4 (DSA-5523-1). NVD 9.8.
        _debian_cve(
            "CVE-2023-38545",
            "curl",
            "7.88.1-10+deb12u4",
            "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H",
            "high",
            "This flaw makes curl overflow a heap based buffer in the SOCKS5 proxy handshake.",
            "2024-11-21T08:13:46Z",
            "2023-10-18T04:15:11Z",
        ),
        # zlib CVE-2023-45853 (MiniZip integer overflow): Debian's tracker lists bookworm's zlib as not fixed, urgency
        # unimportant (Debian does not build the affected minizip code into zlib1g). NVD 9.8.
        _debian_cve(
            "CVE-2023-45853",
            "zlib",
            None,
            "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H",
            "unimportant",
            "MiniZip in zlib through 1.3 has an integer overflow and resultant heap-based buffer overflow in"
            " zipOpenNewFileInZip4_64 via a long filename, comment, or extra field.",
            "2024-11-21T08:27:25Z",
            "2023-10-14T02:15:09Z",
        ),
        # Alpine 3.20: openssl CVE-2024-6119 (X.509 name checks, denial of service) fixed in 3.3.2-r0 (a public scan
        # fixture lists libssl3 3.3.1-r3 → 3.3.2-r0). ALPINE-CVE shape from the alpine converter. NVD: 7.5 (A:H).
        {
            "id": "ALPINE-CVE-2024-6119",
            "upstream": ["CVE-2024-6119"],
            "details": "Issue summary: Applications performing certificate name checks (e.g., TLS clients checking"
            " server certificates) may attempt to read an invalid memory address resulting in abnormal termination"
            " of the application process.",
            "modified": "2024-10-01T03:18:09Z",
            "published": "2024-09-03T16:15:06Z",
            "severity": [{"type": "CVSS_V3", "score": "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:N/I:N/A:H"}],
            "affected": [
                {
                    "package": {
                        "name": "openssl",
                        "ecosystem": "Alpine:v3.20",
                        "purl": "pkg:apk/alpine/openssl?arch=source",
                    },
                    "ranges": [{"type": "ECOSYSTEM", "events": [{"introduced": "0"}, {"fixed": "3.3.2-r0"}]}],
                }
            ],
            "schema_version": "1.7.0",
        },
        # Jinja2 GHSA-h5c8-rqwp-cp95 (CVE-2024-22195, xmlattr filter XSS): fixed in 3.1.3, GitHub severity MODERATE,
        # CVSS:3.1 5.4 (github/advisory-database).
        {
            "id": "GHSA-h5c8-rqwp-cp95",
            "summary": "Jinja vulnerable to HTML attribute injection when passing user input as keys to xmlattr filter",
            "aliases": ["CVE-2024-22195"],
            "modified": "2024-02-16T08:16:57Z",
            "published": "2024-01-11T15:20:48Z",
            "severity": [{"type": "CVSS_V3", "score": "CVSS:3.1/AV:N/AC:L/PR:N/UI:R/S:U/C:L/I:L/A:N"}],
            "affected": [
                {
                    "package": {"name": "jinja2", "ecosystem": "PyPI", "purl": "pkg:pypi/jinja2"},
                    "ranges": [{"type": "ECOSYSTEM", "events": [{"introduced": "0"}, {"fixed": "3.1.3"}]}],
                }
            ],
            "database_specific": {"severity": "MODERATE", "github_reviewed": True, "cwe_ids": ["CWE-79"]},
            "schema_version": "1.7.0",
        },
        # npm semver GHSA-c2qf-rxjj-qqgw (CVE-2022-25883, ReDoS in new Range): three SEMVER ranges, fixed in 5.7.2,
        # 6.3.1 and 7.5.2 (github/advisory-database). CVSS:3.1 5.3, GitHub MODERATE.
        {
            "id": "GHSA-c2qf-rxjj-qqgw",
            "summary": "semver vulnerable to Regular Expression Denial of Service",
            "aliases": ["CVE-2022-25883"],
            "modified": "2024-06-21T21:33:53Z",
            "published": "2023-06-21T06:30:28Z",
            "severity": [{"type": "CVSS_V3", "score": "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:N/I:N/A:L"}],
            "affected": [
                {
                    "package": {"name": "semver", "ecosystem": "npm", "purl": "pkg:npm/semver"},
                    "ranges": [{"type": "SEMVER", "events": [{"introduced": "7.0.0"}, {"fixed": "7.5.2"}]}],
                },
                {
                    "package": {"name": "semver", "ecosystem": "npm", "purl": "pkg:npm/semver"},
                    "ranges": [{"type": "SEMVER", "events": [{"introduced": "6.0.0"}, {"fixed": "6.3.1"}]}],
                },
                {
                    "package": {"name": "semver", "ecosystem": "npm", "purl": "pkg:npm/semver"},
                    "ranges": [{"type": "SEMVER", "events": [{"introduced": "0"}, {"fixed": "5.7.2"}]}],
                },
            ],
            "database_specific": {"severity": "MODERATE", "github_reviewed": True},
            "schema_version": "1.7.0",
        },
        # [invented] a withdrawn advisory against jinja2, to be dropped.
        {
            "id": "GHSA-0000-0000-w1th",
            "summary": "Withdrawn: a report that turned out not to be a vulnerability",
            "aliases": ["CVE-2099-0001"],
            "modified": "2024-03-01T00:00:00Z",
            "published": "2024-02-01T00:00:00Z",
            "withdrawn": "2024-03-01T00:00:00Z",
            "affected": [
                {
                    "package": {"name": "jinja2", "ecosystem": "PyPI"},
                    "ranges": [{"type": "ECOSYSTEM", "events": [{"introduced": "0"}, {"fixed": "3.1.4"}]}],
                }
            ],
            "database_specific": {"severity": "HIGH"},
        },
    ]
    return {record["id"]: record for record in records}


def _token(index: int, offset: int) -> str:
    return base64.urlsafe_b64encode(f"{index}:{offset}".encode()).decode()


def _offset(token: str) -> int:
    try:
        return int(base64.urlsafe_b64decode(token.encode()).decode().split(":", 1)[1])
    except (ValueError, IndexError):
        return -1


class FakeOsv:
    """The fake API; see the module docstring. ``requests`` records (method, path, number of queries or 0)."""

    def __init__(self, records: dict[str, dict[str, Any]] | None = None, *, page_size: int = 1_000) -> None:
        self.records = records if records is not None else real_records()
        self.page_size = page_size
        self.requests: list[tuple[str, str, int]] = []
        self.not_affected: set[tuple[str, str]] = set()  # (record id, version) pairs OSV would not match
        self.down_status: int | None = None  # every request answers this status (503: OSV down)
        self.records_down: int | None = None  # only GET /v1/vulns/{id} answers this status

    def transport(self) -> httpx.MockTransport:
        return httpx.MockTransport(self.handle)

    def add(self, *records: dict[str, Any]) -> None:
        for record in records:
            self.records[record["id"]] = record

    def touch(self, vuln_id: str, modified: str, **changes: Any) -> None:
        """Change a record (a new ``modified`` time), as OSV does when a source updates it."""
        self.records[vuln_id] = {**copy.deepcopy(self.records[vuln_id]), "modified": modified, **changes}

    def posts(self) -> list[int]:
        """How many queries each querybatch request carried."""
        return [count for method, _, count in self.requests if method == "POST"]

    def gets(self) -> list[str]:
        return [unquote(path.rsplit("/", 1)[1]) for method, path, _ in self.requests if method == "GET"]

    # --- the API ----------------------------------------------------------------------------------------

    def handle(self, request: httpx.Request) -> httpx.Response:
        path = request.url.path
        if request.method == "POST" and path == "/v1/querybatch":
            body = json.loads(request.content)
            queries = body.get("queries", [])
            self.requests.append(("POST", path, len(queries)))
            if self.down_status is not None:
                return httpx.Response(self.down_status, json={"code": 14, "message": "unavailable"})
            return self._batch(queries)
        if request.method == "GET" and path.startswith("/v1/vulns/"):
            self.requests.append(("GET", path, 0))
            if self.down_status is not None or self.records_down is not None:
                status = self.down_status or self.records_down
                return httpx.Response(status or 503, json={"code": 14, "message": "unavailable"})
            record = self.records.get(unquote(path.removeprefix("/v1/vulns/")))
            if record is None:
                return httpx.Response(404, json={"code": 5, "message": "Bug not found."})
            return httpx.Response(200, json=record)
        return httpx.Response(404, json={"code": 5, "message": "Not Found"})

    def _batch(self, queries: list[dict[str, Any]]) -> httpx.Response:
        if len(queries) > MAX_BATCH:
            return httpx.Response(400, json={"code": 3, "message": "too many queries"})
        results = []
        for index, query in enumerate(queries):
            parsed = self._parse(query)
            if isinstance(parsed, str):
                return httpx.Response(400, json={"code": 3, "message": f"error in query at index {index}: {parsed}"})
            if parsed is None:
                results.append({})
                continue
            ecosystem, name, version = parsed
            matched = self._match(ecosystem, name, version)
            start = 0
            if token := query.get("page_token"):
                start = _offset(token)
                if start < 0:
                    return httpx.Response(400, json={"code": 3, "message": "invalid page token"})
            page = matched[start : start + self.page_size]
            result: dict[str, Any] = {}
            if page:
                result["vulns"] = [{"id": r["id"], "modified": r["modified"]} for r in page]
            if start + self.page_size < len(matched):
                result["next_page_token"] = _token(index, start + self.page_size)
            results.append(result)
        return httpx.Response(200, json={"results": results})

    def _parse(self, query: dict[str, Any]) -> tuple[str, str, str] | str | None:
        """(ecosystem, name, version); an error message (HTTP 400 for the batch); None for an unknown purl type."""
        package = query.get("package") or {}
        version = query.get("version", "")
        if purl := package.get("purl"):
            if package.get("name") or package.get("ecosystem"):
                return "name specified in a PURL query"
            rest = purl.removeprefix("pkg:").split("?", 1)[0].split("#", 1)[0]
            rest, at, purl_version = rest.rpartition("@") if "@" in rest.rsplit("/", 1)[-1] else (rest, "", "")
            if at and version:
                return "version specified in params and PURL query"
            kind, _, path = rest.partition("/")
            ecosystem = PURL_TYPES.get(kind)
            if ecosystem is None:
                return None
            parts = [unquote(part) for part in path.split("/")]
            name = parts[-1] if kind in ("pypi", "gem", "cargo") else "/".join(parts)
            if kind == "maven":
                name = ":".join(parts)
            return ecosystem, name.lower() if kind == "pypi" else name, unquote(purl_version) or version
        ecosystem, name = package.get("ecosystem", ""), package.get("name", "")
        if ecosystem.split(":", 1)[0] not in KNOWN_ECOSYSTEMS:
            return "invalid ecosystem"
        if not name:
            return "invalid query"
        return ecosystem, name, version

    def _match(self, ecosystem: str, name: str, version: str) -> list[dict[str, Any]]:
        found = []
        for record in self.records.values():
            for entry in record.get("affected", []):
                package = entry.get("package", {})
                if package.get("ecosystem") != ecosystem or package.get("name") != name:
                    continue
                fixed = {e["fixed"] for r in entry.get("ranges", []) for e in r.get("events", []) if "fixed" in e}
                if version not in fixed and (record["id"], version) not in self.not_affected:
                    found.append(record)
                break
        return sorted(found, key=lambda record: record["id"])


def records_named(fake: FakeOsv, ids: Iterable[str]) -> list[dict[str, Any]]:
    return [fake.records[vuln_id] for vuln_id in ids]
