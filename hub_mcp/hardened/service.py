"""Hardened equivalents, checked live where a login allows it.

The bundled table (:mod:`hub_mcp.hardened.table`) names an existing DHI tag for an official image's
tag (:func:`hub_mcp.hardened.migration.equivalent_for`). :class:`HardenedImages` then asks the
registries, the way Docker Hub references are verified:

* **An organization mirror** (``<namespace>/dhi-<image>`` on Docker Hub, :mod:`hub_mcp.hardened.mirrors`)
  of the image, in a namespace the Docker Hub login may read: a ``HEAD`` of the tag there. Found: the
  answer is the mirror's reference (what the user can pull), verified. Not there: dhi.io is asked.
* **dhi.io**, when a login for it exists (the docker config's ``dhi.io`` entry, or
  ``HUB_MCP_REGISTRY_CREDENTIALS``) [documented: ../shared/docs/security-facts.md, "Pulling from
  dhi.io needs a Docker login"]: a ``HEAD`` of the tag. Found: verified. Not found (the registry
  moved on since the table's commit): the image's tag list is read once and the equivalent is chosen
  again among the listed tags the table knows: the same line under another of its names, else the
  closest line, else none. Never a tag the registry does not list, never one the table does not know.
* **Otherwise** (no login, the login refused, the registry unreachable or slower than ``within``): the
  table's answer, not marked verified, and :attr:`Equivalents.source` says why and how to have it
  checked.

What was read live is kept :data:`LIVE_TTL` seconds (DHI tags are rebuilt, not removed, within that).
No call waits on another's checks: each call starts its own requests (the registry client shares
only a manifest read within one call).
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Awaitable, Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any, Protocol

from hub_mcp.errors import Forbidden, HubMCPError, NotFound, Unauthorized, clause
from hub_mcp.hardened.migration import equivalent_for, provenance
from hub_mcp.hardened.mirrors import MirrorFinder, Mirrors
from hub_mcp.hardened.table import DhiTag, Stage
from hub_mcp.net.cache import LRUCache
from hub_mcp.registry.models import ManifestHead, TagList
from hub_mcp.vocab.common import utc_today
from hub_mcp.vocab.references import ImageReference

__all__ = ["CHECK_WITHIN", "DHI", "Ask", "Equivalent", "Equivalents", "HardenedImages", "LiveRegistry"]

log = logging.getLogger("hub_mcp.hardened")

DHI = "dhi.io"
Ask = tuple[str, Stage]
"""An official image's reference (``python:3.12-slim``) and the stage it is used in."""

CHECK_WITHIN = 10.0  # seconds the live checks of one answer may take; the rest is answered from the table
LIVE_TTL = 600.0
MAX_ASKS = 64  # distinct (reference, stage) pairs checked per answer; more are answered from the table
CONCURRENCY = 4  # live checks at once
NO_LOGIN = (
    "no login for dhi.io: run 'docker login dhi.io' (or set HUB_MCP_REGISTRY_CREDENTIALS=dhi.io=<user>:<token>)"
    " and restart the server to have them checked"
)


class LiveRegistry(Protocol):
    """What the checks read (:class:`hub_mcp.registry.client.RegistryClient` is one)."""

    def credentials_for(self, registry: str) -> tuple[str, str] | None: ...

    async def head_manifest(
        self, ref: ImageReference, reference: str | None = None, *, use_cache: bool = True
    ) -> ManifestHead | None: ...

    async def list_tags(self, ref: ImageReference) -> TagList: ...


@dataclass(frozen=True)
class Equivalent:
    """The DHI tag to use instead, what to write in FROM (``dhi.io/...`` or an organization's mirror),
    what moving to it changes in a Dockerfile, and whether a registry confirmed it (None: not checked)."""

    tag: DhiTag
    reference: str
    changes: tuple[str, ...]
    verified: bool | None = None


@dataclass(frozen=True)
class Equivalents:
    """The equivalents of one answer's asks. ``source`` is a clause for the answer's notes ("checked live
    on dhi.io", or the table's date and why it was not checked); ``remarks`` are sentences about tags the
    registry did not have."""

    found: Mapping[Ask, Equivalent | None]
    source: str
    remarks: tuple[str, ...] = ()

    def get(self, reference: str, stage: Stage) -> Equivalent | None:
        return self.found.get((reference, stage))

    def changes(self) -> list[str]:
        """Every change of the equivalents found, each once, in order."""
        return list(dict.fromkeys(c for e in self.found.values() if e is not None for c in e.changes))

    def notes(self, *, first: str = "") -> list[str]:
        """The answer's notes: where the equivalents come from and what moving to one changes (``first``: a clause
        before the source, e.g. the order they were put in), then the remarks; none when nothing was found."""
        changes = self.changes()
        said = [f"Hardened equivalents ({first}{self.source}), moving to one: {'; '.join(changes)}."] if changes else []
        return said + list(self.remarks)


