"""One verdict on a repository's and a line's health: end of life, deprecated, stale, unmaintained.

``get_tag`` / ``get_repository`` (:mod:`hub_mcp.hub.service`), ``review_base_images``
(:mod:`hub_mcp.advisor.review`) and ``suggest_base_images`` (:mod:`hub_mcp.advisor.suggest`)
all ask here, so they cannot disagree about the same image. Each rule's constant is stated
once below. Pure and typed: no I/O, and no clock: ``today`` is always the caller's (the
service's injected date), so a fixed date gives the same verdict in every tool.

The rules:

- **end of life**: the bundled lifecycle table (:mod:`hub_mcp.vocab.lifecycle`) says the
  runtime's line or the tag's distro is past its end date on ``today``;
- **deprecated**: the publisher's description says so (:data:`DEPRECATION_MARKS`). (The
  repositories the advisor's runtime table knows are deprecated, such as openjdk, stay a
  lookup in :mod:`hub_mcp.advisor.runtimes`: its reason is its own sentence, and the hub
  room does not import the advisor.)
- **stale**: a tag (a line) last pushed more than :data:`STALE_AFTER` before the repository's
  newest push: the repository is still rebuilt, this line no longer is;
- **ends soon**: a supported line whose end of life is under :data:`ENDS_SOON_DAYS` days away;
- **unmaintained**: no push to the repository for more than :data:`UNMAINTAINED_AFTER_DAYS`
  days before ``today``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from hub_mcp.vocab import lifecycle

__all__ = [
    "DEPRECATION_MARKS",
    "ENDS_SOON_DAYS",
    "STALE_AFTER",
    "STATUS_NAMES",
    "UNMAINTAINED_AFTER_DAYS",
    "USABLE_STATUSES",
    "RepositoryHealth",
    "end_of_life",
    "ends_soon",
    "has_ended",
    "is_stale",
    "is_unmaintained",
    "marked_deprecated",
    "repository_health",
    "status_name",
]

#: A tag pushed this much longer before the repository's newest push is stale (no longer rebuilt).
STALE_AFTER = timedelta(days=60)
#: A repository with no push for more days than this before today is unmaintained.
UNMAINTAINED_AFTER_DAYS = 365
#: A supported line whose end of life is fewer days than this after today ends soon: plan the upgrade.
ENDS_SOON_DAYS = 180
#: Words in a repository's description by which its publisher marks it deprecated (lower case).
DEPRECATION_MARKS = ("deprecat", "no longer maintained")
#: Hub's numeric repository status, by name.
STATUS_NAMES = {
    0: "initialized",
    1: "active",
    2: "pending_delete",
    3: "locked",
    4: "moderated",
    5: "plan_exceeded",
    6: "archived",
}
#: The statuses of a repository one may build on; any other one is a warning.
USABLE_STATUSES = frozenset({"active", "initialized"})


def status_name(status: int | None, description: str | None = None) -> str | None:
    """Hub's own status words when it sends them, else the name of its numeric status."""
    if description:
        return description
    return STATUS_NAMES.get(status, str(status)) if status is not None else None


def marked_deprecated(description: str | None) -> bool:
    """Whether the publisher's description marks the repository deprecated or unmaintained."""
    text = (description or "").lower()
    return any(mark in text for mark in DEPRECATION_MARKS)


def is_stale(pushed: datetime | None, newest_push: datetime | None) -> bool | None:
    """A line pushed more than :data:`STALE_AFTER` before the repository's newest push; None when
    either date is unknown (the caller decides what unknown means)."""
    if pushed is None or newest_push is None:
        return None
    return newest_push - pushed > STALE_AFTER


def is_unmaintained(last_push: date | datetime | None, today: date) -> bool:
    """No push for more than :data:`UNMAINTAINED_AFTER_DAYS` days before ``today`` (by calendar
    day; an unknown last push is not evidence of abandonment)."""
    if last_push is None:
        return False
    pushed = last_push.date() if isinstance(last_push, datetime) else last_push
    return (today - pushed).days > UNMAINTAINED_AFTER_DAYS


def has_ended(support: lifecycle.Support | None, today: date) -> bool:
    """Whether a lifecycle row (a runtime's or a distro's line) is past its end of life on ``today``."""
    return support is not None and support.is_eol(today)


def ends_soon(support: lifecycle.Support, today: date) -> bool:
    """Still supported on ``today``, but for fewer than :data:`ENDS_SOON_DAYS` more days."""
    return support.eol is not None and not support.is_eol(today) and (support.eol - today).days < ENDS_SOON_DAYS


def end_of_life(repository: str, tag: str, today: date) -> list[str]:
    """Why ``repository:tag`` is past its end of life on ``today`` (the runtime's line, its distro);
    empty when neither has ended or the table knows neither."""
    return lifecycle.tag_support(repository, tag).ended(today)


@dataclass(frozen=True)
class RepositoryHealth:
    """What a repository says about its own health, judged on one ``today``."""

    status: str | None
    deprecated: str | None  # the description that says so, when deprecated
    last_push: date | None
    unmaintained: bool

    @property
    def usable_status(self) -> bool:
        return not self.status or self.status in USABLE_STATUSES


def repository_health(
    *,
    today: date,
    description: str | None = None,
    last_push: date | datetime | None = None,
    status: str | None = None,
) -> RepositoryHealth:
    """The verdict on one repository, from what Hub says about it, on ``today``."""
    pushed = last_push.date() if isinstance(last_push, datetime) else last_push
    return RepositoryHealth(
        status=status,
        deprecated=description if marked_deprecated(description) else None,
        last_push=pushed,
        unmaintained=is_unmaintained(pushed, today),
    )
