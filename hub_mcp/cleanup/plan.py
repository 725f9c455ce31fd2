"""A tag cleanup plan: which tags of a repository the rules would delete, which they keep and why.

Pure: no network. :func:`make_plan` takes every tag of one repository (:class:`TagFacts`, as Docker Hub's tag list
gives them [documented: ../shared/docs/hub-api.md, Tags: ``tag_last_pushed``, ``tag_last_pulled``, ``digest``,
``full_size``]) and :class:`Rules`, and answers a :class:`Plan`. The rules, in order:

1. ``keep`` patterns (shell globs, ``v*``, ``release-*``): such tags are never considered;
2. ``consider`` patterns: only such tags are considered (all when none are given);
3. ``latest`` is kept unless ``include_latest``;
4. ``keep_newest``: the N most recently pushed of the considered tags are kept;
5. ``older_than_days``: a tag pushed N days ago or less is kept (it goes when pushed more than N days ago);
   ``not_pulled_days``: a tag pulled less than N days ago is kept (it goes when not pulled for N days). A null
   ``tag_last_pulled`` is not documented [../shared/docs/hub-api.md, Tags, lists the field only]: it reads as "never
   pulled" or as "pulls not recorded". Under either, a tag without a recorded pull counts as idle only since its
   push (one pushed yesterday is never "not pulled for 30 days"), and the plan says how many of its tags have no
   recorded pull, so the person confirming sees it;
6. a tag whose digest is also a kept tag's is kept: deleting it would free nothing and could surprise (the image
   stays under the other name).

The plan's id is a hash of the repository and the exact ``tag@digest`` list to delete, so that applying it deletes
exactly what was shown, and a tag moved since is told apart.
"""

from __future__ import annotations

import fnmatch
import hashlib
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime

from hub_mcp.errors import InvalidInput

__all__ = ["MAX_PATTERNS", "Kept", "Plan", "Rules", "TagFacts", "make_plan", "plan_id"]

MAX_PATTERNS = 20
MAX_DAYS = 36_500


@dataclass(frozen=True)
class Rules:
    """What to delete. At least one of ``older_than_days``, ``not_pulled_days`` or ``keep_newest`` is given."""

    older_than_days: int | None = None
    not_pulled_days: int | None = None
    keep: tuple[str, ...] = ()
    consider: tuple[str, ...] = ()
    keep_newest: int = 0
    include_latest: bool = False

    def __post_init__(self) -> None:
        if self.older_than_days is None and self.not_pulled_days is None and not self.keep_newest:
            raise InvalidInput(
                "older_than_days, not_pulled_days or keep_newest: give at least one of them (e.g. older_than_days=90)."
            )
        for name in ("older_than_days", "not_pulled_days"):
            value = getattr(self, name)
            if value is not None and not 0 <= value <= MAX_DAYS:
                raise InvalidInput(f"{name} must be between 0 and {MAX_DAYS}, not {value}.")
        if not 0 <= self.keep_newest <= 10_000:
            raise InvalidInput(f"keep_newest must be between 0 and 10000, not {self.keep_newest}.")
        for name in ("keep", "consider"):
            patterns = getattr(self, name)
            if len(patterns) > MAX_PATTERNS:
                raise InvalidInput(f"Give at most {MAX_PATTERNS} {name} patterns, not {len(patterns)}.")
            if any(not p.strip() or len(p) > 128 for p in patterns):
                raise InvalidInput(f"Each {name} pattern is a shell glob of 1 to 128 characters, e.g. 'v1.*'.")

    def summary(self) -> str:
        parts = []
        if self.older_than_days is not None:
            parts.append(f"pushed more than {self.older_than_days} day(s) ago")
        if self.not_pulled_days is not None:
            parts.append(f"not pulled for {self.not_pulled_days} day(s)")
        if self.consider:
            parts.append(f"named {' or '.join(self.consider)}")
        text = "tags " + " and ".join(parts) if parts else "tags"
        if self.keep_newest:
            text += f", except the newest {self.keep_newest} of them"
        if self.keep:
            text += f"; never {' or '.join(self.keep)}"
        return text + ("" if self.include_latest else "; never latest")


@dataclass(frozen=True)
class TagFacts:
    name: str
    digest: str | None
    pushed: datetime | None
    pulled: datetime | None
    size: int | None


