"""The advisor across the whole catalog: every official image, asked with no version.

For each library file in ``../shared/data/official-images/library`` (144 at commit 37079fb,
the 7 header-only deprecated ones included) the benchmark asks ``suggest_base_images
image=<name>`` for ``linux/amd64``, purpose ``runtime`` and then, as a second pass, purpose
``build``, against the fake Hub of :func:`benchmarks.advisor_catalog.build_full_catalog`
(every official image; removed tags since 2021 served as stale ones), ``today=2026-11-26``.

**Ground truth** is the maintainers' own library files, read by this module's own parser and
regexes (nothing from ``hub_mcp``: the rules below must not share the advisor's mistakes):

* **Channel line.** The entries tagged ``lts``, ``stable`` or ``latest`` (exact tags, ``Tags``
  or ``SharedTags``; Linux amd64 entries when there are any) are the channel entries; a top
  candidate on ANY of those lines counts (node: ``lts`` 24 or ``latest`` 26; nginx: ``stable``
  or ``latest``). A candidate's tag belongs to a current build entry E; E is on the line when
  E is a channel entry, or E's version pieces (dash-separated pieces starting with a digit, not
  8-digit date stamps) intersect the channel entries' version pieces (python ``3.14-slim``
  shares ``3.14`` with the ``latest`` entry; ``3.13-slim`` does not), or, when E has no version
  piece (buildpack-deps ``trixie-scm``), one of E's tags is a channel entry's tag or starts with
  one followed by ``-``.
* **A channel entry that is itself non-production** (busybox: ``1.38.0, 1.38, 1, unstable,
  latest``) does not define the line: the ground truth is then the newest line (highest
  version) whose entry carries no non-production alias (busybox 1.37).
* **Non-production**: a tag with a dash-separated piece naming alpha, beta, rc, dev, devel,
  develop, edge, unstable, testing, sid, experimental, rawhide, cauldron, sisyphus, kitten,
  nightly, snapshot, preview, ea, tip (optionally followed by digits or dots), a milestone
  ``M<N>``, or a glued prerelease (``3.15.0a1``, ``1.26rc1``, ``8.5.0RC4``); a
  candidate is non-production when its reference or any alias is, or when its build entry
  carries such an alias. Not ``tp<N>``: see :data:`NON_PRODUCTION_PIECE`.
* **Deprecated**: a header-only library file, or a repository whose (catalog) description starts
  with ``DEPRECATED``. The right answer is empty; the successor is what the README's deprecation
  notice links to on Docker Hub (``hub.docker.com/_/<name>``, ``/r/<ns>/<name>``) or names as
  ```ns/name```; the answer "names" it when that name appears in its message, notes or rejections.
* **Full pin first**: the top candidate's tag is the most precise version tag of its entry
  (same non-version pieces) while the entry also has a less precise VERSION tag (``9.7.2``
  ahead of ``9.7``; pypy ``3.11-7.3.23-slim`` ahead of ``3.11-slim``), or the same tag without
  its date stamp (``trixie-20251117`` ahead of ``trixie``). A versionless alias (``fpm-alpine``,
  ``community``) is a channel tag, not a less precise version: it does not count.

Standalone: ``.venv/bin/python -m benchmarks.advisor_breadth [--json FILE] [--shared DIR]``.
"""

from __future__ import annotations

import argparse
import asyncio
import gzip
import json
import re
import resource
import sys
import time
import traceback
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from benchmarks.advisor_catalog import default_shared_dir, parse_library

CHANNEL_TAGS: tuple[str, ...] = ("lts", "stable", "latest")
"""The maintainers' channel tags, in the order the issue names them."""

PURPOSES: tuple[str, ...] = ("runtime", "build")
PLATFORM = "linux/amd64"
TOP = 5

# --------------------------------------------------------------------------- ground truth: tags

_WORDS = (
    "alpha|beta|rc|dev|devel|develop|edge|unstable|testing|sid|experimental|rawhide|cauldron|sisyphus|kitten"
    "|nightly|snapshot|preview|ea|tip"
)
NON_PRODUCTION_PIECE = re.compile(
    rf"^(?:(?:{_WORDS})[.\d]*|m\d+|\d+(?:\.\d+)*\.?(?:a|b|rc|alpha|beta|pre|dev)\.?\d*)$", re.IGNORECASE
)
"""One dash-separated piece of a tag that marks it not for production.

``tp<N>`` (technical preview) is deliberately NOT in it: the only ``tp<N>`` tags among the
9,849 current ones are orientdb's ``3.2.55-tp3`` / ``3.1.20-tp3``, the TinkerPop 3 builds of the
very release the ``latest`` entry carries (``3.2.55``): a preview cannot carry the released
version, so counting them would make "0 non-production" demand dropping production images."""

