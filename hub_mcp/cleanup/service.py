"""Tag cleanup on Docker Hub: plan (read-only), then apply the plan by its id after one confirmation.

* :meth:`CleanupService.plan` reads every tag of the repository (``GET .../tags``, pages of 100, at most
  :data:`MAX_TAG_PAGES` pages) and answers :func:`hub_mcp.cleanup.plan.make_plan`'s plan, kept :data:`PLAN_TTL`
  seconds in this process under its id.
* :meth:`CleanupService.confirmation` is what the person is asked, once, for the whole plan (the path
  ``delete_tag`` uses: :class:`hub_mcp.hub.confirmation.DeletionFacts`, kind ``cleanup``; the typed ``confirm`` of a
  client that cannot ask is the plan id).
* :meth:`CleanupService.apply` reads the tags again and deletes exactly the planned tags whose digest is still the
  planned one, oldest first: a tag moved since is skipped (``changed``), one already gone is ``already_gone`` (so a
  second run after a partial failure does no harm), one Hub refuses is ``failed``. It stops starting deletions when
  the call's time runs low or Hub's rate limit holds after the client's own waits (``Retry-After`` is honoured
  there, :mod:`hub_mcp.net.http`); the rest is ``not_tried``, for a later run with the same id.
"""

from __future__ import annotations

import time
from collections.abc import Awaitable, Callable
from datetime import date

from hub_mcp.answers.views import CleanupKept, CleanupPlan, CleanupResult, CleanupTag, CleanupTagResult
from hub_mcp.cleanup.plan import Plan, Rules, TagFacts, make_plan
from hub_mcp.errors import Forbidden, HubMCPError, InvalidInput, NotFound, RateLimited, Unauthorized
from hub_mcp.hub.confirmation import DeletionFacts
from hub_mcp.hub.client import HubClient
from hub_mcp.hub.management import HubManagement
from hub_mcp.hub.queries import TagOrder, TagQuery
from hub_mcp.net.cache import LRUCache
from hub_mcp.vocab.common import day
from hub_mcp.vocab.references import parse_hub_repository

__all__ = ["CleanupService", "PLAN_TTL"]

PLAN_TTL = 3600.0  # seconds a plan is kept for apply_tag_cleanup
MAX_TAG_PAGES = 100  # pages of 100 tags read for a plan: 10,000 tags
MAX_LISTED = 50  # tags to delete listed in a plan's answer (all are applied)
MAX_KEPT_SHOWN = 10  # tags named per kept reason
MAX_RESULTS_SHOWN = 20  # tags listed per outcome in an apply answer (the counts are whole)
MAX_ASKED = 20  # tags named in the question to the person
TIME_SHARE = 0.8  # of the call's time, after which no deletion is started

Progress = Callable[[float, float, str], Awaitable[None]]


def _short(digest: str | None) -> str | None:
    return digest[:19] if digest else None  # sha256: and 12 hex


