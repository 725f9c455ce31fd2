"""Table-driven tests of the Docker tag grammar (hub_mcp.vocab.tags).

Tag spellings are real ones from Docker Official Images (python, node, golang,
eclipse-temurin, openjdk, php, nginx, postgres, ruby, rust, ubuntu, debian, alpine, redis,
busybox, traefik, mariadb, haproxy, julia, tomcat, maven, sapmachine) and Docker Hardened
Images; the tag lists for closest_tags are small hand-made fixtures.
"""

from __future__ import annotations

import os
import random
from pathlib import Path

import pytest

from hub_mcp.vocab.tags import (
    ParsedTag,
    closest_tags,
    is_prerelease,
    line_key,
    newer_in_line,
    non_production,
    parse_tag,
    same_line,
    version_key,
)

# --------------------------------------------------------------------------------------
# parse_tag: version, prerelease, suffix, channel
# --------------------------------------------------------------------------------------

PARSE_CASES: list[tuple[str, tuple[int, ...] | None, str | None, set[str], str | None]] = [
    # tag, version, prerelease, suffix, channel
    # python
    ("3.12", (3, 12), None, set(), None),
    ("3.12.14", (3, 12, 14), None, set(), None),
    ("3", (3,), None, set(), None),
    ("3.12-slim-bookworm", (3, 12), None, {"slim", "bookworm"}, None),
    ("3.12.14-slim-trixie", (3, 12, 14), None, {"slim", "trixie"}, None),
    ("3.14-alpine3.24", (3, 14), None, {"alpine3.24"}, None),
    ("3.15.0rc1-slim-trixie", (3, 15, 0), "rc1", {"slim", "trixie"}, None),
    ("3.15-rc-slim-bookworm", (3, 15), "rc", {"slim", "bookworm"}, None),
    ("3.15.0rc1-windowsservercore-ltsc2025", (3, 15, 0), "rc1", {"windowsservercore-ltsc2025"}, None),
    ("3.14-windowsservercore", (3, 14), None, {"windowsservercore"}, None),
    ("3.14.0a1", (3, 14, 0), "a1", set(), None),
    ("3.13.0b2-slim", (3, 13, 0), "b2", {"slim"}, None),
    ("latest", None, None, set(), "latest"),
    ("alpine", None, None, {"alpine"}, None),
    ("slim-bookworm", None, None, {"slim", "bookworm"}, None),
    ("alpine3.23", None, None, {"alpine3.23"}, None),
    ("windowsservercore-ltsc2022", None, None, {"windowsservercore-ltsc2022"}, None),
    # node
    ("22-bookworm-slim", (22,), None, {"bookworm", "slim"}, None),
    ("22.23.2-alpine3.24", (22, 23, 2), None, {"alpine3.24"}, None),
    ("lts", None, None, set(), "lts"),
    ("current-alpine3.24", None, None, {"alpine3.24"}, "current"),
    ("krypton-bookworm-slim", None, None, {"bookworm", "slim"}, "krypton"),
    ("lts-krypton", None, None, {"krypton"}, "lts"),
    ("jod", None, None, set(), "jod"),
    ("bookworm-slim", None, None, {"bookworm", "slim"}, None),
    # golang
    ("1.27.0-nanoserver-ltsc2025", (1, 27, 0), None, {"nanoserver-ltsc2025"}, None),
    ("1-alpine", (1,), None, {"alpine"}, None),
    ("tip-20260815-trixie", (20260815, 0), None, {"trixie"}, "tip"),
    ("tip", None, None, set(), "tip"),
    # eclipse-temurin and openjdk (Java versions)
    ("21.0.5_11-jdk-noble", (21, 0, 5, 11), None, {"jdk", "noble"}, None),
    ("17.0.20_8-jre-ubi9-minimal", (17, 0, 20, 8), None, {"jre", "ubi9", "minimal"}, None),
    ("8u432-b06-jre-jammy", (8, 0, 432, 6), None, {"jre", "jammy"}, None),
    ("8u502-b07-jdk-alpine-3.24", (8, 0, 502, 7), None, {"jdk", "alpine3.24"}, None),
    ("8-jre-alpine-3.22", (8,), None, {"jre", "alpine3.22"}, None),
    ("21-jre-noble", (21,), None, {"jre", "noble"}, None),
    ("11.0.32_9-jdk-windowsservercore-ltsc2022", (11, 0, 32, 9), None, {"jdk", "windowsservercore-ltsc2022"}, None),
    ("8u502-b07-jre-nanoserver-ltsc2025", (8, 0, 502, 7), None, {"jre", "nanoserver-ltsc2025"}, None),
    ("17-jdk-slim", (17,), None, {"jdk", "slim"}, None),
    ("11.0.16-jre", (11, 0, 16), None, {"jre"}, None),
    ("8u322-nanoserver-1809", (8, 0, 322), None, {"nanoserver-1809"}, None),
    ("27-ea-34-jdk-windowsservercore-ltsc2022", (27,), "ea34", {"jdk", "windowsservercore-ltsc2022"}, None),
    ("19-rc-nanoserver-1809", (19,), "rc", {"nanoserver-1809"}, None),
    ("15.0-windowsservercore-1809", (15, 0), None, {"windowsservercore-1809"}, None),
    ("11.0.9.1-oracle", (11, 0, 9, 1), None, {"oracle"}, None),
    # php
    ("8.5.9-fpm-alpine3.24", (8, 5, 9), None, {"fpm", "alpine3.24"}, None),
    ("8.5.10RC1-cli-trixie", (8, 5, 10), "rc1", {"cli", "trixie"}, None),
    ("8.6.0beta1-zts-bookworm", (8, 6, 0), "beta1", {"zts", "bookworm"}, None),
    ("8.6-rc-apache", (8, 6), "rc", {"apache"}, None),
    ("fpm-alpine", None, None, {"fpm", "alpine"}, None),
    # nginx
    ("mainline", None, None, set(), "mainline"),
    ("stable-alpine3.24-perl", None, None, {"alpine3.24", "perl"}, "stable"),
    ("1.31.4-alpine-slim", (1, 31, 4), None, {"alpine", "slim"}, None),
    ("1.30-trixie-otel", (1, 30), None, {"trixie", "otel"}, None),
    # postgres
    ("19beta3-alpine3.24", (19,), "beta3", {"alpine3.24"}, None),
    ("18.6-bookworm", (18, 6), None, {"bookworm"}, None),
    # ruby, rust
    ("4.0.6-slim-bookworm", (4, 0, 6), None, {"slim", "bookworm"}, None),
    ("1.98.0-slim-bullseye", (1, 98, 0), None, {"slim", "bullseye"}, None),
    # ubuntu, debian, alpine
    ("24.04", (24, 4), None, set(), None),
    ("noble", None, None, {"noble"}, None),
    ("jammy-20260810", (20260810, 0), None, {"jammy"}, None),
    ("resolute-20260811.1", (20260811, 1), None, {"resolute"}, None),
    ("rolling", None, None, set(), "rolling"),
    ("bookworm-20260803-slim", (20260803, 0), None, {"bookworm", "slim"}, None),
    ("bookworm-backports", None, None, {"bookworm", "backports"}, None),
    ("oldstable-slim", None, None, {"slim"}, "oldstable"),
    ("12.15-slim", (12, 15), None, {"slim"}, None),
    ("20260805", (20260805, 0), None, set(), None),
    ("edge", None, None, set(), "edge"),
    ("3.24.1", (3, 24, 1), None, set(), None),
    # redis, busybox
    ("8.10.1-alpine3.23", (8, 10, 1), None, {"alpine3.23"}, None),
    ("1.37.0-musl", (1, 37, 0), None, {"musl"}, None),
    ("unstable-glibc", None, None, {"glibc"}, "unstable"),
    # traefik ("v" prefix), mariadb, haproxy, julia
    ("v3.7.11-nanoserver-ltsc2022", (3, 7, 11), None, {"nanoserver-ltsc2022"}, None),
    ("13.0-ubi-rc", (13, 0), "rc", {"ubi"}, None),
    ("3.5-dev5-alpine3.24", (3, 5), "dev5", {"alpine3.24"}, None),
    ("1.13.0-rc3-windowsservercore-ltsc2025", (1, 13, 0), "rc3", {"windowsservercore-ltsc2025"}, None),
    # tomcat, maven, sapmachine
    ("10.1.59-jre11-temurin-noble", (10, 1, 59), None, {"jre11", "temurin", "noble"}, None),
    ("4.0.0-rc-5-eclipse-temurin-17-noble", (4, 0, 0), "rc5", {"eclipse", "temurin", "17", "noble"}, None),
    ("17-jdk-ubuntu-24.04", (17,), None, {"jdk", "ubuntu24.04"}, None),
    # Docker Hardened Images
    ("3.12-dev", (3, 12), None, {"dev"}, None),
    ("0.4.11-debian13-dev", (0, 4, 11), None, {"debian13", "dev"}, None),
]