DATE_STAMP = re.compile(r"^\d{8}(?:\.\d+)?$")
"""``20251117``, and ubuntu's ``20260811.1`` (a second build that day)."""
VERSION_PIECE = re.compile(r"^\d")
NUMERIC_VERSION = re.compile(r"^\d+(?:\.\d+)*$")


def pieces(tag: str) -> list[str]:
    return [piece for piece in tag.split("-") if piece]


def is_non_production(tag: str) -> bool:
    """``3.15.0a1``, ``6.0-alpha2``, ``26-ea-jdk``, ``11.0.0-M26``, ``unstable-glibc``, ``rc``..."""
    return any(NON_PRODUCTION_PIECE.match(piece) for piece in pieces(tag))


def version_pieces(tag: str) -> frozenset[str]:
    """Dash-separated pieces starting with a digit, except 8-digit date stamps."""
    return frozenset(p for p in pieces(tag) if VERSION_PIECE.match(p) and not DATE_STAMP.match(p))


def _numbers(piece: str) -> tuple[int, ...]:
    return tuple(int(n) for n in piece.split("."))


def split_version(tag: str) -> tuple[tuple[tuple[int, ...], ...], bool, tuple[str, ...]]:
    """``(numeric version pieces, has a date stamp, the other pieces)``:
    ``3.14.2-slim-trixie`` -> ``(((3, 14, 2),), False, ("slim", "trixie"))``;
    pypy ``3.11-7.3.23-slim`` -> ``(((3, 11), (7, 3, 23)), False, ("slim",))``;
    ``trixie-20251117-slim`` -> ``((), True, ("trixie", "slim"))``."""
    versions: list[tuple[int, ...]] = []
    dated = False
    rest: list[str] = []
    for piece in pieces(tag):
        if DATE_STAMP.match(piece):
            dated = True
        elif NUMERIC_VERSION.match(piece):
            versions.append(_numbers(piece))
        else:
            rest.append(piece.lower())
    return tuple(versions), dated, tuple(rest)


def coarser(small: str, big: str) -> bool:
    """Whether tag ``small`` is a less precise name of the same variant as ``big`` (the moving
    tag beside a pin): same other pieces, each version piece a prefix of ``big``'s, fewer numbers
    or no date stamp where ``big`` has one. ``3.14-slim`` < ``3.14.7-slim``; ``3.11-slim`` <
    ``3.11-7.3.23-slim``; ``trixie`` < ``trixie-20251117``; ``3.13-slim`` is not < ``3.14.7-slim``."""
    v_small, d_small, r_small = split_version(small)
    v_big, d_big, r_big = split_version(big)
    if r_small != r_big or len(v_small) > len(v_big) or (d_small and not d_big):
        return False
    if any(v_big[i][: len(v)] != v or len(v) > len(v_big[i]) for i, v in enumerate(v_small)):
        return False
    return (v_small, d_small) != (v_big, d_big)


def _versioned_like(small: str, big: str) -> bool:
    """A moving tag counts only when it names a version (``9.7`` beside ``9.7.2``) or is the
    same tag without the date stamp (``trixie`` beside ``trixie-20251117``): ``fpm-alpine``
    beside ``2026.05-fpm-alpine`` is a channel alias, not a less precise version."""
    v_small, _, _ = split_version(small)
    v_big, d_big, _ = split_version(big)
    return bool(v_small) or (not v_big and d_big)


_NAMED_LINE = re.compile(r"^([a-z]+)(\d+(?:\.\d+)*)$")
"""A release named by letters and a number (alt ``p11``, neurodebian ``nd130``)."""


def _named_lines(tags: Iterable[str]) -> dict[str, tuple[int, ...]]:
    out: dict[str, tuple[int, ...]] = {}
    for tag in tags:
        for piece in pieces(tag.lower()):
            match = _NAMED_LINE.match(piece)
            if match:
                out[match.group(1)] = max(out.get(match.group(1), ()), _numbers(match.group(2)))
    return out


# --------------------------------------------------------------------------- ground truth: entries