class CleanupService:
    def __init__(
        self,
        client: HubClient,
        management: HubManagement,
        today: Callable[[], date],
        *,
        clock: Callable[[], float] = time.monotonic,
        ttl: float = PLAN_TTL,
    ) -> None:
        self._client = client
        self._management = management
        self._today = today
        self._clock = clock
        self._ttl = ttl
        self._plans: LRUCache[str, Plan] = LRUCache(64, ttl=ttl, clock=clock)
        self._gone: dict[str, set[str]] = {}  # plan id -> its tags found deleted or gone by an apply of this server

    # --- plan ---------------------------------------------------------------------------------

    async def _tags(self, namespace: str, name: str) -> list[TagFacts]:
        tags: dict[str, TagFacts] = {}
        for page in range(1, MAX_TAG_PAGES + 1):
            query = TagQuery(namespace, name, page=page, page_size=100, order=TagOrder.NEWEST)
            try:
                found = await self._client.list_tags(query)
            except NotFound:
                if page == 1:
                    raise
                break  # Hub answers a page past the end with 404 [assumed, as for list_tags]
            for tag in found.results:
                tags.setdefault(
                    tag.name, TagFacts(tag.name, tag.digest, tag.last_pushed, tag.tag_last_pulled, tag.full_size)
                )
            if not found.next or not found.results:
                return list(tags.values())
        raise InvalidInput(
            f"{namespace}/{name} has more than {MAX_TAG_PAGES * 100} tags: narrow the plan with consider patterns"
            " (e.g. ['pr-*']) and plan each pattern on its own."
        )

    async def plan(self, repository: str, rules: Rules) -> CleanupPlan:
        ref = parse_hub_repository(repository)
        if ref.tag or ref.digest:
            raise InvalidInput("plan_tag_cleanup takes a repository (namespace/name), not a tag; give rules to choose tags.")
        full = f"{ref.namespace}/{ref.name}"
        self._client.forget(ref.namespace, ref.name)  # a plan is made from what Hub holds now
        repo = await self._client.get_repository(ref.namespace, ref.name)  # also: may this login delete here?
        tags = await self._tags(ref.namespace, ref.name)
        plan = make_plan(full, tags, rules, self._today())
        self._plans.put(plan.id, plan)  # an empty plan too: applying it says there is nothing to delete
        groups: dict[str, list[str]] = {}
        for kept in plan.kept:
            reason = kept.reason.split(" the kept tag ")[0] + " a kept tag" if " the kept tag " in kept.reason else kept.reason
            groups.setdefault(reason, []).append(kept.tag.name)
        listed = [
            CleanupTag(tag=t.name, digest=_short(t.digest), pushed=day(t.pushed), pulled=day(t.pulled), size_bytes=t.size)
            for t in plan.delete[:MAX_LISTED]
        ]
        more = len(plan.delete) - len(listed)
        if plan.delete:
            message = (
                f"{len(plan.delete)} of {len(tags)} tags of {full} would be deleted ({rules.summary()}),"
                f" freeing about {plan.bytes_freed:,} bytes; nothing was deleted. To delete exactly these, call"
                f" apply_tag_cleanup with plan_id={plan.id!r} (the person is asked once for the whole plan)."
            )
            if more > 0:
                message += f" {more} more are not listed here; applying the plan deletes them too."
            unpulled = sum(1 for t in plan.delete if t.pulled is None)
            if rules.not_pulled_days is not None and unpulled:
                message += (
                    f" {unpulled} of them have no pull recorded by Docker Hub (never pulled, or pulls it does not"
                    " record): they count as idle since their push."
                )
            if repo.permissions is None or repo.permissions.write is not True:
                message += (
                    " This login may not delete tags here (Docker Hub gives it no write access to the repository),"
                    " so applying would be refused."
                    if repo.permissions is not None
                    else " Without a Docker Hub login nothing can be applied: configure one with write access."
                )
        else:
            message = f"No tag of {full} matches ({rules.summary()}): nothing to delete."
        if plan.unmatched:
            message += (
                f" {', '.join(plan.unmatched)} matched no tag: patterns are shell globs (v*, release-?.*), not"
                " regular expressions."
            )
        return CleanupPlan(
            repository=full,
            plan_id=plan.id,
            rules=rules.summary(),
            tags_total=len(tags),
            delete_count=len(plan.delete),
            delete=listed,
            kept=[
                CleanupKept(reason=reason, count=len(names), tags=names[:MAX_KEPT_SHOWN])
                for reason, names in sorted(groups.items(), key=lambda item: -len(item[1]))
            ],
            bytes_freed=plan.bytes_freed,
            expires_in_s=int(self._ttl),
            message=message,
        )

    # --- apply --------------------------------------------------------------------------------

    def _known(self, plan_id: str) -> Plan:
        plan = self._plans.get(plan_id.strip())
        if plan is None:
            raise InvalidInput(
                f"No cleanup plan {plan_id.strip()[:40]!r} is held by this server (plans are kept"
                f" {int(self._ttl // 60)} minutes, in the process that made them): call plan_tag_cleanup again."
            )
        return plan

    async def confirmation(self, plan_id: str) -> DeletionFacts:
        """What the person is asked: the whole plan, once (refused before asking without write access)."""
        plan = self._known(plan_id)
        if not plan.delete:
            raise InvalidInput(f"Plan {plan.id} of {plan.repository} deletes no tag, so there is nothing to apply.")
        if self._gone.get(plan.id, set()) >= {t.name for t in plan.delete}:
            raise InvalidInput(
                f"Plan {plan.id} of {plan.repository} is done: every tag it names is already gone; make a new plan"
                " with plan_tag_cleanup to delete more."
            )
        namespace, name = plan.repository.split("/", 1)
        await self._management.writable(namespace, name, plan.repository, f"delete {len(plan.delete)} tags of {plan.repository}")
        lines = [f"{len(plan.delete)} tags of {plan.repository} ({plan.rules.summary()}), about {plan.bytes_freed:,} bytes"]
        lines += [f"{t.name} (pushed {day(t.pushed) or 'unknown'}, {_short(t.digest) or 'no digest'})" for t in plan.delete[:MAX_ASKED]]
        if len(plan.delete) > MAX_ASKED:
            lines.append(f"and {len(plan.delete) - MAX_ASKED} more of the plan")
        lines.append("a tag moved since the plan is skipped; other tags stay")
        return DeletionFacts("cleanup", plan.id, tuple(lines), repository=plan.repository)

    async def apply(self, plan_id: str, *, within: float, progress: Progress | None = None) -> CleanupResult:
        """Delete the plan's tags (the person has confirmed). ``within``: seconds this call may take."""
        plan = self._known(plan_id)
        namespace, name = plan.repository.split("/", 1)
        started = self._clock()
        self._client.forget(namespace, name)
        now = {t.name: t.digest for t in await self._tags(namespace, name)}
        results: list[CleanupTagResult] = []
        stop: str | None = None
        total = len(plan.delete)
        for index, tag in enumerate(plan.delete):
            if stop is None and self._clock() - started > within * TIME_SHARE:
                stop = "the call's time ran low: run apply_tag_cleanup again with the same plan_id for the rest"
            if stop is not None:
                results.append(CleanupTagResult(tag=tag.name, result="not_tried", detail=stop))
                continue
            if tag.name not in now:
                results.append(CleanupTagResult(tag=tag.name, result="already_gone"))
                continue
            if now[tag.name] != tag.digest:
                detail = f"now {_short(now[tag.name])}, planned {_short(tag.digest)}"
                results.append(CleanupTagResult(tag=tag.name, result="changed", detail=detail))
                continue
            try:
                await self._client.delete_tag(namespace, name, tag.name)
                results.append(CleanupTagResult(tag=tag.name, result="deleted"))
            except NotFound:
                results.append(CleanupTagResult(tag=tag.name, result="already_gone"))
            except RateLimited as exc:
                stop = f"Docker Hub's rate limit held ({exc}); run apply_tag_cleanup again later with the same plan_id"
                results.append(CleanupTagResult(tag=tag.name, result="not_tried", detail=stop))
            except Forbidden as exc:
                refusal = await self._management.explain_refusal(exc, namespace, f"delete {plan.repository}:{tag.name}")
                stop = str(refusal)
                results.append(CleanupTagResult(tag=tag.name, result="failed", detail=stop))
            except Unauthorized as exc:
                stop = str(exc)
                results.append(CleanupTagResult(tag=tag.name, result="failed", detail=stop))
            except HubMCPError as exc:
                results.append(CleanupTagResult(tag=tag.name, result="failed", detail=str(exc)))
            if progress is not None:
                await progress(index + 1, total, f"{index + 1} of {total} tags of {plan.repository}")
        self._gone.setdefault(plan.id, set()).update(r.tag for r in results if r.result in ("deleted", "already_gone"))
        return _result(plan, results)