@pytest.mark.parametrize(("tag", "version", "prerelease", "suffix", "channel"), PARSE_CASES)
def test_parse_tag(
    tag: str,
    version: tuple[int, ...] | None,
    prerelease: str | None,
    suffix: set[str],
    channel: str | None,
) -> None:
    parsed = parse_tag(tag)
    assert parsed.raw == tag
    assert parsed.version == version
    assert parsed.prerelease == prerelease
    assert parsed.suffix == frozenset(suffix)
    assert parsed.channel == channel
    assert parsed.precision == (len(version) if version else 0)
    assert parsed.is_versioned is (version is not None)
    assert parsed.is_prerelease is (prerelease is not None)
    assert parsed.is_dated is (version is not None and version[0] > 19000000)


def test_parse_tag_has_at_least_forty_real_spellings() -> None:
    assert len(PARSE_CASES) >= 40


def test_v_prefix_is_kept_apart() -> None:
    assert parse_tag("v3.7").prefix == "v"
    assert parse_tag("3.7").prefix == ""
    assert not same_line("v3.7", "3.7")


def test_parsed_tag_is_frozen() -> None:
    parsed = parse_tag("3.12")
    with pytest.raises(AttributeError):
        parsed.raw = "3.13"  # type: ignore[misc]


def test_empty_tag_is_rejected() -> None:
    with pytest.raises(ValueError):
        parse_tag("")


