"""The hardened-breadth benchmark's ground truth (benchmarks/hardened_breadth.py) on the real extraction.

The extraction is ../shared/data/hardened-images/catalog.jsonl.gz (docker-hardened-images/catalog at
30c3db9); these tests show that the benchmark's own parser reads it as its README says, and that its
line, family and version rules give the expected answers on real rows. They never call hub_mcp.
Skipped without ../shared/data, except in CI (CI=true), where the data must be there.
"""

from __future__ import annotations

import os
from collections import Counter
from pathlib import Path

import pytest

from benchmarks.hardened_breadth import (
    ALIASES,
    Case,
    Extraction,
    counterpart,
    dhi_tag_version,
    expect,
    judge,
    official_distro,
    official_family,
    official_version,
    read_extraction,
)

SHARED_DATA = Path(__file__).resolve().parents[2] / "shared" / "data"
CATALOG = SHARED_DATA / "hardened-images" / "catalog.jsonl.gz"
IN_CI = os.environ.get("CI") == "true"  # CI has ../shared beside the clone: there these checks must run

pytestmark = pytest.mark.skipif(not CATALOG.exists() and not IN_CI, reason=f"{CATALOG} is not present")


@pytest.fixture(scope="module")
def extraction() -> Extraction:
    if not CATALOG.exists():
        pytest.fail(f"{CATALOG} is missing: run the tests from a checkout with ../shared/data beside it.", pytrace=False)
    return read_extraction(CATALOG)


def test_counts_are_the_readmes(extraction: Extraction) -> None:
    definitions = [d for defs in extraction.definitions.values() for d in defs]
    assert len(definitions) == 2582
    assert len(extraction.definitions) == 554
    assert len(extraction.by_tag) == 18095  # each (image, tag) pair in exactly one definition
    assert sum(len(d.tags) for d in definitions) == 18095
    assert Counter(d.variant for d in definitions) == {"runtime": 1288, "dev": 1294}
    assert Counter(d.distro for d in definitions) == {
        "debian-13": 1847, "alpine-3.24": 295, "alpine-3.23": 220, "alpine-3.22": 181, "debian-12": 38, "alpine-3.21": 1,
    }  # fmt: skip
    assert Counter(d.run_as for d in definitions)["nonroot"] == 944


def test_the_readme_example_row(extraction: Extraction) -> None:
    row = extraction.by_tag[("python", "3.12-debian13")]
    assert row.path == "image/python/debian-13/3.12.yaml"
    assert (row.variant, row.family, row.run_as, row.name) == ("runtime", "debian", "nonroot", "Python 3.12.x")
    assert {"3.12", "3.12-debian", "3.12-debian13"} <= set(row.tags)
    assert extraction.line_of(row) == (3, 12)
    assert extraction.by_tag[("python", "3.12-debian13-dev")].variant == "dev"
    assert ("python", "latest") not in extraction.by_tag  # DHI has no latest tag


def test_lines_from_names_files_and_sibling_tags(extraction: Extraction) -> None:
    def line(image: str, tag: str) -> tuple[int, ...] | None:
        return extraction.line_of(extraction.by_tag[(image, tag)])

    assert line("maven", "3-jdk21-dev") == (3,)  # "Maven 3.x JDK 21.x": the first <N>.x
    assert line("debian-base", "trixie") == (13,)  # "Debian 13 Base", file 13.yaml
    assert line("alpine-base", "3.22") == (3, 22)
    assert line("mediawiki", "1.45-php-fpm") == (1, 45)  # file 1.45-php-fpm.yaml
    mainline, stable = line("nginx", "1-debian13"), line("nginx", "1.30-debian13")  # no number in the names
    assert stable == (1, 30) and mainline is not None and len(mainline) == 2 and mainline > stable
    assert line("nats", "2-debian13") == (2, 14)  # the name says 2.14.x; the file still says 2.12.yaml


def test_aliases_pair_existing_images(extraction: Extraction) -> None:
    for official, (dhi, source) in ALIASES.items():
        assert dhi in extraction.definitions, official
        assert counterpart(official, extraction) == dhi and source
    assert counterpart("python", extraction) == "python"
    assert counterpart("ubuntu", extraction) is None  # DHI has no Ubuntu image: Ubuntu-based tags go to Debian


