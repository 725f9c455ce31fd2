"""One verdict on a repository's and a line's health: end of life, deprecated, stale, unmaintained.

``get_tag`` / ``get_repository`` (:mod:`hub_mcp.hub.service`), ``review_base_images``
(:mod:`hub_mcp.advisor.review`) and ``suggest_base_images`` (:mod:`hub_mcp.advisor.suggest`)
all ask here, so they cannot disagree about the same image. Each rule's constant is stated
once below. Pure and typed: no I/O, and no clock: ``today`` is always the caller's (the
service's injected date), so a fixed date gives the same verdict in every tool.

The rules:

- **end of life**: the bundled lifecycle table (:mod:`hub_mcp.vocab.lifecycle`) says the
  runtime's line or the tag's distro is past its end date on ``today``;
- **deprecated**: the publisher's description says so (:data:`DEPRECATION_MARKS`), or its
  README opens a deprecation notice (:func:`deprecation_notice`), whose links to other Hub
  repositories name the successors (:func:`successors`). (The
  repositories the advisor's runtime table knows are deprecated, such as openjdk, stay a
  lookup in :mod:`hub_mcp.advisor.runtimes`: its reason is its own sentence, and the hub
  room does not import the advisor.)
- **stale**: a tag (a line) last pushed more than :data:`STALE_AFTER` before the repository's
  newest push: the repository is still rebuilt, this line no longer is;
- **ends soon**: a supported line whose end of life is under :data:`ENDS_SOON_DAYS` days away;
- **unmaintained**: no push to the repository for more than :data:`UNMAINTAINED_AFTER_DAYS`
  days before ``today``;
- **production line** (:func:`production_line`): a line worth steering to: not past its end of
  life, and not a non-LTS line of a runtime that has supported LTS lines (java 18, node 25).

:func:`line_verdict` puts these together for one tag: what ``get_tag`` states, in the words of
the checks ``review_base_images`` runs.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from hub_mcp.vocab import lifecycle
from hub_mcp.vocab.tags import parse_tag

__all__ = [
    "DEPRECATION_MARKS",
    "ENDS_SOON_DAYS",
    "STALE_AFTER",
    "STATUS_NAMES",
    "UNMAINTAINED_AFTER_DAYS",
    "USABLE_STATUSES",
    "VERDICTS",
    "LineVerdict",
    "RepositoryHealth",
    "deprecation",
    "deprecation_notice",
    "end_of_life",
    "ends_soon",
    "has_ended",
    "is_stale",
    "is_unmaintained",
    "line_verdict",
    "marked_deprecated",
    "production_line",
    "repository_health",
    "status_name",
    "successors",
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


#: The heading that opens a deprecation notice in a README, as the Official Images' docs write it
#: ("# **DEPRECATION NOTICE**", "# **DEPRECATED**"); the notice runs to the next heading.
_NOTICE_HEADING = re.compile(r"^#{1,6}[ \t]*[*_]*[ \t]*(?:DEPRECATION[ \t]+NOTICE|DEPRECATED)\b[^\n]*$", re.I | re.M)
_HEADING = re.compile(r"^#{1,6}[ \t]", re.M)
_TAGS_ONLY = re.compile(r"^(?:\*\*)?The\s+(?:(?:and\s+)?`[^`\n]+`,?\s+)+tags?\s+of\s+this\s+image\b", re.I)
#: A link to a repository page on Docker Hub: ``hub.docker.com/_/<name>`` (an official image) or
#: ``hub.docker.com/r/<namespace>/<name>``.
_NAME = r"[a-z0-9]+(?:[._-][a-z0-9]+)*"  # a repository name's grammar: it never ends in "." (a sentence's)
_HUB_LINK = re.compile(
    rf"hub\.docker\.com/(?:_/(?P<official>{_NAME})|r/(?P<namespace>{_NAME})/(?P<name>{_NAME}))", re.I
)


#: A repository written as code in a notice, ``liquibase/liquibase`` (a namespace, so never a tag);
#: its ``official`` group never matches, so that both patterns read alike.
_QUOTED_REPOSITORY = re.compile(rf"`(?P<official>(?!))?(?P<namespace>{_NAME})/(?P<name>{_NAME})`", re.I)


def deprecation_notice(readme: str | None) -> str | None:
    """The deprecation notice of a README (Hub's ``full_description``): the text from its
    DEPRECATED / DEPRECATION NOTICE heading to the next heading; None when it has none."""
    if not readme:
        return None
    heading = _NOTICE_HEADING.search(readme)
    if heading is None:
        return None
    end = _HEADING.search(readme, heading.end())
    notice = readme[heading.end() : end.start() if end else len(readme)].strip()
    # a notice that retires some tags only (amazonlinux: "The `1`, `2018.03`, and ... tags of this
    # image are EOL") deprecates those tags, not the repository
    return None if _TAGS_ONLY.match(notice) else notice


def deprecation(description: str | None, readme: str | None) -> str | None:
    """What says a repository is deprecated: its description (:func:`marked_deprecated`), else its
    README's notice (:func:`deprecation_notice`); None when neither does."""
    return description if marked_deprecated(description) else deprecation_notice(readme)


def successors(readme: str | None, repository: str | None = None) -> list[str]:
    """The repositories a deprecation notice names instead, in the notice's own order, as one
    writes them in FROM (``eclipse-temurin``, ``hashicorp/consul``): its links to Hub repository
    pages and the ``namespace/name`` it writes as code (liquibase), each once, never
    ``repository`` itself. Links outside the notice are not successors (a README links to many
    images); empty without a notice or when it names none."""
    notice = deprecation_notice(readme)
    if not notice:
        return []
    own = (repository or "").lower().removeprefix("library/")
    out: list[str] = []
    found = sorted([*_HUB_LINK.finditer(notice), *_QUOTED_REPOSITORY.finditer(notice)], key=lambda m: m.start())
    for link in found:
        if link["official"]:
            name = link["official"].lower()
        else:
            namespace = link["namespace"].lower()
            name = link["name"].lower() if namespace == "library" else f"{namespace}/{link['name'].lower()}"
        if name != own and name not in out:
            out.append(name)
    return out


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


def production_line(repository: str, tag: str, today: date) -> bool:
    """Whether ``repository:tag`` stands on a line worth steering to ("newer on the same line",
    an upgrade): not past its end of life, and, where the runtime has supported LTS lines, an
    LTS line (java 18 has no row among java's LTS lines; node 25 and ubuntu 25.10 are interim).
    A tag the table knows nothing about is not judged here (True)."""
    support = lifecycle.tag_support(repository, tag)
    if support.ended(today):
        return False
    distro = support.distro_line
    if distro is not None and distro.lts is False and distro is not support.line and _has_lts(distro.runtime, today):
        return False  # built on an interim distro release (ubuntu 25.10 in python:3.14-questing)
    if support.runtime is None or not parse_tag(tag).is_versioned:
        return True
    line = support.line
    if line is not None and line.lts is True:
        return True
    if line is not None and line.lts is None:
        return True  # a runtime without LTS lines (python): every supported line is a production line
    return not any(row.lts for row in lifecycle.supported_lines(support.runtime, today, repository=repository))


def _has_lts(runtime: str, today: date) -> bool:
    return any(row.lts for row in lifecycle.supported_lines(runtime, today))


@dataclass(frozen=True)
class RepositoryHealth:
    """What a repository says about its own health, judged on one ``today``."""

    status: str | None
    deprecated: str | None  # the description (else the README's notice) that says so, when deprecated
    last_push: date | None
    unmaintained: bool
    successors: tuple[str, ...] = ()  # what the README's deprecation notice names instead, in its order

    @property
    def usable_status(self) -> bool:
        return not self.status or self.status in USABLE_STATUSES


def repository_health(
    *,
    today: date,
    description: str | None = None,
    last_push: date | datetime | None = None,
    status: str | None = None,
    readme: str | None = None,
    repository: str | None = None,
) -> RepositoryHealth:
    """The verdict on one repository, from what Hub says about it, on ``today``. With ``readme``
    (Hub's ``full_description``), a deprecation notice there marks it deprecated too and names
    its successors (``repository`` is left out of them)."""
    pushed = last_push.date() if isinstance(last_push, datetime) else last_push
    deprecated = deprecation(description, readme)
    return RepositoryHealth(
        status=status,
        deprecated=deprecated or None,
        last_push=pushed,
        unmaintained=is_unmaintained(pushed, today),
        successors=tuple(successors(readme, repository)) if deprecated else (),
    )


#: The verdicts of :func:`line_verdict`, worst first.
VERDICTS = ("end_of_life", "deprecated", "development", "stale", "unmaintained")
DEPRECATED = "the repository is deprecated, it gets no fixes"
STALE_CLAUSE = "stale:"


@dataclass(frozen=True)
class LineVerdict:
    """What is wrong with building on one tag's line, the worst first: end of life (with its
    day), a deprecated repository (with its successors), a line no longer rebuilt, a repository
    no longer pushed. ``reasons`` are the clauses, in that order."""

    status: str  # one of VERDICTS: the worst that applies
    reasons: tuple[str, ...]
    ended: date | None = None  # the end-of-life day, when the table gives one
    successors: tuple[str, ...] = ()

    @property
    def worst(self) -> str:
        """The worst reason alone, without the successors (a structured answer lists them apart)."""
        return DEPRECATED if self.status == "deprecated" else self.reasons[0]

    @property
    def sentence(self) -> str:
        """The verdict as one sentence for the model to read."""
        return "; ".join(self.reasons) + "."

    def sentences(self, *, skip_stale: bool = False) -> str:
        """Each reason as a sentence, to append to an answer's message (" Node 20 reached end of
        life on 2026-04-30."); ``skip_stale`` leaves out the stale one where the message already
        says it in its own words."""
        reasons = [r for r in self.reasons if not (skip_stale and r.startswith(STALE_CLAUSE))]
        return "".join(f" {r[:1].upper()}{r[1:]}." for r in reasons)


def development_clause(word: str) -> str:
    """How every answer says that a tag (or an alias of it) marks a development line."""
    return f"tagged {word!r} by its maintainers: a development line, not for production"


def line_verdict(
    repository: str,
    tag: str,
    today: date,
    *,
    stale: bool | None = None,
    last_pushed: date | datetime | None = None,
    repo: RepositoryHealth | None = None,
    development: str | None = None,
) -> LineVerdict | None:
    """The lifecycle verdict on ``repository:tag`` on ``today``, as ``review_base_images`` judges
    a FROM line (end of life by the table, a deprecated or unmaintained repository, a stale line);
    None when nothing is wrong. ``stale`` is the caller's judgement (:func:`is_stale`), ``repo``
    what the repository says about itself (:func:`repository_health`), ``development`` the word
    by which the tag or an alias of it marks a development line (:func:`vocab.tags.non_production`)."""
    found: list[tuple[str, str]] = []
    support = lifecycle.tag_support(repository, tag)
    ended = [line for line in (support.line, support.distro_line) if line is not None and line.is_eol(today)]
    for clause in end_of_life(repository, tag, today):  # the review's end-of-life finding, word for word
        found.append(("end_of_life", clause))
    names: tuple[str, ...] = ()
    if repo is not None and repo.deprecated:
        names = repo.successors
        found.append(
            (
                "deprecated",
                f"{DEPRECATED}: " + (f"use {', '.join(names)} instead" if names else "move to a maintained image"),
            )
        )
    if development:
        found.append(("development", development_clause(development)))
    if stale:
        pushed = last_pushed.date() if isinstance(last_pushed, datetime) else last_pushed
        found.append(("stale", f"{STALE_CLAUSE} last pushed {pushed or 'long ago'}, no longer rebuilt (no security fixes)"))
    if repo is not None and repo.unmaintained:
        found.append(("unmaintained", f"no push to the repository since {repo.last_push}: probably unmaintained"))
    if not found:
        return None
    found.sort(key=lambda item: VERDICTS.index(item[0]))
    days = [line.eol for line in ended if line.eol is not None and line.older_than is None]
    return LineVerdict(
        status=found[0][0],
        reasons=tuple(text for _, text in found),
        ended=min(days) if days else None,
        successors=names,
    )
