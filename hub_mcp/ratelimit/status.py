"""Docker Hub's pull limit and API budget, exactly as the headers say, and the notice answers carry when one runs low.

**Pulls.** One ``HEAD`` of ``ratelimitpreview/test:latest`` on Docker Hub's registry, the request Docker documents
for reading the limit, which "won't" count towards it [documented: docs.docker.com/docker-hub/usage/pulls/, "View
pull rate and limit": ``HEAD https://registry-1.docker.io/v2/ratelimitpreview/test/manifests/latest`` with a token
for ``repository:ratelimitpreview/test:pull``]. It goes through the registry client, so it is asked with the
docker.io login hub-mcp has (HUB_USERNAME / HUB_PAT_TOKEN, or ``docker login``) and anonymously without one (or
while the token service refuses it); the answer names which. The headers are read by
:mod:`hub_mcp.ratelimit.headers`; none at all is "not limited", as Docker documents.

**Hub API calls.** Every Docker Hub answer carries ``X-RateLimit-*`` [documented: Docker Hub API reference, "Rate
limiting"], and the HTTP client keeps the last ones per host (:class:`hub_mcp.net.http.RateHeaders`), so the status
costs no request while the last reading is current (its reset has not come; without a reset, for
:data:`HUB_API_WINDOW`). Otherwise (no Docker Hub answer yet in this process, or its window has passed) it makes one
``HEAD`` of a public repository (:data:`HUB_PROBE`): no body, and the cheapest documented request that carries them.

**Low.** A budget is low when what remains is at most :data:`LOW_LEFT`, or at most :data:`LOW_PERCENT` of the
limit. Then :meth:`RateLimits.notices` gives a sentence that :meth:`hub_mcp.services.Services.notices` adds to
every answer. Notices read only what the clients last saw (no request), and only while that reading is current:
a pull reading for its window (``;w=``, else the shorter of the two documented windows, :data:`PULL_WINDOW`), an API reading
until its reset.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Literal

import httpx

from hub_mcp.answers.views import ApiLimit, PullLimit, RateLimitStatus
from hub_mcp.errors import HubMCPError
from hub_mcp.hub.client import HubClient
from hub_mcp.net.http import RateHeaders, SendOptions, rate_headers_of
from hub_mcp.ratelimit.headers import Quota, Unknown, parse_count, parse_quota, parse_reset, parse_source
from hub_mcp.registry.client import RegistryClient
from hub_mcp.vocab.references import DOCKER_HUB, ImageReference

__all__ = [
    "HUB_API_WINDOW",
    "HUB_PROBE",
    "LOW_LEFT",
    "LOW_PERCENT",
    "PROBE_IMAGE",
    "PULL_WINDOW",
    "ApiReading",
    "PullReading",
    "RateLimits",
    "is_low",
    "read_api",
    "read_pulls",
]

PROBE_IMAGE = "ratelimitpreview/test:latest"
"""The image whose manifest Docker documents reading the pull limit from [documented: pulls.md]."""
HUB_PROBE = "/v2/namespaces/library/repositories/alpine"
"""The Hub API path asked with ``HEAD`` when no current reading is at hand: a public repository's info, which
hub-api.md documents for ``GET`` and ``HEAD`` (``/v2/namespaces/{ns}/repositories/{repo}``)."""
LOW_LEFT = 5
"""At most this many left is low, whatever the limit: fewer than one suggest_base_images may use (it reads two
manifests per candidate it assesses, three candidates anonymously) or one CI job that pulls a few multi-arch
images (a pull counts once per architecture [documented: pulls.md, "Pull definition"])."""
LOW_PERCENT = 10
"""At most this share of the limit left (in per cent) is low: for Docker's anonymous 100 pulls, 10; for Hub's API,
18 of 180 a minute. A tenth is where a burst (a review of a long Dockerfile, a CI matrix) can use up the rest."""
HUB_API_WINDOW = 60.0
"""Seconds a Hub API reading without a usable reset counts as current: Docker documents the limit "per minute"."""
PULL_WINDOW = 3600.0
"""Seconds a pull reading without ``;w=`` counts as current for notices. Two documents disagree on the window:
"The pull rate limit is calculated on a 6-hour basis" [documented: pulls.md] and "anonymous 10/hour per IP,
personal 100/hour" [documented: ../shared/docs/hub-api.md, Errors and limits]. The shorter is taken, so that a low
notice never outlives a reset under either (under the 6-hour reading it may end early: get_rate_limit reads
afresh). (The answer itself gives no window then: the header did not.)"""
NO_PULL_HEADERS = (
    "Docker Hub's registry sent no ratelimit-limit or ratelimit-remaining header. Docker documents this as no limit on"
    " these pulls: a paid Docker plan, or an image or IP address that is unlimited in partnership with a publisher,"
    " provider or open source organization. hub-mcp cannot tell which."
)


def is_low(limit: int | None, remaining: int) -> bool:
    """Whether ``remaining`` is low: at most :data:`LOW_LEFT`, or at most :data:`LOW_PERCENT` of ``limit``."""
    return remaining <= LOW_LEFT or (limit is not None and remaining * 100 <= limit * LOW_PERCENT)


def low_when() -> str:
    return f"{LOW_LEFT} or fewer left, or {LOW_PERCENT}% of the limit or less"


def _utc(moment: float) -> str:
    return datetime.fromtimestamp(moment, UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _ago(seconds: float) -> str:
    seconds = max(0.0, seconds)
    if seconds < 1:
        return "just now"
    if seconds < 120:
        return f"{int(seconds)} s ago"
    if seconds < 7200:
        return f"{int(seconds // 60)} min ago"
    return f"{int(seconds // 3600)} h ago"


def _sentence(problems: list[str]) -> str | None:
    if not problems:
        return None
    text = "; ".join(problems)
    return text[:1].upper() + text[1:] + "."


@dataclass(frozen=True)
class PullReading:
    """What the registry's headers say about pulls (see :mod:`hub_mcp.ratelimit.headers`)."""

    state: Literal["known", "not_limited", "unknown"]
    limit: int | None = None
    remaining: int | None = None
    window: int | None = None
    source: str | None = None
    problems: list[str] = field(default_factory=list)

    @property
    def low(self) -> bool | None:
        return None if self.remaining is None else is_low(self.limit, self.remaining)


