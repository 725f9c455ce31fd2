"""The pure parts of compare_images: version order per package type, names at several versions, bounded lists."""

from __future__ import annotations

from hub_mcp.attestations.sbom import Package, Sbom
from hub_mcp.comparison.diff import MAX_ENTRIES, MAX_PACKAGES, compare_entries, compare_layers, compare_packages
from hub_mcp.registry.models import Descriptor


def sbom(*rows: tuple[str, str, str | None]) -> Sbom:
    return Sbom(tuple(Package(name, version, kind, None) for kind, name, version in rows), "SPDX-2.3", None)


def test_versions_are_put_in_their_ecosystems_order_and_other_types_are_changed() -> None:
    found = compare_packages(
        sbom(("apk", "busybox", "1.36.1-r29"), ("npm", "semver", "7.5.4"), ("golang", "x/net", "v0.23.0"),
             ("rpm", "bash", "5.1.8-6.el9"), ("deb", "tzdata", "2024a-0+deb12u1")),
        sbom(("apk", "busybox", "1.36.1-r5"), ("npm", "semver", "7.6.0"), ("golang", "x/net", "v0.33.0"),
             ("rpm", "bash", "5.1.8-9.el9"), ("deb", "tzdata", "2024a-0+deb12u1")),
    )
    assert [p.name for p in found.downgraded or []] == ["busybox"]  # r29 > r5: numbers, not text
    assert [p.name for p in found.upgraded or []] == ["semver", "x/net"]
    assert [(p.name, p.before, p.after) for p in found.changed or []] == [("bash", "5.1.8-6.el9", "5.1.8-9.el9")]
    assert found.counts == {"added": 0, "removed": 0, "upgraded": 2, "downgraded": 1, "changed": 1, "unchanged": 1}


def test_a_name_at_several_versions_compares_what_is_left_after_the_shared_ones() -> None:
    found = compare_packages(
        sbom(("npm", "ms", "2.0.0"), ("npm", "ms", "2.1.2"), ("npm", "debug", "4.3.4"), ("npm", "debug", "2.6.9")),
        sbom(("npm", "ms", "2.0.0"), ("npm", "ms", "2.1.3"), ("npm", "debug", "4.3.5")),
    )
    assert [(p.name, p.before, p.after) for p in found.upgraded or []] == [("ms", "2.1.2", "2.1.3")]
    assert [(p.name, p.before, p.after) for p in found.changed or []] == [("debug", "2.6.9, 4.3.4", "4.3.5")]


def test_a_version_the_order_cannot_read_is_changed_never_guessed() -> None:
    found = compare_packages(sbom(("npm", "left-pad", "1.3")), sbom(("npm", "left-pad", "1.3.0")))
    assert found.upgraded is None and [p.name for p in found.changed or []] == ["left-pad"]


def test_package_lists_are_bounded_and_counted_whole() -> None:
    many = MAX_PACKAGES + 7
    found = compare_packages(sbom(), sbom(*(("deb", f"pkg{i:03}", "1.0") for i in range(many))))
    assert found.counts is not None and found.counts["added"] == many
    assert len(found.added or []) == MAX_PACKAGES and found.omitted == 7
    assert [p.name for p in found.added or []][:2] == ["pkg000", "pkg001"]


def test_entries_are_bounded_and_secrets_compared_raw() -> None:
    before = {f"V{i:02}": "a" for i in range(MAX_ENTRIES + 3)} | {"DB_PASSWORD": "one"}
    after = {f"V{i:02}": "b" for i in range(MAX_ENTRIES + 3)} | {"DB_PASSWORD": "two"}
    found = compare_entries(before, after, lambda name, value: "<redacted>" if "PASSWORD" in name else value)
    assert found is not None and found.omitted == 4 and len(found.changed or []) == MAX_ENTRIES
    assert found.changed is not None and found.changed[0].name == "DB_PASSWORD"
    assert (found.changed[0].before, found.changed[0].after) == ("<redacted>", "<redacted>")
    assert compare_entries({"A": "1"}, {"A": "1"}, lambda n, v: v) is None


def test_a_layer_twice_is_shared_as_often_as_both_have_it() -> None:
    a, b, c = (Descriptor(digest=f"sha256:{x * 64}", size=size) for x, size in (("a", 10), ("b", 20), ("c", 40)))
    found = compare_layers([a, b, b], [a, b, c])
    assert (found.shared, found.shared_bytes, found.same_base) == (2, 30, 2)
    assert (found.only_before, found.only_after, found.size_change_bytes) == (1, 1, 20)
