"""Base-image advisor quality: labelled queries against a realistic fake Docker Hub.

What it measures (see ``/work/shared/docs/advisor.md``, "Measuring quality"):

* **Hit@1 / Hit@3**: the first (any of the first three) candidate grades >= 1. For a query
  whose right answer is "nothing" (``expect_empty``), a hit means no candidate at all.
* **nDCG@5**: linear gains (grade 2 -> 2, 1 -> 1, 0 and -1 -> 0) discounted by
  ``log2(rank + 1)``, normalized by the best possible top five from the catalog (valid tags,
  fresh or pinned). A candidate with the digest of an earlier one (an alias listed twice) gains
  0, and the ideal ranking counts each image once. ``expect_empty``: 1 when empty, else 0.
* **Harmful@5**: number of queries with a grade -1 among the first five candidates (goal 0).
* **Validity**: share of suggested references, and of their aliases, that exist in the catalog
  as tags and offer every asked platform (goal 100 %). Checked against the catalog directly.

How a suggested reference is graded (``judge``): it does not exist, or lacks an asked platform,
or is stale (last pushed more than :data:`STALE_AFTER` before the catalog's now) and the query
does not pin its line -> -1; else the first matching label of the query (see
``benchmarks/advisor_queries.py``), 0 when none matches.

Compared with the **naive baseline** a model would produce without the advisor: search Hub
(``/api/search/v4``) for the runtime or image word, take the first result, append ``:latest``.

Latency: ``latency`` seconds injected per upstream Hub request (``FakeHub.latency``); **cold**
is a new ``Runtime`` per query (``services()`` + ``suggest``), **warm** the same query again on
the same ``Runtime``. Upstream requests per suggestion come from ``hub.requests``; the
registry is not reachable (a refusing transport, counted) so nothing leaves the process.

Data: the catalog of :mod:`benchmarks.advisor_catalog` built from ``../shared/data`` (real tags
and architectures, SYNTHETIC sizes, dates, digests and pull counts). Without that data the
benchmark falls back to ``tests.fakes.catalog.default_catalog()`` and a smaller query set, and
says so.

Standalone: ``python -m benchmarks.advisor [--latency 0.05] [--fallback] [--json PATH]``.
"""

from __future__ import annotations

import argparse
import asyncio
import inspect
import json
import math
import statistics
import sys
import time
import traceback
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import httpx

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from benchmarks.advisor_catalog import (  # noqa: E402
    build_catalog,
    default_shared_dir,
    has_platforms,
)
from benchmarks.advisor_queries import (  # noqa: E402
    ACCEPTABLE,
    CATEGORIES,
    FALLBACK_QUERIES,
    HARMFUL,
    IDEAL,
    QUERIES,
    Query,
    normalize_reference,
)
from tests.fakes.catalog import Catalog, Repository, Tag, default_catalog, parse_iso  # noqa: E402
from tests.fakes.hub import FakeHub  # noqa: E402

TODAY = date(2026, 11, 26)
"""The advisor's "today" (``Runtime(today=...)``): six days after the catalog's now."""

STALE_AFTER = timedelta(days=45)
"""A tag last pushed this long before the catalog's now is stale (its line is no longer built).
Current tags in both catalogs were pushed within the last 20 days."""

HUB_URL = "https://hub.docker.com"
REGISTRY_URL = "https://registry.benchmark.invalid"
K = 5


# --------------------------------------------------------------------------- results


@dataclass
class Judgement:
    """One suggested reference, judged against the catalog and the query's labels."""

    reference: str
    grade: int
    """Effective grade: -1 when invalid or (unpinned) stale, else ``label``."""
    label: int
    exists: bool
    has_platforms: bool
    stale: bool
    why: str = ""


@dataclass
class Answer:
    query_id: str
    category: str
    system: str
    """``advisor`` or ``baseline``."""
    expect_empty: bool
    judgements: list[Judgement]
    aliases_checked: int = 0
    aliases_invalid: list[str] = field(default_factory=list)
    aliases_other_digest: list[str] = field(default_factory=list)
    pins_checked: int = 0
    pins_wrong: list[str] = field(default_factory=list)
    message: str = ""
    error: str | None = None
    hit1: bool = False
    hit3: bool = False
    ndcg5: float = 0.0
    harmful5: bool = False
    cold_ms: float | None = None
    warm_ms: float | None = None
    cold_requests: int | None = None
    warm_requests: int | None = None
    registry_requests: int = 0
    ideal_examples: list[str] = field(default_factory=list)
    """Some references the labels call ideal (for the failure listing)."""

    @property
    def references(self) -> list[str]:
        return [j.reference for j in self.judgements]

    @property
    def invalid(self) -> list[str]:
        return [j.reference for j in self.judgements if not (j.exists and j.has_platforms)]