@pytest.mark.parametrize("tag", ["-", "3.12.", "3x", "--slim", "V3.7", "a-b-c-d-e-f", "1.2.3.4.5.6.7.8.9.10"])
def test_parse_tag_never_fails_on_odd_input(tag: str) -> None:
    assert parse_tag(tag).raw == tag


# --------------------------------------------------------------------------------------
# Classified views
# --------------------------------------------------------------------------------------

CLASSIFY_CASES: list[
    tuple[str, str | None, str | None, str | None, str | None, str | None, set[str]]
] = [
    # tag, distro, distro_version, distro_family, libc, windows, variants
    ("3.12-slim-bookworm", "bookworm", "12", "debian", "glibc", None, {"slim"}),
    ("22-bookworm-slim", "bookworm", "12", "debian", "glibc", None, {"slim"}),
    ("3.14-alpine3.24", "alpine", "3.24", "alpine", "musl", None, set()),
    ("8-jre-alpine-3.22", "alpine", "3.22", "alpine", "musl", None, {"jre"}),
    ("alpine", "alpine", None, "alpine", "musl", None, set()),
    ("21-jre-noble", "noble", "24.04", "ubuntu", "glibc", None, {"jre"}),
    ("8u432-b06-jre-jammy", "jammy", "22.04", "ubuntu", "glibc", None, {"jre"}),
    ("17.0.20_8-jre-ubi9-minimal", "ubi", "9", "ubi", "glibc", None, {"jre", "minimal"}),
    ("26-ubi10-minimal", "ubi", "10", "ubi", "glibc", None, {"minimal"}),
    ("9.7-oraclelinux9", "oraclelinux", "9", "oraclelinux", "glibc", None, set()),
    ("8-oracle", "oraclelinux", None, "oraclelinux", "glibc", None, set()),
    ("3-amazoncorretto-21-al2023", "amazonlinux", "2023", "amazonlinux", "glibc", None, set()),
    ("3-amazoncorretto-25-debian-trixie", "trixie", "13", "debian", "glibc", None, set()),
    ("0.4.11-debian13-dev", "debian", "13", "debian", "glibc", None, {"dev"}),
    ("1.98.0-slim-bullseye", "bullseye", "11", "debian", "glibc", None, {"slim"}),
    ("sid-slim", "sid", None, "debian", "glibc", None, {"slim"}),
    ("3.14-windowsservercore-ltsc2022", None, None, None, None, "windowsservercore-ltsc2022", set()),
    ("1.27-nanoserver-ltsc2025", None, None, None, None, "nanoserver-ltsc2025", set()),
    ("windowsservercore-1809", None, None, None, None, "windowsservercore-1809", set()),
    ("3.14-windowsservercore", None, None, None, None, "windowsservercore", set()),
    ("8.5.9-fpm-alpine3.24", "alpine", "3.24", "alpine", "musl", None, {"fpm"}),
    ("8.5-apache-trixie", "trixie", "13", "debian", "glibc", None, {"apache"}),
    ("8-zts", None, None, None, None, None, {"zts"}),
    ("8.5-cli", None, None, None, None, None, {"cli"}),
    ("1.37-musl", None, None, None, "musl", None, set()),
    ("1.37-glibc", None, None, None, "glibc", None, set()),
    ("3.12", None, None, None, None, None, set()),
    ("3.12-slim", None, None, None, None, None, {"slim"}),
    ("10-jdk21-temurin-jammy", "jammy", "22.04", "ubuntu", "glibc", None, {"jdk21"}),
    ("mainline-alpine3.24-perl", "alpine", "3.24", "alpine", "musl", None, {"perl"}),
]


