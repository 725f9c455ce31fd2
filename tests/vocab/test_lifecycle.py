"""The bundled runtime lifecycle table (hub_mcp/vocab/lifecycle.json) and its lookups.

Three groups:

* the JSON itself: shape, sources, dates, order, aliases (no network, no shared data);
* lookups: support_for / supported_lines / newest_supported / distro_support /
  runtime_name_for_repository on the table's own date, 2026-11-26;
* agreement with the offline data the table was built from, when ``../shared/data`` is present
  (skipped otherwise): every date cited from the Docker Hardened Images catalog equals the
  catalog's, and rust's computed six-week releases match the official images' build dates.
"""

from __future__ import annotations

import gzip
import json
import os
import re
from collections import defaultdict
from datetime import date, timedelta
from importlib import resources
from pathlib import Path
from typing import Any

import pytest

from hub_mcp.vocab import lifecycle
from hub_mcp.vocab.lifecycle import (
    Support,
    distro_support,
    newest_supported,
    normalize_repository,
    runtime_name_for_repository,
    support_for,
    support_for_codename,
    supported_lines,
    table_info,
)

TODAY = date(2026, 11, 26)
DHI = "dhi-catalog@2026-08-22"
OFFICIAL = "official-images@2026-08-21"

SHARED_DATA = Path(__file__).resolve().parents[3] / "shared" / "data"
IN_CI = os.environ.get("CI") == "true"  # CI has ../shared beside the clone: there these checks must run
CATALOG = SHARED_DATA / "hardened-images" / "catalog.jsonl.gz"
TAG_HISTORY = SHARED_DATA / "official-images" / "tag-history.jsonl.gz"


def _raw() -> dict[str, Any]:
    text = resources.files("hub_mcp.vocab").joinpath("lifecycle.json").read_text(encoding="utf-8")
    return json.loads(text)


RAW = _raw()
RUNTIMES: dict[str, dict[str, Any]] = RAW["runtimes"]


def _rows() -> list[tuple[str, str, dict[str, Any]]]:
    """(runtime, where, row) for every row, vendor overrides included."""
    out = []
    for name, entry in RUNTIMES.items():
        for row in entry["versions"]:
            out.append((name, name, row))
        for vendor, spec in entry.get("vendors", {}).items():
            for row in spec["versions"]:
                out.append((name, f"{name}/{vendor}", row))
    return out


ROWS = _rows()
ROW_IDS = [f"{where}:{row['version']}" for _, where, row in ROWS]


def _numbers(version: str) -> tuple[int, ...]:
    return tuple(int(p) for p in version.split("."))


def _d(value: str | None) -> date | None:
    return None if value is None else date.fromisoformat(value)


# --------------------------------------------------------------------------------------
# The JSON
# --------------------------------------------------------------------------------------


def test_top_level_says_when_and_where_from() -> None:
    assert RAW["taken"] == "2026-11-26"
    assert set(RAW["sources"]) == {DHI, OFFICIAL, "policy"}
    for key, source in RAW["sources"].items():
        assert source["title"], key
        date.fromisoformat(source["taken"])
    assert RAW["sources"][DHI]["taken"] == "2026-08-22"
    assert RAW["sources"][OFFICIAL]["taken"] == "2026-08-21"


def test_required_runtimes_and_versions_are_covered() -> None:
    required = {
        "python": [f"3.{m}" for m in range(7, 16)],
        "node": [str(m) for m in range(14, 27)],
        "golang": [f"1.{m}" for m in range(21, 28)],
        "java": ["8", "11", "17", "21", "22", "23", "24", "25", "26"],
        "php": ["7.4", "8.0", "8.1", "8.2", "8.3", "8.4", "8.5"],
        "ruby": ["2.7", "3.0", "3.1", "3.2", "3.3", "3.4", "4.0"],
        "postgres": [str(m) for m in range(12, 19)],
        "mysql": ["5.7", "8.0", "8.4", "9.0", "9.7"],
        "mariadb": ["10.6", "10.11", "11.4", "11.8"],
        "redis": ["6.2", "7.2", "7.4", "8.0", "8.2"],
        "mongo": ["6.0", "7.0", "8.0"],
        "dotnet": ["6", "8", "9", "10"],
        "rust": ["1"],
        "alpine": [f"3.{m}" for m in range(19, 25)],
        "debian": ["11", "12", "13"],
        "ubuntu": ["20.04", "22.04", "24.04", "26.04"],
    }
    for name, versions in required.items():
        have = {row["version"] for row in RUNTIMES[name]["versions"]}
        assert set(versions) <= have, (name, set(versions) - have)