@dataclass(frozen=True)
class Entry:
    """One build entry of a library file: its tags (``Tags`` then ``SharedTags``)."""

    tags: tuple[str, ...]
    architectures: tuple[str, ...]

    @cached_property
    def versions(self) -> frozenset[str]:
        return frozenset(v for tag in self.tags for v in version_pieces(tag))

    @cached_property
    def non_production(self) -> bool:
        return any(is_non_production(tag) for tag in self.tags)

    @cached_property
    def main_version(self) -> tuple[int, ...]:
        """The most precise numeric version piece of the entry (``()`` when none)."""
        found = [_numbers(v) for v in self.versions if NUMERIC_VERSION.match(v)]
        return max(found, key=lambda v: (len(v), v), default=())

    @property
    def linux_amd64(self) -> bool:
        return "amd64" in self.architectures

    def label(self, limit: int = 4) -> str:
        shown = ", ".join(self.tags[:limit])
        return shown + (", ..." if len(self.tags) > limit else "")


@dataclass
class Truth:
    """What the maintainers' library file says about one official image."""

    image: str
    entries: list[Entry]
    channel: list[Entry] = field(default_factory=list)
    """The entries that define the channel line (empty: no lts/stable/latest tag)."""
    channel_source: str = ""
    """``lts, latest`` (the channel tags found) or ``newest production line`` (the busybox rule)."""

    @cached_property
    def by_tag(self) -> dict[str, list[Entry]]:
        out: dict[str, list[Entry]] = {}
        for entry in self.entries:
            for tag in entry.tags:
                out.setdefault(tag, []).append(entry)
        return out

    @cached_property
    def channel_versions(self) -> frozenset[str]:
        return frozenset(v for entry in self.channel for v in entry.versions)

    @cached_property
    def channel_tag_names(self) -> frozenset[str]:
        return frozenset(tag for entry in self.channel for tag in entry.tags)

    @property
    def maintained(self) -> bool:
        return bool(self.entries)

    @property
    def has_latest(self) -> bool:
        return "latest" in self.by_tag

    @property
    def has_channel(self) -> bool:
        return bool(self.channel)

    def entries_of(self, tag: str) -> list[Entry]:
        """The current entries a tag belongs to (Linux amd64 ones first when a shared tag spans more)."""
        found = self.by_tag.get(tag, [])
        linux = [e for e in found if e.linux_amd64]
        return linux or found

    def entry_on_line(self, entry: Entry) -> bool:
        if entry in self.channel:
            return True
        if entry.versions:
            return bool(entry.versions & self.channel_versions)
        return any(
            tag in self.channel_tag_names or any(tag.startswith(f"{c}-") for c in self.channel_tag_names)
            for tag in entry.tags
        )

    def on_line(self, tag: str) -> bool:
        return any(self.entry_on_line(entry) for entry in self.entries_of(tag))

    def non_production(self, tag: str) -> bool:
        """The tag, or an alias of it in its build entry, marks it not for production."""
        return is_non_production(tag) or any(entry.non_production for entry in self.by_tag.get(tag, []))

    def off_line_kind(self, tag: str) -> str:
        """Why a current tag is off the channel line: ``older patch`` (same major.minor as a
        channel entry, lower), ``newer line``, ``older line``, or ``other line`` (no version)."""
        entries = self.entries_of(tag)
        if not entries:
            return "removed or unknown tag"
        mine = max((e.main_version for e in entries), default=())
        channel = [e.main_version for e in self.channel if e.main_version]
        if mine or channel:
            if not (mine and channel):
                return "other line"
        else:  # neither has a numeric version: compare named releases (alt p10 vs p11) sharing letters
            named = _named_lines(t for e in entries for t in e.tags)
            wanted = _named_lines(self.channel_tag_names)
            common = [k for k in named if k in wanted]
            if not common:
                return "other line"
            return "newer line" if any(named[k] > wanted[k] for k in common) else "older line"
        if any(c[:2] == mine[:2] and len(c) > 2 and mine < c for c in channel):
            return "older patch"
        if mine > max(channel):
            return "newer line"
        return "older line"

    def full_pin_ahead_of_moving(self, tag: str) -> bool | None:
        """``True``: ``tag`` is a full pin (no tag of its entry with the same other pieces is
        more precise) while its entry has a moving tag for it (a less precise version tag with the
        same other pieces, or the same tag without its date stamp); ``False``: such a moving tag
        exists and ``tag`` is not the full pin; ``None``: nothing to judge. Precision is the count
        of version numbers, then the date stamp (tomee ``10.1-alpine-plume`` is a moving alias in
        the entry of ``10.2.0-alpine-plume``, not a pin)."""
        entries = self.entries_of(tag)
        if not entries:
            return None
        _, _, rest = split_version(tag)
        same = [t for t in entries[0].tags if split_version(t)[2] == rest]
        best = max(_precision(t) for t in same)
        pins = [t for t in same if _precision(t) == best]
        if not any(_precision(t) < best and _versioned_like(t, pins[0]) for t in same):
            return None
        return tag in pins