@pytest.mark.parametrize(
    ("tag", "distro", "distro_version", "family", "libc", "windows", "variants"), CLASSIFY_CASES
)
def test_classified_views(
    tag: str,
    distro: str | None,
    distro_version: str | None,
    family: str | None,
    libc: str | None,
    windows: str | None,
    variants: set[str],
) -> None:
    parsed = parse_tag(tag)
    assert parsed.distro == distro
    assert parsed.distro_version == distro_version
    assert parsed.distro_family == family
    assert parsed.libc == libc
    assert parsed.windows == windows
    assert parsed.variants == frozenset(variants)


@pytest.mark.parametrize(
    ("tag", "codename"),
    [("krypton-alpine", "krypton"), ("lts-krypton", "krypton"), ("jod", "jod"), ("24-alpine", None), ("lts", None)],
)
def test_node_codename(tag: str, codename: str | None) -> None:
    assert parse_tag(tag).codename == codename


def test_extras_hold_unclassified_tokens() -> None:
    assert parse_tag("3-amazoncorretto-21-alpine").extras == frozenset({"amazoncorretto", "21"})
    assert parse_tag("3.12-slim-bookworm").extras == frozenset()


def test_dash_and_glued_alpine_spellings_normalize_alike() -> None:
    assert parse_tag("8-jdk-alpine-3.24").suffix == parse_tag("8-jdk-alpine3.24").suffix


# --------------------------------------------------------------------------------------
# Lines
# --------------------------------------------------------------------------------------

SAME_LINE_CASES: list[tuple[str, str, bool]] = [
    ("3.12-slim-bookworm", "3.13-slim-bookworm", True),
    ("3.12-slim-bookworm", "3.12-bookworm-slim", True),  # token order does not matter
    ("22-bookworm-slim", "24-slim-bookworm", True),
    ("3.12-slim", "3.12.7-slim", False),  # precision differs
    ("3.12-slim", "3.13-slim-bookworm", False),  # suffix differs
    ("3.12", "latest", False),  # versioned vs versionless
    ("3.14-alpine3.23", "3.14-alpine3.24", False),
    ("3.14.7-slim", "3.15.0rc1-slim", True),  # a prerelease is on its release's line
    ("21.0.5_11-jdk-noble", "21.0.12_8-jdk-noble", True),
    ("8u432-b06-jre-jammy", "8u502-b07-jre-jammy", True),
    ("8u502-b07-jdk-alpine-3.24", "8u492-b09-jdk-alpine3.24", True),
    ("21.0.5_11-jdk-noble", "21-jdk-noble", False),
    ("lts-alpine", "current-alpine", False),  # channels differ
    ("alpine", "alpine", True),
    ("bookworm-20260803-slim", "bookworm-20260901-slim", True),
    ("v2.11", "2.11", False),
    ("jammy-20260810", "jammy-20250101.1", True),  # dates: (yyyymmdd, serial)
    ("20260805", "3.24", False),  # alpine: a date stamp is not a release number
    ("20260805", "3", False),
]


