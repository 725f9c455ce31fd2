"""The hardened equivalent of an official tag (family from the tag, variant from the stage) and the
Dockerfile changes derived from the DHI tag's facts."""

from __future__ import annotations

import re
from datetime import date, timedelta

import pytest

from hub_mcp.hardened import DhiTag, definitions, lookup
from hub_mcp.hardened import table as table_module
from hub_mcp.hardened.migration import equivalent_for, migration_changes, provenance


@pytest.mark.parametrize(
    ("reference", "stage", "variant", "distro_family"),
    [
        ("python:3.12-slim-bookworm", "runtime", "runtime", "debian"),
        ("python:3.12-alpine", "build", "dev", "alpine"),
        ("python:3.12", "runtime", "runtime", "debian"),  # no distro token: Debian
        ("node:22-bookworm-slim", "build", "dev", "debian"),
        ("alpine:3.22", "runtime", "runtime", "alpine"),
    ],
)
def test_the_equivalent_exists_on_the_same_family_with_the_stage_variant(
    reference: str, stage: str, variant: str, distro_family: str
) -> None:
    found = equivalent_for(reference, None, stage)  # type: ignore[arg-type]
    assert found is not None
    tag, changes = found
    assert lookup(tag.reference) is not None  # never an invented tag
    assert tag.variant == variant and tag.distro.startswith(distro_family)
    assert (tag.reference.endswith("-dev")) == (stage == "build")
    assert tag.exact and changes


def test_the_version_argument_wins_over_the_reference_tag() -> None:
    found = equivalent_for("python", "3.12-alpine", "runtime")
    assert found is not None and found[0].distro.startswith("alpine") and found[0].line == "3.12"


def test_a_missing_line_gets_the_closest_existing_one_not_exact() -> None:
    found = equivalent_for("python:3.9-slim", None, "runtime")
    assert found is not None
    assert not found[0].exact and found[0].line != "3.9" and lookup(found[0].reference) is not None


@pytest.mark.parametrize(
    "reference",
    ["bitnami/redis:7", "openjdk:21-windowsservercore", "python:2.7", "not-an-official-image-xyz:1"],
)
def test_no_equivalent(reference: str) -> None:
    assert equivalent_for(reference, None, "runtime") is None


def test_changes_follow_the_tag_facts() -> None:
    runtime = equivalent_for("python:3.12", None, "runtime")
    dev = equivalent_for("python:3.12", None, "build")
    assert runtime is not None and dev is not None
    text = " ".join(runtime[1])
    assert f"runs as {runtime[0].run_as}" in text and "no shell and no package manager" in text
    assert "latest" in text and "docker login dhi.io" in text
    dev_text = " ".join(migration_changes(dev[0]))
    assert "no shell" not in dev_text and "build stages" in dev_text
    assert "not checked live" in provenance()


# --------------------------------------------------------------------------------------
# Flavours: a word of the official tag that names a flavour DHI tags is kept
# --------------------------------------------------------------------------------------

TODAY = date(2026, 8, 22)  # the day of the bundled catalog: lifecycle-based channels are deterministic


def _flavours(image: str, variant: str, family: str, line: str) -> set[str]:
    """The flavours DHI has for that line, from the table's own tags (not from equivalent())."""
    out = set()
    for d in definitions(image):
        if d.variant == variant and d.distro.startswith(family + "-"):
            for t in d.tags:
                if t.startswith(line + "-") or t == line:
                    out.add(table_module._split(t).flavour)
    return out


def _answer(reference: str, stage: str = "runtime") -> DhiTag:
    found = equivalent_for(reference, None, stage, today=TODAY)  # type: ignore[arg-type]
    assert found is not None, reference
    assert lookup(found[0].reference) is not None  # never an invented tag
    return found[0]


