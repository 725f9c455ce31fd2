"""The bundled Docker Hardened Images table (hub_mcp/hardened/dhi.json) and its questions.

No shared data here (see test_catalog_check.py for the check against ../shared/data): the table's
shape and provenance, lookups, equivalent() on lines DHI has and lacks (examples computed from the
table itself), and that neither importing the package nor starting the server reads the table.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
from datetime import date
from importlib import resources
from typing import Any

import pytest

from hub_mcp.errors import InvalidInput
from hub_mcp.hardened import (
    OFFICIAL_ALIASES,
    DhiDefinition,
    counterpart,
    definitions,
    equivalent,
    images,
    lookup,
    table_info,
)
from hub_mcp.hardened import table as table_module


def _raw() -> dict[str, Any]:
    text = resources.files("hub_mcp.hardened").joinpath("dhi.json").read_text(encoding="utf-8")
    return json.loads(text)


RAW = _raw()


def _numbers(text: str) -> tuple[int, ...] | None:
    m = re.match(r"\d+(?:\.\d+)*", text.split("-")[0])
    return tuple(int(n) for n in m.group(0).split(".")) if m else None


# --------------------------------------------------------------------------------------
# The JSON: provenance and shape
# --------------------------------------------------------------------------------------


def test_the_table_names_the_catalog_commit_it_was_generated_from() -> None:
    source = RAW["source"]
    assert source["repository"] == "https://github.com/docker-hardened-images/catalog"
    assert re.fullmatch(r"[0-9a-f]{40}", source["commit"])
    assert source["taken"] == source["committed"][:10]
    date.fromisoformat(source["taken"])
    info = table_info()
    assert (info["commit"], info["taken"], info["registry"]) == (source["commit"], source["taken"], "dhi.io")
    assert info["images"] == len(RAW["images"]) == len(images())
    assert info["definitions"] == sum(len(rows) for rows in RAW["images"].values())


def test_every_definition_has_tags_a_known_variant_a_distro_folder_platforms_and_iso_dates() -> None:
    seen: set[tuple[str, str]] = set()
    for name, rows in RAW["images"].items():
        assert rows, name
        for variant, distro, tags, platforms, run_as, release, eol in rows:
            assert variant in ("runtime", "dev"), (name, variant)
            assert re.fullmatch(r"[a-z]+-\d+(\.\d+)*", distro), (name, distro)
            assert tags and all(tags.split(" ")), (name, tags)
            for tag in tags.split(" "):
                assert (name, tag) not in seen, f"{name}:{tag} twice"
                seen.add((name, tag))
            assert "linux/amd64" in platforms.split(" "), (name, platforms)
            assert run_as is None or isinstance(run_as, str)
            for value in (release, eol):
                assert value is None or date.fromisoformat(value)
    assert len(seen) == table_info()["tags"]


def test_definitions_read_the_json_rows() -> None:
    name, rows = next(iter(RAW["images"].items()))
    defs = definitions(f"dhi.io/{name}")
    assert definitions(name) == defs and len(defs) == len(rows)
    variant, distro, tags, platforms, run_as, release, eol = rows[0]
    assert defs[0] == DhiDefinition(
        image=name,
        variant=variant,
        distro=distro,
        tags=tuple(tags.split(" ")),
        platforms=tuple(platforms.split(" ")),
        run_as=run_as,
        release=date.fromisoformat(release) if release else None,
        end_of_life=date.fromisoformat(eol) if eol else None,
    )
    assert definitions("no-such-image") == ()


def test_lookup_answers_every_tag_of_a_definition_and_nothing_else() -> None:
    python = definitions("python")
    runtime = next(d for d in python if d.variant == "runtime" and d.distro.startswith("debian"))
    for tag in runtime.tags:
        found = lookup(f"dhi.io/python:{tag}")
        assert found is not None and found.tag == tag and found.variant == "runtime"
        assert (found.distro, found.run_as, found.end_of_life) == (runtime.distro, runtime.run_as, runtime.end_of_life)
    assert lookup("dhi.io/python:latest") is None  # python has no latest tag (a few DHI images, e.g. MCP servers, do)
    assert lookup("dhi.io/python") is None
    assert lookup("dhi.io/no-such-image:1") is None


# --------------------------------------------------------------------------------------
# Official image -> DHI image
# --------------------------------------------------------------------------------------


def test_an_official_image_maps_to_the_dhi_image_of_the_same_name() -> None:
    assert counterpart("python") == "python"
    assert counterpart("docker.io/library/python:3.12-slim") == "python"
    assert counterpart("library/node") == "node"


def test_the_renamed_images_map_through_the_documented_table() -> None:
    for official, (dhi, source) in OFFICIAL_ALIASES.items():
        assert dhi in images(), f"{official} -> {dhi}: not in the table any more"
        assert counterpart(official) == dhi
        assert source.startswith(("[documented: ", "[assumed]"))


def test_a_non_official_or_unknown_repository_has_no_counterpart() -> None:
    assert counterpart("bitnami/python") is None
    assert counterpart("no-such-official-image") is None


# --------------------------------------------------------------------------------------
# equivalent()
# --------------------------------------------------------------------------------------


def test_the_documented_python_example() -> None:
    """docker/docs and ../shared/docs/security-facts.md: python:3.12 -> dhi.io/python:3.12-debian13 for a runtime
    stage, dhi.io/python:3.12-debian13-dev for a build stage."""
    runtime = equivalent("python", "3.12", "debian", "runtime")
    build = equivalent("python", "3.12", "debian", "build")
    assert runtime is not None and build is not None
    assert (runtime.reference, runtime.variant, runtime.exact) == ("dhi.io/python:3.12-debian13", "runtime", True)
    assert (build.reference, build.variant, build.run_as) == ("dhi.io/python:3.12-debian13-dev", "dev", "root")
    assert not runtime.runs_as_root and build.runs_as_root


def _plain_lines(name: str, family: str, variant: str) -> dict[tuple[int, ...], set[str]]:
    """Line (the tags' versions of the image's precision) -> distro folders, for plain definitions."""
    precision = table_module._precision(name, name)
    out: dict[tuple[int, ...], set[str]] = {}
    for d in definitions(name):
        if d.variant != variant or not d.distro.startswith(family + "-"):
            continue
        if not any(table_module._split(t).flavour == "" for t in d.tags):
            continue
        for tag in d.tags:
            v = _numbers(tag)
            if v and len(v) >= precision:
                out.setdefault(v[:precision], set()).add(d.distro)
    return out


def test_every_plain_line_of_python_gets_its_own_tag_runtime_and_dev() -> None:
    for family in ("debian", "alpine"):
        for stage, variant in (("runtime", "runtime"), ("build", "dev")):
            lines = _plain_lines("python", family, variant)
            assert lines, (family, variant)
            for line in lines:
                dotted = ".".join(map(str, line))
                found = equivalent("python", dotted, family, stage)  # type: ignore[arg-type]
                assert found is not None and found.exact and found.line == dotted
                assert found.variant == variant and found.distro.startswith(family + "-")
                assert found.tag.startswith(dotted + "-") and found.tag.endswith("-dev") == (variant == "dev")
                assert lookup(found.reference) is not None
                newest_distro = max(lines[line], key=lambda d: tuple(int(n) for n in d.split("-")[1].split(".")))
                assert found.distro == newest_distro


def test_a_line_dhi_lacks_gets_the_closest_existing_line_never_an_invented_tag() -> None:
    lines = sorted(_plain_lines("python", "debian", "runtime"))
    oldest, newest = lines[0], lines[-1]
    below = (oldest[0], oldest[1] - 1)  # python 3.9 when the oldest is 3.10
    above = (newest[0], newest[1] + 1)
    for missing, closest in ((below, oldest), (above, newest)):
        found = equivalent("python", missing, "debian", "runtime")
        assert found is not None and not found.exact, missing
        assert found.line == ".".join(map(str, closest))
        assert lookup(found.reference) is not None
    assert equivalent("python", (oldest[0] - 1, 7), "debian", "runtime") is None  # python 2.7: no 2.x line


def test_a_tie_goes_to_the_newer_line() -> None:
    lines = sorted(_plain_lines("node", "debian", "runtime"))
    gaps = [(a, b) for a, b in zip(lines, lines[1:]) if b[0] - a[0] == 2]
    assert gaps, lines  # node has even-numbered LTS lines: 22 and 24 leave 23 out
    low, high = gaps[0]
    found = equivalent("node", (low[0] + 1,), "debian", "runtime")
    assert found is not None and not found.exact and found.line == str(high[0])


def test_a_more_precise_version_stands_on_its_line() -> None:
    exact = equivalent("python", "3.12", "debian", "runtime")
    patch = equivalent("python", (3, 12, 9999), "debian", "runtime")
    assert exact is not None and patch is not None
    assert (patch.tag, patch.line, patch.exact) == (exact.tag, "3.12", True)


def test_no_version_answers_the_newest_line() -> None:
    lines = _plain_lines("python", "alpine", "dev")
    found = equivalent("python", None, "alpine", "build")
    assert found is not None and found.line == ".".join(map(str, max(lines))) and found.tag.endswith("-dev")


def test_a_distro_release_is_preferred_when_asked() -> None:
    lines = _plain_lines("python", "debian", "runtime")
    line = next(line for line, distros in lines.items() if len(distros) > 1)
    for distro in lines[line]:
        number = distro.split("-")[1]
        found = equivalent("python", line, "debian", "runtime", distro_version=number)
        assert found is not None and found.distro == distro and found.tag.endswith(f"-debian{number}")


def test_the_family_is_kept_and_ubuntu_migrates_to_debian() -> None:
    alpine = equivalent("python", "3.12", "alpine", "runtime")
    assert alpine is not None and alpine.distro.startswith("alpine-")
    ubuntu = equivalent("eclipse-temurin", "21", "ubuntu", "runtime")  # eclipse-temurin's default is ubuntu
    assert ubuntu is not None and ubuntu.distro.startswith("debian-")
    assert equivalent("python", "3.12", "oraclelinux", "runtime") is None


def test_a_sfw_or_compat_flavour_is_never_chosen_over_the_plain_image() -> None:
    for name in ("python", "node", "redis", "nginx", "mongodb"):
        official = next((o for o, (d, _) in OFFICIAL_ALIASES.items() if d == name), name)
        for stage in ("runtime", "build"):
            found = equivalent(official, None, "debian", stage)  # type: ignore[arg-type]
            assert found is not None and found.flavour == "", (name, stage, found)
            assert not re.search(r"-(sfw|compat)(-|$)", found.tag)


def test_an_image_with_only_flavoured_tags_answers_one_and_says_which() -> None:
    flavours = {table_module._split(t).flavour for d in definitions("docker") for t in d.tags}
    assert "" not in flavours  # docker's DHI tags all carry a flavour (cli)
    found = equivalent("docker", None, "debian", "runtime")
    assert found is not None and found.flavour in flavours and lookup(found.reference) is not None


def test_a_build_only_image_has_no_runtime_equivalent() -> None:
    variants = {d.variant for d in definitions("maven")}
    assert variants == {"dev"}, variants
    assert equivalent("maven", None, "debian", "runtime") is None
    assert equivalent("maven", None, "debian", "build") is not None


def test_debian_codenames_and_numbers_reach_debian_base() -> None:
    trixie = equivalent("debian", "trixie", "debian", "runtime")
    thirteen = equivalent("debian", "13", "debian", "runtime")
    assert trixie is not None and thirteen is not None
    assert trixie.image == "dhi.io/debian-base" and trixie.distro == thirteen.distro == "debian-13"


def test_a_wrong_stage_is_refused_in_one_sentence() -> None:
    with pytest.raises(InvalidInput, match=r"^stage 'final' is not one of 'runtime' or 'build'"):
        equivalent("python", "3.12", "debian", "final")  # type: ignore[arg-type]


def test_an_image_without_counterpart_has_no_equivalent() -> None:
    assert equivalent("bitnami/python", "3.12", "debian", "runtime") is None


# --------------------------------------------------------------------------------------
# Loaded lazily
# --------------------------------------------------------------------------------------


def test_neither_importing_the_package_nor_starting_the_server_reads_the_table() -> None:
    """In a fresh interpreter: importing hub_mcp.hardened reads no JSON, and the server as the command line
    builds it (warm-up on) does not load the table either; the first question does."""
    probe = (
        "import sys\n"
        "import hub_mcp.__main__\n"
        "from hub_mcp.config.settings import Settings\n"
        "from hub_mcp.server import create_server\n"
        "create_server(Settings(), warm_up=True)\n"
        "print('hub_mcp.hardened.table' in sys.modules)\n"
        "from hub_mcp.hardened import table\n"
        "print(table._table.cache_info().currsize)\n"
        "table.counterpart('python')\n"
        "print(table._table.cache_info().currsize)\n"
    )
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, timeout=120, check=True)
    assert done.stdout.split() == ["False", "0", "1"], done.stderr