@pytest.mark.parametrize(("a", "b", "expected"), SAME_LINE_CASES)
def test_same_line(a: str, b: str, expected: bool) -> None:
    assert (line_key(parse_tag(a)) == line_key(parse_tag(b))) is expected
    assert same_line(a, b) is expected


# --------------------------------------------------------------------------------------
# Ordering
# --------------------------------------------------------------------------------------

ORDER_CASES: list[list[str]] = [
    ["3.9", "3.10", "3.11", "3.12", "3.13", "3.14"],
    ["3.15.0a1", "3.15.0b2", "3.15.0rc1", "3.15.0", "3.15.1"],
    ["8.5.9", "8.5.10RC1", "8.5.10"],
    ["19beta3", "19"],
    ["3.5-dev5", "3.5"],
    ["8u432-b06-jre", "8u502-b06-jre", "8u502-b07-jre"],
    ["21.0.5_11-jdk", "21.0.5_12-jdk", "21.0.12_8-jdk"],
    ["1.9", "1.10", "1.27.0"],
    ["jammy-20260101", "jammy-20260810"],
    ["latest", "3.12"],
]


@pytest.mark.parametrize("ordered", ORDER_CASES)
def test_version_key_orders(ordered: list[str]) -> None:
    shuffled = list(reversed(ordered))
    random.Random(7).shuffle(shuffled)
    assert sorted(shuffled, key=lambda t: version_key(parse_tag(t))) == ordered


@pytest.mark.parametrize(
    ("tag", "expected"),
    [
        ("3.15.0rc1", True),
        ("3.15-rc", True),
        ("3.15-rc-slim-trixie", True),
        ("19beta3", True),
        ("27-ea-34", True),
        ("8.5.10RC1-cli", True),
        ("3.5-dev5", True),
        ("3.12-dev", False),  # a variant, not a prerelease
        ("3.14.7", False),
        ("8u502-b07-jdk", False),  # b07 is a Java build, not a beta
        ("latest", False),
        ("rc-buggy", False),  # versionless: rc is a channel
    ],
)
def test_is_prerelease(tag: str, expected: bool) -> None:
    assert is_prerelease(tag) is expected
    assert is_prerelease(parse_tag(tag)) is expected


PYTHON_SERIES = [
    "3.10", "3.11", "3.12", "3.13", "3.14", "3.15-rc",
    "3.12-slim", "3.13-slim", "3.14-slim", "3.12.14", "3.14.7", "latest",
]  # fmt: skip

NEWER_CASES: list[tuple[str, list[str], list[str]]] = [
    ("3.12", PYTHON_SERIES, ["3.13", "3.14"]),
    ("3.12-slim", PYTHON_SERIES, ["3.13-slim", "3.14-slim"]),
    ("3.14", PYTHON_SERIES, []),
    ("3.12.14", PYTHON_SERIES, ["3.14.7"]),
    ("3.8", PYTHON_SERIES, ["3.10", "3.11", "3.12", "3.13", "3.14"]),  # need not exist
    ("latest", PYTHON_SERIES, []),
    ("3.14-rc", ["3.14", "3.15-rc", "3.13"], ["3.14", "3.15-rc"]),  # a prerelease sees rcs
    ("22-bookworm-slim", ["20-bookworm-slim", "24-bookworm-slim", "24-slim-bookworm", "24-slim"], ["24-bookworm-slim", "24-slim-bookworm"]),
    ("8u432-b06-jre-jammy", ["8u502-b07-jre-jammy", "8u502-b07-jre-noble", "8-jre-jammy"], ["8u502-b07-jre-jammy"]),
    ("3", ["3", "3.24", "20260805", "edge", "latest"], []),  # alpine
    ("20250101", ["3", "3.24", "20260805", "edge", "latest"], ["20260805"]),
    ("noble-20250101", ["noble-20260810", "noble", "jammy-20260810", "24.04"], ["noble-20260810"]),
]  # fmt: skip


