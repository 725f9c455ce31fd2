"""Version orders (dpkg checked against ``dpkg --compare-versions`` itself) and severity readings."""

from __future__ import annotations

import shutil
import subprocess

import pytest

from hub_mcp.vulnerabilities.severity import Vector, band, rate, read_word, score_vector
from hub_mcp.vulnerabilities.versions import apk_compare, comparer, dpkg_compare, semver_compare

DPKG_PAIRS = [
    ("3.0.11-1~deb12u1", "3.0.11-1~deb12u2"),
    ("3.0.11-1~deb12u2", "3.0.11-1"),  # ~ sorts before the end
    ("1.3", "1:1.2.13.dfsg-1"),  # the epoch wins
    ("2.36-9+deb12u3", "2.36-9+deb12u14"),  # numbers, not text
    ("5.2.15-2", "5.2.15-2+b8"),
    ("7.88.1-10+deb12u4", "7.88.1-10+deb12u5"),
    ("1.0~rc1", "1.0"),
    ("1.0a", "1.0+"),
    ("2:9.0.1378-2", "2:9.0.1378-2"),
]


@pytest.mark.parametrize(("low", "high"), DPKG_PAIRS)
def test_dpkg_order(low: str, high: str) -> None:
    expected = 0 if low == high else -1
    assert dpkg_compare(low, high) == expected
    assert dpkg_compare(high, low) == -expected


def test_dpkg_order_agrees_with_dpkg_itself() -> None:
    if shutil.which("dpkg") is None:  # the machine and CI are Debian; elsewhere the table above still runs
        pytest.fail("dpkg is not installed: this test checks the order against it")
    for low, high in DPKG_PAIRS:
        for a, b in ((low, high), (high, low)):
            ours = dpkg_compare(a, b)
            assert ours is not None
            relation = {-1: "lt", 0: "eq", 1: "gt"}[ours]
            assert subprocess.run(["dpkg", "--compare-versions", a, relation, b], check=False).returncode == 0, (a, b)


def test_apk_order() -> None:
    assert apk_compare("3.3.1-r3", "3.3.2-r0") == -1
    assert apk_compare("3.3.2-r0", "3.3.2-r1") == -1
    assert apk_compare("1.2.3_rc1-r0", "1.2.3-r0") == -1  # a pre-release before the release
    assert apk_compare("1.2.3_p1-r0", "1.2.3-r0") == 1  # a patch level after it
    assert apk_compare("1.36.1-r29", "1.36.1-r29") == 0
    assert apk_compare("1.2a-r0", "1.2-r0") == 1
    assert apk_compare("not a version", "1.0-r0") is None


def test_semver_order() -> None:
    assert semver_compare("6.3.0", "6.3.1") == -1
    assert semver_compare("1.0.0-alpha", "1.0.0") == -1
    assert semver_compare("1.0.0-alpha.1", "1.0.0-alpha.beta") == -1  # numeric before alphanumeric
    assert semver_compare("v0.17.0", "0.17.0") == 0
    assert semver_compare("1.0.0+build.5", "1.0.0") == 0
    assert semver_compare("3.1.2", "3.1") is None  # PyPI-style versions are not SemVer: not compared


def test_ecosystems_without_an_order_here_are_not_compared() -> None:
    assert comparer("Debian:12", "ECOSYSTEM") is dpkg_compare
    assert comparer("Alpine:v3.20", "ECOSYSTEM") is apk_compare
    assert comparer("npm", "SEMVER") is semver_compare
    assert comparer("PyPI", "ECOSYSTEM") is None
    assert comparer("AlmaLinux:9", "ECOSYSTEM") is None
    assert comparer("Debian:12", "GIT") is None


# --- severity -------------------------------------------------------------------------------------------


def test_cvss_v3_vectors_score_into_firsts_bands() -> None:
    high = score_vector(Vector("CVSS_V3", "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:N/A:N"))
    critical = score_vector(Vector("CVSS_V3", "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H"))
    medium = score_vector(Vector("CVSS_V3", "CVSS:3.1/AV:N/AC:L/PR:N/UI:R/S:U/C:L/I:L/A:N"))
    none = score_vector(Vector("CVSS_V3", "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:N/I:N/A:N"))
    assert high is not None and (high.level, high.score) == ("high", 7.5)
    assert critical is not None and (critical.level, critical.score) == ("critical", 9.8)
    assert medium is not None and (medium.level, medium.score) == ("medium", 5.4)
    assert none is not None and none.level == "none"


def test_cvss_v4_vectors_score_too_and_win_over_v3() -> None:
    v4 = Vector("CVSS_V4", "CVSS:4.0/AV:N/AC:L/AT:N/PR:H/UI:N/VC:L/VI:L/VA:N/SC:N/SI:N/SA:N")  # osv-schema's example
    rating = score_vector(v4)
    assert rating is not None and rating.source == "CVSS_V4 vector" and rating.level == band(rating.score or 0)
    both = rate([Vector("CVSS_V3", "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H"), v4])
    assert both.source == "CVSS_V4 vector" and both.score == rating.score


def test_bands_edges() -> None:
    assert [band(s) for s in (0.0, 0.1, 3.9, 4.0, 6.9, 7.0, 8.9, 9.0, 10.0)] == [
        "none", "low", "low", "medium", "medium", "high", "high", "critical", "critical"
    ]


def test_words_when_no_vector_reads() -> None:
    assert rate([Vector("CVSS_V3", "garbage")], [("database severity word", "MODERATE")]).level == "medium"
    assert rate([], [("database severity word", "CRITICAL")]).level == "critical"
    assert rate([], [("Debian urgency", "unimportant")]).level == "low"
    assert rate([], [("Debian urgency", "medium**")]).level == "medium"
    assert rate([], [("Debian urgency", "not yet assigned")]).level == "unknown"
    assert rate([Vector("Ubuntu", "negligible")]).level == "low"
    assert rate([]).level == "unknown"
    assert read_word(7, "x") is None


def test_a_vector_beats_a_word() -> None:
    critical = Vector("CVSS_V3", "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H")
    rating = rate([critical], [("Debian urgency", "unimportant")])
    assert (rating.level, rating.source) == ("critical", "CVSS_V3 vector")