def test_runtime_entries_are_well_formed() -> None:
    for name, entry in RUNTIMES.items():
        allowed = {"kind", "match", "aliases", "policy", "versions", "vendors", "rolling"}
        assert set(entry) <= allowed, name
        assert entry["kind"] in {"language", "database", "server", "distro"}, name
        assert entry["match"] in {"major", "minor", "rolling"}, name
        assert entry["aliases"] and entry["policy"] and entry["versions"], name
        assert (entry["match"] == "rolling") == ("rolling" in entry), name
        for vendor in entry.get("vendors", {}):
            assert vendor in entry["aliases"], (name, vendor)


ROW_KEYS = {"version", "release", "eol", "lts", "source", "approximate"}
OPTIONAL_KEYS = {"codename", "standard_eol", "catalog", "note"}


@pytest.mark.parametrize(("runtime", "where", "row"), ROWS, ids=ROW_IDS)
def test_row_is_valid(runtime: str, where: str, row: dict[str, Any]) -> None:
    assert ROW_KEYS <= set(row) <= ROW_KEYS | OPTIONAL_KEYS
    # version precision matches how tags map onto rows
    match = RUNTIMES[runtime]["match"]
    numbers = _numbers(row["version"])
    if match == "major":
        assert len(numbers) == 1
    elif match == "minor":
        assert len(numbers) == 2
    # dates parse and are ordered
    release, eol, standard = _d(row["release"]), _d(row["eol"]), _d(row.get("standard_eol"))
    assert release is not None, "every row has a release date"
    if eol is not None:
        assert eol > release
    if standard is not None:
        assert release < standard <= (eol or standard)
    assert isinstance(row["approximate"], bool)
    assert row["lts"] in (True, False, None)
    if "codename" in row:
        assert re.fullmatch(r"[a-z]+", row["codename"])
    if "note" in row:
        assert isinstance(row["note"], str) and row["note"]


@pytest.mark.parametrize(("runtime", "where", "row"), ROWS, ids=ROW_IDS)
def test_row_names_its_source(runtime: str, where: str, row: dict[str, Any]) -> None:
    source = row["source"]
    assert source.startswith((DHI, OFFICIAL, "policy: ")), source
    for cited in re.findall(r"[a-z][a-z-]*@\d{4}-\d{2}-\d{2}", source):
        assert cited in RAW["sources"], cited
    catalog = row.get("catalog")
    if source.startswith(DHI):
        assert catalog is not None, "a row sourced from the catalog says which definition"
    if catalog is not None:
        assert DHI in source
        assert catalog["image"].startswith("dhi.io/") and catalog["name"]
        assert catalog["fields"] and set(catalog["fields"]) <= {"release", "eol", "standard_eol"}
        for field_name in catalog["fields"]:
            assert row.get(field_name) is not None
        if set(catalog["fields"]) != {"release", "eol"} and row["eol"] is not None:
            # part of the row comes from elsewhere: the source must say so
            assert "; " in source or "eol" not in catalog["fields"]


def test_rows_sorted_newest_first_without_duplicates() -> None:
    for name, entry in RUNTIMES.items():
        vendors = entry.get("vendors", {}).values()
        lists = [entry["versions"]] + [spec["versions"] for spec in vendors]
        for rows in lists:
            numbers = [_numbers(row["version"]) for row in rows]
            assert numbers == sorted(numbers, reverse=True), name
            assert len(set(numbers)) == len(numbers), name


def test_aliases_are_unique_and_codenames_unique_per_runtime() -> None:
    seen: dict[str, str] = {}
    for name, entry in RUNTIMES.items():
        codenames = [row["codename"] for row in entry["versions"] if "codename" in row]
        assert len(codenames) == len(set(codenames)), name
        for alias in entry["aliases"]:
            key = normalize_repository(alias)
            assert seen.setdefault(key, name) == name, (alias, seen[key], name)


def test_loader_accepts_the_table_and_rejects_bad_rows() -> None:
    table = lifecycle._load(json.dumps(RAW))
    assert set(table.runtimes) == set(RUNTIMES)
    bad = json.loads(json.dumps(RAW))
    bad["runtimes"]["python"]["versions"].append(dict(bad["runtimes"]["python"]["versions"][0]))
    with pytest.raises(ValueError, match="duplicate"):
        lifecycle._load(json.dumps(bad))
    bad = json.loads(json.dumps(RAW))
    bad["runtimes"]["node"]["versions"][0]["version"] = "26.1"
    with pytest.raises(ValueError, match="precision"):
        lifecycle._load(json.dumps(bad))
    bad = json.loads(json.dumps(RAW))
    bad["runtimes"]["node"]["aliases"].append("library/python")
    with pytest.raises(ValueError, match="claimed"):
        lifecycle._load(json.dumps(bad))


