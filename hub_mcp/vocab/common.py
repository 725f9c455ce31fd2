"""Small text and date helpers every answer uses, stated once.

``utc_today`` is the one clock the answers are judged by (injected everywhere else); ``day`` writes a timestamp as the calendar day the answers show (``2026-11-20``); ``one_line``
folds a description to one line of at most ``limit`` characters. Pure functions, no imports
beyond the standard library: any room may use them.
"""

from __future__ import annotations

from datetime import UTC, date, datetime

__all__ = ["day", "one_line", "utc_today"]


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