@pytest.mark.parametrize(("reference", "family"), [("php:8.4-fpm", "debian"), ("php:8.4-fpm-alpine", "alpine")])
def test_php_fpm_keeps_its_flavour_and_the_dev_stage_falls_back_to_the_plain_dev_tag(
    reference: str, family: str
) -> None:
    assert "fpm" in _flavours("php", "runtime", family, "8.4")
    runtime = _answer(reference)
    assert (runtime.flavour, runtime.line, runtime.exact, runtime.variant) == ("fpm", "8.4", True, "runtime")
    assert runtime.distro.startswith(family + "-") and runtime.tag.endswith("-fpm")
    assert "fpm" not in _flavours("php", "dev", family, "8.4")  # php's -dev definitions carry no fpm
    build = _answer(reference, "build")
    assert (build.flavour, build.line, build.variant) == ("", "8.4", "dev") and build.distro.startswith(family + "-")


@pytest.mark.parametrize(
    "reference", ["php:8.4-cli", "php:8.4-apache-trixie", "php:8.4-zts", "python:3.12-slim-bookworm"]
)
def test_a_word_dhi_has_no_flavour_for_gives_the_plain_image(reference: str) -> None:
    found = _answer(reference)
    assert found.flavour == "" and found.exact


def test_a_jdk_tag_gets_the_jdk_dev_image_for_a_build_and_the_plain_runtime_for_the_final_stage() -> None:
    """docker/docs content/manuals/dhi/migration/examples/java.md: eclipse-temurin:21-jre -> the plain
    dhi.io/eclipse-temurin:21 runtime; the JDK is a -dev flavour."""
    assert "jdk" in _flavours("eclipse-temurin", "dev", "debian", "21")
    build = _answer("eclipse-temurin:21-jdk-noble", "build")
    assert (build.flavour, build.line, build.variant) == ("jdk", "21", "dev") and build.distro.startswith("debian-")
    assert _answer("eclipse-temurin:21-jdk", "runtime").flavour == ""
    assert _answer("eclipse-temurin:21-jre", "runtime").flavour == ""
    assert {"", "jdk"} <= _flavours("eclipse-temurin", "dev", "alpine", "21")  # on Alpine: a JRE and a JDK -dev
    assert _answer("eclipse-temurin:21-jre-alpine", "build").flavour == ""  # the JRE -dev image
    assert _answer("eclipse-temurin:21-jdk-alpine", "build").flavour == "jdk"


def test_the_java_version_a_tag_names_picks_the_jdk_flavour_of_that_version() -> None:
    """docker/docs examples/java.md: maven:3.9-eclipse-temurin-21 -> dhi.io/maven:3-jdk21-...-dev."""
    maven = _answer("maven:3.9-eclipse-temurin-21", "build")
    assert maven.flavour == "jdk21" and maven.variant == "dev"
    assert _answer("maven:3.9-amazoncorretto-17", "build").flavour == "jdk17"
    assert _answer("tomcat:10.1-jdk21-temurin-noble").flavour == "jdk21"
    assert _answer("tomcat:10.1-jre21-temurin-noble").flavour == "jdk21"  # a JDK of the same release carries the JRE
    assert _answer("tomcat:9.0-jre17").flavour == "jdk17"


def test_flavours_of_several_words_and_of_other_spellings() -> None:
    assert _answer("wordpress:6.9-php8.3-fpm").flavour == "php8.3-fpm"
    assert _answer("wordpress:6.9-php8.4-fpm-alpine").flavour == "php8.4-fpm"
    assert _answer("mediawiki:1.45-fpm").flavour == "php-fpm"
    assert _answer("clojure:temurin-25-tools-deps-trixie").flavour == "tools-deps"
    assert _answer("clojure:temurin-25-lein-trixie", "build").flavour == "lein"
    assert _answer("influxdb:core").flavour == "core"
    assert _answer("spark:4.0.1-scala2.13-java21-python3-ubuntu").flavour == "python"  # python3 is python
    assert _answer("spark:4.0.1-scala2.13-java21-r-ubuntu").flavour == ""


def test_the_official_name_can_name_the_flavour() -> None:
    """azul-zulu -> dhi.io/azul, whose Zulu builds are its jdk-zulu tags (the others are Azul Platform Prime)."""
    found = _answer("azul-zulu:21-jdk")
    assert found.image == "dhi.io/azul" and found.flavour == "jdk-zulu" and found.line == "21"


# --------------------------------------------------------------------------------------
# Channel tags
# --------------------------------------------------------------------------------------