def _result(plan: Plan, results: list[CleanupTagResult]) -> CleanupResult:
    counts = {kind: sum(1 for r in results if r.result == kind) for kind in ("deleted", "already_gone", "changed", "failed", "not_tried")}
    shown: list[CleanupTagResult] = []
    for kind in ("failed", "changed", "not_tried", "already_gone", "deleted"):  # what needs a look first
        rows = [r for r in results if r.result == kind][:MAX_RESULTS_SHOWN]
        if kind == "not_tried":  # one reason for all: said once, in the message
            rows = [r.model_copy(update={"detail": None}) for r in rows]
        shown += rows
    parts = [f"{counts['deleted']} deleted"]
    for kind, words in (("already_gone", "already gone"), ("changed", "skipped (moved since the plan)"), ("failed", "failed"), ("not_tried", "not tried")):
        if counts[kind]:
            parts.append(f"{counts[kind]} {words}")
    message = f"Cleanup {plan.id} of {plan.repository}: {', '.join(parts)}."
    reason = next((r.detail for r in results if r.result == "not_tried" and r.detail), None)
    if reason:
        message += f" Not tried: {reason}."
    if counts["not_tried"] or counts["failed"]:
        message += " Running apply_tag_cleanup again with the same plan_id retries only what is left."
    return CleanupResult(
        repository=plan.repository,
        plan_id=plan.id,
        applied=True,
        deleted=counts["deleted"],
        already_gone=counts["already_gone"],
        skipped=counts["changed"],
        failed=counts["failed"],
        not_tried=counts["not_tried"],
        results=shown or None,
        message=message,
    )