@pytest.mark.parametrize(
    ("image", "tag", "family", "distro", "version"),
    [
        ("python", "3.14.2-slim-trixie", "debian", "debian", (3, 14, 2)),
        ("python", "3.14-alpine3.22", "alpine", "alpine", (3, 14)),
        ("alpine", "3.22.2", "alpine", "alpine", (3, 22, 2)),
        ("debian", "trixie-20260803-slim", "debian", "debian", (13,)),
        ("eclipse-temurin", "25.0.1_8-jre-noble", "debian", "ubuntu", (25, 0, 1)),
        ("eclipse-temurin", "8u472-b08-jdk-ubi10-minimal", "debian", "ubi10", (8,)),
        ("mysql", "9.7-oracle", "debian", "oracle", (9, 7)),
        ("clojure", "temurin-25-lein-2.11.2-trixie", "debian", "debian", None),  # Java 25, Leiningen 2.11.2
        ("clojure", "temurin-25-tools-deps-1.12.3.1577-trixie", "debian", "debian", (1, 12, 3, 1577)),
        ("maven", "3.9.11-eclipse-temurin-21-noble", "debian", "ubuntu", (3, 9, 11)),
        ("fluentd", "v1.19-debian-1", "debian", "debian", (1, 19)),
        ("busybox", "1.37-musl", "debian", "debian", (1, 37)),
    ],
)  # fmt: skip
def test_official_tags(image: str, tag: str, family: str, distro: str, version: tuple[int, ...] | None) -> None:
    assert official_family(image, tag) == family
    assert official_distro(image, tag) == distro
    assert official_version(image, tag) == version


def _judge(extraction: Extraction, official: str, reference: str, stage: str, answer: str | None) -> Case:
    case = Case(official, "suggest runtime" if stage == "runtime" else "suggest build", asked=reference, answer=answer)
    notes = (
        "runs as nonroot, not root; no shell and no package manager; no 'latest' tag; pulling needs 'docker login dhi.io'"
    )
    judge(case, extraction, expect(extraction, official, reference, stage), notes)
    return case


def test_judging_on_real_rows(extraction: Extraction) -> None:
    good = _judge(extraction, "python", "python:3.12.7-slim-trixie", "runtime", "dhi.io/python:3.12-debian13")
    assert good.failed() == [] and good.expected_line == "3.12"
    assert _judge(extraction, "python", "python:3.12-slim", "runtime", None).reasons == {
        "named": "no hardened reference (official tag on debian)"
    }
    dev = _judge(extraction, "python", "python:3.12-slim", "runtime", "dhi.io/python:3.12-debian13-dev")
    assert dev.failed() == ["variant", "notes"]  # a root dev image: its notes must say root
    alpine = _judge(extraction, "python", "python:3.12-alpine", "runtime", "dhi.io/python:3.12-debian13")
    assert alpine.failed() == ["family"]
    older = _judge(extraction, "python", "python:3.13-slim", "runtime", "dhi.io/python:3.12-debian13")
    assert older.failed() == ["line"] and older.reasons["line"] == "older line"
    moving = _judge(extraction, "python", "python:3.14-slim", "runtime", "dhi.io/python:3-debian13")
    assert moving.reasons == {"line": "moving alias coarser than the line"}
    missing = _judge(extraction, "python", "python:3.12-slim", "runtime", "dhi.io/python:3.12.0-debian13")
    assert missing.failed() == ["exists"] and missing.reasons["exists"] == "tag not in the extraction"
    other = _judge(extraction, "alpine", "alpine:3.22", "runtime", "dhi.io/alpine:3.22")
    assert other.reasons["exists"] == "another DHI image than alpine-base"
    caddy = _judge(extraction, "caddy", "caddy:2.11-alpine", "runtime", None)  # DHI caddy is Debian only
    assert caddy.verdicts["named"] is None and caddy.failed() == []
    assert dhi_tag_version("trixie-debian13") is None and dhi_tag_version("8u502-debian13") == (8,)