def _newest_line(image: str, family: str = "debian", variant: str = "runtime", major: int | None = None) -> str:
    lines = set()
    precision = table_module._precision(image, image)
    for d in definitions(image):
        if d.variant == variant and d.distro.startswith(family + "-"):
            for t in d.tags:
                v = table_module._split(t).version
                if v and len(v) >= precision and (major is None or v[0] == major):
                    lines.add(v[:precision])
    return ".".join(map(str, max(lines)))


@pytest.mark.parametrize("reference", ["python", "python:latest", "python:alpine", "node:slim"])
def test_latest_or_no_tag_is_the_newest_line_dhi_has(reference: str) -> None:
    found = _answer(reference)
    family = "alpine" if "alpine" in reference else "debian"
    assert found.line == _newest_line(found.image.split("/")[1], family) and found.exact
    assert found.tag.startswith(found.line + "-") or found.tag == found.line


@pytest.mark.parametrize(
    ("reference", "major"), [("python:3", 3), ("python:3-slim", 3), ("php:8-fpm", 8), ("nginx:1", 1)]
)
def test_a_major_only_tag_is_the_newest_line_of_that_major(reference: str, major: int) -> None:
    found = _answer(reference)
    image = found.image.split("/")[1]
    assert found.line == _newest_line(image, major=major) and found.exact
    assert found.tag.startswith(found.line)  # pinned to the line (3.14-debian13), not the floating 3


def test_lts_is_the_newest_line_that_is_in_lts_by_the_lifecycle_table() -> None:
    """node 26 is an LTS line that enters Active LTS in October 2026: in August the official lts tag is 24
    (krypton). The lifecycle table gives a node line its codename once it is in LTS."""
    from hub_mcp.vocab.lifecycle import supported_lines

    rows = [r for r in supported_lines("node", TODAY) if r.lts]
    named = next(r for r in rows if r.codename)
    found = _answer("node:lts-alpine")
    assert (found.line, found.exact) == (named.version, True) and found.distro.startswith("alpine-")
    assert _answer("node:krypton").line == named.version if named.codename == "krypton" else True
    mariadb = next(r for r in supported_lines("mariadb", TODAY) if r.lts)
    assert (_answer("mariadb:lts").line, _answer("mariadb:lts").exact) == (mariadb.version, True)
    assert _answer("sapmachine:lts", "build").line == next(r for r in supported_lines("java", TODAY) if r.lts).version


def test_a_channel_dhi_tags_itself_is_the_line_of_that_tag() -> None:
    holder = next(d for d in definitions("mysql") if d.variant == "runtime" and "lts" in d.tags)
    line = next(t for t in holder.tags if re.fullmatch(r"\d+\.\d+", t))
    found = _answer("mysql:lts")
    assert (found.line, found.exact) == (line, True) and found.tag != "lts"  # pinned, not the moving tag


@pytest.mark.parametrize(
    "reference", ["node:current", "nginx:stable", "nginx:mainline", "varnish:old", "haproxy:lts"]
)
def test_a_channel_nothing_here_knows_is_the_newest_line_and_not_exact(reference: str) -> None:
    found = _answer(reference)
    assert found.line == _newest_line(found.image.split("/")[1]) and not found.exact


def test_debian_suites_are_the_releases_in_order() -> None:
    """While debian-base's 12 definition is supported, oldstable is it; after its end of life (the catalog's
    date), the closest supported release (13), not exact and saying the release move."""
    bookworm = next(d for d in definitions("debian-base") if d.variant == "runtime" and d.distro == "debian-12")
    assert bookworm.end_of_life is not None
    before = bookworm.end_of_life - timedelta(days=1)
    for reference in ("debian:stable", "debian:oldstable-slim", "debian:bookworm", "debian:12"):
        found = equivalent_for(reference, None, "runtime", today=before)
        assert found is not None and found[0].exact, reference
        assert found[0].distro == ("debian-13" if reference == "debian:stable" else "debian-12"), reference
        assert not any(" release changes " in c for c in found[1]), reference
    for reference in ("debian:oldstable-slim", "debian:bookworm", "debian:12"):
        found = equivalent_for(reference, None, "runtime", today=bookworm.end_of_life)
        assert found is not None and (found[0].distro, found[0].exact) == ("debian-13", False), reference
        assert found[1][0] == "the Debian release changes from 12 (bookworm) to 13 (trixie): package versions differ"