@dataclass
class Summary:
    system: str
    category: str
    queries: int
    hit1: float
    hit3: float
    ndcg5: float
    harmful5: int
    references: int
    valid_references: int
    errors: int

    @property
    def validity(self) -> float:
        return self.valid_references / self.references if self.references else 1.0


@dataclass
class LatencyStats:
    latency_s: float
    suggestions: int
    cold_median_ms: float
    cold_p90_ms: float
    warm_median_ms: float
    warm_p90_ms: float
    cold_requests_mean: float
    cold_requests_max: int
    warm_requests_mean: float
    warm_requests_max: int
    cold_round_trips_median: float
    """Cold median wall time / injected latency: sequential round trips it amounts to."""
    registry_requests: int


@dataclass
class AdvisorReport:
    data_source: str
    """``../shared/data`` path, or ``fallback: tests.fakes.catalog.default_catalog()``."""
    fallback: bool
    catalog_repositories: int
    catalog_tags: int
    catalog_build_s: float
    latency_s: float
    today: str
    advisor_available: bool
    advisor_problem: str | None
    queries: int
    label_problems: list[str]
    answers: list[Answer]
    summaries: list[Summary]
    latency: LatencyStats | None
    baseline_latency: LatencyStats | None
    notes: list[str]

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


# --------------------------------------------------------------------------- judging


def split_reference(reference: str) -> tuple[str, str, str]:
    """``python:3.13`` -> ``("library", "python", "3.13")``; ``bitnami/redis:8`` -> bitnami."""
    name, _, tag = normalize_reference(reference).rpartition(":")
    namespace, _, repo = name.rpartition("/")
    return namespace or "library", repo, tag


def display_name(repo: Repository) -> str:
    return repo.name if repo.namespace == "library" else repo.full_name


class Judge:
    """Grades references for queries, from the catalog alone (independent of the advisor)."""

    def __init__(self, catalog: Catalog) -> None:
        self.catalog = catalog
        self.stale_before = catalog.now - STALE_AFTER
        self._current: dict[str, list[tuple[str, Tag]]] = {}

    def lookup(self, reference: str) -> Tag | None:
        namespace, name, tag = split_reference(reference)
        repo = self.catalog.get(namespace, name)
        if repo is None or repo.is_private:
            return None
        return repo.tag(tag)

    def is_stale(self, tag: Tag) -> bool:
        return parse_iso(tag.tag_last_pushed) < self.stale_before

    def judge(self, query: Query, reference: str) -> Judgement:
        ref = normalize_reference(reference)
        label = query.grade(ref)
        tag = self.lookup(ref)
        if tag is None:
            return Judgement(ref, HARMFUL, label, False, False, False, "no such tag")
        if not has_platforms(tag, query.platforms):
            have = sorted({i.platform for i in tag.platform_images})
            return Judgement(ref, HARMFUL, label, True, False, self.is_stale(tag), f"platforms: {', '.join(have)}")
        stale = self.is_stale(tag)
        if stale and not query.stale_allowed(ref):
            return Judgement(ref, HARMFUL, label, True, True, True, f"stale: last pushed {tag.tag_last_pushed[:10]}")
        return Judgement(ref, label, label, True, True, stale)

    def current_references(self, repository: str) -> list[tuple[str, Tag]]:
        """Fresh tags of ``repository`` (``python``, ``bitnami/redis``) as ``(reference, tag)``."""
        if repository not in self._current:
            namespace, _, name = repository.rpartition("/")
            repo = self.catalog.get(namespace or "library", name)
            refs: list[tuple[str, Tag]] = []
            if repo is not None and not repo.is_private:
                prefix = display_name(repo)
                refs = [(f"{prefix}:{t.name}", t) for t in repo.tags if not self.is_stale(t)]
            self._current[repository] = refs
        return self._current[repository]

    def pinned_references(self, query: Query) -> list[tuple[str, Tag]]:
        """Stale tags the query allows (its pinned end-of-life line)."""
        if not query.allow_stale:
            return []
        found: list[tuple[str, Tag]] = []
        for repository in query.repositories:
            namespace, _, name = repository.rpartition("/")
            repo = self.catalog.get(namespace or "library", name)
            if repo is None:
                continue
            prefix = display_name(repo)
            found += [(f"{prefix}:{t.name}", t) for t in repo.tags
                      if self.is_stale(t) and query.stale_allowed(f"{prefix}:{t.name}")]
        return found

    def ideal_gains(self, query: Query) -> list[int]:
        """The best possible top-K gains: one entry per image (digest), valid tags only (fresh,
        or stale but pinned by the query)."""
        best: dict[str, int] = {}
        candidates = [pair for repository in query.repositories for pair in self.current_references(repository)]
        for ref, tag in candidates + self.pinned_references(query):
            if not has_platforms(tag, query.platforms):
                continue
            grade = query.grade(ref)
            if grade > 0:
                key = tag.digest or ref
                best[key] = max(best.get(key, 0), grade)
        return sorted(best.values(), reverse=True)[:K]

    def ideal_references(self, query: Query, limit: int = 6) -> list[str]:
        found: list[str] = []
        for repository in query.repositories:
            for ref, tag in self.current_references(repository):
                if has_platforms(tag, query.platforms) and query.grade(ref) == IDEAL:
                    found.append(ref)
        return found[:limit]