@pytest.mark.parametrize(("tag", "existing", "expected"), NEWER_CASES)
def test_newer_in_line(tag: str, existing: list[str], expected: list[str]) -> None:
    assert newer_in_line(tag, existing) == expected


def test_newer_in_line_prerelease_switch() -> None:
    assert newer_in_line("3.14", PYTHON_SERIES, include_prereleases=True) == ["3.15-rc"]
    assert newer_in_line("3.14-rc", ["3.15-rc", "3.14"], include_prereleases=False) == ["3.14"]


def test_newer_in_line_accepts_parsed_tag() -> None:
    assert newer_in_line(parse_tag("3.12"), PYTHON_SERIES) == ["3.13", "3.14"]


# --------------------------------------------------------------------------------------
# closest_tags
# --------------------------------------------------------------------------------------

PYTHON_SMALL = ["3.14", "3.13", "3.12", "3.12-slim", "3.14-slim", "3.13.1", "latest"]

PYTHON_TAGS = [
    "3.14", "3.13", "3.12", "3.11", "3.10", "3", "latest",
    "3.14-slim", "3.13-slim", "3.12-slim", "3.11-slim", "3.10-slim", "3.9-slim", "slim",
    "3.14.7", "3.13.15", "3.12.14",
    "3.12-slim-bookworm", "3.12-slim-trixie", "3.13-slim-bookworm", "3.11-slim-bookworm",
    "3.12.14-slim-bookworm", "3.12-bookworm", "3.12-alpine3.24", "3.12-alpine3.23",
    "slim-bookworm", "bookworm", "alpine", "alpine3.24",
]  # fmt: skip

NODE_TAGS = [
    "24-alpine", "24-alpine3.22", "22-alpine3.22", "22-alpine3.21", "20-alpine",
    "22-bookworm", "22-bookworm-slim", "22", "22.23-alpine3.22", "lts-alpine", "alpine",
    "jod-alpine3.22", "lts", "current",
]  # fmt: skip

TEMURIN_TAGS = [
    "21-jdk-noble", "21-jre-noble", "21-jdk-jammy", "21-jdk-alpine-3.24", "21.0.12_8-jdk-noble",
    "17-jdk-noble", "17-jre-noble", "17-jdk-alpine-3.24", "17.0.20_8-jdk-noble", "17-jdk",
    "8u502-b07-jre-jammy", "8u502-b07-jre-noble", "8-jre-jammy", "11.0.32_9-jre-jammy",
]  # fmt: skip