def read_pulls(values: Mapping[str, str]) -> PullReading:
    """The pull limit from ``ratelimit-limit``, ``ratelimit-remaining`` and ``docker-ratelimit-source`` as sent."""
    limit_text, remaining_text = values.get("ratelimit-limit"), values.get("ratelimit-remaining")
    problems: list[str] = []
    source: str | None = None
    if "docker-ratelimit-source" in values:
        found = parse_source(values["docker-ratelimit-source"])
        if isinstance(found, Unknown):
            problems.append(found.reason)
        else:
            source = found
    if limit_text is None and remaining_text is None:
        if source is not None:  # a source without numbers: Docker documents nothing like it
            return PullReading(
                "unknown",
                source=source,
                problems=["the registry sent docker-ratelimit-source but neither ratelimit-limit nor ratelimit-remaining"],
            )
        return PullReading("not_limited", problems=problems)
    quotas: dict[str, Quota] = {}
    for name, text in (("ratelimit-limit", limit_text), ("ratelimit-remaining", remaining_text)):
        if text is None:
            problems.append(f"{name} was not sent")
            continue
        parsed = parse_quota(name, text)
        if isinstance(parsed, Unknown):
            problems.append(parsed.reason)
        else:
            quotas[name] = parsed
    limit, remaining = quotas.get("ratelimit-limit"), quotas.get("ratelimit-remaining")
    windows = {quota.window for quota in quotas.values() if quota.window is not None}
    window = windows.pop() if len(windows) == 1 else None
    if len(windows) > 1:
        problems.append(
            f"ratelimit-limit and ratelimit-remaining give different windows ({limit_text!r}, {remaining_text!r}),"
            " so the window is not known"
        )
    if limit is not None and remaining is not None and remaining.count > limit.count:
        problems.append(
            f"ratelimit-remaining ({remaining.count}) is more than ratelimit-limit ({limit.count}), so neither is"
            " trusted"
        )
        return PullReading("unknown", window=window, source=source, problems=problems)
    known = limit is not None and remaining is not None
    return PullReading(
        "known" if known else "unknown",
        limit=limit.count if limit else None,
        remaining=remaining.count if remaining else None,
        window=window,
        source=source,
        problems=problems,
    )


@dataclass(frozen=True)
class ApiReading:
    """What Docker Hub's ``X-RateLimit-*`` headers say about API calls."""

    state: Literal["known", "unknown"]
    limit: int | None = None
    remaining: int | None = None
    reset_at: float | None = None
    problems: list[str] = field(default_factory=list)

    @property
    def low(self) -> bool | None:
        return None if self.remaining is None else is_low(self.limit, self.remaining)