def dcg(gains: Sequence[int]) -> float:
    return sum(g / math.log2(rank + 2) for rank, g in enumerate(gains))


def score(answer: Answer, query: Query, judge: Judge) -> None:
    """Fill in hit1, hit3, ndcg5 and harmful5 of ``answer``."""
    grades = [j.grade for j in answer.judgements]
    answer.harmful5 = any(g == HARMFUL for g in grades[:K])
    if query.expect_empty:
        answer.hit1 = answer.hit3 = not grades and answer.error is None
        answer.ndcg5 = 1.0 if answer.hit1 else 0.0
        return
    answer.hit1 = bool(grades) and grades[0] >= ACCEPTABLE
    answer.hit3 = any(g >= ACCEPTABLE for g in grades[:3])
    gains: list[int] = []
    seen: set[str] = set()
    for judgement in answer.judgements[:K]:  # the same image twice (an alias) gains nothing more
        tag = judge.lookup(judgement.reference) if judgement.exists else None
        key = (tag.digest if tag is not None else None) or judgement.reference
        gains.append(0 if key in seen else max(judgement.grade, 0))
        seen.add(key)
    ideal = dcg(judge.ideal_gains(query))
    answer.ndcg5 = dcg(gains) / ideal if ideal > 0 else 0.0


def check_labels(judge: Judge, queries: Sequence[Query]) -> list[str]:
    """Label sanity against the catalog: every answerable query has a fresh, valid ideal tag."""
    problems: list[str] = []
    for query in queries:
        if query.expect_empty:
            continue
        if not judge.ideal_gains(query) or max(judge.ideal_gains(query)) < IDEAL:
            problems.append(f"{query.id}: no fresh tag with every asked platform grades ideal")
    return problems


# --------------------------------------------------------------------------- systems under test


class RefusingRegistry(httpx.AsyncBaseTransport):
    """Registry transport that refuses every request (no network), counting them."""

    def __init__(self) -> None:
        self.requests = 0

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        self.requests += 1
        raise httpx.ConnectError("benchmark: the registry is not reachable", request=request)


def _advisor_api() -> tuple[Any, Any, Any, str | None]:
    """``(SuggestRequest, Runtime, Settings, problem)``; problem is set when unavailable."""
    from hub_mcp.config.settings import Settings
    from hub_mcp.runtime import Runtime

    try:
        from hub_mcp.advisor.suggest import SuggestRequest
    except ImportError as exc:
        return None, Runtime, Settings, f"hub_mcp.advisor.suggest is not importable ({exc})"
    return SuggestRequest, Runtime, Settings, None


