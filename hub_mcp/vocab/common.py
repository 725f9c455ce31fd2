"""Small text and date helpers every answer uses, stated once.

``utc_today`` is the one clock the answers are judged by (injected everywhere else); ``day`` writes a timestamp as the calendar day the answers show (``2026-11-20``); ``one_line``
folds a description to one line of at most ``limit`` characters; ``closest`` finds the name a
mistyped one meant (the "did you mean" of tool arguments, tool names and flags); ``quoted`` and
``clip`` put a caller's input into a sentence, cut to a short prefix that says how long the whole
was (a 180,000-character argument is never echoed back whole). Pure functions, no imports
beyond the standard library: any room may use them.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import UTC, date, datetime
from typing import Any

__all__ = ["QUOTE_LIMIT", "clip", "closest", "day", "one_line", "quoted", "utc_today"]

#: Most characters of an input that an error, a warning or an answer's sentence quotes.
QUOTE_LIMIT = 80


def utc_today() -> date:
    """Today's date in UTC: the default ``today`` of the services and the advisor, which tests and
    benchmarks replace with a fixed date."""
    return datetime.now(UTC).date()


def day(value: datetime | None) -> str | None:
    """``2026-11-20`` for a timestamp (its own calendar day, as Hub sends it: UTC); None for None."""
    return value.date().isoformat() if value else None


def one_line(text: str | None, limit: int = 160) -> str | None:
    """``text`` on one line (runs of whitespace become one space), cut to ``limit`` characters with
    an ellipsis; None for empty text."""
    if not text:
        return None
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def closest(word: str, choices: Iterable[str], *, synonyms: Mapping[str, str] | None = None) -> str | None:
    """The choice ``word`` most likely meant, or None: the same name in another case or with
    ``-``/``_`` swapped (``read_only`` for ``--read-only``), a known synonym among ``choices``
    (``page_size`` → ``limit``), else difflib's closest match (ratio at least 0.6, its default)."""
    choices = list(choices)
    squashed = _squash(word)
    same = [choice for choice in choices if _squash(choice) == squashed]
    if same:
        return same[0]
    meant = {_squash(other): name for other, name in (synonyms or {}).items()}.get(squashed)
    if meant in choices:
        return meant
    import difflib  # only on a mistake: not on the start-up path

    by_squashed = {_squash(choice): choice for choice in choices}
    match = difflib.get_close_matches(squashed, list(by_squashed), n=1)
    return by_squashed[match[0]] if match else None


def _squash(name: str) -> str:
    return name.strip().lstrip("-").lower().replace("-", "").replace("_", "")


def clip(text: str, limit: int = QUOTE_LIMIT) -> str:
    """``text`` as is when it has at most ``limit`` characters, else its first ``limit`` and
    ``…(180,000 characters)``: how an input goes into a sentence unquoted."""
    if len(text) <= limit:
        return text
    return f"{text[:limit]}…({len(text):,} characters)"


def quoted(value: object, limit: int = QUOTE_LIMIT) -> str:
    """``repr(value)`` (what ``f"{value!r}"`` gives) for a short input; for a longer one the quoted
    first ``limit`` characters and the whole length: ``'aaaa…' (180,000 characters)``. Every
    sentence that quotes a caller's input (a reference, a Dockerfile word, a tag, a name) uses
    this, so none echoes a huge input back."""
    if not isinstance(value, str):
        text = repr(value)
        return text if len(text) <= limit else f"{text[:limit]}…({len(text):,} characters)"
    if len(value) <= limit:
        return repr(value)
    head = repr(value[:limit])
    return f"{head[:-1]}…{head[-1]} ({len(value):,} characters)"


def parse_day(value: Any, where: str) -> date | None:
    """A bundled table's ``YYYY-MM-DD`` (None stays None); anything else is the table's fault, named by ``where``."""
    if value is None:
        return None
    if not isinstance(value, str):
        raise ValueError(f"{where}: expected a YYYY-MM-DD string, got {value!r}")
    return date.fromisoformat(value)