def _precision(tag: str) -> tuple[int, bool]:
    versions, dated, _ = split_version(tag)
    return sum(len(v) for v in versions), dated


def truth_from_library(image: str, text: str) -> Truth:
    """The ground truth of one library file (see the module docstring for the rules)."""
    entries = [Entry(e.tags + e.shared_tags, e.architectures) for e in parse_library(text)]
    truth = Truth(image, entries)
    found = [c for c in CHANNEL_TAGS if c in truth.by_tag]
    channel = [e for e in entries if any(c in e.tags for c in found)]
    linux = [e for e in channel if e.linux_amd64]
    channel = linux or channel
    production = [e for e in channel if not e.non_production]
    if production:
        truth.channel, truth.channel_source = production, ", ".join(found)
    elif channel:  # every channel entry is itself non-production: the newest production line
        candidates = [e for e in entries if not e.non_production and e.main_version and e.linux_amd64]
        if candidates:
            newest = max(e.main_version for e in candidates)
            truth.channel = [e for e in candidates if e.main_version == newest]
            truth.channel_source = f"newest production line ({'/'.join(found)} is non-production)"
    return truth


def read_truths(shared: Path) -> dict[str, Truth]:
    library = shared / "official-images" / "library"
    return {
        path.name: truth_from_library(path.name, path.read_text(encoding="utf-8"))
        for path in sorted(library.iterdir())
        if path.is_file()
    }


# --------------------------------------------------------------------------- ground truth: deprecation

_NOTICE_END = re.compile(r"^# (?!\*\*DEPRECAT|.*DEPRECATION)", re.MULTILINE)
_HUB_LINK = re.compile(r"hub\.docker\.com/(?:_/([a-z0-9._-]+)|r/([a-z0-9._-]+/[a-z0-9._-]+))", re.IGNORECASE)
_NAMESPACED = re.compile(r"`([a-z0-9._-]+/[a-z0-9._-]+)(?::[^`]*)?`")


def successors(readme: str) -> list[str]:
    """The images a README's deprecation notice points to (empty when none or no notice)."""
    if "DEPRECAT" not in readme[:300].upper():
        return []
    body = readme[readme.find("\n") + 1 :]
    end = _NOTICE_END.search(body)
    notice = body[: end.start()] if end else body[:3000]
    found: list[str] = []
    for match in _HUB_LINK.finditer(notice):
        name = (match.group(1) or match.group(2)).strip("/").lower()
        if name not in found:
            found.append(name)
    for match in _NAMESPACED.finditer(notice):
        name = match.group(1).lower()
        if name not in found and not name.startswith(("docker-library/", "github.com")):
            found.append(name)
    return found


def read_readmes(shared: Path) -> dict[str, str]:
    path = shared / "official-images-docs" / "hub-docs.jsonl.gz"
    out: dict[str, str] = {}
    with gzip.open(path, "rt", encoding="utf-8") as handle:
        for line in handle:
            row = json.loads(line)
            out[row["repository"]] = row.get("full_description") or ""
    return out


# --------------------------------------------------------------------------- asking the advisor


def split_reference(reference: str) -> tuple[str, str]:
    """``python:3.14-slim`` / ``docker.io/library/python:3.14@sha256:..`` -> ``("python", "3.14-slim")``;
    another namespace keeps it (``bitnami/redis``)."""
    ref = reference.split("@", 1)[0]
    name, _, tag = ref.rpartition(":")
    if not name or "/" in tag:
        name, tag = ref, "latest"
    for prefix in ("docker.io/", "index.docker.io/", "registry-1.docker.io/"):
        name = name.removeprefix(prefix)
    name = name.removeprefix("library/")
    return name, tag


@dataclass
class Pick:
    reference: str
    repository: str
    tag: str
    aliases: list[str]