def _make_runtime(runtime_cls: Any, settings_cls: Any, hub: FakeHub, registry: RefusingRegistry) -> Any:
    settings = settings_cls(hub_url=HUB_URL, registry_url=REGISTRY_URL, retry_max_wait=0.0)
    kwargs: dict[str, Any] = {"hub_transport": httpx.ASGITransport(app=hub.app), "registry_transport": registry}
    if "today" in inspect.signature(runtime_cls.__init__).parameters:
        kwargs["today"] = TODAY
    return runtime_cls(settings, **kwargs)


def _references_of(suggestion: Any) -> tuple[list[Any], str]:
    candidates = sorted(getattr(suggestion, "candidates", None) or [], key=lambda c: getattr(c, "rank", 0))
    return candidates, str(getattr(suggestion, "message", "") or "")


def _check_candidate(answer: Answer, candidate: Any, query: Query, judge: Judge) -> None:
    """Aliases (exist, asked platforms, same digest) and the digest-pinned form."""
    ref = normalize_reference(candidate.reference)
    name = ref.rpartition(":")[0]
    tag = judge.lookup(ref)
    for alias in getattr(candidate, "aliases", None) or []:
        alias_ref = normalize_reference(alias if ":" in alias else f"{name}:{alias}")
        answer.aliases_checked += 1
        alias_tag = judge.lookup(alias_ref)
        if alias_tag is None or not has_platforms(alias_tag, query.platforms):
            answer.aliases_invalid.append(alias_ref)
        elif tag is not None and alias_tag.digest != tag.digest:
            answer.aliases_other_digest.append(alias_ref)
    pinned = getattr(candidate, "pinned_reference", None)
    if pinned and tag is not None:
        answer.pins_checked += 1
        digest = pinned.partition("@")[2]
        allowed = {tag.digest} | {i.digest for i in tag.platform_images}
        if digest not in allowed:
            answer.pins_wrong.append(pinned)


async def run_advisor(
    queries: Sequence[Query], hub: FakeHub, judge: Judge
) -> tuple[list[Answer], str | None, int]:
    """Each query cold (new Runtime) then warm (same Runtime); returns answers, problem, registry hits."""
    suggest_request, runtime_cls, settings_cls, problem = _advisor_api()
    if problem is not None:
        return [], problem, 0
    registry = RefusingRegistry()
    answers: list[Answer] = []
    for query in queries:
        answer = Answer(query.id, query.category, "advisor", query.expect_empty, [])
        answer.ideal_examples = judge.ideal_references(query)
        registry_before = registry.requests
        runtime = _make_runtime(runtime_cls, settings_cls, hub, registry)
        try:
            request = suggest_request(**query.request)
            suggestion = None
            for phase in ("cold", "warm"):
                before = len(hub.requests)
                started = time.perf_counter()
                services = await runtime.services()
                result = await services.advisor.suggest(request)
                elapsed = (time.perf_counter() - started) * 1000
                if phase == "cold":
                    answer.cold_ms, answer.cold_requests, suggestion = elapsed, len(hub.requests) - before, result
                else:
                    answer.warm_ms, answer.warm_requests = elapsed, len(hub.requests) - before
            candidates, answer.message = _references_of(suggestion)
            answer.judgements = [judge.judge(query, c.reference) for c in candidates]
            for candidate in candidates:
                _check_candidate(answer, candidate, query, judge)
        except Exception as exc:  # a broken query must not hide the others
            answer.error = f"{type(exc).__name__}: {exc}"
            answer.message = traceback.format_exc(limit=3)
        finally:
            await runtime.aclose()
        answer.registry_requests = registry.requests - registry_before
        score(answer, query, judge)
        answers.append(answer)
    return answers, None, registry.requests


async def run_baseline(queries: Sequence[Query], hub: FakeHub, judge: Judge) -> list[Answer]:
    """The naive answer: first search result for the word, ``:latest``."""
    answers: list[Answer] = []
    transport = httpx.ASGITransport(app=hub.app)
    async with httpx.AsyncClient(transport=transport, base_url=HUB_URL) as client:
        for query in queries:
            answer = Answer(query.id, query.category, "baseline", query.expect_empty, [])
            before = len(hub.requests)
            started = time.perf_counter()
            try:
                response = await client.get("/api/search/v4", params={"query": query.search_word, "size": 10})
                response.raise_for_status()
                results = response.json().get("results") or []
                if results:
                    reference = f"{results[0]['name']}:latest"
                    answer.judgements = [judge.judge(query, reference)]
            except Exception as exc:
                answer.error = f"{type(exc).__name__}: {exc}"
            answer.cold_ms = (time.perf_counter() - started) * 1000
            answer.cold_requests = len(hub.requests) - before
            score(answer, query, judge)
            answers.append(answer)
    return answers