# --------------------------------------------------------------------------------------
# Distro images
# --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "reference", ["ubuntu:24.04", "ubuntu:noble", "ubuntu:jammy-20260810", "ubuntu", "ubuntu:latest"]
)
def test_ubuntu_moves_to_the_newest_debian_base_and_is_never_the_same_line(reference: str) -> None:
    """docker/docs content/manuals/dhi/migration/migrate-from-ubuntu.md: Ubuntu-based images migrate to the
    Debian-based DHI."""
    newest = max((d for d in definitions("debian-base") if d.variant == "runtime"), key=lambda d: d.distro_version)
    for stage, variant in (("runtime", "runtime"), ("build", "dev")):
        found = _answer(reference, stage)
        assert found.image == "dhi.io/debian-base" and found.distro == newest.distro
        assert found.variant == variant and not found.exact


@pytest.mark.parametrize(
    "reference", ["amazonlinux:2023", "almalinux:9", "fedora:42", "oraclelinux:9", "busybox:1.37-uclibc"]
)
def test_other_distro_images_have_no_equivalent_unless_the_software_is_the_same(reference: str) -> None:
    found = equivalent_for(reference, None, "runtime", today=TODAY)
    if reference.startswith("busybox"):  # the same software: dhi.io/busybox
        assert found is not None and found[0].image == "dhi.io/busybox"
    else:
        assert found is None


def test_latest_is_not_exact_when_the_lifecycle_table_knows_a_newer_line_than_dhi_has() -> None:
    """golang:latest is on the newest Go line; when the lifecycle table has a newer supported line than
    DHI's newest (Go 1.27 out, DHI still on 1.26), the answer is a closest, not the same line."""
    from hub_mcp.vocab.lifecycle import supported_lines

    newest = _newest_line("golang")
    found = _answer("golang:latest")
    newer = [r for r in supported_lines("golang", TODAY) if r.numbers > tuple(map(int, newest.split(".")))]
    assert found.line == newest and found.exact == (not newer)
    if newer:  # the day before that line's release, DHI's newest was the newest line
        before = min(r.release for r in newer if r.release) - timedelta(days=1)
        earlier = equivalent_for("golang:1", None, "runtime", today=before)
        assert earlier is not None and earlier[0].line == newest and earlier[0].exact


@pytest.mark.parametrize(
    ("reference", "shown"),
    [("mysql:9.7-oracle", "Oracle Linux"), ("amazoncorretto:8-al2023", "Amazon Linux"),
     ("eclipse-temurin:21-ubi9-minimal", "Red Hat UBI")],
)
@pytest.mark.parametrize("stage", ["runtime", "build"])
def test_a_glibc_distro_dhi_lacks_moves_to_debian_never_exact_and_says_so(reference: str, shown: str, stage: str) -> None:
    found = equivalent_for(reference, None, stage)  # type: ignore[arg-type]
    assert found is not None
    tag, changes = found
    assert tag.distro.startswith("debian-") and tag.exact is False and lookup(tag.reference) is not None
    assert tag.variant == ("runtime" if stage == "runtime" else "dev")
    assert changes[0].startswith(f"the distro changes from {shown} to Debian: install packages with apt")


def test_ubuntu_based_tags_keep_their_line_and_say_the_distro_changes() -> None:
    for reference in ("eclipse-temurin:21-jre-noble", "ubuntu:24.04"):
        found = equivalent_for(reference, None, "runtime")
        assert found is not None and found[0].distro.startswith("debian-")
        assert found[1][0].startswith("the distro changes from Ubuntu to Debian: both use apt")
    temurin = equivalent_for("eclipse-temurin:21-jre-noble", None, "runtime")
    assert temurin is not None and temurin[0].exact and temurin[0].line == "21"


def test_debian_and_alpine_tags_name_no_distro_change() -> None:
    for reference in ("python:3.12-slim-bookworm", "python:3.12-alpine", "mysql:9.7"):
        found = equivalent_for(reference, None, "runtime")
        assert found is not None and not any(c.startswith("the distro changes") for c in found[1])


