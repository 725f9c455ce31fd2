"""Rate-limit headers read strictly: a number is the header's own, or it is unknown with the reason.

What Docker documents, and nothing more is assumed:

- **Pulls** (the registry, on a manifest ``GET`` or ``HEAD``) [documented: docs.docker.com/docker-hub/usage/pulls/,
  "View pull rate and limit"]: ``ratelimit-limit: 100;w=21600``, ``ratelimit-remaining: 20;w=21600``,
  ``docker-ratelimit-source: 192.0.2.1``, read there as "the pull limit is 100 pulls per 21600 seconds (6 hours),
  and there are 20 pulls remaining". No ``ratelimit`` header at all means no limit applies to those pulls: "the
  image or your IP is unlimited in partnership with a publisher, provider, or an open source organization", or
  the user "is part of a paid Docker plan".
- **Hub API calls** [documented: docs.docker.com/reference/api/hub/latest/, "Rate limiting"]: ``X-RateLimit-Limit``
  ("the limit of requests per minute"), ``X-RateLimit-Remaining``, ``X-RateLimit-Reset`` ("the unix timestamp of
  when the remaining resets"): plain numbers.

Where the documents leave room, each reading is taken as what it says, never completed by a guess:

- a quota with ``;w=SECONDS`` gives its window; a bare count (``100``, as the IETF RateLimit draft writes
  ``RateLimit-Limit``) gives the count, and the window is unknown; other parameters (the draft's ``;comment=``)
  are allowed and ignored;
- a list (``100, 100;w=21600``: the draft's list of quota policies, or the header sent twice) is refused: which
  entry Docker would mean is not documented;
- anything else (a word, a sign, a fraction, a window of 0, ``w`` twice, a value past
  :data:`hub_mcp.net.http.RATE_HEADER_CHARS`) is malformed, and says so, quoting the value.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from hub_mcp.net.http import RATE_HEADER_CHARS, plausible_time
from hub_mcp.vocab.common import quoted

__all__ = ["Quota", "Unknown", "parse_count", "parse_quota", "parse_reset", "parse_source"]

#: The most digits a count may have: 15 (a thousand million million) is far past any limit; longer is malformed.
MAX_DIGITS = 15
_COUNT = re.compile(rf"[0-9]{{1,{MAX_DIGITS}}}")
# RFC 9110: a token, or a quoted string, as a parameter's value
_PARAMETER = re.compile(
    r"""[ \t]*;[ \t]*([A-Za-z][A-Za-z0-9_.*-]*)[ \t]*=[ \t]*([!#$%&'*+.^_`|~0-9A-Za-z-]+|"(?:[^"\\]|\\.)*")[ \t]*"""
)
_OWS = " \t"


@dataclass(frozen=True)
class Quota:
    """A count, and the window it is for (seconds) when the header gave one."""

    count: int
    window: int | None = None


@dataclass(frozen=True)
class Unknown:
    """Why a value is not known: a sentence fragment that quotes what came ("'ratelimit-limit' is 'abc', not a ...")."""

    reason: str


def _too_long(name: str, value: str) -> Unknown | None:
    if len(value) > RATE_HEADER_CHARS:
        return Unknown(f"{name} is longer than {RATE_HEADER_CHARS} characters, far past any documented value")
    return None


def parse_count(name: str, value: str) -> int | Unknown:
    """A plain count (``X-RateLimit-Limit: 180``): digits, and white space around them, only."""
    problem = _too_long(name, value)
    if problem is not None:
        return problem
    text = value.strip(_OWS)
    if _COUNT.fullmatch(text):
        return int(text)
    return Unknown(f"{name} is {quoted(value)}, not a count of requests")


def parse_quota(name: str, value: str) -> Quota | Unknown:
    """A pull quota (``ratelimit-limit: 100;w=21600`` or a bare ``100``); see the module docstring."""
    problem = _too_long(name, value)
    if problem is not None:
        return problem
    if "," in value:
        return Unknown(
            f"{name} is {quoted(value)}, a list of values (or the header sent twice); Docker documents one value,"
            " so which one counts is not known"
        )
    text = value.strip(_OWS)
    head = re.match(r"[0-9]+", text)
    if head is None or len(head.group()) > MAX_DIGITS:
        return Unknown(f"{name} is {quoted(value)}, which does not start with a count")
    count, rest = int(head.group()), text[head.end() :]
    window: int | None = None
    seen: set[str] = set()
    while rest:
        parameter = _PARAMETER.match(rest)
        if parameter is None:
            return Unknown(f"{name} is {quoted(value)}, which is not a count with ';name=value' parameters")
        key, raw = parameter.group(1).lower(), parameter.group(2)
        if key in seen:
            return Unknown(f"{name} is {quoted(value)}, which gives {key!r} twice")
        seen.add(key)
        if key == "w":
            if not _COUNT.fullmatch(raw) or int(raw) == 0:
                return Unknown(f"{name} is {quoted(value)}, whose window w is not a number of seconds")
            window = int(raw)
        rest = rest[parameter.end() :]
    return Quota(count=count, window=window)


def parse_reset(name: str, value: str) -> float | Unknown:
    """A reset time as unix seconds (``X-RateLimit-Reset: 1767225600``), between 1970 and the year 10000."""
    count = parse_count(name, value)
    if isinstance(count, Unknown):
        return Unknown(f"{name} is {quoted(value)}, not a unix time")
    moment = plausible_time(count)
    if moment is None:
        return Unknown(f"{name} is {quoted(value)}, not a plausible unix time")
    return moment


#: The most characters of ``docker-ratelimit-source`` shown: an IPv6 address is at most 45, an account id 36.
SOURCE_CHARS = 64


def parse_source(value: str) -> str | Unknown:
    """``docker-ratelimit-source`` as sent (an IP address, or an account id [assumed] when logged in): printable
    text without spaces, at most :data:`SOURCE_CHARS` characters; Docker documents no other form."""
    text = value.strip(_OWS)
    if not text or len(text) > SOURCE_CHARS or not all(ch.isprintable() and not ch.isspace() for ch in text):
        return Unknown(f"docker-ratelimit-source is {quoted(value[:SOURCE_CHARS])}, not an address or an id")
    return text