# --------------------------------------------------------------------------- aggregation


def summarize(answers: Sequence[Answer], system: str, category: str) -> Summary:
    chosen = [a for a in answers if a.system == system and (category == "all" or a.category == category)]
    n = len(chosen)
    refs = sum(len(a.judgements) + a.aliases_checked for a in chosen)
    valid = sum(
        sum(1 for j in a.judgements if j.exists and j.has_platforms) + a.aliases_checked - len(a.aliases_invalid)
        for a in chosen
    )
    return Summary(
        system=system,
        category=category,
        queries=n,
        hit1=sum(a.hit1 for a in chosen) / n if n else 0.0,
        hit3=sum(a.hit3 for a in chosen) / n if n else 0.0,
        ndcg5=sum(a.ndcg5 for a in chosen) / n if n else 0.0,
        harmful5=sum(a.harmful5 for a in chosen),
        references=refs,
        valid_references=valid,
        errors=sum(a.error is not None for a in chosen),
    )


def _percentile(values: Sequence[float], q: float) -> float:
    ordered = sorted(values)
    if not ordered:
        return 0.0
    return ordered[max(0, math.ceil(q * len(ordered)) - 1)]


def latency_stats(answers: Sequence[Answer], latency: float, registry_requests: int) -> LatencyStats | None:
    timed = [a for a in answers if a.cold_ms is not None and a.error is None]
    if not timed:
        return None
    cold = [a.cold_ms for a in timed if a.cold_ms is not None]
    warm = [a.warm_ms for a in timed if a.warm_ms is not None] or [0.0]
    cold_req = [a.cold_requests or 0 for a in timed]
    warm_req = [a.warm_requests or 0 for a in timed if a.warm_requests is not None] or [0]
    median_cold = statistics.median(cold)
    return LatencyStats(
        latency_s=latency,
        suggestions=len(timed),
        cold_median_ms=median_cold,
        cold_p90_ms=_percentile(cold, 0.9),
        warm_median_ms=statistics.median(warm),
        warm_p90_ms=_percentile(warm, 0.9),
        cold_requests_mean=statistics.mean(cold_req),
        cold_requests_max=max(cold_req),
        warm_requests_mean=statistics.mean(warm_req),
        warm_requests_max=max(warm_req),
        cold_round_trips_median=(median_cold / 1000 / latency) if latency > 0 else 0.0,
        registry_requests=registry_requests,
    )


# --------------------------------------------------------------------------- entry points


def _load_catalog(shared: Path | None) -> tuple[Catalog, str, bool, float]:
    started = time.perf_counter()
    directory = shared if shared is not None else default_shared_dir()
    try:
        catalog = build_catalog(directory)
        return catalog, str(directory), False, time.perf_counter() - started
    except FileNotFoundError as exc:
        catalog = default_catalog()
        source = f"fallback: tests.fakes.catalog.default_catalog() ({directory} unusable: {exc})"
        return catalog, source, True, time.perf_counter() - started