@dataclass
class ImageResult:
    image: str
    purpose: str
    deprecated: bool
    maintained: bool
    has_latest: bool
    channel: str
    """The channel entries (first tags), as the failure listing shows them."""
    channel_source: str
    picks: list[Pick] = field(default_factory=list)
    error: str | None = None
    message: str = ""
    seconds: float = 0.0
    top_on_line: bool | None = None
    """None: not scored (no channel tag, deprecated, or empty)."""
    top_kind: str | None = None
    """Why the top candidate is off the line (``older patch``...), or its line when unscored."""
    non_production: list[str] = field(default_factory=list)
    """References (or aliases) of the top 5 that are not for production."""
    full_pin_first: bool | None = None
    successors: list[str] = field(default_factory=list)
    names_successor: bool | None = None
    """The message, notes or rejections name a successor from the README, or the candidates are its images."""
    successor_candidates: bool = False
    """Deprecated image answered with the README's successors' images only (not an error: reported apart)."""

    @property
    def answered(self) -> bool:
        return bool(self.picks)


def _advisor_api() -> tuple[Any, Any, Any]:
    from hub_mcp.advisor.suggest import SuggestRequest
    from hub_mcp.config.settings import Settings
    from hub_mcp.runtime import Runtime

    return SuggestRequest, Runtime, Settings


def _answer_text(suggestion: Any) -> str:
    parts = [str(getattr(suggestion, "message", "") or "")]
    parts += [str(n) for n in getattr(suggestion, "notes", None) or []]
    for rejection in getattr(suggestion, "rejected", None) or []:
        parts.append(f"{getattr(rejection, 'reference', '')} {getattr(rejection, 'detail', '')}")
    return "\n".join(parts).lower()


def judge(result: ImageResult, truths: dict[str, Truth], readme_successors: list[str], text: str) -> None:
    """Fill in the verdicts of ``result`` from the ground truth (never from the advisor)."""
    truth = truths.get(result.image)
    for pick in result.picks[:TOP]:
        own = truths.get(pick.repository)
        names = [pick.tag] + [split_reference(a if ":" in a else f"{pick.repository}:{a}")[1] for a in pick.aliases]
        bad = [n for n in names if is_non_production(n) or (own is not None and own.non_production(n))]
        if bad:
            result.non_production.append(f"{pick.repository}:{bad[0]}")
    if result.deprecated:
        result.successors = readme_successors
        offered = {pick.repository for pick in result.picks}
        result.successor_candidates = bool(offered) and offered <= set(readme_successors)
        if readme_successors:
            result.names_successor = result.successor_candidates or any(name in text for name in readme_successors)
        return
    if truth is None or not result.picks:
        return
    top = result.picks[0]
    if top.repository != result.image:
        result.top_on_line = False if truth.has_channel else None
        result.top_kind = "other repository"
        return
    current = bool(truth.entries_of(top.tag))
    result.full_pin_first = truth.full_pin_ahead_of_moving(top.tag) if current else None
    if not truth.has_channel:
        entries = truth.entries_of(top.tag)
        result.top_kind = f"unscored: {entries[0].label(3)}" if entries else "unscored: removed tag"
        return
    if not current:
        result.top_on_line, result.top_kind = False, "removed tag"
        return
    result.top_on_line = truth.on_line(top.tag)
    if not result.top_on_line:
        result.top_kind = truth.off_line_kind(top.tag)