def test_table_info() -> None:
    info = table_info()
    assert info["taken"] == "2026-11-26"
    assert info["sources"][DHI]["commit"].startswith("30c3db9")
    assert "python" in info["runtimes"] and "debian" in info["runtimes"]
    info["sources"].clear()  # a copy: the cached table is untouched
    assert table_info()["sources"]


def test_approximate_rows_say_why() -> None:
    for _runtime, where, row in ROWS:
        if row["approximate"]:
            said = "note" in row or "expected" in row["source"] or "(release" in row["source"]
            assert said, (where, row["version"])


# --------------------------------------------------------------------------------------
# Repositories -> runtimes
# --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("repository", "runtime"),
    [
        ("python", "python"),
        ("library/python", "python"),
        ("docker.io/library/python:3.12-slim", "python"),
        ("Python", "python"),
        ("node", "node"),
        ("golang", "golang"),
        ("eclipse-temurin", "java"),
        ("library/eclipse-temurin", "java"),
        ("amazoncorretto", "java"),
        ("openjdk", "java"),
        ("sapmachine", "java"),
        ("ibm-semeru-runtimes", "java"),
        ("php", "php"),
        ("ruby", "ruby"),
        ("postgres", "postgres"),
        ("mysql", "mysql"),
        ("mariadb", "mariadb"),
        ("redis", "redis"),
        ("mongo", "mongo"),
        ("alpine", "alpine"),
        ("debian", "debian"),
        ("ubuntu", "ubuntu"),
        ("rust", "rust"),
        ("nginx", "nginx"),
        ("mcr.microsoft.com/dotnet/aspnet:8.0", "dotnet"),
        ("mcr.microsoft.com/dotnet/sdk", "dotnet"),
        ("mcr.microsoft.com/dotnet/runtime:7.0", "dotnet"),
        ("dotnet/sdk", None),  # without its registry it is a Docker Hub name, not .NET
        ("dhi.io/python", "python"),
        ("dhi.io/mongodb", "mongo"),
        ("index.docker.io/library/node@sha256:" + "0" * 64, "node"),
        ("pypy", None),
        ("bitnami/python", None),
        ("localhost:5000/python", None),
        ("ghcr.io/library/python", None),
    ],
)
def test_runtime_name_for_repository(repository: str, runtime: str | None) -> None:
    assert runtime_name_for_repository(repository) == runtime


# --------------------------------------------------------------------------------------
# support_for
# --------------------------------------------------------------------------------------


def _check(s: Support | None, runtime: str, version: str, eol: str | None) -> Support:
    assert s is not None
    assert (s.runtime, s.version) == (runtime, version)
    assert s.eol == _d(eol)
    return s


def _get(runtime: str, version: tuple[int, ...], **kwargs: str) -> Support:
    s = support_for(runtime, version, **kwargs)
    assert s is not None, (runtime, version)
    return s


def _newest(runtime: str, day: date) -> str:
    s = newest_supported(runtime, day)
    assert s is not None, (runtime, day)
    return s.version


def _lines(runtime: str, day: date) -> list[str]:
    return [s.version for s in supported_lines(runtime, day)]


def test_python_lines() -> None:
    s = _check(support_for("python", (3, 8)), "python", "3.8", "2024-10-07")
    assert s.is_eol(TODAY) and s.is_eol(date(2024, 10, 7)) and not s.is_eol(date(2024, 10, 6))
    s = _check(support_for("python", (3, 10, 19)), "python", "3.10", "2026-10-31")
    assert s.is_eol(TODAY) and s.source == DHI and not s.approximate
    s = _check(support_for("python", (3, 12, 7)), "python", "3.12", "2028-10-31")
    assert s.release == date(2023, 10, 2) and not s.is_eol(TODAY) and s.lts is None
    _check(support_for("python", (3, 9)), "python", "3.9", "2025-10-31")
    _check(support_for("python", (3, 7, 17)), "python", "3.7", "2023-06-27")
    assert _get("python", (3, 15)).approximate
    # (3, 1) is not 3.10 (it is older than the table: see test_older_than_table); a major alone
    # is ambiguous while the series is open; unknown runtimes are None
    s = support_for("python", (3, 1))
    assert s is not None and s.version == "3.1" and s.older_than is not None
    assert support_for("python", (3,)) is None
    assert support_for("python", ()) is None
    assert support_for("cobol", (1, 0)) is None


