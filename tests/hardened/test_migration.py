"""The hardened equivalent of an official tag (family from the tag, variant from the stage) and the
Dockerfile changes derived from the DHI tag's facts."""

from __future__ import annotations

import pytest

from hub_mcp.hardened import lookup
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