async def ask_all(
    catalog: Any, truths: dict[str, Truth], readmes: dict[str, str], purposes: Sequence[str]
) -> list[ImageResult]:
    import httpx

    from benchmarks.advisor import HUB_URL, REGISTRY_URL, TODAY, RefusingRegistry
    from tests.fakes.hub import FakeHub

    suggest_request, runtime_cls, settings_cls = _advisor_api()
    hub = FakeHub(catalog, enforce_rate_limit=False, rate_limit=1_000_000_000)
    hub.latency = 0.0
    registry = RefusingRegistry()
    deprecated_repos = {
        r.name
        for r in catalog.repositories
        if r.namespace == "library" and r.description.upper().startswith("DEPRECATED")
    }
    results: list[ImageResult] = []
    for purpose in purposes:
        for image, truth in truths.items():
            deprecated = not truth.maintained or image in deprecated_repos
            result = ImageResult(
                image=image,
                purpose=purpose,
                deprecated=deprecated,
                maintained=truth.maintained and not deprecated,
                has_latest=truth.has_latest,
                channel=" | ".join(e.label() for e in truth.channel[:3]) or "(no lts/stable/latest tag)",
                channel_source=truth.channel_source,
            )
            settings = settings_cls(hub_url=HUB_URL, registry_url=REGISTRY_URL, retry_max_wait=0.0)
            runtime = runtime_cls(
                settings, hub_transport=httpx.ASGITransport(app=hub.app), registry_transport=registry, today=TODAY
            )
            started = time.perf_counter()
            text = ""
            try:
                services = await runtime.services()
                request = suggest_request(image=image, platforms=(PLATFORM,), purpose=purpose)
                suggestion = await services.advisor.suggest(request)
                candidates = sorted(suggestion.candidates or [], key=lambda c: c.rank)
                for candidate in candidates:
                    repository, tag = split_reference(candidate.reference)
                    result.picks.append(Pick(candidate.reference, repository, tag, list(candidate.aliases or [])))
                result.message = str(suggestion.message or "")
                text = _answer_text(suggestion)
            except Exception as exc:  # noqa: BLE001 - one broken image must not hide the others
                result.error = f"{type(exc).__name__}: {exc}"
                result.message = traceback.format_exc(limit=3)
            finally:
                await runtime.aclose()
            result.seconds = time.perf_counter() - started
            judge(result, truths, successors(readmes.get(image, "")), text)
            results.append(result)
    return results


# --------------------------------------------------------------------------- counting


@dataclass
class PassSummary:
    purpose: str
    images_asked: int
    answered: int
    errors: int
    maintained: int
    """Not deprecated, with at least one current tag."""
    scored: int
    """Maintained images with an lts/stable/latest tag (or the busybox rule) and an answer."""
    with_channel: int
    on_line: int
    unscored_images: int
    """Maintained images without any lts/stable/latest tag."""
    unscored_answered: int
    non_production_refs: int
    non_production_images: int
    empty_maintained_latest: int
    empty_maintained_any: int
    deprecated: int
    deprecated_empty: int
    deprecated_successor_candidates: int
    """Deprecated images answered with their README successors' images (instead of empty)."""
    deprecated_with_successor: int
    deprecated_names_successor: int
    pin_judged: int
    """Top candidates whose entry has a moving tag beside a full pin."""
    full_pins_first: int
    median_s: float
    max_s: float

    @property
    def on_line_share(self) -> float:
        return self.on_line / self.with_channel if self.with_channel else 0.0