CLOSEST_CASES: list[tuple[str, list[str], list[str]]] = [
    # wanted, existing, expected prefix of the answer
    ("3.99", PYTHON_SMALL, ["3.14", "3.13", "3.12", "3.13.1"]),
    ("3.12-slimm", PYTHON_TAGS, ["3.12-slim", "3.13-slim", "3.11-slim"]),
    ("3.12-slim-bookwarm", PYTHON_TAGS, ["3.12-slim-bookworm", "3.12-slim-trixie"]),
    ("3.12-bookworm-slim", PYTHON_TAGS, ["3.12-slim-bookworm"]),  # node's word order
    ("3.12-slim-buster", PYTHON_TAGS, ["3.12-slim-trixie", "3.12-slim-bookworm"]),
    ("3.8-slim", PYTHON_TAGS, ["3.9-slim", "3.10-slim", "3.11-slim"]),
    ("3.8", PYTHON_TAGS, ["3.10", "3.11", "3.12"]),
    ("3.12.99", PYTHON_TAGS, ["3.12.14", "3.12", "3.13.15", "3.14.7"]),
    ("3.12", ["3.12.14", "3.13", "3.11"], ["3.12.14", "3.13", "3.11"]),  # a release of the series
    ("3.12-alpine", PYTHON_TAGS, ["3.12-alpine3.24", "3.12-alpine3.23"]),
    ("3.12-alpine3.19", PYTHON_TAGS, ["3.12-alpine3.24", "3.12-alpine3.23"]),
    ("alpne", PYTHON_TAGS, ["alpine"]),
    ("slim-bookwrom", PYTHON_TAGS, ["slim-bookworm"]),
    ("bookworm-slim", PYTHON_TAGS, ["slim-bookworm"]),
    ("22-alpine", NODE_TAGS, ["22-alpine3.22", "22-alpine3.21", "22.23-alpine3.22", "24-alpine", "20-alpine"]),
    ("22-alpine3.19", NODE_TAGS, ["22-alpine3.22", "22-alpine3.21"]),
    ("lts-alpne", NODE_TAGS, ["lts-alpine"]),
    ("mainline", ["stable", "mainlin", "1.31"], ["mainlin"]),
    ("17-jdk-slim", TEMURIN_TAGS, ["17-jdk"]),
    ("8u432-b06-jre-jammy", TEMURIN_TAGS, ["8u502-b07-jre-jammy", "8u502-b07-jre-noble", "8-jre-jammy", "11.0.32_9-jre-jammy"]),
    ("21.0.5_11-jdk-noble", TEMURIN_TAGS, ["21.0.12_8-jdk-noble", "21-jdk-noble", "21-jdk-jammy", "17.0.20_8-jdk-noble"]),
    ("11-jdk-noble", TEMURIN_TAGS, ["17-jdk-noble", "21-jdk-noble"]),
    ("21-jdk-alpine", TEMURIN_TAGS, ["21-jdk-alpine-3.24"]),
    ("latest", ["3.14", "3.13", "3", "3-slim", "3.14-slim"], ["3", "3.14", "3.13"]),
    ("3.15", ["3.15-rc", "3.14", "3.13"], ["3.15-rc", "3.14"]),
    ("3.99", ["3.15-rc", "3.14", "3.13"], ["3.14", "3.13", "3.15-rc"]),  # stable first
    ("3.12-windowsservercore-1809", ["3.12-windowsservercore-ltsc2022", "3.12-nanoserver-ltsc2022", "3.12"], ["3.12-windowsservercore-ltsc2022"]),
    ("jammy-20250101", ["jammy-20260810", "jammy", "noble-20260810", "22.04"], ["jammy-20260810"]),
]  # fmt: skip


@pytest.mark.parametrize(("wanted", "existing", "expected"), CLOSEST_CASES)
def test_closest_tags(wanted: str, existing: list[str], expected: list[str]) -> None:
    answer = closest_tags(wanted, existing, limit=len(expected))
    assert answer == expected


@pytest.mark.parametrize(("wanted", "existing", "_expected"), CLOSEST_CASES)
def test_closest_tags_is_deterministic(wanted: str, existing: list[str], _expected: list[str]) -> None:
    reference = closest_tags(wanted, existing, limit=10)
    for seed in range(5):
        shuffled = list(existing) + list(existing)  # duplicates do not matter either
        random.Random(seed).shuffle(shuffled)
        assert closest_tags(wanted, iter(shuffled), limit=10) == reference


@pytest.mark.parametrize("wanted", ["3.12", "alpine", "3.12-slim", "latest"])
def test_closest_tags_never_returns_wanted(wanted: str) -> None:
    answer = closest_tags(wanted, PYTHON_TAGS, limit=100)
    assert wanted not in answer
    assert sorted(answer) == sorted(set(PYTHON_TAGS) - {wanted})


def test_closest_tags_limits() -> None:
    assert len(closest_tags("3.99", PYTHON_TAGS)) == 5
    assert closest_tags("3.99", PYTHON_TAGS, limit=0) == []
    assert closest_tags("3.99", [], limit=5) == []
    assert closest_tags("3.99", ["3.99"], limit=5) == []


def test_closest_tags_prefers_the_series_over_an_old_pin() -> None:
    # a patch that never existed: the nearest patch of the same series, then the series tag
    assert closest_tags("3.12.99-slim", ["3.12-slim", "3.11.9-slim", "3.12.14-slim"], 3) == [
        "3.12.14-slim",
        "3.12-slim",
        "3.11.9-slim",
    ]
    assert closest_tags("3.12.99-slim", ["3.12-slim", "3.13-slim"], 1) == ["3.12-slim"]


def test_parsed_tag_equality() -> None:
    assert parse_tag("3.12-slim") == ParsedTag(raw="3.12-slim", version=(3, 12), suffix=frozenset({"slim"}))