def test_node_lines() -> None:
    s = _check(support_for("node", (20, 18, 1)), "node", "20", "2026-04-30")
    assert s.is_eol(TODAY) and s.lts and s.codename == "iron"
    _check(support_for("node", (18,)), "node", "18", "2025-04-30")
    _check(support_for("node", (14,)), "node", "14", "2023-04-30")
    s = _check(support_for("node", (23, 1)), "node", "23", "2025-06-01")
    assert s.lts is False
    s = _check(support_for("node", (25,)), "node", "25", "2026-06-01")
    assert s.is_eol(TODAY)
    s = _check(support_for("node", (26, 7, 0)), "node", "26", "2029-04-30")
    assert s.lts and not s.is_eol(TODAY) and s.source.startswith(DHI)
    _check(support_for("node", (22,)), "node", "22", "2027-04-30")


def test_go_lines() -> None:
    s = _check(support_for("golang", (1, 25, 3)), "golang", "1.25", "2026-08-19")
    assert s.is_eol(TODAY)
    _check(support_for("golang", (1, 24)), "golang", "1.24", "2026-02-10")
    _check(support_for("golang", (1, 23)), "golang", "1.23", "2025-08-12")
    s = support_for("golang", (1, 26, 7))
    assert s is not None and not s.is_eol(TODAY) and s.approximate
    s = support_for("golang", (1, 27, 0))
    assert s is not None and s.release == date(2026, 8, 19) and s.approximate


def test_java_lines_and_repository_mapping() -> None:
    s = _check(support_for("java", (21, 0, 5, 11)), "java", "21", "2029-12-31")
    assert s.lts and not s.is_eol(TODAY)
    # through the repository alias
    assert support_for(runtime_name_for_repository("library/eclipse-temurin") or "", (21, 0, 5, 11)) == s
    assert support_for("eclipse-temurin", (21,)) == s
    _check(support_for("java", (8, 0, 432, 6)), "java", "8", "2030-12-31")
    _check(support_for("java", (17,)), "java", "17", "2027-10-31")
    _check(support_for("java", (11,)), "java", "11", "2027-10-31")
    non_lts_lines = ((22, "2024-09-17"), (23, "2025-03-18"), (24, "2025-09-16"), (26, "2026-09-15"))
    for non_lts, eol in non_lts_lines:
        s = _check(support_for("java", (non_lts,)), "java", str(non_lts), eol)
        assert s.lts is False and s.is_eol(TODAY)
    assert _get("java", (25,)).lts


def test_java_vendor_overrides() -> None:
    # SapMachine 17 ended before Temurin 17
    sap = _check(support_for("java", (17,), repository="sapmachine"), "java", "17", "2026-09-01")
    assert sap.is_eol(TODAY)
    assert support_for("sapmachine", (17, 0, 12)) == sap
    assert support_for("java", (17,), repository="docker.io/library/sapmachine:17-jre") == sap
    # Corretto 17 outlives Temurin 17; lines without an override fall back to the generic row
    _check(support_for("amazoncorretto", (17,)), "java", "17", "2029-10-31")
    _check(support_for("amazoncorretto", (26,)), "java", "26", "2026-09-15")
    _check(support_for("java", (17,), repository="ibm-semeru-runtimes"), "java", "17", "2027-10-31")
    assert _lines("sapmachine", TODAY) == ["27", "25", "21", "11", "8"]
    assert "17" in _lines("eclipse-temurin", TODAY)