@dataclass(frozen=True)
class Kept:
    tag: TagFacts
    reason: str  # "keep pattern 'v*'", "among the newest 5", "pushed within 90 days", ... (a rule, so they group)


@dataclass(frozen=True)
class Plan:
    repository: str  # namespace/name
    rules: Rules
    delete: tuple[TagFacts, ...]
    kept: tuple[Kept, ...]
    id: str = field(default="")
    #: keep and consider patterns that matched no tag (a regex where a glob is meant, a typo): said, never silent
    unmatched: tuple[str, ...] = ()

    @property
    def bytes_freed(self) -> int:
        """The sizes of the images only deleted tags point at, each digest once (Hub's full_size: one platform's)."""
        kept = {k.tag.digest for k in self.kept}
        seen: dict[str, int] = {}
        for tag in self.delete:
            key = tag.digest or f"tag:{tag.name}"
            if tag.digest not in kept:
                seen[key] = tag.size or 0
        return sum(seen.values())


def plan_id(repository: str, delete: Sequence[TagFacts]) -> str:
    """``cleanup-`` and 16 hex digits of the SHA-256 of the repository and the sorted ``tag@digest`` list."""
    text = repository + "\n" + "\n".join(sorted(f"{t.name}@{t.digest or ''}" for t in delete))
    return "cleanup-" + hashlib.sha256(text.encode()).hexdigest()[:16]


def _stamp(when: datetime | None) -> float:
    return when.timestamp() if when is not None else float("-inf")


def _age(when: datetime | None, today: date) -> int | None:
    return (today - when.date()).days if when is not None else None


def make_plan(repository: str, tags: Sequence[TagFacts], rules: Rules, today: date) -> Plan:
    """The plan for ``tags`` (every tag of ``repository``) under ``rules`` on ``today``."""
    kept: list[Kept] = []
    considered: list[TagFacts] = []
    for tag in tags:
        pattern = next((p for p in rules.keep if fnmatch.fnmatchcase(tag.name, p)), None)
        if pattern is not None:
            kept.append(Kept(tag, f"keep pattern {pattern!r}"))
        elif rules.consider and not any(fnmatch.fnmatchcase(tag.name, p) for p in rules.consider):
            kept.append(Kept(tag, "not named by a consider pattern"))
        elif tag.name == "latest" and not rules.include_latest:
            kept.append(Kept(tag, "latest (include_latest=true to consider it)"))
        else:
            considered.append(tag)
    newest_first = sorted(considered, key=lambda t: (_stamp(t.pushed), t.name), reverse=True)
    candidates: list[TagFacts] = []
    for index, tag in enumerate(newest_first):
        pushed, pulled = _age(tag.pushed, today), _age(tag.pulled, today)
        if index < rules.keep_newest:
            kept.append(Kept(tag, f"among the newest {rules.keep_newest}"))
        elif rules.older_than_days is not None and (pushed is None or pushed <= rules.older_than_days):
            reason = f"pushed {rules.older_than_days} days ago or less" if pushed is not None else "no push date"
            kept.append(Kept(tag, reason))
        elif rules.not_pulled_days is not None and (idle := pulled if pulled is not None else pushed) is None:
            kept.append(Kept(tag, "no pull or push date"))
        elif rules.not_pulled_days is not None and idle is not None and idle < rules.not_pulled_days:
            reason = "pulled" if pulled is not None else "no pull recorded, pushed"
            kept.append(Kept(tag, f"{reason} within {rules.not_pulled_days} days"))
        else:
            candidates.append(tag)
    kept_digests = {k.tag.digest: k.tag.name for k in kept if k.tag.digest}
    delete: list[TagFacts] = []
    for tag in candidates:
        other = kept_digests.get(tag.digest) if tag.digest else None
        if other is not None:
            kept.append(Kept(tag, f"shares its digest with the kept tag {other!r}"))
        else:
            delete.append(tag)
    delete.sort(key=lambda t: (_stamp(t.pushed), t.name))  # oldest first
    unmatched = tuple(
        f"{kind} {p!r}"
        for kind, patterns in (("keep", rules.keep), ("consider", rules.consider))
        for p in patterns
        if not any(fnmatch.fnmatchcase(t.name, p) for t in tags)
    )
    return Plan(repository, rules, tuple(delete), tuple(kept), plan_id(repository, delete), unmatched)