def read_api(values: Mapping[str, str]) -> ApiReading:
    """The Hub API budget from ``X-RateLimit-Limit``, ``-Remaining`` and ``-Reset`` as sent."""
    problems: list[str] = []
    numbers: dict[str, int] = {}
    for name in ("x-ratelimit-limit", "x-ratelimit-remaining"):
        text = values.get(name)
        if text is None:
            problems.append(f"{_spelled(name)} was not sent")
            continue
        count = parse_count(_spelled(name), text)
        if isinstance(count, Unknown):
            problems.append(count.reason)
        else:
            numbers[name] = count
    reset_at: float | None = None
    reset_text = values.get("x-ratelimit-reset")
    if reset_text is None:
        problems.append("X-RateLimit-Reset was not sent, so when the budget resets is not known")
    else:
        reset = parse_reset("X-RateLimit-Reset", reset_text)
        if isinstance(reset, Unknown):
            problems.append(reset.reason)
        else:
            reset_at = reset
    limit, remaining = numbers.get("x-ratelimit-limit"), numbers.get("x-ratelimit-remaining")
    if limit is not None and remaining is not None and remaining > limit:
        problems.append(
            f"X-RateLimit-Remaining ({remaining}) is more than X-RateLimit-Limit ({limit}), so neither is trusted"
        )
        return ApiReading("unknown", reset_at=reset_at, problems=problems)
    known = limit is not None and remaining is not None
    return ApiReading("known" if known else "unknown", limit, remaining, reset_at, problems)


def _spelled(name: str) -> str:
    """``x-ratelimit-limit`` → ``X-RateLimit-Limit`` (as Docker's reference writes it)."""
    return "X-RateLimit-" + name.rsplit("-", 1)[1].capitalize()