def test_database_lines() -> None:
    s = _check(support_for("postgres", (14, 20)), "postgres", "14", "2026-11-12")
    assert s.is_eol(TODAY) and s.source == DHI
    _check(support_for("postgres", (13,)), "postgres", "13", "2025-11-13")
    assert not _get("postgres", (15,)).is_eol(TODAY)
    _check(support_for("php", (8, 1, 31)), "php", "8.1", "2025-12-31")
    s = _check(support_for("php", (8, 2)), "php", "8.2", "2026-12-31")
    assert not s.is_eol(TODAY)
    _check(support_for("ruby", (3, 2, 9)), "ruby", "3.2", "2026-03-31")
    s = _check(support_for("mysql", (8, 4, 11)), "mysql", "8.4", "2032-04-30")
    assert s.lts
    _check(support_for("mysql", (8, 0, 44)), "mysql", "8.0", "2026-04-30")
    assert _get("mysql", (9, 3)).is_eol(TODAY)
    assert _get("mysql", (26, 7, 0)).lts is False
    _check(support_for("mariadb", (10, 11, 18)), "mariadb", "10.11", "2028-02-16")
    _check(support_for("mariadb", (11, 8)), "mariadb", "11.8", "2028-06-04")
    _check(support_for("mongo", (7, 0, 40)), "mongo", "7.0", "2027-08-31")
    _check(support_for("mongo", (6, 0)), "mongo", "6.0", "2025-07-31")
    _check(support_for("redis", (7, 4, 11)), "redis", "7.4", "2026-11-30")
    s = _check(support_for("redis", (7, 2)), "redis", "7.2", None)
    assert not s.is_eol(TODAY) and s.note  # no published date: never "EOL", but said so
    _check(support_for("dotnet", (8, 0)), "dotnet", "8", "2026-11-10")
    _check(support_for("mcr.microsoft.com/dotnet/sdk", (10, 0, 100)), "dotnet", "10", "2028-11-14")


def test_rust_is_rolling() -> None:
    floating = support_for("rust", (1,))
    assert floating is not None and floating.eol is None and not floating.is_eol(TODAY)
    s = _check(support_for("rust", (1, 83, 0)), "rust", "1.83", "2025-01-09")
    assert s.release == date(2024, 11, 28) and s.is_eol(TODAY) and not s.approximate
    s = _check(support_for("rust", (1, 90)), "rust", "1.90", "2025-10-30")
    assert s.release == date(2025, 9, 18)
    s = _check(support_for("rust", (1, 93)), "rust", "1.93", "2026-03-05")
    assert s.release == date(2026, 1, 22)
    s = support_for("rust", (1, 100))
    assert s is not None and s.approximate and s.is_supported(TODAY)
    assert support_for("rust", (2, 0)) is None
    assert _lines("rust", TODAY) == ["1", "1.100"]
    assert newest_supported("rust", TODAY) == floating


# --------------------------------------------------------------------------------------
# supported_lines / newest_supported
# --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("runtime", "newest"),
    [
        # Python 3.15.0 is scheduled for 2026-10-01 (PEP 790): newest on 2026-11-26
        ("python", "3.15"),
        # node 26 is LTS (Active LTS since late October 2026); 25 ended 2026-06-01
        ("node", "26"),
        ("java", "25"),  # LTS preferred over 27 (non-LTS)
        ("eclipse-temurin", "25"),
        ("postgres", "18"),
        ("golang", "1.27"),
        ("php", "8.5"),
        ("ruby", "4.0"),
        ("mysql", "9.7"),  # LTS preferred over innovation releases
        ("mariadb", "12.3"),
        ("dotnet", "10"),
        ("debian", "13"),
        ("ubuntu", "26.04"),
        ("alpine", "3.24"),
    ],
)
def test_newest_supported_today(runtime: str, newest: str) -> None:
    s = newest_supported(runtime, TODAY)
    assert s is not None and s.version == newest
    assert s.is_supported(TODAY)


def test_supported_lines_today() -> None:
    assert _lines("python", TODAY) == ["3.15", "3.14", "3.13", "3.12", "3.11"]
    assert _lines("node", TODAY) == ["26", "24", "22"]
    assert _lines("golang", TODAY) == ["1.27", "1.26"]
    assert _lines("java", TODAY) == ["27", "25", "21", "17", "11", "8"]
    assert _lines("postgres", TODAY) == ["18", "17", "16", "15"]
    assert _lines("dotnet", TODAY) == ["10"]
    assert supported_lines("cobol", TODAY) == []
    assert newest_supported("cobol", TODAY) is None


def test_newest_supported_moves_with_the_date() -> None:
    # before 3.15's release, 3.14 is the newest python
    assert _newest("python", date(2026, 9, 30)) == "3.14"
    # on 2025-11-01 node 25 is the newest release, but 24 is the newest LTS line
    assert _newest("node", date(2025, 11, 1)) == "24"
    # before 25 shipped, java 21 was the newest LTS although 24 was newer
    assert _newest("java", date(2025, 6, 1)) == "21"
    # on the EOL day the line is gone
    assert "14" not in _lines("postgres", date(2026, 11, 12))
    assert "14" in _lines("postgres", date(2026, 11, 11))