def test_docstring_examples_hold() -> None:
    import doctest

    from hub_mcp.vocab import tags

    result = doctest.testmod(tags)
    assert result.attempted > 10
    assert result.failed == 0


# --- not for production: the words maintainers use, on their own files ------------------------

_LIBRARY = Path(__file__).resolve().parents[2].parent / "shared" / "data" / "official-images" / "library"


@pytest.mark.skipif(not _LIBRARY.exists() and os.environ.get("CI") != "true", reason=f"{_LIBRARY} is not present")
def test_non_production_agrees_with_the_breadth_benchmarks_reading_of_every_library_file() -> None:
    """Over every current tag of every official image, ``non_production`` agrees with the breadth
    benchmark's own regex (benchmarks/advisor_breadth.py ``is_non_production``, written apart)."""
    from benchmarks.advisor_breadth import is_non_production

    if not _LIBRARY.exists():
        pytest.fail(f"{_LIBRARY} is missing: CI lays ../shared beside the clone.", pytrace=False)
    tags = {
        tag.strip()
        for path in _LIBRARY.iterdir()
        for line in path.read_text(encoding="utf-8").splitlines()
        if line.startswith(("Tags:", "SharedTags:"))
        for tag in line.partition(":")[2].split(",")
        if tag.strip()
    }
    assert len(tags) > 8000
    disagree = sorted(t for t in tags if bool(non_production(t)) != is_non_production(t))
    assert not disagree, disagree[:20]
    marked = {t for t in tags if non_production(t)}
    assert {"edge", "rawhide", "3.5-dev", "11.0.0-M1", "10-kitten", "3.14.0-95.2.beta"} & tags <= marked
    assert not {"latest", "lts", "stable", "rolling", "mainline", "3.2.55-tp3"} & marked


@pytest.mark.parametrize(
    ("tag", "version", "channel", "suffix"),
    [
        ("open-21-jdk-noble", (21,), "open", {"jdk", "noble"}),
        ("open-jdk-25.0.4.0-jre-noble", (25, 0, 4, 0), "open-jdk", {"jre", "noble"}),
        ("ce-8.1.2.4_1", (8, 1, 2, 4, 1), "ce", set()),
        ("enterprise-8.0.2", (8, 0, 2), "enterprise", set()),
        ("base-20260816.0.574111", None, "base", {"20260816.0.574111"}),  # a build stamp, never a version
        ("kernel-slim-java17-openj9", None, "kernel", {"slim", "java17", "openj9"}),
        ("v1.19-debian-1", (1, 19), None, {"debian", "1"}),  # fluentd's revision is no Debian release
        ("3.14-alpine-3.22", (3, 14), None, {"alpine3.22"}),
    ],
)
def test_editions_before_the_version_and_distro_releases(
    tag: str, version: tuple[int, ...] | None, channel: str | None, suffix: set[str]
) -> None:
    parsed = parse_tag(tag)
    assert (parsed.version, parsed.channel, set(parsed.suffix)) == (version, channel, suffix)


@pytest.mark.parametrize(
    ("tag", "aliases", "expected"),
    [
        ("lts-oracle", ["9.7.2-oracle", "9.7-oracle", "9-oracle", "9.7.2", "lts"], "9.7-oracle"),
        ("latest", ["3.14.0", "3.14", "3", "3.14.0-trixie", "trixie"], "3.14"),
        ("3", ["3.14.0", "3.14", "latest"], "3.14"),
        ("fpm-alpine", ["8.5.1-fpm-alpine", "8.5-fpm-alpine3.22"], "8.5-fpm-alpine"),
        ("lts", ["24.11.1", "24", "krypton"], "24.11"),
        ("3", ["2.7.18"], None),  # another major is not this tag's line
        ("3.12", ["3.12.14"], None),  # the tag names its line itself
        ("latest", ["3.15.0rc1", "trixie"], None),  # no production versioned alias
        ("latest", [], None),
    ],
)
def test_line_alias_names_the_line_a_channel_stands_on(tag: str, aliases: list[str], expected: str | None) -> None:
    from hub_mcp.vocab.tags import line_alias

    assert line_alias(tag, aliases) == expected