def summarize(results: Sequence[ImageResult], purpose: str) -> PassSummary:
    chosen = [r for r in results if r.purpose == purpose]
    maintained = [r for r in chosen if r.maintained]
    channel = [r for r in maintained if r.channel_source]
    deprecated = [r for r in chosen if r.deprecated]
    seconds = sorted(r.seconds for r in chosen) or [0.0]
    return PassSummary(
        purpose=purpose,
        images_asked=len(chosen),
        answered=sum(r.answered for r in chosen),
        errors=sum(r.error is not None for r in chosen),
        maintained=len(maintained),
        scored=sum(r.top_on_line is not None for r in channel),
        with_channel=len(channel),
        on_line=sum(bool(r.top_on_line) for r in channel),
        unscored_images=len(maintained) - len(channel),
        unscored_answered=sum(r.answered for r in maintained if not r.channel_source),
        non_production_refs=sum(len(r.non_production) for r in chosen),
        non_production_images=sum(bool(r.non_production) for r in chosen),
        empty_maintained_latest=sum(not r.answered for r in maintained if r.has_latest),
        empty_maintained_any=sum(not r.answered for r in maintained),
        deprecated=len(deprecated),
        deprecated_empty=sum(not r.answered and r.error is None for r in deprecated),
        deprecated_successor_candidates=sum(r.successor_candidates for r in deprecated),
        deprecated_with_successor=sum(bool(r.successors) for r in deprecated),
        deprecated_names_successor=sum(bool(r.names_successor) for r in deprecated),
        pin_judged=sum(r.full_pin_first is not None for r in maintained),
        full_pins_first=sum(bool(r.full_pin_first) for r in maintained),
        median_s=seconds[len(seconds) // 2],
        max_s=seconds[-1],
    )


FAILURE_KINDS: tuple[str, ...] = (
    "error", "empty", "non-production tag", "older patch", "older line", "newer line", "other line",
    "removed tag", "other repository", "full pin first", "deprecated answered", "deprecated without successor",
)  # fmt: skip


def failure_kinds(result: ImageResult) -> list[str]:
    kinds: list[str] = []
    if result.error is not None:
        return ["error"]
    if result.maintained and not result.answered:
        kinds.append("empty")
    if result.non_production:
        kinds.append("non-production tag")
    if result.top_on_line is False and result.top_kind:
        kinds.append(result.top_kind)
    if result.full_pin_first:
        kinds.append("full pin first")
    if result.deprecated and result.answered and not result.successor_candidates:
        kinds.append("deprecated answered")
    if result.deprecated and result.successors and not result.names_successor:
        kinds.append("deprecated without successor")
    return kinds


@dataclass
class BreadthReport:
    data_source: str
    catalog_repositories: int
    catalog_tags: int
    catalog_build_s: float
    history_since: str | None
    today: str
    images: int
    passes: list[PassSummary]
    failures: dict[str, dict[str, list[str]]]
    """purpose -> failure kind -> images."""
    results: list[ImageResult]
    seconds: float
    max_rss_mb: float
    notes: list[str]

    def as_dict(self) -> dict[str, Any]:
        out = asdict(self)
        for summary in out["passes"]:
            summary["on_line_share"] = round(
                summary["on_line"] / summary["with_channel"] if summary["with_channel"] else 0.0, 4
            )
        return out


def _max_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux


async def measure_breadth(
    shared: Path | None = None, *, purposes: Sequence[str] = PURPOSES, images: Iterable[str] | None = None
) -> BreadthReport:
    from benchmarks.advisor import TODAY
    from benchmarks.advisor_catalog import HISTORY_SINCE, build_full_catalog

    started = time.perf_counter()
    directory = shared if shared is not None else default_shared_dir()
    catalog = build_full_catalog(directory)
    build_s = time.perf_counter() - started
    truths = read_truths(directory)
    if images is not None:
        wanted = set(images)
        truths = {name: truth for name, truth in truths.items() if name in wanted}
    readmes = read_readmes(directory)
    results = await ask_all(catalog, truths, readmes, purposes)
    failures: dict[str, dict[str, list[str]]] = {}
    for purpose in purposes:
        grouped: dict[str, list[str]] = {kind: [] for kind in FAILURE_KINDS}
        for result in results:
            if result.purpose == purpose:
                for kind in failure_kinds(result):
                    grouped.setdefault(kind, []).append(result.image)
        failures[purpose] = {kind: names for kind, names in grouped.items() if names}
    notes = [
        (
            "Ground truth: the library files (official-images 37079fb) read by this module's own parser; "
            "SYNTHETIC sizes, dates, digests and pull counts as in benchmarks/advisor_catalog.py."
        ),
        (
            "Channel line: lts / stable / latest entries (any counts); a channel entry carrying a non-production "
            "alias (busybox 'unstable') is replaced by the newest production line."
        ),
    ]
    return BreadthReport(
        data_source=str(directory),
        catalog_repositories=len(catalog.repositories),
        catalog_tags=sum(len(r.tags) for r in catalog.repositories),
        catalog_build_s=build_s,
        history_since=HISTORY_SINCE,
        today=TODAY.isoformat(),
        images=len(truths),
        passes=[summarize(results, p) for p in purposes],
        failures=failures,
        results=results,
        seconds=time.perf_counter() - started,
        max_rss_mb=_max_rss_mb(),
        notes=notes,
    )


# --------------------------------------------------------------------------- formatting


def _ratio(part: int, whole: int) -> str:
    share = f"{part / whole * 100:5.1f}%" if whole else "    -"
    return f"{part:>4}/{whole:<4} {share}"


def format_breadth(report: BreadthReport, *, listing: bool = True) -> str:
    lines = ["Base-image advisor across every official image (benchmarks/advisor_breadth.py)"]
    lines.append(
        f"data: {report.data_source}: {report.catalog_repositories} repositories, {report.catalog_tags:,} tags "
        f"(built in {report.catalog_build_s:.1f} s; removed tags since {report.history_since}); "
        f"{report.images} official images asked with no version, {PLATFORM}, advisor today {report.today}"
    )
    lines += [f"note: {note}" for note in report.notes]
    passes = report.passes
    header = f"{'':<44}" + "".join(f"{'purpose ' + p.purpose:>18}" for p in passes)
    rows: list[tuple[str, list[str]]] = [
        ("images answered (>= 1 candidate)", [_ratio(p.answered, p.images_asked) for p in passes]),
        ("errors", [f"{p.errors:>4}" for p in passes]),
        ("top candidate on the channel line", [_ratio(p.on_line, p.with_channel) for p in passes]),
        ("  (goal >= 97 %)", ["PASS" if p.on_line_share >= 0.97 else "FAIL" for p in passes]),
        ("non-production refs in a top 5 (goal 0)", [f"{p.non_production_refs:>4}" for p in passes]),
        ("  images with one", [f"{p.non_production_images:>4}" for p in passes]),
        ("empty, maintained with latest (goal 0)", [f"{p.empty_maintained_latest:>4}" for p in passes]),
        ("empty, maintained (any current tag)", [_ratio(p.empty_maintained_any, p.maintained) for p in passes]),
        ("no lts/stable/latest: answered (unscored)", [_ratio(p.unscored_answered, p.unscored_images) for p in passes]),
        ("deprecated: empty", [_ratio(p.deprecated_empty, p.deprecated) for p in passes]),
        ("deprecated: answered with successors' images",
         [_ratio(p.deprecated_successor_candidates, p.deprecated) for p in passes]),
        ("deprecated: names the README's successor",
         [_ratio(p.deprecated_names_successor, p.deprecated_with_successor) for p in passes]),
        ("full pin ahead of a moving tag (top)", [_ratio(p.full_pins_first, p.pin_judged) for p in passes]),
        ("seconds per image (median / max)", [f"{p.median_s:.2f} / {p.max_s:.2f}" for p in passes]),
    ]  # fmt: skip
    lines += ["", header, "-" * len(header)]
    lines += [f"{label:<44}" + "".join(f"{v:>18}" for v in values) for label, values in rows]
    lines.append(f"total {report.seconds:.1f} s, max RSS {report.max_rss_mb:.0f} MB")
    if not listing:
        return "\n".join(lines)
    by_key = {(r.purpose, r.image): r for r in report.results}
    for summary in passes:
        unscored = [r for r in report.results if r.purpose == summary.purpose and r.maintained and not r.channel_source]
        lines += ["", f"not scored (no lts/stable/latest tag), purpose {summary.purpose}: {len(unscored)}"]
        for result in unscored:
            top = result.picks[0].reference if result.picks else "(none)"
            lines.append(f"    {result.image:<22} top: {top:<48} {result.top_kind or ''}")
        grouped = report.failures.get(summary.purpose, {})
        count = len({image for names in grouped.values() for image in names})
        lines += ["", f"failing images, purpose {summary.purpose}: {count}"]
        for kind, names in grouped.items():
            lines.append(f"  {kind} ({len(names)}):")
            for image in names:
                result = by_key[(summary.purpose, image)]
                top = ", ".join(p.reference for p in result.picks[:3]) or "(none)"
                lines.append(f"    {image:<22} top: {top}")
                if kind == "error":
                    lines.append(f"    {'':<22} {result.error}")
                elif kind == "non-production tag":
                    lines.append(f"    {'':<22} non-production: {', '.join(result.non_production[:4])}")
                elif kind.startswith("deprecated"):
                    lines.append(f"    {'':<22} successor: {', '.join(result.successors) or '-'}")
                else:
                    lines.append(f"    {'':<22} channel ({result.channel_source or '-'}): {result.channel}")
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.advisor_breadth", description=__doc__.splitlines()[0])
    parser.add_argument("--shared", type=Path, default=None, help="../shared/data (default: next to the checkout)")
    parser.add_argument("--json", type=Path, default=None, help="also write the full report as JSON")
    parser.add_argument("--purpose", choices=PURPOSES, action="append", help="only this pass (repeatable)")
    parser.add_argument("--image", action="append", help="only this official image (repeatable)")
    args = parser.parse_args(argv)
    report = asyncio.run(measure_breadth(args.shared, purposes=args.purpose or PURPOSES, images=args.image))
    print(format_breadth(report))
    if args.json is not None:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps(report.as_dict(), indent=2, default=str) + "\n")
    return 1 if any(p.errors for p in report.passes) else 0


__all__ = [
    "CHANNEL_TAGS",
    "BreadthReport",
    "Entry",
    "ImageResult",
    "PassSummary",
    "Truth",
    "format_breadth",
    "is_non_production",
    "measure_breadth",
    "successors",
    "truth_from_library",
    "version_pieces",
]

if __name__ == "__main__":
    sys.exit(main())