# --------------------------------------------------------------------------------------
# distros
# --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("token", "runtime", "version", "eol"),
    [
        ("bullseye", "debian", "11", "2026-08-31"),
        ("bookworm", "debian", "12", "2028-06-30"),
        ("trixie", "debian", "13", "2030-06-30"),
        ("buster", "debian", "10", "2024-06-30"),
        ("bookworm-20260803", "debian", "12", "2028-06-30"),
        ("debian12", "debian", "12", "2028-06-30"),
        ("debian-13", "debian", "13", "2030-06-30"),
        ("focal", "ubuntu", "20.04", "2025-05-31"),
        ("jammy", "ubuntu", "22.04", "2027-04-30"),
        ("noble", "ubuntu", "24.04", "2029-04-30"),
        ("resolute", "ubuntu", "26.04", "2031-04-30"),
        ("jammy-20260810", "ubuntu", "22.04", "2027-04-30"),
        ("ubuntu22.04", "ubuntu", "22.04", "2027-04-30"),
        ("alpine3.19", "alpine", "3.19", "2025-11-01"),
        ("alpine3.21", "alpine", "3.21", "2026-11-01"),
        ("alpine-3.24", "alpine", "3.24", "2028-06-01"),
        ("Alpine3.22", "alpine", "3.22", "2027-05-01"),
    ],
)
def test_distro_support(token: str, runtime: str, version: str, eol: str) -> None:
    _check(distro_support(token), runtime, version, eol)


def test_distro_details() -> None:
    bullseye = distro_support("bullseye")
    assert bullseye is not None and bullseye.codename == "bullseye"
    assert bullseye.standard_eol == date(2024, 8, 14)  # regular support ended; LTS until 2026-08-31
    assert bullseye.is_eol(TODAY)  # python:3.12-slim-bullseye is on an EOL distro today
    bookworm = distro_support("bookworm")
    assert bookworm is not None and not bookworm.is_eol(TODAY)
    assert bookworm.standard_eol == date(2026, 6, 10)
    assert _get("alpine", (3, 21)).is_eol(TODAY)
    # alpine3.9 used to be None here; it is older than the table, so end of life (test_older_than_table)
    for token in ("alpine", "slim", "sid", "forky", "windowsservercore-ltsc2022", ""):
        assert distro_support(token) is None, token
    assert support_for("ubuntu", (22, 4)) == distro_support("jammy")
    assert support_for("debian", (12, 15)) == distro_support("bookworm")


@pytest.mark.parametrize(
    ("repository", "tag", "clauses"),
    [
        # versions older than the runtime's oldest row: end of life, and no invented date
        ("python", "2.7", ["python 2.7 is older than the oldest python line in the table (3.7, end of life 2023-06-27)"]),
        ("node", "10.14.2", ["node 10 is older than the oldest node line in the table (14, end of life 2023-04-30)"]),
        ("golang", "1.12.4", ["golang 1.12 is older than the oldest golang line in the table (1.21, end of life 2024-08-13)"]),
        ("golang", "1.13", ["golang 1.13 is older than the oldest golang line in the table (1.21, end of life 2024-08-13)"]),
        ("ubuntu", "12.04", ["ubuntu 12.04 is older than the oldest ubuntu line in the table (18.04, end of life 2023-05-31)"]),
        ("eclipse-temurin", "7", ["java 7 is older than the oldest java line in the table (8,"]),
        ("postgres", "9.6", ["postgres 9 is older than the oldest postgres line in the table (12, end of life 2024-11-21)"]),
        # a finished series written without its minor: its last line (PHP 7.4 ended 2022-11-28)
        ("php", "7", ["php 7.4 reached end of life on 2022-11-28"]),
        ("mysql", "5", ["mysql 5.7 reached end of life on 2023-10-31"]),
        ("python", "2", ["python 2 is older than the oldest python line in the table (3.7, end of life 2023-06-27)"]),
        # distros older than the oldest distro row, written as versions or codenames
        (
            "python",
            "3.6-alpine3.7",
            [
                "python 3.6 is older than the oldest python line in the table",
                "its distro alpine 3.7 is older than the oldest alpine line in the table (3.18, end of life 2025-05-09)",
            ],
        ),
        ("python", "2.7-slim-jessie", ["python 2.7 is older", "its distro jessie is older than the oldest debian line in the table (10, end of life 2024-06-30)"]),
        ("node", "16-stretch", ["node 16 reached end of life on 2023-09-11", "its distro stretch is older than the oldest debian line"]),
        ("ubuntu", "trusty-20190515", ["its distro trusty is older than the oldest ubuntu line in the table (18.04"]),
        ("ubuntu", "precise", ["its distro precise is older than the oldest ubuntu line"]),
    ],
)
def test_older_than_table(repository: str, tag: str, clauses: list[str]) -> None:
    ended = lifecycle.tag_support(repository, tag).ended(TODAY)
    assert len(ended) == len(clauses), ended
    for got, want in zip(ended, clauses, strict=True):
        assert got.startswith(want), (got, want)
    assert all(c.endswith(": end of life") or "reached end of life on" in c for c in ended)