# --------------------------------------------------------------------------------------
# End of life: a DHI line past its end of life is never the answer while a supported one exists
# --------------------------------------------------------------------------------------


def _runtime_lines(image: str, family: str = "debian", today: date | None = None) -> dict[str, date | None]:
    """The runtime lines (first tag's version) of an image's definitions on the family's newest release,
    with their end of life, from the table (not from equivalent())."""
    defs = [d for d in definitions(image) if d.variant == "runtime" and d.distro_family == family]
    newest = max(d.distro_version for d in defs)
    out: dict[str, date | None] = {}
    for d in defs:
        v = table_module._split(d.tags[0]).version
        if d.distro_version == newest and v is not None and not table_module._split(d.tags[0]).flavour:
            out[".".join(map(str, v))] = d.end_of_life
    return out


@pytest.mark.parametrize("stage", ["runtime", "build"])
def test_a_closest_line_is_never_one_past_its_end_of_life(stage: str) -> None:
    """python 3.8 is not in DHI; its nearest line, 3.10, ends 2026-10-31: after that the answer is 3.11."""
    ends = _runtime_lines("python")
    end = ends["3.10"]
    assert end is not None and "3.8" not in ends and "3.9" not in ends and "3.11" in ends
    before = equivalent_for("python:3.8", None, stage, today=end - timedelta(days=1))  # type: ignore[arg-type]
    after = equivalent_for("python:3.8", None, stage, today=end + timedelta(days=26))  # type: ignore[arg-type]
    assert before is not None and (before[0].line, before[0].exact) == ("3.10", False)
    assert after is not None and (after[0].line, after[0].exact) == ("3.11", False)
    assert not after[0].is_eol(end + timedelta(days=26)) and lookup(after[0].reference) is not None


@pytest.mark.parametrize("reference", ["python:3.10", "python:3.10-slim-bookworm", "python:3.10-alpine"])
def test_an_asked_line_past_its_end_of_life_moves_to_the_closest_supported_line_not_exact(reference: str) -> None:
    end = _runtime_lines("python")["3.10"]
    assert end is not None
    on_time = equivalent_for(reference, None, "runtime", today=end - timedelta(days=1))
    assert on_time is not None and (on_time[0].line, on_time[0].exact) == ("3.10", True)
    for day in (end, end + timedelta(days=1)):  # on the end-of-life day it is over (DhiTag.is_eol)
        moved = equivalent_for(reference, None, "runtime", today=day)
        assert moved is not None and (moved[0].line, moved[0].exact) == ("3.11", False)
        assert not moved[0].is_eol(day)


def _said_ended(changes: list[str]) -> bool:
    return "no supported line is near: check that dhi.io still rebuilds it" in changes[0]


def test_when_every_near_line_has_ended_the_ended_one_is_named_never_exact_and_said() -> None:
    """The catalog still defines lines whose end-of-life date has passed (18 already on its own commit day): when
    no supported line is near, the closest ended one is named (never exact) and the first change says so."""
    last = max(e for e in _runtime_lines("python").values() if e is not None)
    assert None not in _runtime_lines("python").values()
    for reference, stage in (("python:3.12", "runtime"), ("python", "build")):
        found = equivalent_for(reference, None, stage, today=last)  # type: ignore[arg-type]
        assert found is not None and found[0].exact is False and found[0].is_eol(last)
        assert _said_ended(found[1])
    supported = equivalent_for("python:3.12", None, "runtime", today=date(2026, 11, 26))
    assert supported is not None and not _said_ended(supported[1])


def test_a_definition_without_an_end_of_life_date_is_supported() -> None:
    """node 22 and 24 on Alpine have an end of life, 26 none: long after 24 ends, node:24-alpine answers 26 (two
    majors away). (The catalog gives node's debian-12 definitions no end-of-life date: they stay supported.)"""
    ends = _runtime_lines("node", "alpine")
    assert ends["22"] is not None and ends["24"] is not None and ends["26"] is None
    day = max(ends["22"], ends["24"]) + timedelta(days=3650)
    for stage in ("runtime", "build"):
        found = equivalent_for("node:24-alpine", None, stage, today=day)  # type: ignore[arg-type]
        assert found is not None and (found[0].line, found[0].exact, found[0].end_of_life) == ("26", False, None)
        assert found[0].distro.startswith("alpine-")
    ended = equivalent_for("node:22-alpine", None, "runtime", today=day)  # 26 is beyond MAX_MAJOR_DISTANCE
    assert ended is not None and ended[0].line == "22" and ended[0].exact is False and _said_ended(ended[1])


