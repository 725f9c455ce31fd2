"""The real-Dockerfile corpus of the review benchmark, and its independent upgrade checker.

``benchmarks/dockerfiles/`` holds lines of public Dockerfiles (see benchmarks/README.md); each
must say where it came from and give the review something to read. The checker in
``benchmarks/dockerfile_review.py`` decides "older line" and "interim / non-LTS / development
line" with its own regexes; these cases pin what it decides.
"""

from __future__ import annotations

import re
from datetime import date

import pytest

from benchmarks.dockerfile_review import (
    CORPUS,
    load_corpus,
    outside_eol,
    source_of,
    split_reference,
    upgrade_problems,
    upgrade_references,
)
from hub_mcp.advisor.dockerfile import parse_from_lines

DOCUMENTS = load_corpus()


def test_corpus_size() -> None:
    assert 30 <= len(DOCUMENTS) <= 45


@pytest.mark.parametrize(("name", "text"), DOCUMENTS, ids=[name for name, _ in DOCUMENTS])
def test_corpus_file_names_its_source_and_has_a_from(name: str, text: str) -> None:
    source = source_of(text)
    assert source, f"{name}: no '# source: <owner>/<repo> <path>' header"
    repository, path = source.split(" ")
    assert name == f"{repository.replace('/', '__')}__{path.replace('/', '-')}.Dockerfile"
    assert re.search(r"^# commit: [0-9a-f]{40}$", text, re.MULTILINE), f"{name}: no commit"
    assert f"# url: https://github.com/{repository}/blob/" in text
    froms = {line.line for line in parse_from_lines(text)}  # the review's own parser (ValueError: unreadable)
    assert froms, f"{name}: no FROM line"
    for number, line in enumerate(text.splitlines(), 1):  # only what the review reads (and an ARG's continuation)
        if not line.strip() or line.lstrip().startswith("#") or number in froms:
            continue
        assert re.match(r"\s*(ARG|COPY\s.*--from=)\b|\s+\w+=", line, re.IGNORECASE), f"{name}: {line!r}"
    assert CORPUS.joinpath(name).is_file()


@pytest.mark.parametrize(
    ("reviewed", "upgrade", "expected"),
    [
        ("python:3.8-slim", "python:3.13-slim", []),
        ("python:3.12-slim", "python:3.11-slim", ["goes back from 3.12 to 3.11"]),
        ("golang:1.12.4", "golang:1.27-trixie", []),  # 1.27 > 1.12 as numbers, not as strings
        ("node:18.19.1-bookworm-slim", "node:18-bookworm-slim", []),  # same line is not backwards
        ("node:20", "node:23-slim", ["node 23 is an odd (never LTS) major"]),
        ("node:22", "node:16", ["goes back from 22 to 16"]),
        ("ubuntu:22.04", "ubuntu:25.10", ["ubuntu 25.10 is an interim release"]),
        ("ubuntu:20.04", "ubuntu:23.04", ["ubuntu 23.04 is an interim release"]),  # odd-year .04
        ("ubuntu:jammy", "ubuntu:26.04", []),
        ("ubuntu:noble", "ubuntu:22.04", ["goes back from 24.04 to 22.04"]),
        ("openjdk:17", "eclipse-temurin:21-jre", []),
        ("openjdk:17", "eclipse-temurin:24-jre", ["java 24 is not an LTS line"]),
        ("openjdk:21", "amazoncorretto:17", ["goes back from 21 to 17"]),
        ("debian:bookworm-slim", "debian:13-slim", []),
        ("debian:trixie", "debian:bookworm", ["goes back from 13 to 12"]),
        ("alpine:3.19", "alpine:edge", ["development channel tag 'edge'"]),
        ("debian:12", "debian:testing-slim", ["development channel tag 'testing-slim'"]),
        ("python:3.12", "python:3.15.0rc1-slim", ["development channel tag '3.15.0rc1-slim'"]),
        ("python:3.12", "python:3.14-rc-trixie", ["development channel tag '3.14-rc-trixie'"]),
        ("ghcr.io/acme/app:1.2", "ghcr.io/acme/app:1.1", ["goes back from 1.2 to 1.1"]),
        ("docker.io/library/python:3.12@sha256:" + "a" * 64, "python:3.13", []),
    ],
)
def test_upgrade_checker(reviewed: str, upgrade: str, expected: list[str]) -> None:
    assert upgrade_problems(reviewed, upgrade) == expected


def test_reference_split() -> None:
    assert split_reference("docker.io/library/golang:1.26@sha256:" + "0" * 64) == split_reference("golang:1.26")
    ref = split_reference("mcr.microsoft.com/dotnet/sdk:7.0")
    assert ref is not None and (ref.host, ref.repository, ref.tag, ref.on_hub) == (
        "mcr.microsoft.com",
        "dotnet/sdk",
        "7.0",
        False,
    )
    assert split_reference("localhost:5000/app").host == "localhost:5000"  # type: ignore[union-attr]


def test_upgrade_references_in_review_text() -> None:
    text = (
        "node:18-bookworm-slim (drop-in, same major; supported until 2025-04-30; score 8.22); "
        "bigger step: node:24-trixie-slim (the maintainers' production line; supported until 2028-04-30; score 8.5)"
    )
    assert upgrade_references(text) == ["node:18-bookworm-slim", "node:24-trixie-slim"]
    assert upgrade_references("alpine:3.24 (newer version, same variant)") == ["alpine:3.24"]
    assert upgrade_references(None) == []


def test_outside_end_of_life_dates() -> None:
    today = date(2026, 11, 26)
    assert outside_eol("python:3.10-slim", today) == ["python 3.10 ended 2026-10-31"]
    assert outside_eol("python:3.11-slim", today) == []
    assert outside_eol("golang:1.25", today) and not outside_eol("golang:1.26", today)
    assert outside_eol("golang:1.19.3-bullseye", today) == [
        "go 1.19 ended 2023-08-15",
        "debian bullseye ended 2026-08-31",
    ]
    assert outside_eol("ubuntu:14.04", today) == ["ubuntu 14.04 ended 2019-04-25"]
    assert outside_eol("ubuntu:24.04", today) == []
    assert outside_eol("alpine:3.21", today) and not outside_eol("alpine:3.22", today)
    assert outside_eol("quay.io/prometheus/busybox:latest", today) == []