async def measure_advisor(
    shared: Path | None, latency: float = 0.05, *, force_fallback: bool = False, ordering: str = "documented"
) -> AdvisorReport:
    """Run every labelled query through the advisor and the naive baseline.

    ``shared`` is ``../shared/data`` (``None``: the default location next to the checkout);
    when it is missing (or ``force_fallback``), the default fake catalog and the fallback
    queries are used, and the report says so.
    """
    if force_fallback:
        started = time.perf_counter()
        catalog, source, fallback = default_catalog(), "fallback: tests.fakes.catalog.default_catalog() (forced)", True
        build_s = time.perf_counter() - started
    else:
        catalog, source, fallback, build_s = _load_catalog(shared)
    queries = FALLBACK_QUERIES if fallback else QUERIES
    judge = Judge(catalog)
    problems = check_labels(judge, queries)

    # Hub's 180 requests/minute would throttle a benchmark that runs ~200 suggestions in a
    # minute; the advisor reads X-RateLimit-Remaining, so the window is made effectively endless.
    # ``ordering``: how the fake reads Hub's ``ordering`` sign; "documented" (hub-api.md: last_updated is
    # newest first) by default, "django" (the reverse) to show the answers do not depend on it
    hub = FakeHub(catalog, enforce_rate_limit=False, rate_limit=1_000_000_000, ordering_convention=ordering)  # type: ignore[arg-type]
    hub.latency = latency
    answers, advisor_problem, registry_requests = await run_advisor(queries, hub, judge)
    baseline = await run_baseline(queries, hub, judge)
    answers = answers + baseline

    systems = ["advisor", "baseline"] if advisor_problem is None else ["baseline"]
    summaries = [summarize(answers, s, "all") for s in systems]
    for category in CATEGORIES:
        if any(q.category == category for q in queries):
            summaries += [summarize(answers, s, category) for s in systems]

    notes = [
        "SYNTHETIC: image sizes, push/pull dates, digests, pull/star counts and the non-official repositories "
        "(bitnami/*, someuser/*) are generated (benchmarks/advisor_catalog.py); tags, shared tags, architectures "
        "and descriptions are real (official-images 37079fb / docs c4a9ba4, 2026-08-21)."
        if not fallback
        else f"FALLBACK: ../shared/data was not used (see data above): the small default fake catalog and "
        f"{len(FALLBACK_QUERIES)} fallback queries; numbers are not comparable with the full run.",
        f"catalog now {catalog.now.date()}, advisor today {TODAY}; stale = last pushed before "
        f"{(catalog.now - STALE_AFTER).date()}.",
    ]
    if advisor_problem is not None:
        notes.append(f"advisor not measured: {advisor_problem}")
    return AdvisorReport(
        data_source=source,
        fallback=fallback,
        catalog_repositories=len(catalog.repositories),
        catalog_tags=sum(len(r.tags) for r in catalog.repositories),
        catalog_build_s=build_s,
        latency_s=latency,
        today=TODAY.isoformat(),
        advisor_available=advisor_problem is None,
        advisor_problem=advisor_problem,
        queries=len(queries),
        label_problems=problems,
        answers=answers,
        summaries=summaries,
        latency=latency_stats([a for a in answers if a.system == "advisor"], latency, registry_requests),
        baseline_latency=latency_stats([a for a in baseline], latency, 0),
        notes=notes,
    )


# --------------------------------------------------------------------------- formatting


def _pct(value: float) -> str:
    return f"{value * 100:5.1f}%"


def _summary_row(s: Summary, label: str) -> str:
    return (
        f"{label:<34} {s.queries:>3} {_pct(s.hit1):>7} {_pct(s.hit3):>7} {s.ndcg5:>7.3f} {s.harmful5:>9} "
        f"{_pct(s.validity):>8} {s.references:>5} {s.errors:>4}"
    )


def _judged(j: Judgement) -> str:
    mark = {IDEAL: "ideal", ACCEPTABLE: "ok", 0: "neutral", HARMFUL: "HARMFUL"}.get(j.grade, str(j.grade))
    extra = f", {j.why}" if j.why else ""
    return f"{j.reference} [{mark}{extra}]"


