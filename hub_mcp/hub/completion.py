"""Completions while a person types an argument: repository names, tags and namespaces from
Docker Hub, runtimes, versions and platforms from what hub-mcp knows locally.

Plain async Python; the MCP handler (``server/completions.py``) only maps a request here.

Typing sends one completion request per keystroke. :class:`Completer` keeps that to at most
one upstream request per burst of keystrokes:

* **Reuse of a broader answer.** Every answer is kept (per scope: a namespace, a repository)
  with the prefix it was fetched for and whether it was *complete* (every value starting with
  that prefix is in it). A complete answer for ``3.1`` answers ``3.12`` by filtering, with no
  request; so does the answer for the very same prefix.
* **Debounce and coalescing.** A prefix that cannot be answered from memory joins the burst of
  its scope: the burst waits until no keystroke has arrived for ``quiet`` seconds, then fetches
  once, for the latest prefix. Every request of the burst is answered from that one fetch
  (filtered by its own prefix; one typed before the latest is marked ``has_more``, since the
  fetch was for a narrower prefix). A burst that ends while the previous one's fetch is still
  out waits for it first: when that answer is complete, it answers this burst too.

Answers are bounded to :data:`MAX_VALUES` (the protocol's limit) with ``total`` / ``has_more``.
Failures never escape: an upstream error gives an empty completion and a log line.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Awaitable, Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING, Protocol

from hub_mcp.net.cache import LRUCache

if TYPE_CHECKING:
    from hub_mcp.hub.client import HubClient

logger = logging.getLogger(__name__)

MAX_VALUES = 100
"""The most values one completion carries (the protocol's bound)."""
QUIET_SECONDS = 0.15
"""A burst of keystrokes ends when none has arrived for this long."""
TTL_SECONDS = {"names": 300.0, "tags": 120.0, "namespaces": 300.0}
"""How long an answer is reused, per kind (as the Hub client keeps search and tag pages)."""
SEARCH_SIZE = 100
"""Search results read per request (Hub's most)."""
TAG_PAGE_SIZE = 100
REPOSITORY_PAGE_SIZE = 100  # Hub's largest page of a namespace's repositories
"""Tags read per request (Hub's most)."""

PLATFORMS = (
    "linux/amd64",
    "linux/arm64",
    "linux/arm/v7",
    "linux/arm/v6",
    "linux/386",
    "linux/ppc64le",
    "linux/s390x",
    "linux/riscv64",
    "windows/amd64",
)
"""Platforms offered while typing a platform argument (the ones Docker Official Images build)."""
PRIORITIES = ("small", "secure", "compatible", "hardened")
"""The advisor's priorities, offered while typing a ``priorities`` argument."""


@dataclass(frozen=True)
class Matches:
    """What a source found for one prefix, in the order to show it."""

    values: tuple[str, ...]
    complete: bool
    """True when every value that starts with the prefix is among ``values``."""


@dataclass(frozen=True)
class Suggestions:
    """One completion answer: at most :data:`MAX_VALUES` values, the total when known, and whether
    there are more than shown."""

    values: list[str] = field(default_factory=list)
    total: int | None = None
    has_more: bool = False


EMPTY = Suggestions()


def suggest(values: Iterable[str], prefix: str, *, complete: bool = True) -> Suggestions:
    """The values starting with ``prefix`` (order kept, duplicates dropped), bounded."""
    seen: dict[str, None] = {}
    for value in values:
        if value.startswith(prefix):
            seen.setdefault(value, None)
    found = list(seen)
    return Suggestions(
        values=found[:MAX_VALUES],
        total=len(found) if complete else None,
        has_more=len(found) > MAX_VALUES or not complete,
    )


def suggest_in_list(values: Iterable[str], typed: str) -> Suggestions:
    """For a comma-separated argument (``linux/amd64, linux/arm64``): complete the last item,
    keeping what was typed before it, and never offering an item twice."""
    head, _, last = typed.rpartition(",")
    chosen = {item.strip() for item in head.split(",") if item.strip()}
    lead = f"{head}, " if head.strip() else ""
    found = suggest((v for v in values if v not in chosen), last.strip())
    return Suggestions([lead + v for v in found.values], found.total, found.has_more)


class CompletionSource(Protocol):
    """Where the Hub-backed values come from (:class:`HubCompletionSource`; fakes in tests)."""

    async def repository_names(self, namespace: str, prefix: str) -> Matches: ...

    async def tag_names(self, namespace: str, name: str, prefix: str) -> Matches: ...

    async def namespaces(self, prefix: str) -> Matches: ...


@dataclass
class _Burst:
    latest: str
    last_at: float
    done: asyncio.Future[tuple[str, Matches]]


class Completer:
    """Completions with answers reused, keystrokes coalesced and failures swallowed (see the module)."""

    def __init__(
        self,
        source: CompletionSource,
        *,
        quiet: float = QUIET_SECONDS,
        ttl: dict[str, float] | None = None,
        max_entries: int = 512,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.source = source
        self.quiet = quiet
        self.ttl = {**TTL_SECONDS, **(ttl or {})}
        self._clock = clock
        self._answers = {
            kind: LRUCache[tuple[str, ...], Matches](max_entries, ttl, clock) for kind, ttl in self.ttl.items()
        }
        self._bursts: dict[tuple[str, ...], _Burst] = {}
        self._runners: set[asyncio.Task[None]] = set()
        self._fetching: dict[tuple[str, ...], asyncio.Future[Matches]] = {}
        self.fetches = 0
        """Prefixes fetched from the source (each costs at most one upstream request)."""

    async def names(self, namespace: str, prefix: str) -> Suggestions:
        """Repository names in ``namespace`` starting with ``prefix`` (``pyth`` in library → python)."""
        namespace, prefix = namespace.strip().lower(), prefix.strip().lower()
        if not namespace:
            return EMPTY
        return await self._complete("names", (namespace,), prefix, lambda p: self.source.repository_names(namespace, p))

    async def tags(self, namespace: str, name: str, prefix: str) -> Suggestions:
        """Tags of ``namespace/name`` starting with ``prefix``, released ones first, newest first
        (``3.1`` → 3.14, 3.13, ... before 3.15.0a1)."""
        namespace, name, prefix = namespace.strip().lower(), name.strip().lower(), prefix.strip()
        if not namespace or not name:
            return EMPTY
        return await self._complete(
            "tags", (namespace, name), prefix, lambda p: self.source.tag_names(namespace, name, p)
        )

    async def namespaces(self, prefix: str) -> Suggestions:
        """Namespaces starting with ``prefix`` (``library``, the configured user, and those Hub's search shows)."""
        prefix = prefix.strip().lower()
        return await self._complete("namespaces", (), prefix, self.source.namespaces)

    # --- the machinery ------------------------------------------------------------------

    async def _complete(
        self, kind: str, scope: tuple[str, ...], prefix: str, fetch: Callable[[str], Awaitable[Matches]]
    ) -> Suggestions:
        try:
            known = self._remembered(kind, scope, prefix)
            if known is not None:
                return known
            fetched_for, matches = await self._join_burst(kind, scope, prefix, fetch)
        except Exception as exc:  # never raise to the client: an empty completion, and a log line
            logger.warning("completion of %s %s %r failed: %s", kind, "/".join(scope), prefix, exc)
            return EMPTY
        return suggest(matches.values, prefix, complete=matches.complete and prefix.startswith(fetched_for))

    def _remembered(self, kind: str, scope: tuple[str, ...], prefix: str) -> Suggestions | None:
        """The answer from memory: the same prefix, or a broader one whose answer was complete."""
        stored = self._stored_for(kind, scope, prefix)
        if stored is None:
            return None
        matches, fetched_for = stored
        return suggest(matches.values, prefix, complete=matches.complete and prefix.startswith(fetched_for))

    async def _join_burst(
        self, kind: str, scope: tuple[str, ...], prefix: str, fetch: Callable[[str], Awaitable[Matches]]
    ) -> tuple[str, Matches]:
        key = (kind, *scope)
        burst = self._bursts.get(key)
        if burst is None:
            burst = _Burst(prefix, self._clock(), asyncio.get_running_loop().create_future())
            self._bursts[key] = burst
            runner = asyncio.ensure_future(self._run_burst(kind, scope, key, burst, fetch))
            self._runners.add(runner)
            runner.add_done_callback(self._runners.discard)
        else:
            burst.latest, burst.last_at = prefix, self._clock()
        return await asyncio.shield(burst.done)

    async def _run_burst(
        self,
        kind: str,
        scope: tuple[str, ...],
        key: tuple[str, ...],
        burst: _Burst,
        fetch: Callable[[str], Awaitable[Matches]],
    ) -> None:
        try:
            while (wait := burst.last_at + self.quiet - self._clock()) > 0:
                await asyncio.sleep(wait)
            del self._bursts[key]  # a keystroke from now on starts the next burst
            prefix = burst.latest
            earlier = self._fetching.get(key)
            if earlier is not None:  # the previous burst's fetch is still out: its answer may do
                await asyncio.wait([earlier])
            stored = self._stored_for(kind, scope, prefix)
            if stored is None:
                self.fetches += 1
                fetching = asyncio.ensure_future(fetch(prefix))
                self._fetching[key] = fetching
                try:
                    stored = (await asyncio.shield(fetching), prefix)
                finally:
                    if self._fetching.get(key) is fetching:
                        del self._fetching[key]
                self._answers[kind].put((*scope, prefix), stored[0])
            burst.done.set_result((stored[1], stored[0]))
        except BaseException as exc:
            if self._bursts.get(key) is burst:
                del self._bursts[key]
            if not burst.done.done():
                burst.done.set_exception(exc if isinstance(exc, Exception) else RuntimeError("completion cancelled"))
            if not isinstance(exc, Exception):
                raise

    def _stored_for(self, kind: str, scope: tuple[str, ...], prefix: str) -> tuple[Matches, str] | None:
        """A stored answer usable for ``prefix`` (another burst may have fetched it meanwhile)."""
        answers = self._answers[kind]
        exact = answers.get((*scope, prefix))
        if exact is not None:
            return exact, prefix
        for cut in range(len(prefix) - 1, -1, -1):
            broader = answers.get((*scope, prefix[:cut]))
            if broader is not None and broader.complete:
                return broader, prefix[:cut]
        return None


class HubCompletionSource:
    """Repository names, tags and namespaces as Docker Hub can answer them, one request each.

    Hub has no "names in a namespace starting with" endpoint anonymous clients can rely on, so:

    * **Official images** (``library``): search v4 for the typed prefix with ``badges=official``,
      kept to ``library`` names starting with it. [assumed] Hub's search matches a partial word
      (``pyth`` → python), as its own search box does while one types; if it matched whole words
      only, names would appear once a whole word is typed, and an empty answer is never reused
      for a longer prefix, so nothing would be hidden for good.
    * **Other namespaces**: the namespace's repository list (``/v2/namespaces/{ns}/repositories``,
      private ones included for their owner), first page by name, filtered by the prefix here:
      one request per namespace, whatever is typed. A namespace larger than one page is marked
      incomplete.
    * **Tags**: the tag list of the repository, newest first, with Hub's ``name`` substring filter
      set to the prefix, kept to tags starting with it; released tags before those not meant for
      production (:func:`hub_mcp.vocab.tags.non_production`: ``3.15.0a1``, ``3.15-rc``). [documented: hub-api.md, Tags] ``name`` is
      a substring filter, so a later, longer prefix only narrows: a complete answer is reused.
    * **Namespaces**: ``library``, the configured user's own, and the namespaces of search hits
      for the prefix (Hub cannot list namespaces, so never complete).
    """

    def __init__(self, client: HubClient, username: str | None = None) -> None:
        self.client = client
        self.username = (username or "").strip().lower() or None

    async def repository_names(self, namespace: str, prefix: str) -> Matches:
        if namespace == "library":
            if not prefix:
                return Matches((), complete=False)  # search needs a query; wait for a first letter
            page = await self.client.search(prefix, badges=["official"], size=SEARCH_SIZE)
            names = [n for n in self._names_in(page.results, "library") if n.startswith(prefix)]
            # a partial-word miss is not evidence: an empty answer is not reused for longer prefixes
            return Matches(tuple(names), complete=bool(names) and page.total <= len(page.results))
        return await self._namespace_repositories(namespace, prefix)

    async def _namespace_repositories(self, namespace: str, prefix: str) -> Matches:
        """The repositories of a namespace other than ``library``, from the repository list endpoint
        (private ones included when the credentials may see them): the first page by name, filtered
        by the prefix here. Hub's ``name`` parameter is not sent: whether it matches a prefix, a
        substring or the whole name is not documented, and one unfiltered page (kept by the client's
        cache) serves every keystroke. Complete when the namespace fits on that page. A namespace
        Hub does not know has none."""
        from hub_mcp.errors import NotFound
        from hub_mcp.hub.ordering import RepositoryOrder
        from hub_mcp.hub.queries import RepositoryQuery

        try:
            page = await self.client.list_repositories(
                RepositoryQuery(namespace, page_size=REPOSITORY_PAGE_SIZE, order=RepositoryOrder.NAME)
            )
        except NotFound:
            return Matches((), complete=True)
        names = sorted(r.name.lower() for r in page.results if r.name.lower().startswith(prefix))
        return Matches(tuple(names), complete=page.next is None and page.count <= len(page.results))

    async def tag_names(self, namespace: str, name: str, prefix: str) -> Matches:
        from hub_mcp.errors import NotFound
        from hub_mcp.hub.ordering import TagOrder
        from hub_mcp.hub.queries import TagQuery
        from hub_mcp.vocab.tags import non_production

        try:
            page = await self.client.list_tags(
                TagQuery(namespace, name, page_size=TAG_PAGE_SIZE, name_filter=prefix, order=TagOrder.NEWEST)
            )
        except NotFound:
            return Matches((), complete=True)  # no such repository: nothing to offer, for any prefix
        names = [tag.name for tag in page.results if tag.name.startswith(prefix)]
        # released lines first (3.14, 3.13 before 3.15.0a1, 3.15-rc), each group newest first
        names.sort(key=lambda tag: non_production(tag) is not None)
        return Matches(tuple(names), complete=page.next is None and page.count <= len(page.results))

    async def namespaces(self, prefix: str) -> Matches:
        own = [n for n in ("library", self.username) if n and n.startswith(prefix)]
        if not prefix:
            return Matches(tuple(own), complete=False)
        page = await self.client.search(prefix, size=SEARCH_SIZE)
        found = {hit.name.split("/", 1)[0].lower() for hit in page.results if "/" in hit.name}
        return Matches(
            tuple([*own, *sorted(n for n in found if n.startswith(prefix) and n not in own)]), complete=False
        )

    @staticmethod
    def _names_in(results: Sequence[object], namespace: str) -> list[str]:
        """Repository names of search hits in ``namespace`` (official ones come bare or as ``library/``)."""
        names = []
        for hit in results:
            full = str(getattr(hit, "name", "")).lower()
            hit_namespace, _, name = full.rpartition("/")
            if (hit_namespace or "library") == namespace and name:
                names.append(name)
        return names


async def complete_argument(
    completer: Completer, argument: str, value: str, known: Mapping[str, str], today: Callable[[], date]
) -> Suggestions:
    """The completion of ``argument`` typed as ``value``, the other arguments being ``known``:
    arguments complete by name, whatever resource template or prompt they belong to (the table in
    ``server/completions.py``). ``today`` gives the date versions are judged supported on."""
    if argument == "namespace":
        return await completer.namespaces(value)
    if argument == "name":
        namespace, _, prefix = value.rpartition("/")
        if namespace:  # "bitnami/re": complete within bitnami, keep the namespace in the values
            found = await completer.names(namespace, prefix)
            return Suggestions([f"{namespace}/{n}" for n in found.values], found.total, found.has_more)
        return await completer.names(known.get("namespace") or "library", prefix)
    if argument == "tag":
        repository = known.get("name", "").strip()
        namespace, _, name = repository.rpartition("/")
        namespace = namespace or known.get("namespace") or "library"
        return await completer.tags(namespace, name, value) if name else EMPTY
    if argument in ("runtime", "what"):
        return runtime_names(value, of_lifecycle_table=argument == "runtime")
    if argument == "version":
        what = (known.get("what") or known.get("runtime") or "").strip().lower()
        return supported_versions(what, value.strip(), today)
    if argument == "platforms":
        return suggest_in_list(PLATFORMS, value)
    if argument == "priorities":
        return suggest_in_list(PRIORITIES, value)
    return EMPTY


def runtime_names(prefix: str, *, of_lifecycle_table: bool) -> Suggestions:
    """Runtime names starting with ``prefix``: those of the end-of-life table (the lifecycle
    resource's ``runtime``) or those the advisor knows (a prompt's ``what``)."""
    from hub_mcp.advisor.runtimes import known_runtimes
    from hub_mcp.vocab import lifecycle

    names = lifecycle.table_info()["runtimes"] if of_lifecycle_table else known_runtimes()
    return suggest(sorted(names), prefix.strip().lower())


def supported_versions(what: str, prefix: str, today: Callable[[], date]) -> Suggestions:
    """Supported versions of the runtime ``what`` names (its first word that is a known runtime), newest first."""
    from hub_mcp.vocab import lifecycle

    known = set(lifecycle.table_info()["runtimes"])
    runtime = next((word for word in what.replace(",", " ").split() if word in known), None)
    if runtime is None:
        return EMPTY
    rows = lifecycle.supported_lines(runtime, today())
    return suggest([row.version for row in rows], prefix)