def test_end_of_life_and_available_restrict_together() -> None:
    end = _runtime_lines("python")["3.10"]
    assert end is not None
    eol_only = {"3.10-debian13", "3.10.21-debian13"}
    ended = equivalent_for("python:3.10", None, "runtime", today=end, available=eol_only)
    assert ended is not None and ended[0].tag in eol_only and ended[0].exact is False and _said_ended(ended[1])
    both = eol_only | {"3.12-debian13"}
    found = equivalent_for("python:3.10", None, "runtime", today=end, available=both)
    assert found is not None and (found[0].tag, found[0].exact) == ("3.12-debian13", False)


# --------------------------------------------------------------------------------------
# A Java build stage needs the compiler: the JDK -dev when the tag does not say JRE
# --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "reference", ["eclipse-temurin:25-alpine", "eclipse-temurin:25-alpine-3.23", "eclipse-temurin:alpine"]
)
def test_a_java_build_stage_without_a_jre_word_gets_the_jdk_dev(reference: str) -> None:
    """The official unmarked tag is the JDK (library/eclipse-temurin: 25-alpine is an alias of 25-jdk-alpine);
    DHI's Alpine -dev has a plain flavour (the JRE) and a jdk one."""
    assert {"", "jdk"} <= _flavours("eclipse-temurin", "dev", "alpine", "25")
    build = _answer(reference, "build")
    assert (build.flavour, build.variant) == ("jdk", "dev") and build.distro.startswith("alpine-")
    assert _answer(reference).flavour == ""  # the final stage keeps the plain runtime


def test_a_jre_tag_keeps_the_jre_dev_and_a_numbered_java_word_keeps_its_nearest_release() -> None:
    assert _answer("eclipse-temurin:25-jre-alpine", "build").flavour == ""
    # gradle has no jdk8: the nearest release (jdk11), not the added word's tie of every jdkNN
    gradle8 = _flavours("gradle", "dev", "debian", "8")
    assert "jdk8" not in gradle8 and "jdk11" in gradle8
    assert _answer("gradle:8-jdk8", "build").flavour == "jdk11"
    assert _answer("maven:3.9-eclipse-temurin-21", "build").flavour == "jdk21"


# --------------------------------------------------------------------------------------
# A release change within the distro family is said
# --------------------------------------------------------------------------------------


def test_a_debian_release_move_is_said_first_and_exact_is_kept() -> None:
    assert {d.distro for d in definitions("php") if d.distro_family == "debian"} == {"debian-13"}
    for stage in ("runtime", "build"):
        found = equivalent_for("php:8.4-fpm-bookworm", None, stage, today=TODAY)  # type: ignore[arg-type]
        assert found is not None and found[0].distro == "debian-13" and found[0].exact
        assert found[1][0] == "the Debian release changes from 12 (bookworm) to 13 (trixie): package versions differ"
        assert sum(c.startswith("the Debian release") for c in found[1]) == 1


def test_an_alpine_release_move_is_said() -> None:
    found = equivalent_for("python:3.12-alpine3.21", None, "runtime", today=TODAY)
    assert found is not None and found[0].exact and found[0].distro.startswith("alpine-")
    assert found[1][0] == (
        f"the Alpine release changes from 3.21 to {found[0].distro.split('-')[1]}: package versions differ"
    )


@pytest.mark.parametrize(
    "reference", ["python:3.12-slim-bookworm", "python:3.12-alpine3.22", "python:3.12-slim", "node:22-bookworm-slim"]
)
def test_the_same_release_or_none_named_says_no_release_change(reference: str) -> None:
    found = equivalent_for(reference, None, "runtime", today=TODAY)
    assert found is not None and not any(" release changes " in c for c in found[1])