def test_dotnet_on_mcr_from_its_tag_alone() -> None:
    # .NET 7 (STS) ended 2024-05-14 (Microsoft's .NET support policy); no registry needed
    support = lifecycle.tag_support("mcr.microsoft.com/dotnet/sdk", "7.0")
    assert support.runtime == "dotnet" and support.ended(TODAY) == ["dotnet 7 reached end of life on 2024-05-14"]


def test_older_than_table_is_not_a_gap_or_an_open_series() -> None:
    # java 12..16 fall between rows (non-LTS releases the table skips): unknown, not end of life
    assert support_for("java", (12,)) is None
    # an open series (python 3, golang 1, node has no series) floats: unknown without a minor
    assert support_for("python", (3,)) is None and support_for("golang", (1,)) is None
    # newer than the newest row is unknown too, never end of life
    assert support_for("python", (3, 99)) is None
    older = support_for("python", (2, 7))
    assert older is not None and older.is_eol(date(2000, 1, 1)) and older.eol is None
    assert older.older_than is not None and older.older_than.version == "3.7"


def test_codenames() -> None:
    _check(support_for_codename("node", "krypton"), "node", "24", "2028-04-30")
    _check(support_for_codename("node", "Jod"), "node", "22", "2027-04-30")
    _check(support_for_codename("ubuntu", "noble"), "ubuntu", "24.04", "2029-04-30")
    assert support_for_codename("node", "bookworm") is None
    assert support_for_codename("cobol", "x") is None


# --------------------------------------------------------------------------------------
# Agreement with the data the table was built from (skipped without ../shared/data)
# --------------------------------------------------------------------------------------

_CATALOG_FIELD = {"release": "release", "eol": "end_of_life", "standard_eol": "end_of_life"}


def shared_file(path: Path) -> Path:
    """``path`` under ../shared/data; in CI (where it must be there) a missing file fails in one line."""
    if not path.exists():
        pytest.fail(
            f"{path} is missing: CI lays ../shared beside the clone (Official Images tag history and the"
            " Hardened Images catalog); run the tests from a checkout with ../shared/data beside it.",
            pytrace=False,
        )
    return path



@pytest.mark.skipif(not CATALOG.exists() and not IN_CI, reason=f"{CATALOG} is not present")
def test_dhi_dates_agree_with_the_catalog() -> None:
    definitions: dict[str, list[dict[str, Any]]] = defaultdict(list)
    with gzip.open(shared_file(CATALOG), "rt", encoding="utf-8") as fh:
        for line in fh:
            d = json.loads(line)
            definitions[d["image"]].append(d)
    checked = 0
    for _, where, row in ROWS:
        ref = row.get("catalog")
        if ref is None:
            continue
        found = [
            d
            for d in definitions[ref["image"]]
            if d["name"] == ref["name"] or d["name"].startswith(ref["name"] + " ")
        ]
        assert found, (where, ref)
        for field_name in ref["fields"]:
            values = {d[_CATALOG_FIELD[field_name]] for d in found} - {None}
            assert values == {row[field_name]}, (where, row["version"], field_name, values)
            checked += 1
    assert checked >= 60