@dataclass
class _Outcome:
    equivalent: Equivalent | None
    where: str | None = None  # the registry that confirmed it ("dhi.io", "acme/dhi-python on Docker Hub")
    problem: str | None = None  # why it was not checked (a clause)
    remark: str | None = None  # a sentence: the table's tag was not on the registry
    cacheable: bool = True


class HardenedImages:
    """The hardened equivalents of official images, from the bundled table, checked live when it can be."""

    def __init__(
        self,
        registry: LiveRegistry | None = None,
        *,
        mirrors: MirrorFinder | None = None,
        within: float = CHECK_WITHIN,
        ttl: float = LIVE_TTL,
        today: Callable[[], date] | None = None,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._registry = registry
        self._today = today or utc_today  # channels (node:lts) are read with the lifecycle table of this day
        self._mirrors = mirrors
        self._within = within
        self._live: LRUCache[tuple[str, str, Stage], _Outcome] = LRUCache(1024, ttl=ttl, clock=clock)
        self._listed: LRUCache[str, frozenset[str]] = LRUCache(64, ttl=ttl, clock=clock)
        self._heads: LRUCache[str, bool] = LRUCache(1024, ttl=ttl, clock=clock)  # reference -> the registry has it

    async def equivalents(self, asks: Iterable[Ask]) -> Equivalents:
        """The equivalent of each ask (None: the image has none, or no tag of it exists live)."""
        wanted = list(dict.fromkeys(asks))
        today = self._today()
        table = {ask: equivalent_for(ask[0], None, ask[1], today=today) for ask in wanted}
        from_table = {
            ask: Equivalent(found[0], found[0].reference, tuple(found[1])) if found else None
            for ask, found in table.items()
        }
        if not any(table.values()):
            return Equivalents(from_table, provenance())
        registry = self._registry
        if registry is None:
            return Equivalents(from_table, provenance())
        mirrors = await self._find_mirrors()
        login = registry.credentials_for(DHI) is not None
        if not mirrors.by_image and not login:
            return Equivalents(from_table, f"{provenance()}: {mirrors.problem or NO_LOGIN}")
        to_check = [(ask, found) for ask, found in table.items() if found is not None][:MAX_ASKS]
        outcomes = await self._check_all(registry, to_check, mirrors, login, today)
        found: dict[Ask, Equivalent | None] = dict(from_table)
        where: dict[str, None] = {}
        problems: dict[str, None] = {}
        remarks: dict[str, None] = {}
        for ask, outcome in outcomes.items():
            found[ask] = outcome.equivalent
            where |= dict.fromkeys([outcome.where] if outcome.where else [])
            problems |= dict.fromkeys([outcome.problem] if outcome.problem else [])
            remarks |= dict.fromkeys([outcome.remark] if outcome.remark else [])
        if mirrors.problem:
            problems[f"mirrors not searched fully: {mirrors.problem}"] = None
        unchecked = sum(1 for e in table.values() if e is not None) - sum(1 for o in outcomes.values() if o.where)
        checked = f"checked live on {', '.join(where)}" if where else ""
        why = "; ".join(problems) or NO_LOGIN
        if not unchecked:
            source = checked
        elif where:
            source = f"{checked}; {unchecked} other(s) {provenance()}: {why}"
        else:
            source = f"{provenance()}: {why}"
        return Equivalents(found, source, tuple(remarks))

    async def _find_mirrors(self) -> Mirrors:
        if self._mirrors is None:
            return Mirrors({})
        try:
            return await asyncio.wait_for(self._mirrors.mirrors(), timeout=self._within / 2)
        except TimeoutError:
            return Mirrors({}, problem=f"Docker Hub did not list your repositories within {self._within / 2:g} s")
        except HubMCPError as exc:
            return Mirrors({}, problem=clause(exc))

    async def _check_all(
        self,
        registry: LiveRegistry,
        to_check: list[tuple[Ask, tuple[DhiTag, list[str]]]],
        mirrors: Mirrors,
        login: bool,
        today: date,
    ) -> dict[Ask, _Outcome]:
        reads = _Reads(registry, self._heads, self._listed)

        async def one(ask: Ask, found: tuple[DhiTag, list[str]]) -> _Outcome:
            key = (found[0].reference, ask[0], ask[1])
            cached = self._live.get(key)
            if cached is not None:
                return cached
            outcome = await self._check(reads, ask, found, mirrors, login, today)
            if outcome.cacheable:
                self._live.put(key, outcome)
            return outcome

        if not to_check:
            return {}
        loop = asyncio.get_running_loop()
        deadline = loop.time() + self._within
        (ask, found), rest = to_check[0], to_check[1:]
        tasks = {ask: asyncio.ensure_future(one(ask, found))}
        # the first alone: a cold client learns the registry's login challenge once, not once per check at once
        await asyncio.wait(tasks.values(), timeout=self._within)
        tasks |= {ask: asyncio.ensure_future(one(ask, found)) for ask, found in rest}
        done, pending = await asyncio.wait(tasks.values(), timeout=max(0.0, deadline - loop.time()))
        for task in pending:
            task.cancel()
        reads.cancel()
        out: dict[Ask, _Outcome] = {}
        late = f"the registries did not answer within {self._within:g} s"
        for ask, found in to_check:
            task = tasks[ask]
            if task in done and not task.cancelled() and task.exception() is None:
                out[ask] = task.result()
                continue
            error = task.exception() if task in done and not task.cancelled() else None
            if error is not None and not isinstance(error, HubMCPError):
                log.warning("checking %s live failed", found[0].reference, exc_info=error)
            tag, changes = found
            problem = clause(error) if error is not None else late
            out[ask] = _Outcome(Equivalent(tag, tag.reference, tuple(changes)), problem=problem, cacheable=False)
        return out

    async def _check(
        self,
        reads: _Reads,
        ask: Ask,
        found: tuple[DhiTag, list[str]],
        mirrors: Mirrors,
        login: bool,
        today: date,
    ) -> _Outcome:
        tag, changes = found
        unchecked = Equivalent(tag, tag.reference, tuple(changes))
        image = tag.image.removeprefix(f"{DHI}/")
        mirror = mirrors.by_image.get(image)
        mirror_problem: str | None = None
        if mirror is not None:
            try:
                if await reads.exists(f"{mirror}:{tag.tag}"):
                    return _Outcome(
                        Equivalent(tag, f"{mirror}:{tag.tag}", tuple(changes), True), where=f"{mirror} on Docker Hub"
                    )
            except HubMCPError as exc:
                mirror_problem = f"{mirror} on Docker Hub: {clause(exc)}"
        if not login:
            problem = mirror_problem or (f"{mirror} has no tag {tag.tag} and {NO_LOGIN}" if mirror else NO_LOGIN)
            return _Outcome(unchecked, problem=problem, cacheable=mirror_problem is None)
        try:
            if await reads.exists(tag.reference):
                return _Outcome(Equivalent(tag, tag.reference, tuple(changes), True), where=DHI)
            listed = await reads.tags(tag.image)
        except (Unauthorized, Forbidden) as exc:
            return _Outcome(unchecked, problem=f"dhi.io refused the login ({clause(exc)})", cacheable=False)
        except HubMCPError as exc:
            return _Outcome(unchecked, problem=f"dhi.io could not be read ({clause(exc)})", cacheable=False)
        again = equivalent_for(ask[0], None, ask[1], today=today, available=listed)
        if again is None:
            return _Outcome(
                None,
                where=DHI,
                remark=f"{tag.reference} (from the bundled catalog) is not on dhi.io and no tag of {ask[0]}'s line or"
                " a close one is: no hardened equivalent is named for it.",
            )
        other, other_changes = again
        return _Outcome(
            Equivalent(other, other.reference, tuple(other_changes), True),
            where=DHI,
            remark=f"{tag.reference} (from the bundled catalog) is not on dhi.io: {other.reference} is named instead.",
        )


class _Reads:
    """The registry reads of one answer's checks: each tag's HEAD and each image's tag list read once (checks that
    need the same one await it), at most :data:`CONCURRENCY` at a time, and kept across answers in the caches."""

    def __init__(
        self, registry: LiveRegistry, heads: LRUCache[str, bool], listed: LRUCache[str, frozenset[str]]
    ) -> None:
        self._registry = registry
        self._heads = heads
        self._listed = listed
        self._gate = asyncio.Semaphore(CONCURRENCY)
        self._inflight: dict[str, asyncio.Future[Any]] = {}

    async def exists(self, reference: str) -> bool:
        """Whether the registry has the tag (a HEAD of its manifest)."""
        known = self._heads.get(reference)
        if known is not None:
            return known

        async def read() -> bool:
            async with self._gate:
                found = await self._registry.head_manifest(ImageReference.parse(reference)) is not None
            self._heads.put(reference, found)
            return found

        return bool(await self._shared(f"HEAD {reference}", read))

    async def tags(self, image: str) -> frozenset[str]:
        """The tags the registry lists for ``image`` (none for a repository it does not have)."""
        known = self._listed.get(image)
        if known is not None:
            return known

        async def read() -> frozenset[str]:
            async with self._gate:
                try:
                    listed = frozenset((await self._registry.list_tags(ImageReference.parse(image))).tags)
                except NotFound:  # the registry has no such repository (NAME_UNKNOWN): no tag of it exists
                    listed = frozenset()
            self._listed.put(image, listed)
            return listed

        found: frozenset[str] = await self._shared(f"LIST {image}", read)
        return found

    async def _shared(self, key: str, read: Callable[[], Awaitable[Any]]) -> Any:
        if key not in self._inflight:
            self._inflight[key] = asyncio.ensure_future(read())
        return await asyncio.shield(self._inflight[key])

    def cancel(self) -> None:
        """Stop the reads no check waits for any more (the answer's budget is spent)."""
        for future in self._inflight.values():
            future.cancel()