class RateLimits:
    """The rate-limit status of the Docker Hub login hub-mcp uses (or of this machine, anonymously)."""

    def __init__(self, hub: HubClient, registry: RegistryClient) -> None:
        self.hub = hub
        self.registry = registry
        self.hub_host = httpx.URL(hub.hub_url).host
        self.registry_url = registry.base_url(DOCKER_HUB)
        self.registry_host = httpx.URL(self.registry_url).host
        self.probe_url = f"{self.registry_url}/v2/{PROBE_IMAGE.replace(':', '/manifests/')}"

    # --- the answer ----------------------------------------------------------------------------

    async def status(self) -> RateLimitStatus:
        """Both budgets, each on its own: one that cannot be read says why, and the other is still answered."""
        pulls, api = await asyncio.gather(self._pulls(), self._api())
        return RateLimitStatus(pulls=pulls, hub_api=api, low_when=low_when())

    async def _pulls(self) -> PullLimit:
        how = f"HEAD {self.probe_url} (a version check: Docker documents that it does not count as a pull)"
        try:
            response, user = await self.registry.probe_manifest(ImageReference.parse(PROBE_IMAGE), "latest")
        except HubMCPError as exc:
            return PullLimit(
                state="unknown", counted_for=self._pulls_for(self._registry_user()), how=how, reason=str(exc)
            )
        checked = time.time()
        sent = rate_headers_of(response.headers)
        reading = read_pulls(sent)
        reason = NO_PULL_HEADERS if reading.state == "not_limited" else _sentence(reading.problems)
        return PullLimit(
            state=reading.state,
            limit=reading.limit,
            remaining=reading.remaining,
            window_seconds=reading.window,
            source=reading.source,
            counted_for=self._pulls_for(user),
            low=reading.low,
            checked_at=_utc(checked),
            how=how,
            headers=sent or None,
            reason=reason,
        )

    async def _api(self) -> ApiLimit:
        who = self._api_for()
        now = time.time()
        last = self.hub.http.rate_headers.get(self.hub_host)
        if last is not None and _api_current(last, now):
            reading = read_api(last.values)
            how = f"the last Docker Hub answer, {_ago(now - last.seen_at)} (no request made for this)"
            return _api_view(reading, who, last.seen_at, how, dict(last.values))
        url = f"{self.hub.hub_url}{HUB_PROBE}"
        why = "no Docker Hub answer had been seen yet" if last is None else "the last reading's window had passed"
        how = f"HEAD {url}, made for this answer because {why}"
        try:
            response = await self.hub.http.send(
                "HEAD",
                url,
                headers=await self.hub.auth.headers(),
                options=SendOptions(parse_json=False, what="the rate-limit check"),
            )
        except HubMCPError as exc:
            return ApiLimit(state="unknown", counted_for=who, how=how, reason=str(exc))
        sent = rate_headers_of(response.headers)
        if not any(name.startswith("x-ratelimit-") for name in sent):
            return ApiLimit(
                state="unknown",
                counted_for=self._api_for(),
                checked_at=_utc(time.time()),
                how=how,
                reason=f"Docker Hub answered HTTP {response.status} without X-RateLimit-* headers, which Docker"
                " documents on every API answer below the limit; the budget is not known.",
            )
        return _api_view(read_api(sent), self._api_for(), time.time(), how, sent)

    # --- who is counted ------------------------------------------------------------------------

    def _registry_user(self) -> str | None:
        credentials = self.registry.credentials_for(DOCKER_HUB)
        return credentials[0] if credentials else None

    def _pulls_for(self, user: str | None) -> str:
        if user:
            return f"{user} (the docker.io login from {self.registry.credential_source(DOCKER_HUB)})"
        return "anonymous: no docker.io login was used, so pulls count for this machine's IP address"

    def _api_for(self) -> str:
        user = self.hub.auth.cache_identity  # the username while its login works, else ""
        return f"{user} (the Docker Hub login from {self.hub.auth.source})" if user else "anonymous: no Docker Hub login was used"

    # --- notices -------------------------------------------------------------------------------

    def notices(self) -> list[str]:
        """Sentences for every answer while a budget is low, from what the clients last saw (no request)."""
        now = time.time()
        out: list[str] = []
        pulls = self.registry.http.rate_headers.get(self.registry_host)
        if pulls is not None:
            reading = read_pulls(pulls.values)
            current = now - pulls.seen_at < (reading.window or PULL_WINDOW)
            if reading.low and current and reading.remaining is not None:
                out.append(self._pull_notice(reading, reading.remaining, now - pulls.seen_at))
        api = self.hub.http.rate_headers.get(self.hub_host)
        if api is not None and _api_current(api, now):
            reading_api = read_api(api.values)
            if reading_api.low and reading_api.remaining is not None:
                out.append(_api_notice(reading_api, reading_api.remaining, now - api.seen_at))
        return out

    def _pull_notice(self, reading: PullReading, remaining: int, age: float) -> str:
        of = f" of {reading.limit}" if reading.limit is not None else ""
        window = f" per {reading.window} s" if reading.window else ""
        user = self._registry_user()
        state = "are used up" if remaining == 0 else "are running low"
        fix = (
            "they come back as the window moves on"
            if user
            else "a Docker Hub login (HUB_USERNAME and HUB_PAT_TOKEN) counts them for the account instead"
        )
        return (
            f"Docker Hub pulls {state}: {remaining}{of}{window} left for {user or 'this address (anonymous)'}"
            f" (read {_ago(age)}). Reading images from Docker Hub (inspect_image, list_image_packages,"
            f" suggest_base_images) uses them; {fix}. get_rate_limit shows the numbers."
        )


def _api_current(last: RateHeaders, now: float) -> bool:
    """Whether a Hub API reading still describes the budget: before its reset, or within a minute without one."""
    reading = read_api(last.values)
    if reading.reset_at is not None:
        return now < reading.reset_at
    return now - last.seen_at < HUB_API_WINDOW


def _api_notice(reading: ApiReading, remaining: int, age: float) -> str:
    of = f" of {reading.limit}" if reading.limit is not None else ""
    until = f" until {_utc(reading.reset_at)}" if reading.reset_at is not None else ""
    state = "are used up" if remaining == 0 else "are running low"
    return (
        f"Docker Hub API calls {state}: {remaining}{of} left{until} (read {_ago(age)}). hub-mcp waits for the reset"
        " when they run out, so answers may be slow or refused until then; ask for less meanwhile."
    )


def _api_view(reading: ApiReading, who: str, checked: float, how: str, sent: dict[str, str]) -> ApiLimit:
    return ApiLimit(
        state=reading.state,
        limit=reading.limit,
        remaining=reading.remaining,
        resets_at=_utc(reading.reset_at) if reading.reset_at is not None else None,
        counted_for=who,
        low=reading.low,
        checked_at=_utc(checked),
        how=how,
        headers=sent or None,
        reason=_sentence(reading.problems),
    )
