"""What differs between two platform images: pure functions over what the registry and the SBOMs gave.

Layers by digest (a layer is content addressed: the same digest is the same bytes), config settings by value
(user, entrypoint, cmd, working directory, exposed ports; environment and labels by name), packages by
(type, name) with versions put in order where :mod:`hub_mcp.vulnerabilities.versions` has the ecosystem's order,
and vulnerability counts per severity. Every list an answer carries is bounded (``MAX_*`` below, with an omitted
count); values of secret-looking variables and labels are redacted as ``inspect_image`` redacts them.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence

from hub_mcp.answers.views import (
    ConfigComparison,
    EntriesComparison,
    EntryChange,
    LayerComparison,
    PackageChange,
    PackageComparison,
    ValueChange,
)
from hub_mcp.attestations.sbom import Package, Sbom
from hub_mcp.registry.inspection import MAX_LABEL_VALUE, REDACTED, is_secret_name, redact_env
from hub_mcp.registry.models import Descriptor
from hub_mcp.vulnerabilities.versions import Compare, apk_compare, dpkg_compare, semver_compare

#: Most differences of one kind (env, labels) listed; past it they are counted in ``omitted``.
MAX_ENTRIES = 20
#: Most elements of an entrypoint or cmd shown, and the longest shown.
MAX_ARGS = 20
MAX_ARG = 200
#: Most packages listed per kind of change (added, removed, upgraded, downgraded, changed).
MAX_PACKAGES = 25
#: Most layers compared per image (an image has tens; a registry could send more).
MAX_LAYERS = 1000
#: Most versions of one package name kept per side (npm trees hold one name at several versions).
MAX_VERSIONS = 16
#: The version order of a package URL type, where :mod:`hub_mcp.vulnerabilities.versions` has one.
ORDERS: dict[str, Compare] = {
    "deb": dpkg_compare,
    "apk": apk_compare,
    "npm": semver_compare,
    "cargo": semver_compare,
    "golang": semver_compare,
}


# --- layers -----------------------------------------------------------------------------------------


def compare_layers(before: Sequence[Descriptor], after: Sequence[Descriptor]) -> LayerComparison:
    """Shared layers by digest (a digest twice in one image counts as often as both have it)."""
    left, right = before[:MAX_LAYERS], after[:MAX_LAYERS]
    sizes = {layer.digest: layer.size for layer in (*left, *right)}
    shared = Counter(layer.digest for layer in left) & Counter(layer.digest for layer in right)
    same_base = 0
    for a, b in zip(left, right, strict=False):
        if a.digest != b.digest:
            break
        same_base += 1
    count = sum(shared.values())
    return LayerComparison(
        shared=count,
        shared_bytes=sum(sizes[digest] * times for digest, times in shared.items()),
        same_base=same_base,
        only_before=len(left) - count,
        only_after=len(right) - count,
        size_change_bytes=sum(layer.size for layer in after) - sum(layer.size for layer in before),
    )


# --- config -----------------------------------------------------------------------------------------


def _args(value: Sequence[str] | None) -> list[str] | None:
    if not value:
        return None
    shown = [item if len(item) <= MAX_ARG else item[: MAX_ARG - 1] + "…" for item in value[:MAX_ARGS]]
    return shown + ([f"… and {len(value) - MAX_ARGS} more"] if len(value) > MAX_ARGS else [])


def _env_map(entries: Sequence[str]) -> dict[str, str]:
    """``NAME=value`` entries by name, raw (the last wins, as Docker applies them)."""
    out: dict[str, str] = {}
    for entry in entries:
        name, _, value = entry.partition("=")
        out[name] = value
    return out


def _env_shown(name: str, value: str) -> str:
    """A value as ``inspect_image`` shows it: secret-looking ones redacted, passwords in URLs too, long ones cut."""
    shown, _ = redact_env([f"{name}={value}"])
    return shown[0].partition("=")[2] if shown else ""


def _label_shown(key: str, value: str) -> str:
    if is_secret_name(key.rsplit(".", 1)[-1]):
        return REDACTED
    return value if len(value) <= MAX_LABEL_VALUE else value[: MAX_LABEL_VALUE - 1] + "…"


def compare_entries(
    before: Mapping[str, str], after: Mapping[str, str], shown: Callable[[str, str], str]
) -> EntriesComparison | None:
    """By name: added (with the value), removed, changed (both values); None when nothing differs. Values are
    compared raw and shown through ``shown`` (redacted), so a secret that changed is a change. Each list at most
    :data:`MAX_ENTRIES`, by name, the rest counted in ``omitted``."""
    added = sorted(set(after) - set(before))
    removed = sorted(set(before) - set(after))
    changed = sorted(name for name in set(before) & set(after) if before[name] != after[name])
    if not (added or removed or changed):
        return None
    omitted = sum(max(0, len(group) - MAX_ENTRIES) for group in (added, removed, changed))
    return EntriesComparison(
        added={name: shown(name, after[name]) for name in added[:MAX_ENTRIES]} or None,
        removed=removed[:MAX_ENTRIES] or None,
        changed=[
            EntryChange(name=n, before=shown(n, before[n]), after=shown(n, after[n])) for n in changed[:MAX_ENTRIES]
        ]
        or None,
        omitted=omitted or None,
    )


def _change(before: str | list[str] | None, after: str | list[str] | None) -> ValueChange | None:
    return None if before == after else ValueChange(before=before, after=after)


def compare_config(
    before: ConfigFacts,
    after: ConfigFacts,
) -> ConfigComparison | None:
    """The settings that differ (None when none do)."""
    ports_before, ports_after = set(before.ports), set(after.ports)
    found = ConfigComparison(
        user=_change(before.user, after.user),
        entrypoint=_change(_args(before.entrypoint), _args(after.entrypoint)),
        cmd=_change(_args(before.cmd), _args(after.cmd)),
        working_dir=_change(before.working_dir, after.working_dir),
        ports_added=sorted(ports_after - ports_before)[:MAX_ENTRIES] or None,
        ports_removed=sorted(ports_before - ports_after)[:MAX_ENTRIES] or None,
        env=compare_entries(_env_map(before.env), _env_map(after.env), _env_shown),
        labels=compare_entries(before.labels, after.labels, _label_shown),
    )
    return found if found.model_dump(exclude_none=True) else None


class ConfigFacts:
    """The settings of one image compared (from its config blob, whole: not the bounded inspection)."""

    def __init__(
        self,
        *,
        user: str,
        entrypoint: Sequence[str] | None,
        cmd: Sequence[str] | None,
        working_dir: str | None,
        ports: Iterable[str],
        env: Sequence[str] | None,
        labels: Mapping[str, str] | None,
    ) -> None:
        self.user = user or "root"
        self.entrypoint = list(entrypoint) if entrypoint else None
        self.cmd = list(cmd) if cmd else None
        self.working_dir = working_dir or None
        self.ports = list(ports)
        self.env = list(env or [])[:MAX_LAYERS]
        self.labels = dict(list((labels or {}).items())[:MAX_LAYERS])


# --- packages ---------------------------------------------------------------------------------------


def _versions(packages: Iterable[Package]) -> dict[tuple[str, str], list[str]]:
    """(type, name) -> its distinct versions, sorted as text (a package without a version counts as '')."""
    found: dict[tuple[str, str], set[str]] = {}
    for package in packages:
        versions = found.setdefault((package.type, package.name), set())
        if len(versions) < MAX_VERSIONS:
            versions.add(package.version or "")
    return {key: sorted(versions) for key, versions in found.items()}


def order(kind: str, before: str, after: str) -> str:
    """``upgraded``, ``downgraded`` or ``changed`` (no order known for the type, or a version it cannot read)."""
    compare = ORDERS.get(kind)
    result = compare(before, after) if compare is not None and before and after else None
    if result is None or result == 0:  # 0: equal in order but written otherwise ("1:1.0" and "1.0"...): a change
        return "changed"
    return "upgraded" if result < 0 else "downgraded"


def compare_packages(before: Sbom, after: Sbom) -> PackageComparison:
    """Packages by (type, name): added, removed, and those in both at other versions, put in order by the type's
    version order. A name at several versions on a side: the versions both have are left out, and what is left is
    compared when it is one version each, else called changed."""
    left, right = _versions(before.packages), _versions(after.packages)
    groups: dict[str, list[PackageChange]] = {kind: [] for kind in ("added", "removed", "upgraded", "downgraded", "changed")}
    unchanged = 0
    for key in sorted(left.keys() | right.keys(), key=lambda k: (k[1].lower(), k[0])):
        kind, name = key
        old, new = left.get(key), right.get(key)
        if old is None and new is not None:
            groups["added"].append(PackageChange(name=name, type=kind, after=", ".join(new) or None))
        elif new is None and old is not None:
            groups["removed"].append(PackageChange(name=name, type=kind, before=", ".join(old) or None))
        elif old is not None and new is not None:
            if old == new:
                unchanged += 1
                continue
            only_old = [v for v in old if v not in new] or old
            only_new = [v for v in new if v not in old] or new
            verdict = order(kind, only_old[0], only_new[0]) if len(only_old) == len(only_new) == 1 else "changed"
            groups[verdict].append(
                PackageChange(name=name, type=kind, before=", ".join(only_old) or None, after=", ".join(only_new) or None)
            )
    counts = {kind: len(rows) for kind, rows in groups.items()}
    omitted = sum(max(0, len(rows) - MAX_PACKAGES) for rows in groups.values())
    return PackageComparison(
        status="known",
        counts={**counts, "unchanged": unchanged},
        added=groups["added"][:MAX_PACKAGES] or None,
        removed=groups["removed"][:MAX_PACKAGES] or None,
        upgraded=groups["upgraded"][:MAX_PACKAGES] or None,
        downgraded=groups["downgraded"][:MAX_PACKAGES] or None,
        changed=groups["changed"][:MAX_PACKAGES] or None,
        omitted=omitted or None,
    )