@pytest.mark.skipif(not TAG_HISTORY.exists() and not IN_CI, reason=f"{TAG_HISTORY} is not present")
def test_rust_cadence_matches_official_image_builds() -> None:
    first_seen: dict[str, date] = {}
    removed: dict[tuple[str, str], date] = {}
    with gzip.open(shared_file(TAG_HISTORY), "rt", encoding="utf-8") as fh:
        for line in fh:
            r = json.loads(line)
            if r["repository"] == "rust" and re.fullmatch(r"1\.\d+", r["tag"]):
                first_seen[r["tag"]] = date.fromisoformat(r["first_seen"])
            key = (r["repository"], r["tag"])
            if r["removed"] and key in {("python", "3.8"), ("node", "20"), ("golang", "1.25")}:
                removed[key] = date.fromisoformat(r["removed"])
    assert len(first_seen) > 50
    lags = []
    for tag, seen in first_seen.items():
        if tag == "1.19":  # the image's first tag, built weeks after 1.19's release
            continue
        s = support_for("rust", tuple(int(p) for p in tag.split(".")))
        assert s is not None and s.release is not None
        assert timedelta(0) <= seen - s.release <= timedelta(days=14), (tag, s.release, seen)
        lags.append((seen - s.release).days)
    assert sum(lag <= 3 for lag in lags) >= 0.9 * len(lags)
    # official images stop building a line when it reaches end of life
    assert removed[("python", "3.8")] == _get("python", (3, 8)).eol
    assert removed[("golang", "1.25")] == _get("golang", (1, 25)).eol
    node20_eol = _get("node", (20,)).eol
    assert node20_eol is not None and removed[("node", "20")] - node20_eol <= timedelta(days=2)


# Ubuntu: LTS every April of an even year (5 years of standard support), interim releases
# otherwise (9 months). Dates from Canonical's release cycle page and release announcements.
@pytest.mark.parametrize(
    ("version", "codename", "lts", "release", "eol"),
    [
        ("26.10", "stonking", False, "2026-10-15", "2027-07-15"),
        ("26.04", "resolute", True, "2026-04-23", "2031-04-30"),
        ("25.10", "questing", False, "2025-10-09", "2026-07-09"),  # support ended July 2026
        ("25.04", "plucky", False, "2025-04-17", "2026-01-17"),
        ("24.10", "oracular", False, "2024-10-10", "2025-07-10"),
        ("24.04", "noble", True, "2024-04-25", "2029-04-30"),
        ("23.10", "mantic", False, "2023-10-12", "2024-07-12"),
        ("22.04", "jammy", True, "2022-04-21", "2027-04-30"),
        ("20.04", "focal", True, "2020-04-23", "2025-05-31"),
        ("18.04", "bionic", True, "2018-04-26", "2023-05-31"),
    ],
)
def test_ubuntu_lts_and_interim_rows(version: str, codename: str, lts: bool, release: str, eol: str) -> None:
    row = _check(support_for("ubuntu", tuple(int(p) for p in version.split("."))), "ubuntu", version, eol)
    assert row.lts is lts and row.release == _d(release) and row.codename == codename
    assert support_for_codename("ubuntu", codename) == row == distro_support(codename)
    assert row.source.startswith("policy: ")


def test_ubuntu_lts_rule_holds_for_every_row() -> None:
    rows = lifecycle._table().runtimes["ubuntu"].rows
    assert len(rows) == 18 and all(r.codename for r in rows)  # 18.04 to 26.10, none missing
    for row in rows:
        year, month = row.numbers
        assert row.lts is (month == 4 and year % 2 == 0), row.version
        assert row.release is not None and row.eol is not None
        months = (row.eol.year - row.release.year) * 12 + row.eol.month - row.release.month
        assert months == (60 if row.lts else 9) or row.version in ("20.04", "18.04"), (row.version, months)
    # 25.10 is past end of life on the reviewer's day; lts answers the newest LTS
    assert _get("ubuntu", (25, 10)).is_eol(date(2026, 11, 30))
    assert newest_supported("ubuntu", date(2026, 11, 30)).version == "26.04"
    assert [s.version for s in supported_lines("ubuntu", date(2026, 11, 30)) if s.lts] == ["26.04", "24.04", "22.04"]


@pytest.mark.skipif(not TAG_HISTORY.exists() and not IN_CI, reason=f"{TAG_HISTORY} is not present")
def test_ubuntu_end_of_life_agrees_with_official_image_builds() -> None:
    # the official images drop an ended Ubuntu release within weeks of its end of life (never before)
    removed: dict[str, date] = {}
    with gzip.open(shared_file(TAG_HISTORY), "rt", encoding="utf-8") as fh:
        for line in fh:
            r = json.loads(line)
            if r["repository"] == "ubuntu" and re.fullmatch(r"\d\d\.\d\d", r["tag"]) and r["removed"]:
                removed[r["tag"]] = date.fromisoformat(r["removed"])
    checked = 0
    for row in lifecycle._table().runtimes["ubuntu"].rows:
        if row.version in removed and row.eol is not None:
            gap = (removed[row.version] - row.eol).days
            assert 0 <= gap <= 92, (row.version, row.eol, removed[row.version])
            checked += 1
    assert checked >= 14