def format_advisor(report: AdvisorReport, *, failures: int = 40) -> str:
    lines = ["Base-image advisor: quality on labelled queries (benchmarks/advisor.py)"]
    lines.append(
        f"data: {report.data_source}: {report.catalog_repositories} repositories, "
        f"{report.catalog_tags:,} tags (built in {report.catalog_build_s:.1f} s); {report.queries} queries"
    )
    lines += [f"note: {note}" for note in report.notes]
    if report.label_problems:
        lines.append("LABEL PROBLEMS (fix the queries, not the advisor):")
        lines += [f"  {p}" for p in report.label_problems]
    header = (
        f"{'system / category':<34} {'n':>3} {'Hit@1':>7} {'Hit@3':>7} {'nDCG@5':>7} {'Harmful@5':>9} "
        f"{'validity':>8} {'refs':>5} {'err':>4}"
    )
    lines += ["", header, "-" * len(header)]
    for s in report.summaries:
        if s.category == "all":
            lines.append(_summary_row(s, s.system))
    goal = next((s for s in report.summaries if s.system == "advisor" and s.category == "all"), None)
    if goal is not None:
        verdict = "PASS" if goal.harmful5 == 0 and goal.valid_references == goal.references else "FAIL"
        lines.append(f"goal (advisor): Harmful@5 = 0 and validity = 100 %: {verdict}")
    lines += ["", "per category", header, "-" * len(header)]
    for s in report.summaries:
        if s.category != "all":
            lines.append(_summary_row(s, f"{s.system}: {s.category}"))

    for name, stats in (("advisor", report.latency), ("baseline", report.baseline_latency)):
        if stats is None:
            continue
        injected = f"{stats.latency_s * 1000:.0f} ms injected per Hub request"
        lines += ["", f"latency ({name}, {injected}, {stats.suggestions} suggestions)"]
        lines.append(f"{'':<6} {'median ms':>10} {'p90 ms':>8} {'requests/suggestion (mean, max)':>32}")
        lines.append(
            f"{'cold':<6} {stats.cold_median_ms:>10.0f} {stats.cold_p90_ms:>8.0f} "
            f"{stats.cold_requests_mean:>24.1f}, {stats.cold_requests_max:<6}"
            f"  = {stats.cold_round_trips_median:.1f} round trips (median)"
        )
        if name == "advisor":
            lines.append(
                f"{'warm':<6} {stats.warm_median_ms:>10.1f} {stats.warm_p90_ms:>8.1f} "
                f"{stats.warm_requests_mean:>24.1f}, {stats.warm_requests_max:<6}"
            )
            if stats.registry_requests:
                lines.append(f"registry requests attempted (refused, no network): {stats.registry_requests}")

    queries = {q.id: q for q in (FALLBACK_QUERIES if report.fallback else QUERIES)}
    failing = [
        a for a in report.answers
        if a.system == "advisor"
        and (not a.hit1 or a.harmful5 or a.error or a.invalid or a.aliases_invalid or a.aliases_other_digest or a.pins_wrong)
    ]  # fmt: skip
    if report.advisor_available:
        lines += ["", f"failing queries (advisor): {len(failing)} of {report.queries}"
                  " (Hit@1 miss, harmful or invalid in top 5, bad alias/pin, or error)"]
        for answer in failing[:failures]:
            query = queries[answer.query_id]
            lines.append(f"- {answer.query_id} [{answer.category}] {query.describe()}")
            if answer.error:
                lines.append(f"    ERROR {answer.error}")
                continue
            if not answer.judgements:
                lines.append("    (no candidates)" + (f": {answer.message}" if answer.message else ""))
            for rank, judgement in enumerate(answer.judgements[:3], start=1):
                lines.append(f"    {rank}. {_judged(judgement)}")
            harmful_later = [j for j in answer.judgements[3:K] if j.grade == HARMFUL]
            lines += [f"    {i + 4}. {_judged(j)}" for i, j in enumerate(answer.judgements[3:K]) if j in harmful_later]
            if answer.aliases_invalid:
                lines.append(f"    invalid aliases: {', '.join(answer.aliases_invalid[:5])}")
            if answer.aliases_other_digest:
                lines.append(f"    aliases with another digest: {', '.join(answer.aliases_other_digest[:5])}")
            if answer.pins_wrong:
                lines.append(f"    wrong digest pins: {', '.join(answer.pins_wrong[:3])}")
            if query.expect_empty:
                lines.append("    expected: no candidate")
            elif answer.ideal_examples:
                lines.append(f"    ideal: {', '.join(answer.ideal_examples)}")
            if query.note:
                lines.append(f"    note: {query.note}")
        if len(failing) > failures:
            lines.append(f"  ... {len(failing) - failures} more (see the JSON results)")
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.advisor", description=__doc__.splitlines()[0])
    parser.add_argument("--shared", type=Path, default=None, help="../shared/data (default: next to the checkout)")
    parser.add_argument("--latency", type=float, default=0.05, help="seconds injected per Hub request (default 0.05)")
    parser.add_argument("--fallback", action="store_true", help="use the default fake catalog and fallback queries")
    parser.add_argument("--json", type=Path, default=None, help="also write the full report as JSON")
    parser.add_argument(
        "--ordering", choices=["documented", "django", "ignored"], default="documented",
        help="how the fake Hub reads 'ordering' (default: documented, last_updated = newest first)",
    )
    args = parser.parse_args(argv)
    report = asyncio.run(measure_advisor(args.shared, args.latency, force_fallback=args.fallback, ordering=args.ordering))
    print(format_advisor(report))
    if args.json is not None:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps(report.as_dict(), indent=2, default=str) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
