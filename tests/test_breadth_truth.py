"""The breadth benchmark's ground truth (benchmarks/advisor_breadth.py) on real library files.

The rules are read from the maintainers' own files in ../shared/data/official-images/library
(commit 37079fb); these tests show that they hold there. They never call the advisor, and the
module under test imports nothing from hub_mcp for its ground truth. Skipped without
../shared/data, except in CI (CI=true), where the data must be there.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest

from benchmarks.advisor_breadth import (
    Truth,
    coarser,
    is_non_production,
    successors,
    truth_from_library,
    version_pieces,
)

SHARED_DATA = Path(__file__).resolve().parents[2] / "shared" / "data"
LIBRARY = SHARED_DATA / "official-images" / "library"
IN_CI = os.environ.get("CI") == "true"  # CI has ../shared beside the clone: there these checks must run

pytestmark = pytest.mark.skipif(not LIBRARY.exists() and not IN_CI, reason=f"{LIBRARY} is not present")


def shared_file(path: Path) -> Path:
    """``path`` under ../shared/data; in CI (where it must be there) a missing file fails in one line."""
    if not path.exists():
        pytest.fail(f"{path} is missing: run the tests from a checkout with ../shared/data beside it.", pytrace=False)
    return path


def truth(image: str) -> Truth:
    return truth_from_library(image, shared_file(LIBRARY / image).read_text(encoding="utf-8"))


def current(t: Truth, tag: str) -> str:
    assert tag in t.by_tag, f"{t.image}:{tag} is not in the library file any more: pick another example"
    return tag


def test_python_latest_line_and_its_variants() -> None:
    t = truth("python")
    assert t.channel_source == "latest"
    latest = next(e for e in t.channel if "latest" in e.tags)
    line = next(v for v in latest.versions if v.count(".") == 1)  # 3.14 at 37079fb
    assert t.on_line(current(t, f"{line}-slim"))
    assert t.on_line(current(t, f"{line}-alpine"))
    older = f"3.{int(line.split('.')[1]) - 1}-slim"
    assert not t.on_line(current(t, older))
    assert t.off_line_kind(older) == "older line"
    prerelease = next(tag for tag in t.by_tag if re.match(r"3\.\d+\.\d+(a|b|rc)\d", tag))  # 3.15.0rc1 at 37079fb
    assert t.non_production(prerelease)
    patch = next(v for v in latest.versions if v.count(".") == 2)
    assert t.full_pin_ahead_of_moving(current(t, f"{patch}-slim")) is True
    assert t.full_pin_ahead_of_moving(f"{line}-slim") is False


def test_node_lts_and_latest_both_count() -> None:
    t = truth("node")
    assert t.channel_source == "lts, latest"
    lts = next(e for e in t.channel if "lts" in e.tags)
    newest = next(e for e in t.channel if "latest" in e.tags)
    lts_major = min((v for v in lts.versions if "." not in v), key=len)
    latest_major = min((v for v in newest.versions if "." not in v), key=len)
    assert lts_major != latest_major
    for major in (lts_major, latest_major):
        assert t.on_line(current(t, f"{major}-alpine"))
    older = next(
        tag for tag in t.by_tag
        if tag.split("-")[0].isdigit() and int(tag.split("-")[0]) < int(lts_major)
    )  # fmt: skip
    assert not t.on_line(older)


def test_busybox_latest_is_unstable_so_the_newest_production_line_counts() -> None:
    t = truth("busybox")
    assert t.non_production(current(t, "latest"))  # 1.38.0, 1.38, 1, unstable, latest
    assert t.channel_source.startswith("newest production line")
    assert all(not e.non_production for e in t.channel)
    assert t.on_line(current(t, "1.37-glibc")) and t.on_line(current(t, "1.37.0"))
    assert not t.on_line("1.38.0") and t.non_production("1.38-musl")
    assert t.full_pin_ahead_of_moving("1.37.0") is True and t.full_pin_ahead_of_moving("1.37") is False


def test_buildpack_deps_lines_without_version_pieces() -> None:
    t = truth("buildpack-deps")
    assert t.channel_versions == frozenset()
    assert t.on_line(current(t, "trixie-scm")) and t.on_line(current(t, "curl"))
    assert not t.on_line(current(t, "bookworm-scm"))
    assert not t.on_line(current(t, "oldstable-curl"))  # starts with "oldstable-", not "stable-"
    ubuntu = next(tag for tag in t.by_tag if tag.endswith("-scm") and version_pieces(tag))
    assert not t.on_line(ubuntu)  # an Ubuntu line (24.04-scm, 26.10-scm) is not Debian's latest
    assert t.non_production(current(t, "sid-curl")) and t.non_production(current(t, "testing"))
    assert not t.non_production("stable-scm")


def test_mysql_lts_and_innovation_latest_but_not_8_4() -> None:
    t = truth("mysql")
    assert t.on_line(current(t, "lts")) and t.on_line(current(t, "latest"))
    assert t.on_line(current(t, "oracle"))
    assert not t.on_line(current(t, "8.4"))
    assert t.off_line_kind("8.4") == "older line"
    pin = next(tag for tag in t.by_tag if tag.count(".") == 2 and "lts" in t.by_tag[tag][0].tags)
    assert t.full_pin_ahead_of_moving(pin) is True


def test_couchbase_an_older_patch_is_off_the_line() -> None:
    t = truth("couchbase")
    latest = t.entries_of(current(t, "latest"))[0]
    version = next(v for v in latest.versions)  # 8.0.2 at 37079fb
    assert t.on_line(current(t, f"community-{version}"))  # same release, community edition
    major, minor, patch = version.split(".")
    older = f"{major}.{minor}.{int(patch) - 1}"
    assert not t.on_line(current(t, older))
    assert t.off_line_kind(older) == "older patch"
    assert not t.on_line(current(t, f"enterprise-{older}"))  # versioned: the tag-prefix rule does not apply


@pytest.mark.parametrize(
    ("tag", "expected"),
    [
        ("3.15.0a1-slim", True), ("1.26rc1-trixie", True), ("8.5.0RC4-cli", True), ("6.0-alpha2", True),
        ("26-ea-jdk", True), ("11.0.0-M26-jre21", True), ("base-devel", True), ("unstable-glibc", True),
        ("2026.08-dev-fpm", True), ("5.0.0-beta.5-apache", True), ("edge", True), ("10-kitten", True),
        ("3.14.7-slim", False), ("stable-scm", False), ("24-bookworm", False), ("2026.4.1-developer", False),
        ("3.2.55-tp3", False), ("headless", False), ("multilib", False), ("mainline", False),
    ],
)  # fmt: skip
def test_non_production_words(tag: str, expected: bool) -> None:
    assert is_non_production(tag) is expected


def test_version_pieces_skip_date_stamps() -> None:
    assert version_pieces("trixie-20260803-slim") == frozenset()
    assert version_pieces("resolute-20260811.1") == frozenset()
    assert version_pieces("3.14.7-slim-trixie") == {"3.14.7"}
    assert coarser("3.11-slim", "3.11-7.3.23-slim") and not coarser("3.13-slim", "3.14.7-slim")


def test_successors_from_readme_notices() -> None:
    gz = shared_file(SHARED_DATA / "official-images-docs" / "hub-docs.jsonl.gz")
    import gzip
    import json

    readmes = {}
    with gzip.open(gz, "rt", encoding="utf-8") as handle:
        for line in handle:
            row = json.loads(line)
            readmes[row["repository"]] = row.get("full_description") or ""
    assert "eclipse-temurin" in successors(readmes["openjdk"])
    assert successors(readmes["emqx"]) == ["emqx/emqx", "emqx/emqx-enterprise"]
    assert successors(readmes["python"]) == []
    assert successors(readmes["clefos"]) == []


def test_full_pins_and_moving_tags_in_real_entries() -> None:
    pypy = truth("pypy")
    pin = next(tag for tag in pypy.by_tag if re.fullmatch(r"3\.\d+-\d+\.\d+\.\d+-slim-trixie", tag))
    moving = "-".join(pin.split("-")[:1] + ["slim", "trixie"])  # 3.11-slim-trixie: the python line, rebuilt
    assert pypy.full_pin_ahead_of_moving(pin) is True
    assert pypy.full_pin_ahead_of_moving(current(pypy, moving)) is False
    debian = truth("debian")
    dated = next(tag for tag in debian.by_tag if re.fullmatch(r"trixie-\d{8}", tag))
    assert debian.full_pin_ahead_of_moving(dated) is True
    assert debian.full_pin_ahead_of_moving("trixie") is False
    tomee = truth("tomee")  # 10.1-* tags sit in the 10.2.0 entries: a moving alias, never a pin
    alias = next(
        tag
        for tag in tomee.by_tag
        if tag.startswith("10.1-") and any(t.startswith("10.2.") for t in tomee.by_tag[tag][0].tags)
    )
    assert tomee.full_pin_ahead_of_moving(alias) is False
    friendica = truth("friendica")  # 2026.05-fpm beside fpm / stable-fpm: no less precise version, nothing to judge
    versioned = next(tag for tag in friendica.by_tag if re.fullmatch(r"\d{4}\.\d{2}-fpm", tag))
    assert friendica.full_pin_ahead_of_moving(versioned) is None
