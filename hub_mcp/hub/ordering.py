"""Which ``ordering`` value gives "newest first" on Docker Hub, checked against the pages we get.

``../shared/docs/hub-api.md`` ("Ordering direction") documents the reverse of the Django
convention: ``ordering=last_updated`` is newest first and ``-last_updated`` oldest first, while
public scripts use both forms to mean "newest", and Hub cannot be reached from here to settle
it. Answers (which tags are stale, which line is the newest, what to suggest) hang on the
sign, so nothing here bets on it:

* the documented value is sent first;
* every page that comes back is checked: do its dates (or names) run the way that was asked?
* when they run the other way, the process remembers the other sign for that order, and the
  caller asks again with it (or sorts locally when the page is the whole list);
* when Hub ignores the ordering altogether, the page is sorted locally and says so.

The same holds for names (``name`` A–Z, documented) so that every order is checked the same
way. Pure: no I/O; :class:`hub_mcp.hub.client.HubClient` does the asking.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Any, Literal

from hub_mcp.hub.models import Repository, Tag


class TagOrder(StrEnum):
    """An order as the caller means it, independent of how Hub spells it."""

    NEWEST = "newest"  # most recently pushed first
    OLDEST = "oldest"
    NAME = "name"  # A–Z
    NAME_DESC = "name_desc"  # Z–A

    @property
    def field(self) -> Literal["last_updated", "name"]:
        return "name" if self in (TagOrder.NAME, TagOrder.NAME_DESC) else "last_updated"

    @property
    def descending(self) -> bool:
        """Largest first: the newest date, or Z before A."""
        return self in (TagOrder.NEWEST, TagOrder.NAME_DESC)


#: What hub-api.md documents: ``last_updated`` is newest first (descending), ``name`` is A–Z.
DOCUMENTED_DESCENDING_PREFIX = {"last_updated": "", "name": "-"}

Direction = Literal["ascending", "descending", "unknown"]


@dataclass(frozen=True)
class PageOrder:
    """Which way a page runs (by a majority of neighbouring pairs), and whether every pair agrees."""

    direction: Direction
    monotone: bool


def _date_key(tag: Tag) -> datetime | None:
    # Hub sorts on ``last_updated``; a tag without it falls back to its push date.
    return tag.last_updated or tag.tag_last_pushed


def _name_key(tag: Tag) -> str:
    return tag.name.casefold()


def page_order(tags: Sequence[Tag], field: Literal["last_updated", "name"]) -> PageOrder:
    """How the page runs; ties and tags without the value are ignored.

    A page with fewer than two comparable values, or as many steps up as down, is "unknown":
    there is nothing to learn from it. ``monotone`` is False when some pairs run the other way
    (a page Hub did not sort).
    """
    keys: list[Any] = [k for k in (_date_key(t) if field == "last_updated" else _name_key(t) for t in tags) if k]
    return values_order(keys)


def values_order(keys: Sequence[Any]) -> PageOrder:
    """Which way a sequence of comparable values runs (see :func:`page_order`)."""
    up = down = 0
    for a, b in zip(keys, keys[1:], strict=False):
        if a < b:
            up += 1
        elif a > b:
            down += 1
    if up == down:
        return PageOrder("unknown", monotone=up == 0)
    return PageOrder("ascending" if up > down else "descending", monotone=not (up and down))


def sort_locally(tags: Sequence[Tag], order: TagOrder) -> list[Tag]:
    """The tags in ``order`` (tags without a date last), for a page Hub did not sort as asked."""
    if order.field == "name":
        return sorted(tags, key=_name_key, reverse=order.descending)
    dated = [t for t in tags if _date_key(t) is not None]
    undated = [t for t in tags if _date_key(t) is None]
    return sorted(dated, key=lambda t: (_date_key(t), t.name), reverse=order.descending) + undated


class OrderingDirection:
    """Per process: the ``ordering`` value that gives each order, learned from the pages Hub sends.

    Starts from the documented reading; :meth:`observe` corrects it when a page ran the other
    way. Setting (not toggling) the learned sign keeps concurrent requests that saw the same
    wrong page from flipping it twice.
    """

    def __init__(
        self,
        documented: Mapping[str, str] = DOCUMENTED_DESCENDING_PREFIX,
        read_order: Callable[[Sequence[Any], str], PageOrder] = page_order,  # type: ignore[assignment]
        orders: type[StrEnum] = TagOrder,
    ) -> None:
        """``documented``: the prefix that means "descending" per field; ``read_order``: how a page
        of items runs on a field; ``orders``: the orders meant (tags by default)."""
        self._descending_prefix = dict(documented)
        self._read_order = read_order
        self._orders = orders
        self.corrections = 0  # how many times a page ran against the reading in force

    def param(self, order: Any) -> str:
        """The ``ordering`` value to send for ``order``."""
        prefix = self._descending_prefix[order.field]
        if not order.descending:
            prefix = "" if prefix == "-" else "-"
        return prefix + order.field

    def observe(self, order: Any, sent: str, tags: Sequence[Any]) -> bool:
        """Check a page fetched with ``ordering=sent`` for ``order``; True unless it is in that order.

        Every page whose direction shows teaches the reading: ``sent`` gave that direction, so
        the sign for "descending" is ``sent``'s when the page ran descending, the other one
        otherwise. A page that runs the right way but not throughout (Hub did not really sort
        it) is not in order either.
        """
        seen = self._read_order(tags, order.field)
        if seen.direction == "unknown":
            return not seen.monotone
        sent_prefix = "-" if sent.startswith("-") else ""
        other_prefix = "" if sent_prefix else "-"
        self._descending_prefix[order.field] = sent_prefix if seen.direction == "descending" else other_prefix
        wrong = (seen.direction == "descending") != order.descending
        if wrong:
            self.corrections += 1
        return wrong or not seen.monotone

    def reading(self) -> dict[str, str]:
        """The ``ordering`` value in force for each order (for notes and tests)."""
        return {order.value: self.param(order) for order in self._orders}


# --- repository lists -------------------------------------------------------------------------
# hub-api.md (Repositories, and "Ordering direction": "The same goes for repository lists
# (last_updated, pull_count: largest first)"): the same reading, the same check on every page.


class RepositoryOrder(StrEnum):
    """A repository list order as the caller means it."""

    NEWEST = "newest"  # most recently pushed first
    OLDEST = "oldest"
    MOST_PULLED = "most_pulled"
    LEAST_PULLED = "least_pulled"
    NAME = "name"  # A–Z
    NAME_DESC = "name_desc"

    @property
    def field(self) -> Literal["last_updated", "pull_count", "name"]:
        if self in (RepositoryOrder.NAME, RepositoryOrder.NAME_DESC):
            return "name"
        if self in (RepositoryOrder.MOST_PULLED, RepositoryOrder.LEAST_PULLED):
            return "pull_count"
        return "last_updated"

    @property
    def descending(self) -> bool:
        return self in (RepositoryOrder.NEWEST, RepositoryOrder.MOST_PULLED, RepositoryOrder.NAME_DESC)


#: Documented: ``last_updated`` and ``pull_count`` largest first, ``name`` A–Z.
DOCUMENTED_REPOSITORY_DESCENDING_PREFIX = {"last_updated": "", "pull_count": "", "name": "-"}


def _repository_key(repo: Repository, field: str) -> Any:
    if field == "name":
        return repo.name.casefold()
    if field == "pull_count":
        return repo.pull_count
    return repo.last_updated


def repository_page_order(repos: Sequence[Repository], field: str) -> PageOrder:
    return values_order([k for k in (_repository_key(r, field) for r in repos) if k is not None])


def sort_repositories(repos: Sequence[Repository], order: RepositoryOrder) -> list[Repository]:
    """The repositories in ``order`` (those without the value last)."""
    known = [r for r in repos if _repository_key(r, order.field) is not None]
    unknown = [r for r in repos if _repository_key(r, order.field) is None]
    return sorted(known, key=lambda r: (_repository_key(r, order.field), r.name), reverse=order.descending) + unknown


class RepositoryOrderingDirection(OrderingDirection):
    """Per process: the ``ordering`` value that gives each repository order, learned from pages
    (the tags' mechanism with the repository lists' documented reading and fields)."""

    def __init__(self) -> None:
        super().__init__(DOCUMENTED_REPOSITORY_DESCENDING_PREFIX, repository_page_order, RepositoryOrder)
